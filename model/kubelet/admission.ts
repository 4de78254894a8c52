// The kubelet's admission of a pod bound to its node (pkg/kubelet/lifecycle/predicate.go
// PredicateAdmitHandler, whose generalFilter runs the scheduler's own NodeResourcesFit
// check): the pod's requests must fit in what the node's admitted, still-running pods leave
// of its allocatable, and the pod count must stay within allocatable pods. A rejected pod
// is failed with reason OutOf<resource>, for the first resource that does not fit.
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import { fitsRequest, newNodeInfo, nodeResourcesFitPreFilter, type NodeInfo, type ResourceList } from '../semantics/resource-fit.ts';

export type Admission = { readonly admitted: true } | { readonly admitted: false; readonly reason: string; readonly message: string };

/** The node as admission sees it: its allocatable, and the pods already admitted and still running. */
export function admittedNodeInfo(allocatable: ResourceList, admitted: readonly PodSpec[]): NodeInfo {
  return newNodeInfo(allocatable, admitted);
}

/** Admits `spec` onto a node whose allocatable and admitted pods `node` describes. */
export function admit(spec: PodSpec, node: NodeInfo): Admission {
  const pre = nodeResourcesFitPreFilter(spec);
  if (pre.status !== 'Success') return { admitted: false, reason: 'UnexpectedAdmissionError', message: `Pod was rejected: ${pre.reason}` };
  const [short] = fitsRequest(pre.podRequest, node);
  if (short === undefined) return { admitted: true };
  return {
    admitted: false,
    reason: `OutOf${short.resource}`,
    message: `Pod was rejected: Node didn't have enough resource: ${short.resource}, requested: ${short.requested}, used: ${short.used}, capacity: ${short.capacity}`,
  };
}
