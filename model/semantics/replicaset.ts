// Which pods a ReplicaSet deletes when it scales down, and the status it writes. Follows
// kubernetes/kubernetes pkg/controller/replicaset/replica_set.go at 003e8629 (getPodsToDelete,
// getPodsRankedByRelatedPodsOnSameNode), pkg/controller/controller_utils.go (IsPodActive,
// ActivePods.Less, ActivePodsWithRanks.Less, afterOrZero, logarithmicRankDiff, podReadyTime,
// maxContainerRestarts), pkg/apis/core/v1/helper GetDeletionCostFromPodAnnotations,
// pkg/api/v1/pod/util.go (IsPodReady, IsPodAvailable) and replica_set_utils.go (calculateStatus,
// the ReplicaFailure condition helpers, updateReplicaSetStatus's steady-state test), current master.
// The gates are a parameter, defaulting to the model's release (v1.35: PodDeletionCost,
// LogarithmicScaleDown and DeploymentReplicaSetTerminatingReplicas on, so status.terminatingReplicas
// counts the terminating pods). Times are logical milliseconds (model/clock.ts); timestamps are read as RFC 3339
// text, and an absent one is Go's zero time.
import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { parseTimestamp, timestamp } from '../clock.ts';
import { deepEqual } from '../equal.ts';
import { DEFAULT_FEATURE_GATES, type FeatureGates } from '../feature-gates.ts';
import { parseInt64 } from '../go-strconv.ts';
import { selectorMatches } from '../labels.ts';

/** The annotation a user sets to steer scale-down (v1.PodDeletionCost). */
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

/** The condition type calculateStatus adds on a failed create or delete (apps.ReplicaSetReplicaFailure). */
export const REPLICA_FAILURE = 'ReplicaFailure';

// --- metav1.Time ----------------------------------------------------------------

/** An instant in logical milliseconds, or null for Go's zero time. */
type Instant = number | null;

/** A metav1.Time field: absent is the zero time (metav1.Time marshals the zero time as null). */
function instant(text: string | undefined): Instant {
  return text === undefined ? null : parseTimestamp(text);
}

/** afterOrZero: t1 is after t2, where a zero time counts as after any other. */
function afterOrZero(t1: Instant, t2: Instant): boolean {
  if (t1 === null || t2 === null) return t1 === null;
  return t1 > t2;
}

/** math.Frexp for a positive finite x: [frac, exp] with x = frac * 2^exp and frac in [0.5, 1). */
function frexp(x: number): [number, number] {
  let exp = Math.floor(Math.log2(x)) + 1;
  if (2 ** (exp - 1) > x) exp--;
  else if (2 ** exp <= x) exp++;
  return [x / 2 ** exp, exp];
}

/** Go's math.Log2, so an age just under a power of two falls in the bucket Go puts it in. */
function goLog2(x: number): number {
  const [frac, exp] = frexp(x);
  return frac === 0.5 ? exp - 1 : Math.log(frac) * Math.LOG2E + exp;
}

/** The log2 bucket of the age of `t` at `nowMs`: int64(math.Log2(float64(now.Sub(t)))) in nanoseconds, -1 if not positive. */
function logarithmicRank(t: number, nowMs: number): number {
  const ageNs = (nowMs - t) * 1e6;
  return ageNs > 0 ? Math.trunc(goLog2(ageNs)) : -1;
}

// --- Pod predicates -------------------------------------------------------------

function isPodTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** IsPodActive: not Succeeded, not Failed, and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  return !isPodTerminal(pod) && pod.metadata?.deletionTimestamp === undefined;
}

/** IsPodTerminating (FilterTerminatingPods): being deleted, and not yet Succeeded or Failed. */
export function isPodTerminating(pod: Pod): boolean {
  return !isPodTerminal(pod) && pod.metadata?.deletionTimestamp !== undefined;
}

/** GetPodReadyCondition: the first condition of type Ready. */
function readyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return readyCondition(pod)?.status === 'True';
}

/**
 * podutil.IsPodAvailable: ready, and either minReadySeconds is 0 or the Ready condition's
 * lastTransitionTime is set and lies more than minReadySeconds before now (strictly).
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  const since = instant(readyCondition(pod)?.lastTransitionTime);
  return minReadySeconds === 0 || (since !== null && since + minReadySeconds * 1000 < nowMs);
}

/** podReadyTime: the lastTransitionTime of the first Ready=True condition of a ready pod, else the zero time. */
function podReadyTime(pod: Pod): Instant {
  if (!isPodReady(pod)) return null;
  return instant(pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime);
}

/** maxContainerRestarts: the highest restartCount of the regular containers (init containers are not read). */
function maxContainerRestarts(pod: Pod): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((s) => s.restartCount));
}

const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;

