// The scheduler framework's pieces the plugin models share: a Filter verdict (a nil or
// failed framework.Status), NodeScore with MaxNodeScore, and DefaultNormalizeScore.
// Follows kubernetes/kubernetes pkg/scheduler/framework (interface.go, types.go) and
// pkg/scheduler/framework/plugins/helper/normalize_score.go.
import type { Node } from 'kubernetes-types/core/v1.js';

/** framework.MaxNodeScore. */
export const MAX_NODE_SCORE = 100;

/**
 * framework.Code of a failed Filter: Unschedulable may be resolved by preempting pods on the
 * node; UnschedulableAndUnresolvable may not.
 */
export type FilterCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

/** A Filter plugin's verdict on one node; a failure carries its Status code and reasons. */
export type FilterResult =
  | { readonly schedulable: true }
  | { readonly schedulable: false; readonly status: { readonly code: FilterCode; readonly reasons: readonly string[] } };

export type NodeScore = { readonly node: string; readonly score: number };

/** Filter returned nil: the node passes. */
export const SCHEDULABLE: FilterResult = { schedulable: true };

/** framework.NewStatus(UnschedulableAndUnresolvable, reason). */
export function unschedulableAndUnresolvable(reason: string): FilterResult {
  return { schedulable: false, status: { code: 'UnschedulableAndUnresolvable', reasons: [reason] } };
}

/** A plugin's raw Score for each node, in the order given. */
export function scoreNodes(nodes: readonly Node[], score: (node: Node) => number): NodeScore[] {
  return nodes.map((node) => ({ node: node.metadata?.name ?? '', score: score(node) }));
}

/**
 * DefaultNormalizeScore: each score becomes maxPriority * score / max (integer division),
 * then maxPriority minus that when reversed. With every score 0 they stay 0, or all
 * become maxPriority when reversed.
 */
export function defaultNormalizeScore(
  maxPriority: number,
  reverse: boolean,
  scores: readonly NodeScore[],
): NodeScore[] {
  const max = Math.max(0, ...scores.map((s) => s.score));
  if (max === 0) return scores.map((s) => (reverse ? { ...s, score: maxPriority } : s));
  return scores.map((s) => {
    const scaled = Math.trunc((maxPriority * s.score) / max);
    return { ...s, score: reverse ? maxPriority - scaled : scaled };
  });
}
