// The kubelet's admission of a pod bound to its node (pkg/kubelet/lifecycle/predicate.go
// PredicateAdmitHandler): first the checks preemption cannot help, the pod's OS against the
// kubelet's own (its `kubernetes.io/os` label, then spec.os); then generalFilter, which runs the
// scheduler's AdmissionCheck: the pod's requests must fit in what the node's admitted,
// still-running pods leave of its allocatable (the pod count within allocatable pods), and its
// host ports must be free. A rejected pod is failed with the first reason: OutOf<resource>, or
// NodePorts. (The node-affinity and NoExecute checks read the kubelet's Node informer, which is
// not modelled: the kubelet knows its Node only as it registered it, and a user may relabel or
// taint it since.)
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import { LABEL_OS } from '../node-object.ts';
import type { KubeObject } from '../resources.ts';
import { ERR_REASON_PORTS, fitsPorts, podHostPorts, type HostPort } from '../semantics/node-ports.ts';
import { fitsRequest, newNodeInfo, nodeResourcesFitPreFilter, type NodeInfo, type ResourceList } from '../semantics/resource-fit.ts';

export type Admission = { readonly admitted: true } | { readonly admitted: false; readonly reason: string; readonly message: string };

/** A rejection, worded as the kubelet's rejectPod words every one: "Pod was rejected: " and the handler's message. */
function rejected(reason: string, message: string): Admission {
  return { admitted: false, reason, message: `Pod was rejected: ${message}` };
}

/** The node as admission sees it: its allocatable, and the pods already admitted and still running. */
export function admittedNodeInfo(allocatable: ResourceList, admitted: readonly PodSpec[]): NodeInfo {
  return newNodeInfo(allocatable, admitted);
}

/**
 * The OS checks, against `os`, the kubelet's runtime.GOOS: a pod labelled `kubernetes.io/os`
 * (its labels, not its nodeSelector: rejectPodAdmissionBasedOnOSSelector compares the pod's own
 * label with the node's, which the kubelet takes to be its GOOS), then spec.os.name
 * (rejectPodAdmissionBasedOnOSField).
 */
export function admitOS(pod: KubeObject, os: string): Admission {
  const label = pod.metadata.labels?.[LABEL_OS];
  if (label !== undefined && label !== os) {
    return rejected('PodOSSelectorNodeLabelDoesNotMatch', "Failed to admit pod as the `kubernetes.io/os` label doesn't match node label");
  }
  const name = (pod.spec as PodSpec).os?.name;
  if (name !== undefined && name !== os) return rejected('PodOSNotSupported', "Failed to admit pod as the OS field doesn't match node OS");
  return { admitted: true };
}

/** Admits `spec` onto a node whose allocatable and admitted pods `node` describes, with `portsInUse` taken. */
export function admit(spec: PodSpec, node: NodeInfo, portsInUse: readonly HostPort[] = []): Admission {
  const pre = nodeResourcesFitPreFilter(spec);
  if (pre.status !== 'Success') return rejected('UnexpectedAdmissionError', pre.reason);
  const [short] = fitsRequest(pre.podRequest, node);
  if (short !== undefined) {
    return rejected(`OutOf${short.resource}`, `Node didn't have enough resource: ${short.resource}, requested: ${short.requested}, used: ${short.used}, capacity: ${short.capacity}`);
  }
  if (!fitsPorts(podHostPorts(spec), portsInUse)) {
    return rejected('NodePorts', `Predicate NodePorts failed: ${ERR_REASON_PORTS}`);
  }
  return { admitted: true };
}