/**
 * GetDeletionCostFromPodAnnotations, its error ignored as Less does: the annotation as an int32,
 * and 0 when it is missing, starts with '+' or a leading zero, or does not parse.
 */
function podDeletionCost(pod: Pod): number {
  const annotations = pod.metadata?.annotations ?? {};
  if (!Object.hasOwn(annotations, POD_DELETION_COST_ANNOTATION)) return 0;
  const value = annotations[POD_DELETION_COST_ANNOTATION] ?? '';
  const validFirstDigit = value.startsWith('-') || value === '0' || /^[1-9]/.test(value);
  const cost = validFirstDigit ? parseInt64(value) : undefined;
  return cost === undefined || cost < INT32_MIN || cost > INT32_MAX ? 0 : Number(cost);
}

// --- The deletion order ----------------------------------------------------------
// Each rule answers whether pod i goes before pod j, or undefined when it cannot tell them apart.

/** Rule 1: if exactly one pod is unassigned (no nodeName), it goes first. */
function unassignedFirst(i: Pod, j: Pod): boolean | undefined {
  const nodeI = i.spec?.nodeName ?? '';
  const nodeJ = j.spec?.nodeName ?? '';
  return nodeI !== nodeJ && (nodeI === '' || nodeJ === '') ? nodeI === '' : undefined;
}

/** podPhaseToOrdinal: Pending 0, Unknown 1, Running 2; any other phase reads as 0 (a Go map's zero value). */
function phaseOrdinal(pod: Pod): number {
  switch (pod.status?.phase) {
    case 'Unknown': return 1;
    case 'Running': return 2;
    default: return 0;
  }
}

/** Rule 2: the earlier phase first. */
function earlierPhaseFirst(i: Pod, j: Pod): boolean | undefined {
  return phaseOrdinal(i) !== phaseOrdinal(j) ? phaseOrdinal(i) < phaseOrdinal(j) : undefined;
}

/** Rule 3: if exactly one pod is ready, the other goes first. */
function notReadyFirst(i: Pod, j: Pod): boolean | undefined {
  return isPodReady(i) !== isPodReady(j) ? !isPodReady(i) : undefined;
}

/** Rule 4 (PodDeletionCost): the lower deletion cost first. */
function lowerDeletionCostFirst(i: Pod, j: Pod): boolean | undefined {
  return podDeletionCost(i) !== podDeletionCost(j) ? podDeletionCost(i) < podDeletionCost(j) : undefined;
}

/** Rule 5: the pod with more related active pods on its node first. */
function higherRankFirst(i: RankedPod, j: RankedPod): boolean | undefined {
  return i.rank !== j.rank ? i.rank > j.rank : undefined;
}

/** ActivePods' rules 4 and 6: of two different times, the later, or the zero one, first. */
function laterOrZeroFirst(ti: Instant, tj: Instant): boolean | undefined {
  return ti !== tj ? afterOrZero(ti, tj) : undefined;
}

/**
 * LogarithmicScaleDown: of two different times, a zero one first; otherwise the one in the
 * smaller log2 bucket of age first, and within a bucket the lower UID (equal UIDs: neither).
 */
function logarithmicallyNewerFirst(i: Pod, ti: Instant, j: Pod, tj: Instant, nowMs: number): boolean | undefined {
  if (ti === tj) return undefined;
  if (ti === null || tj === null) return afterOrZero(ti, tj);
  const rankDiff = logarithmicRank(ti, nowMs) - logarithmicRank(tj, nowMs);
  return rankDiff === 0 ? (i.metadata?.uid ?? '') < (j.metadata?.uid ?? '') : rankDiff < 0;
}

/** Of two different times: by log2 bucket with LogarithmicScaleDown, else the later (or zero) first. */
function newerFirst(i: Pod, ti: Instant, j: Pod, tj: Instant, nowMs: number, gates: FeatureGates): boolean | undefined {
  return gates.LogarithmicScaleDown ? logarithmicallyNewerFirst(i, ti, j, tj, nowMs) : laterOrZeroFirst(ti, tj);
}

/** Both pods ready: their ready times decide, by `rule`. */
function bothReady(i: Pod, j: Pod, rule: (ti: Instant, tj: Instant) => boolean | undefined): boolean | undefined {
  return isPodReady(i) && isPodReady(j) ? rule(podReadyTime(i), podReadyTime(j)) : undefined;
}

/** Rule 7: the pod whose most restarted container restarted more first. */
function moreRestartsFirst(i: Pod, j: Pod): boolean | undefined {
  return maxContainerRestarts(i) !== maxContainerRestarts(j) ? maxContainerRestarts(i) > maxContainerRestarts(j) : undefined;
}

function creationTime(pod: Pod): Instant {
  return instant(pod.metadata?.creationTimestamp);
}

