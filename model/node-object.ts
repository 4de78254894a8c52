// A Node as the API server holds it once it has registered: the kubelet's registration
// (pkg/kubelet/kubelet_node_status.go initialNode: the hostname label, --register-with-taints,
// capacity and allocatable, Ready), or a node that exists only as an API object, as
// scheduler_perf's fake nodes do.
import type { NodeCondition, NodeStatus, Taint } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from './resources.ts';

export interface NodeShape {
  readonly name: string;
  /** cpu, memory and pods, as a ResourceList spells them: "4", "8Gi", 110. */
  readonly allocatable: { readonly cpu: string; readonly memory: string; readonly pods: number };
  readonly labels?: Readonly<Record<string, string>>;
  /** Taints the node registers with (--register-with-taints). */
  readonly taints?: readonly Taint[];
  /** Registered cordoned (--register-schedulable=false). */
  readonly unschedulable?: boolean;
}

export function nodeObject(node: NodeShape): KubeObject {
  const resources = { cpu: node.allocatable.cpu, memory: node.allocatable.memory, pods: String(node.allocatable.pods) };
  const spec = {
    ...(node.taints && node.taints.length > 0 ? { taints: node.taints } : {}),
    ...(node.unschedulable ? { unschedulable: true } : {}),
  };
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name: node.name, labels: { 'kubernetes.io/hostname': node.name, ...node.labels } },
    spec,
    status: {
      capacity: resources, allocatable: resources,
      conditions: kubeletNodeConditions(),
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
