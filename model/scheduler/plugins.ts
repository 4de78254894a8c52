// The default profile's plugins that matter for the pods kubeprop models, in the order the
// framework runs them (pkg/scheduler/apis/config/v1/default_plugins.go): a PreFilter plugin
// that rejects the pod rejects it on every node; Filter plugins stop at the first that rejects
// a node; Score plugins add weight x normalised score. Of the volume plugins, VolumeRestrictions'
// PreFilter is the first to look a pod's PersistentVolumeClaims up, and no claim exists here;
// the rest pass every node: no modelled pod has a claim that exists, a volume another pod's
// could conflict with, spread constraints or pod affinity (and a pod that no Service or
// ReplicaSet selects gets no default spreading). ImageLocality scores 0 on every node, as Node
// objects here list no images.
import type { Node, Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { nodeAffinityFilter, nodeAffinityScore } from '../semantics/node-affinity.ts';
import { nodePortsFilter, type HostPort } from '../semantics/node-ports.ts';
import {
  nodeResourcesBalancedAllocationScoreOf, nodeResourcesFitFilter, nodeResourcesFitScoreOf, scoringPodRequests, type Amounts, type NodeInfo,
  type ScoringStrategy,
} from '../semantics/resource-fit.ts';
import {
  SCHEDULABLE, unschedulableAndUnresolvable, type FilterResult, type NodeScore, type ScoreError, type SchedulerFeatures,
} from '../semantics/scheduler-framework.ts';
import { taintTolerationFilter, taintTolerationScore, tolerationsTolerateTaint } from '../semantics/taints.ts';
import { claimNames } from '../volume-sources.ts';

/** What a filter knows of a node: the Node, its NodeInfo (assumed pods counted) and the host ports in use. */
export interface NodeView {
  readonly node: Node;
  readonly info: NodeInfo;
  readonly ports: readonly HostPort[];
}

/** What a filter knows of the pod: the pod, and what its PreFilters computed. */
export interface PodView {
  readonly pod: Pod;
  readonly request: Amounts;
  readonly ports: readonly HostPort[];
}

/** A PreFilter plugin's verdict on the pod, before any node is looked at. */
export interface PreFilterPlugin {
  readonly name: string;
  readonly preFilter: (pod: Pod) => FilterResult;
}

export interface FilterPlugin {
  readonly name: string;
  readonly filter: (pod: PodView, node: NodeView, features: SchedulerFeatures) => FilterResult;
}

export interface ScorePlugin {
  readonly name: string;
  readonly weight: number;
  /** Normalised scores (0..100) of the nodes, in their order; undefined when the plugin skips the pod; an Error status fails the cycle. */
  readonly score: (pod: PodView, nodes: readonly NodeView[], features: SchedulerFeatures) => readonly number[] | undefined | ScoreError;
}

export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

/** NodeUnschedulable: a cordoned node takes only pods that tolerate node.kubernetes.io/unschedulable:NoSchedule. */
function nodeUnschedulableFilter(pod: PodView, node: NodeView, features: SchedulerFeatures): FilterResult {
  if (!node.node.spec?.unschedulable) return SCHEDULABLE;
  const taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };
  const tolerates = tolerationsTolerateTaint(pod.pod.spec?.tolerations ?? [], taint, features.taintTolerationComparisonOperators);
  return tolerates ? SCHEDULABLE : unschedulableAndUnresolvable(ERR_REASON_UNSCHEDULABLE);
}

/** NodeName: a pod that names a node fits only there. */
function nodeNameFilter(pod: PodView, node: NodeView): FilterResult {
  const wanted = pod.pod.spec?.nodeName;
  return !wanted || wanted === node.node.metadata?.name ? SCHEDULABLE : unschedulableAndUnresolvable(ERR_REASON_NODE_NAME);
}

/**
 * VolumeRestrictions PreFilter (plugins/volumerestrictions/volume_restrictions.go
 * readWriteOncePodPVCsForPod): it reads each claim the pod's volumes name from the PVC lister,
 * in order, and the first that is not there rejects the pod, unresolvably, with the lister's
 * NotFound error. Every claim is missing here (claimNames).
 */
function volumeRestrictionsPreFilter(pod: Pod): FilterResult {
  const [claim] = claimNames(pod.spec as PodSpec);
  return claim === undefined ? SCHEDULABLE : unschedulableAndUnresolvable(`persistentvolumeclaim "${claim}" not found`);
}

/** The PreFilter plugins that can reject a modelled pod (NodeResourcesFit's cannot: the SidecarContainers gate is locked on). */
export const PRE_FILTER_PLUGINS: readonly PreFilterPlugin[] = [{ name: 'VolumeRestrictions', preFilter: volumeRestrictionsPreFilter }];

function nodeResourcesFit(pod: PodView, node: NodeView, features: SchedulerFeatures): FilterResult {
  const fit = nodeResourcesFitFilter(pod.request, node.info, {}, features);
  return fit.fits ? SCHEDULABLE : { schedulable: false, status: { code: fit.code, reasons: fit.reasons } };
}

export const FILTER_PLUGINS: readonly FilterPlugin[] = [
  { name: 'NodeUnschedulable', filter: nodeUnschedulableFilter },
  { name: 'NodeName', filter: nodeNameFilter },
  { name: 'TaintToleration', filter: (pod, node, features) => taintTolerationFilter(pod.pod, node.node, features.taintTolerationComparisonOperators) },
  { name: 'NodeAffinity', filter: (pod, node) => nodeAffinityFilter(pod.pod, node.node) },
  { name: 'NodePorts', filter: (pod, node) => (pod.ports.length === 0 ? SCHEDULABLE : nodePortsFilter(pod.ports, node.ports)) },
  { name: 'NodeResourcesFit', filter: nodeResourcesFit },
];

/** NodeResourcesFitArgs' default scoring: LeastAllocated over cpu and memory, weight 1 each. */
const LEAST_ALLOCATED: ScoringStrategy = { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] };

const scores = (list: readonly NodeScore[] | undefined) => list?.map((s) => s.score);

/** NodeResourcesFit's Score with a scoring strategy (its args): each node's score, or the first node's Error status. */
export function nodeResourcesFitScorePlugin(strategy: ScoringStrategy): ScorePlugin {
  return {
    name: 'NodeResourcesFit', weight: 1,
    score: (pod, nodes, features) => {
      const requests = scoringPodRequests(pod.pod.spec as PodSpec, strategy.resources, false, features);
      const results = nodes.map((n) => nodeResourcesFitScoreOf(requests, n.info, strategy, features));
      const error = results.find((r) => typeof r !== 'number');
      return error ?? (results as number[]);
    },
  };
}

export const SCORE_PLUGINS: readonly ScorePlugin[] = [
  {
    name: 'TaintToleration', weight: 3,
    score: (pod, nodes, features) => scores(taintTolerationScore(pod.pod, nodes.map((n) => n.node), features.taintTolerationComparisonOperators)),
  },
  { name: 'NodeAffinity', weight: 2, score: (pod, nodes) => scores(nodeAffinityScore(pod.pod, nodes.map((n) => n.node))) },
  nodeResourcesFitScorePlugin(LEAST_ALLOCATED),
  {
    name: 'NodeResourcesBalancedAllocation', weight: 1,
    score: (pod, nodes, features) => {
      const requests = scoringPodRequests(pod.pod.spec as PodSpec, LEAST_ALLOCATED.resources, true, features);
      return nodes.map((n) => nodeResourcesBalancedAllocationScoreOf(requests, n.info, LEAST_ALLOCATED.resources, features));
    },
  },
];