/**
 * ActivePods.Less: pod i is deleted before pod j. Unassigned first, then Pending < Unknown <
 * Running, not ready first, then (both ready) the later or zero ready time, more restarts, and
 * the later or zero creationTimestamp. No deletion cost, ranks or log2 buckets.
 */
export function activePodsLess(i: Pod, j: Pod): boolean {
  return (
    unassignedFirst(i, j) ??
    earlierPhaseFirst(i, j) ??
    notReadyFirst(i, j) ??
    bothReady(i, j, laterOrZeroFirst) ??
    moreRestartsFirst(i, j) ??
    laterOrZeroFirst(creationTime(i), creationTime(j)) ??
    false
  );
}

/** A pod with its rank: the number of active related pods on its node. */
export interface RankedPod {
  readonly pod: Pod;
  readonly rank: number;
}

/**
 * ActivePodsWithRanks.Less with its Now at `nowMs`: pod i is deleted before pod j. The first
 * rule that tells them apart decides: unassigned first; Pending < Unknown < Running; not ready
 * first; lower pod-deletion-cost first (PodDeletionCost); higher rank first; both ready, the more
 * recent ready time (by log2 bucket with LogarithmicScaleDown: zero first, UID within a bucket);
 * more restarts first; the more recent creationTimestamp, likewise. Otherwise false.
 */
export function activePodsWithRanksLess(a: RankedPod, b: RankedPod, nowMs: number, gates: FeatureGates = DEFAULT_FEATURE_GATES): boolean {
  const [i, j] = [a.pod, b.pod];
  return (
    unassignedFirst(i, j) ??
    earlierPhaseFirst(i, j) ??
    notReadyFirst(i, j) ??
    (gates.PodDeletionCost ? lowerDeletionCostFirst(i, j) : undefined) ??
    higherRankFirst(a, b) ??
    bothReady(i, j, (ti, tj) => newerFirst(i, ti, j, tj, nowMs, gates)) ??
    moreRestartsFirst(i, j) ??
    newerFirst(i, creationTime(i), j, creationTime(j), nowMs, gates) ??
    false
  );
}

/**
 * sort.Sort as Go runs it on at most 12 elements: pdqsort's insertion sort, stable. Longer
 * inputs are sorted the same way here, while Go's pdqsort may order their ties differently.
 */
function goSort<T>(items: readonly T[], less: (a: T, b: T) => boolean): T[] {
  const out = [...items];
  for (let i = 1; i < out.length; i++) {
    for (let j = i; j > 0 && less(out[j] as T, out[j - 1] as T); j--) {
      [out[j - 1], out[j]] = [out[j] as T, out[j - 1] as T];
    }
  }
  return out;
}

/** sort.Sort(controller.ActivePods(pods)): the pods to delete first come first. */
export function sortActivePods(pods: readonly Pod[]): Pod[] {
  return goSort(pods, activePodsLess);
}

// --- Scale-down -------------------------------------------------------------------

/**
 * getPodsRankedByRelatedPodsOnSameNode: each pod's rank is the number of active pods in
 * `relatedPods` (the pods of every ReplicaSet with the same controller) on the same node name,
 * unassigned pods sharing the node name ''.
 */
