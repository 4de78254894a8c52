// Why a pod fits no node, as the scheduler writes it into the PodScheduled condition and
// `kubectl describe` shows it. Follows kubernetes/kubernetes pkg/scheduler/framework/types.go
// FitError.Error() and the DefaultPreemption PostFilter's message (defaultpreemption,
// preemption.go Evaluator.Preempt): "0/N nodes are available: <histogram>. preemption:
// 0/N nodes are available: <histogram>." Each histogram entry is "<count> <reason>", the
// entries sorted as whole strings and joined with ", ". A pod a PreFilter plugin rejected has
// that plugin's message in place of the histogram, and every node counts as rejected with its
// code.
import type { FilterCode } from '../semantics/scheduler-framework.ts';

/** A node's rejection: the first Filter plugin that rejected it, with its code and reasons. */
export interface Rejection {
  readonly plugin: string;
  readonly code: FilterCode;
  readonly reasons: readonly string[];
}

export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';
export const NO_VICTIMS = 'No preemption victims found for incoming pod';
export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';

/** "0/N nodes are available: <sorted histogram>." */
function nodesAvailable(numAllNodes: number, reasonsPerNode: readonly (readonly string[])[]): string {
  const counts = new Map<string, number>();
  for (const reasons of reasonsPerNode) for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  const entries = [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
  return `0/${numAllNodes} nodes are available:${entries.length > 0 ? ` ${entries.join(', ')}.` : ''}`;
}

/**
 * The message for a pod every node rejected. Preemption finds no victims where a node's
 * rejection might be resolved by evicting lower-priority pods, because every pod here has
 * priority 0 (no PriorityClasses are modelled), and is not helpful where it could not be.
 */
export function fitErrorMessage(rejections: readonly Rejection[]): string {
  const n = rejections.length;
  const filters = nodesAvailable(n, rejections.map((r) => r.reasons));
  const preemption = nodesAvailable(n, rejections.map((r) => [r.code === 'Unschedulable' ? NO_VICTIMS : PREEMPTION_NOT_HELPFUL]));
  return `${filters} preemption: ${preemption}`;
}

/**
 * The message for a pod a PreFilter plugin rejected: its message, then preemption's verdict with
 * every node given the plugin's status (Diagnosis.NodeToStatus.SetAbsentNodesStatus).
 */
export function preFilterFitErrorMessage(numAllNodes: number, rejection: Rejection): string {
  const preemption = nodesAvailable(numAllNodes, Array.from({ length: numAllNodes }, () => [rejection.code === 'Unschedulable' ? NO_VICTIMS : PREEMPTION_NOT_HELPFUL]));
  return `0/${numAllNodes} nodes are available: ${rejection.reasons.join(', ')}. preemption: ${preemption}`;
}
