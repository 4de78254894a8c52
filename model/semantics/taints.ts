// Taints and tolerations as the scheduler and the taint-eviction controller read them.
// Follows kubernetes/kubernetes staging/src/k8s.io/api/core/v1/toleration.go
// (Toleration.ToleratesTaint, compareNumericValues; Lt and Gt need the gate
// TaintTolerationComparisonOperators, alpha in 1.35: a parameter, defaulting to the model's release), component-helpers
// scheduling/corev1/helpers.go (TolerationsTolerateTaint, FindMatchingUntoleratedTaint),
// the TaintToleration plugin pkg/scheduler/framework/plugins/tainttoleration/
// taint_toleration.go at 0f7becbc (Filter, PreScore, Score, NormalizeScore) and
// pkg/controller/tainteviction getMinTolerationTime.
import type { Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { DEFAULT_FEATURE_GATES } from '../feature-gates.ts';
import { parseInt64 } from '../go-strconv.ts';
import {
  MAX_NODE_SCORE,
  SCHEDULABLE,
  defaultNormalizeScore,
  scoreNodes,
  unschedulableAndUnresolvable,
  type FilterResult,
  type NodeScore,
} from './scheduler-framework.ts';

// --- Matching one toleration against one taint --------------------------------

/**
 * Toleration.ToleratesTaint: an empty effect or key matches every effect or key; then
 * '' and Equal compare values exactly, Exists ignores them, Lt and Gt compare numbers.
 */
export function toleratesTaint(toleration: Toleration, taint: Taint, comparisonOperatorsEnabled = DEFAULT_FEATURE_GATES.TaintTolerationComparisonOperators): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  const operator = toleration.operator ?? '';
  switch (operator) {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    case 'Lt':
    case 'Gt':
      return comparisonOperatorsEnabled && compareNumericValues(toleration.value ?? '', taint.value ?? '', operator);
    default:
      return false;
  }
}

/**
 * compareNumericValues: both values must be canonical int64 decimals. Lt holds when the
 * taint's value is below the toleration's, Gt when above; any other operator is false.
 */
export function compareNumericValues(tolerationValue: string, taintValue: string, operator: string): boolean {
  const toleration = canonicalInt64(tolerationValue);
  const taint = canonicalInt64(taintValue);
  if (toleration === undefined || taint === undefined) return false;
  switch (operator) {
    case 'Lt':
      return taint < toleration;
    case 'Gt':
      return taint > toleration;
    default:
      return false;
  }
}

/** content.IsDecimalInteger ("0", or digits from 1-9 after an optional '-'), then ParseInt. */
function canonicalInt64(value: string): bigint | undefined {
  return /^(0|-?[1-9][0-9]*)$/.test(value) ? parseInt64(value) : undefined;
}

// --- Lists of tolerations and taints --------------------------------------------

/** TolerationsTolerateTaint: some toleration in the list tolerates the taint. */
export function tolerationsTolerateTaint(
  tolerations: readonly Toleration[],
  taint: Taint,
  comparisonOperatorsEnabled = DEFAULT_FEATURE_GATES.TaintTolerationComparisonOperators,
): boolean {
  return tolerations.some((toleration) => toleratesTaint(toleration, taint, comparisonOperatorsEnabled));
}

/**
 * FindMatchingUntoleratedTaint: the first taint the filter includes (without a filter,
 * every taint) that no toleration tolerates; undefined when all are tolerated.
 */
export function findMatchingUntoleratedTaint(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  inclusionFilter?: (taint: Taint) => boolean,
  comparisonOperatorsEnabled = DEFAULT_FEATURE_GATES.TaintTolerationComparisonOperators,
): Taint | undefined {
  return taints.find(
    (taint) =>
      (inclusionFilter?.(taint) ?? true) && !tolerationsTolerateTaint(tolerations, taint, comparisonOperatorsEnabled),
  );
}

// --- The TaintToleration scheduler plugin ----------------------------------------

/** helper.DoNotScheduleTaintsFilterFunc: the effects that keep a pod off a node. */
function doNotScheduleTaint(taint: Taint): boolean {
  return taint.effect === 'NoSchedule' || taint.effect === 'NoExecute';
}

/**
 * TaintToleration.Filter: the pod must tolerate every NoSchedule and NoExecute taint of
 * the node; PreferNoSchedule never blocks. The reason names the first untolerated taint.
 */
export function taintTolerationFilter(pod: Pod, node: Node, comparisonOperatorsEnabled = DEFAULT_FEATURE_GATES.TaintTolerationComparisonOperators): FilterResult {
  const taint = findMatchingUntoleratedTaint(
    node.spec?.taints ?? [],
    pod.spec?.tolerations ?? [],
    doNotScheduleTaint,
    comparisonOperatorsEnabled,
  );
  if (taint === undefined) return SCHEDULABLE;
  return unschedulableAndUnresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
}

/**
 * TaintToleration PreScore, Score and NormalizeScore over the nodes: a node's raw score
 * counts its PreferNoSchedule taints the pod does not tolerate, normalised in reverse.
 */
export function taintTolerationScore(pod: Pod, nodes: readonly Node[], comparisonOperatorsEnabled = DEFAULT_FEATURE_GATES.TaintTolerationComparisonOperators): NodeScore[] {
  const tolerations = tolerationsPreferNoSchedule(pod.spec?.tolerations ?? []);
  const raw = scoreNodes(nodes, (node) =>
    countIntolerableTaintsPreferNoSchedule(node.spec?.taints ?? [], tolerations, comparisonOperatorsEnabled),
  );
  return defaultNormalizeScore(MAX_NODE_SCORE, true, raw);
}

/** getAllTolerationPreferNoSchedule: effect PreferNoSchedule, or empty (every effect). */
function tolerationsPreferNoSchedule(tolerations: readonly Toleration[]): Toleration[] {
  return tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
}

function countIntolerableTaintsPreferNoSchedule(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  comparisonOperatorsEnabled: boolean,
): number {
  return taints.filter(
    (taint) =>
      taint.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tolerations, taint, comparisonOperatorsEnabled),
  ).length;
}

// --- NoExecute eviction ------------------------------------------------------------

/**
 * getMinTolerationTime, in seconds, over the tolerations used for a node's NoExecute
 * taints: 0 (evict now) for none or any tolerationSeconds <= 0, -1 (never) when none sets
 * tolerationSeconds, else the least tolerationSeconds.
 */
export function getMinTolerationTime(tolerations: readonly Toleration[]): number {
  if (tolerations.length === 0) return 0;
  const seconds = tolerations.flatMap((t) => (t.tolerationSeconds === undefined ? [] : [t.tolerationSeconds]));
  if (seconds.length === 0) return -1;
  return Math.max(0, Math.min(...seconds));
}
