// The Deployment controller's rolling-update arithmetic as pure functions of apps/v1 objects;
// each returns the controller's decision and leaves the API writes to the caller. Follows
// kubernetes/kubernetes pkg/controller/deployment/util/deployment_util.go at 277391ee
// (ResolveFenceposts, MaxUnavailable, MaxSurge, MinAvailable, NewRSNewReplicas, GetProportion,
// getReplicaSetFraction, Get*ReplicaCountForReplicaSets, DeploymentComplete/Progressing/TimedOut)
// plus what current master's tests pin (the max-replicas fallback, terminatingReplicas), rolling.go
// at 95f08499 (reconcileNewReplicaSet, reconcileOldReplicaSets, cleanupUnhealthyReplicas,
// scaleDownOldReplicaSetsForRollingUpdate) and apimachinery intstr GetScaledValueFromIntOrPercent.
// The gates are a parameter, defaulting to the model's release; DeploymentPodReplacementPolicy (a
// TerminationComplete Deployment counts terminating pods against maxSurge) is modelled for
// RollingUpdate only.
import type {
  Deployment,
  DeploymentSpec,
  DeploymentStatus,
  ReplicaSet,
  ReplicaSetSpec,
  ReplicaSetStatus,
} from 'kubernetes-types/apps/v1.js';
import { parseTimestamp } from '../clock.ts';
import { DEFAULT_FEATURE_GATES, type FeatureGates } from '../feature-gates.ts';
import { parseInt64 } from '../go-strconv.ts';

/** An IntOrString field such as maxSurge: an absolute number, or a string that must read 'N%'. */
export type IntOrString = number | string;

/** DeploymentSpec.podReplacementPolicy (newer than kubernetes-types 1.30). */
export type PodReplacementPolicy = 'TerminationStarted' | 'TerminationComplete';

/** An apps/v1 Deployment, with spec.podReplacementPolicy. */
export type AppsDeployment = Deployment & {
  spec?: DeploymentSpec & { podReplacementPolicy?: PodReplacementPolicy };
};

/** An apps/v1 ReplicaSet, with status.terminatingReplicas (absent: unknown). */
export type AppsReplicaSet = ReplicaSet & {
  readonly status?: ReplicaSetStatus & { terminatingReplicas?: number };
};

/** MaxReplicasAnnotation: spec.replicas + MaxSurge of the Deployment when it last sized the ReplicaSet. */
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
/** NewRSAvailableReason, a Progressing reason: the rollout is complete. */
export const NEW_RS_AVAILABLE_REASON = 'NewReplicaSetAvailable';
/** TimedOutReason, a Progressing reason: the rollout missed its progress deadline. */
export const TIMED_OUT_REASON = 'ProgressDeadlineExceeded';
/** math.MaxInt32: a progressDeadlineSeconds of this value means no deadline. */
const MAX_INT32 = 2_147_483_647;

// --- intstr and the fenceposts -------------------------------------------------

/**
 * intstr.GetScaledValueFromIntOrPercent: a number is used as is; 'N%' (N as strconv.Atoi
 * reads it) is N percent of `total`, rounded up or down. A missing value or any other string
 * is Go's error: undefined.
 */
