// The scheduler framework's pieces the plugin models share: the features the plugins are built
// with, a Filter verdict (a nil or failed framework.Status), a Score plugin's Error status,
// NodeScore with MaxNodeScore, and DefaultNormalizeScore. Follows kubernetes/kubernetes
// pkg/scheduler/framework (interface.go, types.go), pkg/scheduler/framework/plugins/feature
// (feature.Features, filled from the gates in plugins/registry.go) and
// pkg/scheduler/framework/plugins/helper/normalize_score.go.
import type { Node } from 'kubernetes-types/core/v1.js';
import { DEFAULT_FEATURE_GATES, type FeatureGates } from '../feature-gates.ts';

/** The gates the modelled plugins read (feature.Features), with the DRA manager's DeviceClass mapping. */
export type SchedulerFeatures = {
  /** PodLevelResources (beta, on by default since 1.34): spec.resources.requests override the containers. */
  readonly podLevelResources: boolean;
  /** SidecarContainers (GA, locked on since 1.33): off, PreFilter rejects restartable init containers. */
  readonly sidecarContainers: boolean;
  /**
   * DRAExtendedResource (alpha, off by default): null when off, else the extended resource names
   * some DeviceClass maps (the DeviceClassResolver); those are left to the DRA plugin.
   */
  readonly draExtendedResources: ReadonlySet<string> | null;
  /** TaintTolerationComparisonOperators (alpha from 1.35): tolerations with operators Lt and Gt. */
  readonly taintTolerationComparisonOperators: boolean;
};

/** The plugins' features under `gates`; `deviceClassResources` are what DeviceClasses map (none modelled). */
export function schedulerFeatures(gates: FeatureGates, deviceClassResources: ReadonlySet<string> = new Set()): SchedulerFeatures {
  return {
    podLevelResources: gates.PodLevelResources,
    sidecarContainers: gates.SidecarContainers,
    draExtendedResources: gates.DRAExtendedResource ? deviceClassResources : null,
    taintTolerationComparisonOperators: gates.TaintTolerationComparisonOperators,
  };
}

/** The features of the model's release. */
export const DEFAULT_FEATURES: SchedulerFeatures = schedulerFeatures(DEFAULT_FEATURE_GATES);

/** A plugin's *Status of code Error (framework.NewStatus(framework.Error, message)): the cycle fails. */
export interface ScoreError {
  readonly code: 'Error';
  readonly message: string;
}

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