export function getPodsRankedByRelatedPodsOnSameNode(podsToRank: readonly Pod[], relatedPods: readonly Pod[]): RankedPod[] {
  const podsOnNode = new Map<string, number>();
  for (const pod of relatedPods.filter(isPodActive)) {
    const node = pod.spec?.nodeName ?? '';
    podsOnNode.set(node, (podsOnNode.get(node) ?? 0) + 1);
  }
  return podsToRank.map((pod) => ({ pod, rank: podsOnNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
}

/**
 * getPodsToDelete: the first `diff` of `filteredPods` (diff <= their number). Only when some
 * survive are they sorted first, by ActivePodsWithRanks at `nowMs`; deleting all keeps the input order.
 */
export function getPodsToDelete(
  filteredPods: readonly Pod[],
  relatedPods: readonly Pod[],
  diff: number,
  nowMs: number,
  gates: FeatureGates = DEFAULT_FEATURE_GATES,
): Pod[] {
  if (diff >= filteredPods.length) return filteredPods.slice(0, diff);
  const ranked = getPodsRankedByRelatedPodsOnSameNode(filteredPods, relatedPods);
  const sorted = goSort(ranked, (a, b) => activePodsWithRanksLess(a, b, nowMs, gates));
  return sorted.slice(0, diff).map(({ pod }) => pod);
}

// --- Status -------------------------------------------------------------------------

/** NewReplicaSetCondition(ReplicaFailure, True, reason, message) at `nowMs`; empty strings are omitted as the API does. */
function replicaFailureCondition(reason: string, message: string, nowMs: number): ReplicaSetCondition {
  return {
    type: REPLICA_FAILURE,
    status: 'True',
    lastTransitionTime: timestamp(nowMs),
    ...(reason !== '' && { reason }),
    ...(message !== '' && { message }),
  };
}

/** The failure reason by diff = active pods - spec.replicas: FailedCreate below, FailedDelete above, '' at. */
function failureReason(diff: number): string {
  if (diff < 0) return 'FailedCreate';
  if (diff > 0) return 'FailedDelete';
  return '';
}

/**
 * calculateStatus's conditions: an error and no ReplicaFailure condition adds one; no error
 * removes an existing one (no conditions left reads as none); anything else keeps them as they are.
 */
function replicaSetConditions(
  rs: ReplicaSet,
  activePodCount: number,
  manageReplicasError: string | null,
  nowMs: number,
): ReplicaSetCondition[] | undefined {
  const conditions = rs.status?.conditions;
  const failure = conditions?.find((c) => c.type === REPLICA_FAILURE);
  if (manageReplicasError !== null && failure === undefined) {
    // spec.replicas defaults to 1.
    const reason = failureReason(activePodCount - (rs.spec?.replicas ?? 1));
    return [...(conditions ?? []), replicaFailureCondition(reason, manageReplicasError, nowMs)];
  }
  if (manageReplicasError === null && failure !== undefined) {
    const rest = (conditions ?? []).filter((c) => c.type !== REPLICA_FAILURE);
    return rest.length > 0 ? rest : undefined;
  }
  return conditions;
}

/** A ReplicaSet status with terminatingReplicas (API 1.33+, newer than kubernetes-types 1.30); absent: not counted. */
export type ReplicaSetStatusWithTerminating = ReplicaSetStatus & { readonly terminatingReplicas?: number };

/**
 * calculateStatus at `nowMs`, given the ReplicaSet's active pods, its terminating pods and
 * manageReplicas's error text (null for none): replicas = active pods; fullyLabeledReplicas =
 * those carrying every template label; readyReplicas = those Ready; availableReplicas = those
 * available for minReadySeconds; terminatingReplicas = the terminating pods, only with
 * DeploymentReplicaSetTerminatingReplicas; observedGeneration is kept; conditions as
 * replicaSetConditions says.
 */
export function calculateStatus(
  rs: ReplicaSet,
  activePods: readonly Pod[],
  terminatingPods: readonly Pod[],
  manageReplicasError: string | null,
  nowMs: number,
  gates: FeatureGates = DEFAULT_FEATURE_GATES,
): ReplicaSetStatusWithTerminating {
  const template = { matchLabels: rs.spec?.template?.metadata?.labels ?? {} };
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  const ready = activePods.filter(isPodReady);
  const observedGeneration = rs.status?.observedGeneration;
  const conditions = replicaSetConditions(rs, activePods.length, manageReplicasError, nowMs);
  return {
    replicas: activePods.length,
    fullyLabeledReplicas: activePods.filter((pod) => selectorMatches(template, pod.metadata?.labels)).length,
    readyReplicas: ready.length,
    availableReplicas: ready.filter((pod) => isPodAvailable(pod, minReadySeconds, nowMs)).length,
    ...(gates.DeploymentReplicaSetTerminatingReplicas && { terminatingReplicas: terminatingPods.length }),
    ...(observedGeneration !== undefined && { observedGeneration }),
    ...(conditions !== undefined && { conditions }),
  };
}

/**
 * updateReplicaSetStatus's write: null in the steady state (the four counts, terminatingReplicas
 * (a pointer: absent is not 0) and the conditions unchanged, and the generation already
 * observed), else `newStatus` with observedGeneration set to metadata.generation. Absent counts
 * and generations read as 0.
 */
export function replicaSetStatusUpdate(rs: ReplicaSet, newStatus: ReplicaSetStatusWithTerminating): ReplicaSetStatusWithTerminating | null {
  const old: ReplicaSetStatusWithTerminating | undefined = rs.status;
  const generation = rs.metadata?.generation ?? 0;
  const steady =
    (old?.replicas ?? 0) === newStatus.replicas &&
    (old?.fullyLabeledReplicas ?? 0) === (newStatus.fullyLabeledReplicas ?? 0) &&
    (old?.readyReplicas ?? 0) === (newStatus.readyReplicas ?? 0) &&
    (old?.availableReplicas ?? 0) === (newStatus.availableReplicas ?? 0) &&
    old?.terminatingReplicas === newStatus.terminatingReplicas &&
    generation === (old?.observedGeneration ?? 0) &&
    deepEqual(old?.conditions, newStatus.conditions);
  return steady ? null : { ...newStatus, observedGeneration: generation };
}
