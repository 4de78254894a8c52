// One scheduling cycle (pkg/scheduler/schedule_one.go schedulePod): run the PreFilter
// plugins, a rejection failing the pod on every node; find the nodes that pass every Filter
// plugin, walking from nextStartNodeIndex and stopping once enough are found
// (numFeasibleNodesToFind); score them when there is more than one; the best score wins, ties
// broken at random (selectHost), which here is the chooser's. When no node fits, the FitError
// says why; when a Score plugin fails, the cycle fails with its error (RunScorePlugins).
import type { Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import type { PMap } from '../pmap.ts';
import { podHostPorts } from '../semantics/node-ports.ts';
import { nodeResourcesFitPreFilter } from '../semantics/resource-fit.ts';
import type { SchedulerFeatures } from '../semantics/scheduler-framework.ts';
import { fitErrorMessage, NO_NODES_AVAILABLE, preFilterFitErrorMessage, type Rejection } from './fit-error.ts';
import type { FilterPlugin, NodeView, PodView, PreFilterPlugin, ScorePlugin } from './plugins.ts';

/** The plugins a scheduler runs: the default profile, or a planted defect's. */
export interface Profile {
  readonly preFilters: readonly PreFilterPlugin[];
  readonly filters: readonly FilterPlugin[];
  readonly scores: readonly ScorePlugin[];
}

export type CycleResult =
  | { readonly kind: 'feasible'; readonly best: readonly string[]; readonly score: number; readonly nextStartNodeIndex: number }
  | { readonly kind: 'unschedulable'; readonly message: string; readonly rejectedBy: readonly string[]; readonly nextStartNodeIndex: number }
  /** A plugin returned an Error status: the message the pod's PodScheduled condition gets (reason SchedulerError). */
  | { readonly kind: 'error'; readonly message: string; readonly nextStartNodeIndex: number };

const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/** numFeasibleNodesToFind with percentageOfNodesToScore unset (adaptive): every node below 100. */
export function numFeasibleNodesToFind(numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  const percentage = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND, 50 - Math.trunc(numAllNodes / 125));
  return Math.max(MIN_FEASIBLE_NODES_TO_FIND, Math.trunc((numAllNodes * percentage) / 100));
}

/** The pod as the filters see it, with what PreFilter computed (its request, its host ports). */
export function podView(pod: Pod, features: SchedulerFeatures): PodView {
  const spec = pod.spec as PodSpec;
  const pre = nodeResourcesFitPreFilter(spec, features);
  // The SidecarContainers gate is locked on since 1.33: PreFilter always succeeds.
  if (pre.status !== 'Success') throw new Error(`kubeprop: NodeResourcesFit PreFilter rejected ${pod.metadata?.name}: ${pre.reason}`);
  return { pod, request: pre.podRequest, ports: podHostPorts(spec) };
}

/** RunPreFilterPlugins: the first plugin that rejects the pod, or null when it may go on to the nodes. */
function preFilterRejection(profile: Profile, pod: Pod): Rejection | null {
  for (const plugin of profile.preFilters) {
    const result = plugin.preFilter(pod);
    if (!result.schedulable) return { plugin: plugin.name, code: result.status.code, reasons: result.status.reasons };
  }
  return null;
}

/** RunFilterPlugins: the first plugin that rejects the node, or null when the node passes them all. */
export function firstRejection(profile: Profile, pod: PodView, node: NodeView, features: SchedulerFeatures): Rejection | null {
  for (const plugin of profile.filters) {
    const result = plugin.filter(pod, node, features);
    if (!result.schedulable) return { plugin: plugin.name, code: result.status.code, reasons: result.status.reasons };
  }
  return null;
}

/**
 * RunScorePlugins: each node's sum of weight x normalised score, or the error of the first
 * plugin that failed, worded as the framework wraps it.
 */
function totalScores(profile: Profile, pod: PodView, nodes: readonly NodeView[], features: SchedulerFeatures): number[] | { readonly error: string } {
  const totals = nodes.map(() => 0);
  for (const plugin of profile.scores) {
    const scores = plugin.score(pod, nodes, features);
    if (scores !== undefined && 'code' in scores) return { error: `running Score plugins: plugin "${plugin.name}" failed with: ${scores.message}` };
    if (scores) scores.forEach((score, i) => (totals[i]! += plugin.weight * score));
  }
  return totals;
}

export function scheduleCycle(
  profile: Profile, pod: Pod, nodes: PMap<NodeView>, nodeOrder: readonly string[], nextStartNodeIndex: number, features: SchedulerFeatures,
): CycleResult {
  const all = nodeOrder.length;
  if (all === 0) return { kind: 'unschedulable', message: NO_NODES_AVAILABLE, rejectedBy: [], nextStartNodeIndex };
  const rejected = preFilterRejection(profile, pod);
  if (rejected) return { kind: 'unschedulable', message: preFilterFitErrorMessage(all, rejected), rejectedBy: [rejected.plugin], nextStartNodeIndex };
  const view = podView(pod, features);
  const wanted = numFeasibleNodesToFind(all);
  const feasible: NodeView[] = [];
  const rejections: Rejection[] = [];
  for (let i = 0; i < all && feasible.length < wanted; i++) {
    const node = nodes.get(nodeOrder[(nextStartNodeIndex + i) % all]!)!;
    const rejection = firstRejection(profile, view, node, features);
    if (rejection) rejections.push(rejection);
    else feasible.push(node);
  }
  const next = (nextStartNodeIndex + feasible.length + rejections.length) % all;
  if (feasible.length === 0) {
    const rejectedBy = [...new Set(rejections.map((r) => r.plugin))];
    return { kind: 'unschedulable', message: fitErrorMessage(rejections), rejectedBy, nextStartNodeIndex: next };
  }
  const names = feasible.map((n) => n.node.metadata?.name ?? '');
  // A single feasible node is taken without scoring.
  if (feasible.length === 1) return { kind: 'feasible', best: names, score: 0, nextStartNodeIndex: next };
  const totals = totalScores(profile, view, feasible, features);
  if (!Array.isArray(totals)) return { kind: 'error', message: totals.error, nextStartNodeIndex: next };
  const top = Math.max(...totals);
  return { kind: 'feasible', best: names.filter((_, i) => totals[i] === top), score: top, nextStartNodeIndex: next };
}