export function getScaledValueFromIntOrPercent(
  value: IntOrString | undefined,
  total: number,
  roundUp: boolean,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  if (!value.endsWith('%')) return undefined;
  const percent = parseInt64(value.slice(0, -1));
  if (percent === undefined) return undefined;
  const scaled = (Number(percent) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

export type Fenceposts = { readonly surge: number; readonly unavailable: number };

/**
 * ResolveFenceposts: maxSurge scaled against `desired` rounding up, maxUnavailable rounding
 * down, a missing one counting as 0. If both come to 0, unavailable is 1, so a rollout can
 * always progress. Undefined (Go's error) if either is malformed.
 */
export function resolveFenceposts(
  maxSurge: IntOrString | undefined,
  maxUnavailable: IntOrString | undefined,
  desired: number,
): Fenceposts | undefined {
  const surge = getScaledValueFromIntOrPercent(maxSurge ?? 0, desired, true);
  const unavailable = getScaledValueFromIntOrPercent(maxUnavailable ?? 0, desired, false);
  if (surge === undefined || unavailable === undefined) return undefined;
  return { surge, unavailable: surge === 0 && unavailable === 0 ? 1 : unavailable };
}

/** IsRollingUpdate: strategy.type is RollingUpdate (an unset type is not). */
export function isRollingUpdate(d: Deployment): boolean {
  return d.spec?.strategy?.type === 'RollingUpdate';
}

/** spec.replicas as the API server defaults it (1 when unset). */
export function specReplicas(object: Deployment | ReplicaSet): number {
  return object.spec?.replicas ?? 1;
}

/** The Deployment's fenceposts; malformed values read as 0/0: upstream ignores the error ("caught by validation"). */
function deploymentFenceposts(d: Deployment): Fenceposts {
  const rollingUpdate = d.spec?.strategy?.rollingUpdate;
  const fenceposts = resolveFenceposts(rollingUpdate?.maxSurge, rollingUpdate?.maxUnavailable, specReplicas(d));
  return fenceposts ?? { surge: 0, unavailable: 0 };
}

/** MaxUnavailable: min(resolved unavailable, spec.replicas); 0 if not RollingUpdate or spec.replicas is 0. */
export function maxUnavailable(d: Deployment): number {
  if (!isRollingUpdate(d) || specReplicas(d) === 0) return 0;
  return Math.min(deploymentFenceposts(d).unavailable, specReplicas(d));
}

/** MaxSurge: the resolved surge, not capped by spec.replicas; 0 if not RollingUpdate. */
export function maxSurge(d: Deployment): number {
  return isRollingUpdate(d) ? deploymentFenceposts(d).surge : 0;
}

/** MinAvailable: spec.replicas - MaxUnavailable; 0 if not RollingUpdate. */
export function minAvailable(d: Deployment): number {
  return isRollingUpdate(d) ? specReplicas(d) - maxUnavailable(d) : 0;
}

// --- Counting over ReplicaSets ------------------------------------------------------

function sum(rss: readonly ReplicaSet[], count: (rs: ReplicaSet) => number): number {
  return rss.reduce((total, rs) => total + count(rs), 0);
}

function availableReplicas(rs: ReplicaSet): number {
  return rs.status?.availableReplicas ?? 0;
}

/** GetReplicaCountForReplicaSets: the sum of spec.replicas. */
export function getReplicaCountForReplicaSets(rss: readonly ReplicaSet[]): number {
  return sum(rss, specReplicas);
}

/** GetActualReplicaCountForReplicaSets: the sum of status.replicas. */
export function getActualReplicaCountForReplicaSets(rss: readonly ReplicaSet[]): number {
  return sum(rss, (rs) => rs.status?.replicas ?? 0);
}

/** GetAvailableReplicaCountForReplicaSets: the sum of status.availableReplicas. */
export function getAvailableReplicaCountForReplicaSets(rss: readonly ReplicaSet[]): number {
  return sum(rss, availableReplicas);
}

/**
 * GetTerminatingReplicaCountForReplicaSets: the sum of status.terminatingReplicas. A
 * ReplicaSet its controller never synced (observedGeneration 0) without the count adds 0;
 * a synced one without it makes the total unknown: null.
 */
export function getTerminatingReplicaCountForReplicaSets(rss: readonly AppsReplicaSet[]): number | null {
  let total = 0;
  for (const rs of rss) {
    const terminating = rs.status?.terminatingReplicas;
    if (terminating !== undefined) total += terminating;
    else if ((rs.status?.observedGeneration ?? 0) !== 0) return null;
  }
  return total;
}

/**
 * The most pods the ReplicaSets can reach at once: each at least its spec.replicas, more while
 * status.replicas is still above it (GetReplicaSurgeCapacityCountForReplicaSets), plus the
 * terminating ones. Undefined if a terminating count is unknown.
 */
function maxTransientPodCount(rss: readonly AppsReplicaSet[]): number | undefined {
  const terminating = getTerminatingReplicaCountForReplicaSets(rss);
  if (terminating === null) return undefined;
  return sum(rss, (rs) => Math.max(specReplicas(rs), rs.status?.replicas ?? 0)) + terminating;
}

// --- Scaling the new ReplicaSet up --------------------------------------------------

/**
 * NewRSNewReplicas: the size the new ReplicaSet may grow to. Recreate: spec.replicas.
 * RollingUpdate: with maxTotal = spec.replicas + maxSurge (scaled rounding up, directly:
 * a missing maxSurge is an error) and current = the sum of spec.replicas over allRSs, keep
 * newRS as it is if current >= maxTotal, else grow it by min(maxTotal - current,
 * spec.replicas - newRS). With DeploymentPodReplacementPolicy and policy TerminationComplete,
 * current is maxTransientPodCount instead. Undefined (Go's error) for a malformed maxSurge,
 * an unknown terminating count, or another strategy type.
 */
export function newRSNewReplicas(
  d: AppsDeployment,
  allRSs: readonly AppsReplicaSet[],
  newRS: ReplicaSet,
  gates: FeatureGates = DEFAULT_FEATURE_GATES,
): number | undefined {
  const desired = specReplicas(d);
  switch (d.spec?.strategy?.type) {
    case 'Recreate':
      return desired;
    case 'RollingUpdate': {
      const surge = getScaledValueFromIntOrPercent(d.spec.strategy.rollingUpdate?.maxSurge, desired, true);
      if (surge === undefined) return undefined;
      const countsTerminating = gates.DeploymentPodReplacementPolicy && d.spec.podReplacementPolicy === 'TerminationComplete';
      const current = countsTerminating ? maxTransientPodCount(allRSs) : getReplicaCountForReplicaSets(allRSs);
      if (current === undefined) return undefined;
      const maxTotal = desired + surge;
      const newReplicas = specReplicas(newRS);
      if (current >= maxTotal) return newReplicas;
      return newReplicas + Math.min(maxTotal - current, desired - newReplicas);
    }
    default:
      return undefined;
  }
}

/** Whether the controller writes a new spec.replicas to a ReplicaSet, and which. */
export type ScaleDecision = { readonly scaled: false } | { readonly scaled: true; readonly newReplicas: number };

/** scaleReplicaSetAndRecordEvent: no write when the size does not change. */
function scaleTo(current: number, target: number): ScaleDecision {
  return target === current ? { scaled: false } : { scaled: true, newReplicas: target };
}

/**
 * reconcileNewReplicaSet: a new ReplicaSet at spec.replicas stays; one above it scales down
 * to spec.replicas; one below it scales to NewRSNewReplicas. Undefined where that errs.
 */
export function reconcileNewReplicaSet(
  allRSs: readonly AppsReplicaSet[],
  newRS: ReplicaSet,
  d: AppsDeployment,
  gates: FeatureGates = DEFAULT_FEATURE_GATES,
): ScaleDecision | undefined {
  const current = specReplicas(newRS);
  const desired = specReplicas(d);
  if (current === desired) return { scaled: false };
  const target = current > desired ? desired : newRSNewReplicas(d, allRSs, newRS, gates);
  return target === undefined ? undefined : scaleTo(current, target);
}

// --- Scaling old ReplicaSets down ---------------------------------------------------

function timeMs(time: string | undefined): number {
  // A missing metav1.Time is Go's zero time, before every other.
  return time === undefined ? -Infinity : parseTimestamp(time);
}

/** controller.ReplicaSetsByCreationTimestamp: oldest first, ties broken by name. */
export function compareByCreationTimestamp(a: ReplicaSet, b: ReplicaSet): number {
  const name = (rs: ReplicaSet) => rs.metadata?.name ?? '';
  const ta = timeMs(a.metadata?.creationTimestamp);
  const tb = timeMs(b.metadata?.creationTimestamp);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0;
}

export function byCreationTimestamp<RS extends ReplicaSet>(rss: readonly RS[]): RS[] {
  return [...rss].sort(compareByCreationTimestamp);
}

/** The ReplicaSet with spec.replicas set to `replicas`, as the API write leaves it. */
function withReplicas<RS extends ReplicaSet>(rs: RS, replicas: number): RS {
  return { ...rs, spec: { ...rs.spec, replicas } as ReplicaSetSpec };
}

export type Cleanup<RS extends ReplicaSet> = {
  /** The old ReplicaSets oldest first, each with the spec.replicas written to it. */
  readonly oldRSs: readonly RS[];
  /** Unavailable replicas removed in all. */
  readonly cleanupCount: number;
  /**
   * A ReplicaSet reported more available replicas than its spec.replicas (a stale status):
   * upstream stops with an error, keeping the writes made before it, and reports cleanupCount 0.
   */
  readonly failed: boolean;
};

/**
 * cleanupUnhealthyReplicas: oldest first, while fewer than `maxCleanupCount` are removed,
 * scale each old ReplicaSet with replicas down by its unavailable ones (spec.replicas -
 * status.availableReplicas), never past `maxCleanupCount` in all.
 */
export function cleanupUnhealthyReplicas<RS extends ReplicaSet>(
  oldRSs: readonly RS[],
  maxCleanupCount: number,
): Cleanup<RS> {
  const sorted = byCreationTimestamp(oldRSs);
  let cleanupCount = 0;
  for (const [i, rs] of sorted.entries()) {
    if (cleanupCount >= maxCleanupCount) break;
    const replicas = specReplicas(rs);
    const unavailable = replicas - availableReplicas(rs);
    if (replicas === 0 || unavailable === 0) continue;
    const scaledDown = Math.min(maxCleanupCount - cleanupCount, unavailable);
    if (scaledDown < 0) return { oldRSs: sorted, cleanupCount: 0, failed: true };
    sorted[i] = withReplicas(rs, replicas - scaledDown);
    cleanupCount += scaledDown;
  }
  return { oldRSs: sorted, cleanupCount, failed: false };
}

export type ScaleDown<RS extends ReplicaSet> = {
  /** The old ReplicaSets oldest first, each with the spec.replicas written to it. */
  readonly oldRSs: readonly RS[];
  /** Replicas removed in all. */
  readonly scaledDownCount: number;
};

/**
 * scaleDownOldReplicaSetsForRollingUpdate: with minAvailable = spec.replicas - MaxUnavailable,
 * remove the available pods of allRSs above minAvailable (none if there are not more),
 * taking from old ReplicaSets oldest first, each down to at most 0.
 */
export function scaleDownOldReplicaSetsForRollingUpdate<RS extends ReplicaSet>(
  allRSs: readonly ReplicaSet[],
  oldRSs: readonly RS[],
  d: Deployment,
): ScaleDown<RS> {
  const toRemove = getAvailableReplicaCountForReplicaSets(allRSs) - (specReplicas(d) - maxUnavailable(d));
  const sorted = byCreationTimestamp(oldRSs);
  let scaledDownCount = 0;
  for (const [i, rs] of sorted.entries()) {
    if (scaledDownCount >= toRemove) break;
    const replicas = specReplicas(rs);
    if (replicas === 0) continue;
    const scaledDown = Math.min(replicas, toRemove - scaledDownCount);
    sorted[i] = withReplicas(rs, replicas - scaledDown);
    scaledDownCount += scaledDown;
  }
  return { oldRSs: sorted, scaledDownCount };
}

export type OldReplicaSetsDecision<RS extends ReplicaSet> = {
  /** Replicas were removed (upstream's return value). */
  readonly scaled: boolean;
  /** The old ReplicaSets oldest first, each with the spec.replicas written to it. */
  readonly oldRSs: readonly RS[];
};

/**
 * reconcileOldReplicaSets, with `oldRSs` the active old ReplicaSets (spec.replicas > 0, as
 * rolloutRolling passes them): nothing if they have no replicas, or if maxScaledDown = all
 * spec.replicas - minAvailable - the new ReplicaSet's unavailable replicas is not positive.
 * Otherwise cleanupUnhealthyReplicas(maxScaledDown), then
 * scaleDownOldReplicaSetsForRollingUpdate over the cleaned ReplicaSets and the new one.
 * A failed cleanup ends it, unscaled, after the writes it made.
 */
export function reconcileOldReplicaSets<RS extends ReplicaSet>(
  allRSs: readonly ReplicaSet[],
  oldRSs: readonly RS[],
  newRS: ReplicaSet,
  d: Deployment,
): OldReplicaSetsDecision<RS> {
  const sorted = byCreationTimestamp(oldRSs);
  if (getReplicaCountForReplicaSets(sorted) === 0) return { scaled: false, oldRSs: sorted };
  const minAvailablePods = specReplicas(d) - maxUnavailable(d);
  const newRSUnavailable = specReplicas(newRS) - availableReplicas(newRS);
  const maxScaledDown = getReplicaCountForReplicaSets(allRSs) - minAvailablePods - newRSUnavailable;
  if (maxScaledDown <= 0) return { scaled: false, oldRSs: sorted };
  const cleanup = cleanupUnhealthyReplicas(sorted, maxScaledDown);
  if (cleanup.failed) return { scaled: false, oldRSs: cleanup.oldRSs };
  const scaleDown = scaleDownOldReplicaSetsForRollingUpdate([...cleanup.oldRSs, newRS], cleanup.oldRSs, d);
  return { scaled: cleanup.cleanupCount + scaleDown.scaledDownCount > 0, oldRSs: scaleDown.oldRSs };
}

// --- Proportional scaling -----------------------------------------------------------

/** integer.RoundToInt32: round half away from zero (`| 0` is the int32 conversion, without -0). */
function roundToInt32(x: number): number {
  return (x < 0 ? Math.trunc(x - 0.5) : Math.trunc(x + 0.5)) | 0;
}

/** The max-replicas annotation as strconv.Atoi reads it, then int32; undefined if absent or malformed. */
function maxReplicasAnnotation(rs: ReplicaSet): number | undefined {
  const value = rs.metadata?.annotations?.[MAX_REPLICAS_ANNOTATION];
  const parsed = value === undefined ? undefined : parseInt64(value);
  return parsed === undefined ? undefined : Number(BigInt.asIntN(32, parsed));
}

/**
 * getReplicaSetFraction: the replicas to add to (or, negative, remove from) `rs` when the
 * Deployment is resized: -rs.spec.replicas if spec.replicas is 0; else
 * round(rs * (spec.replicas + MaxSurge) / base) - rs, rounding half away from zero, where base
 * is the max-replicas annotation, or status.replicas if that is missing or 0, and 0 if both are.
 */
export function getReplicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  const rsReplicas = specReplicas(rs);
  if (specReplicas(d) === 0) return 0 - rsReplicas; // not -rsReplicas, which is -0 for 0
  const annotated = maxReplicasAnnotation(rs);
  const base = annotated !== undefined && annotated !== 0 ? annotated : (d.status?.replicas ?? 0);
  if (base === 0) return 0;
  return roundToInt32((rsReplicas * (specReplicas(d) + maxSurge(d))) / base) - rsReplicas;
}

/**
 * GetProportion: getReplicaSetFraction clamped to what is left to add, `toAdd - added`
 * (min when scaling up, max when scaling down); 0 for an empty ReplicaSet or nothing left.
 */
export function getProportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = getReplicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

// --- Rollout status -----------------------------------------------------------------

/**
 * DeploymentComplete: updated, total and available replicas all equal spec.replicas and
 * the status has observed the Deployment's generation.
 */
export function deploymentComplete(d: Deployment, newStatus: DeploymentStatus): boolean {
  const desired = specReplicas(d);
  return (
    (newStatus.updatedReplicas ?? 0) === desired &&
    (newStatus.replicas ?? 0) === desired &&
    (newStatus.availableReplicas ?? 0) === desired &&
    (newStatus.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0)
  );
}

/**
 * DeploymentProgressing, from the Deployment's status to `newStatus`: more updated replicas,
 * fewer old ones (replicas - updatedReplicas), more ready or more available.
 */
export function deploymentProgressing(d: Deployment, newStatus: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldReplicas = (status: DeploymentStatus) => (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (
    (newStatus.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    oldReplicas(newStatus) < oldReplicas(old) ||
    (newStatus.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (newStatus.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/**
 * DeploymentTimedOut: never without a progress deadline (unset or MaxInt32) or without a
 * Progressing condition in `newStatus`, nor when its reason is NewReplicaSetAvailable; always
 * when it is ProgressDeadlineExceeded; else when lastUpdateTime + the deadline is strictly
 * before `nowMs` (logical milliseconds, model/clock.ts).
 */
export function deploymentTimedOut(d: Deployment, newStatus: DeploymentStatus, nowMs: number): boolean {
  const deadlineSeconds = d.spec?.progressDeadlineSeconds;
  if (deadlineSeconds === undefined || deadlineSeconds === MAX_INT32) return false;
  const condition = newStatus.conditions?.find((c) => c.type === 'Progressing');
  if (condition === undefined || condition.reason === NEW_RS_AVAILABLE_REASON) return false;
  if (condition.reason === TIMED_OUT_REASON) return true;
  return timeMs(condition.lastUpdateTime) + deadlineSeconds * 1000 < nowMs;
}
