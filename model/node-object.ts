// A Node as the API server holds it once it has registered: the kubelet's registration
// (pkg/kubelet/kubelet_node_status.go initialNode: the hostname, os and arch labels and their
// beta twins, --node-labels over them, --register-with-taints, capacity and allocatable,
// Ready), or a node that exists only as an API object, as scheduler_perf's fake nodes do.
// initialNode adds node.kubernetes.io/instance-type and the topology region and zone labels
// only from a cloud provider, which the model has none of: a scenario gives a node its zone
// as a label, as --node-labels would.
import type { NodeCondition, NodeStatus, Taint } from 'kubernetes-types/core/v1.js';
import type { FeatureGates } from './feature-gates.ts';
import type { KubeObject } from './resources.ts';

/**
 * The platforms Kubernetes builds a kubelet for (hack/lib/golang.sh KUBE_SUPPORTED_NODE_PLATFORMS):
 * a node's runtime.GOOS and runtime.GOARCH, which its kubelet writes into its labels.
 */
export const NODE_PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/ppc64le', 'linux/s390x', 'windows/amd64'] as const;
export const NODE_OSES = ['linux', 'windows'] as const;
export const NODE_ARCHES = ['amd64', 'arm64', 'ppc64le', 's390x'] as const;
export type NodeOS = (typeof NODE_OSES)[number];
export type NodeArch = (typeof NODE_ARCHES)[number];

/** The labels initialNode sets, from the hostname and the kubelet binary's GOOS and GOARCH (k8s.io/api/core/v1 well_known_labels.go). */
export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_OS = 'kubernetes.io/os';
export const LABEL_ARCH = 'kubernetes.io/arch';
export const LABEL_OS_BETA = 'beta.kubernetes.io/os';
export const LABEL_ARCH_BETA = 'beta.kubernetes.io/arch';

export interface NodeShape {
  readonly name: string;
  /** cpu, memory and pods, as a ResourceList spells them: "4", "8Gi", 110. */
  readonly allocatable: { readonly cpu: string; readonly memory: string; readonly pods: number };
  /** The node's operating system and architecture (its kubelet's GOOS and GOARCH); linux and amd64 unless given. */
  readonly os?: NodeOS;
  readonly arch?: NodeArch;
  /** Labels besides the ones the kubelet sets (--node-labels). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Taints the node registers with (--register-with-taints). */
  readonly taints?: readonly Taint[];
  /** Registered cordoned (--register-schedulable=false). */
  readonly unschedulable?: boolean;
}

/** The labels a kubelet registers its node with (initialNode), then the node's own (--node-labels). */
export function nodeLabels(node: NodeShape): Record<string, string> {
  const os = node.os ?? 'linux';
  const arch = node.arch ?? 'amd64';
  return { [LABEL_HOSTNAME]: node.name, [LABEL_OS]: os, [LABEL_ARCH]: arch, [LABEL_OS_BETA]: os, [LABEL_ARCH_BETA]: arch, ...node.labels };
}

/**
 * The features a kubelet declares in its Node's status.declaredFeatures with NodeDeclaredFeatures
 * (KEP-5328; k8s.io/component-helpers nodedeclaredfeatures, the features registered in 1.35 and
 * their Discover): RestartAllContainersOnContainerExits with its gate, and
 * GuaranteedQoSPodCPUResize, which a kubelet whose CPU manager policy is none (the default, and
 * the model's kubelet has no other) declares; PodLevelResourcesResize needs
 * InPlacePodLevelResourcesVerticalScaling, an alpha gate the model does not offer. Sorted, as
 * the kubelet reports them. The scheduler's NodeDeclaredFeatures filter, which keeps a pod off a
 * node that lacks a feature it needs (a RestartAllContainers rule needs the first), never
 * rejects a node in the model: every node runs the same gates, and an API-only node carries
 * what its kubelet would have declared.
 */
export function declaredFeatures(gates: FeatureGates): string[] {
  return ['GuaranteedQoSPodCPUResize', ...(gates.RestartAllContainersOnContainerExits ? ['RestartAllContainersOnContainerExits'] : [])];
}

/** The Node as it registers, under the gates its kubelet runs with. */
export function nodeObject(node: NodeShape, gates: FeatureGates): KubeObject {
  const resources = { cpu: node.allocatable.cpu, memory: node.allocatable.memory, pods: String(node.allocatable.pods) };
  const spec = {
    ...(node.taints && node.taints.length > 0 ? { taints: node.taints } : {}),
    ...(node.unschedulable ? { unschedulable: true } : {}),
  };
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name: node.name, labels: nodeLabels(node) },
    spec,
    status: {
      capacity: resources, allocatable: resources,
      conditions: kubeletNodeConditions(),
      ...(gates.NodeDeclaredFeatures ? { declaredFeatures: declaredFeatures(gates) } : {}),
    },
  };
}

/** The conditions a healthy kubelet reports for its node (pkg/kubelet/nodestatus setters.go). */
export function kubeletNodeConditions(): NodeCondition[] {
  return [
    { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
    { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
    { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
    { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
  ];
}

/** The node shows the conditions its kubelet reports: none was marked Unknown behind its back. */
export function reportsKubeletConditions(node: KubeObject): boolean {
  const conditions = (node.status as NodeStatus | undefined)?.conditions ?? [];
  return kubeletNodeConditions().every((c) => conditions.some((o) => o.type === c.type && o.status === c.status));
}
