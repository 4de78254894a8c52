// The status the Deployment controller writes: counts summed over the Deployment's ReplicaSets,
// the Available, Progressing and ReplicaFailure conditions, and when to look again at a rollout
// that may miss its progress deadline. Follows kubernetes/kubernetes pkg/controller/deployment/
// sync.go (calculateStatus, checkPausedConditions), progress.go (syncRolloutStatus,
// getReplicaFailures, requeueStuckDeployment) and util/deployment_util.go (NewDeploymentCondition,
// SetDeploymentCondition, RemoveDeploymentCondition, ReplicaSetToDeploymentCondition), current
// master, with the controller-manager's gates (DeploymentReplicaSetTerminatingReplicas:
// terminatingReplicas summed over the ReplicaSets, left out while one of them has none).
import type { DeploymentCondition, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { parseTimestamp, timestamp } from '../clock.ts';
import { deepEqual } from '../equal.ts';
import type { FeatureGates } from '../feature-gates.ts';
import {
  type AppsDeployment, type AppsReplicaSet, deploymentComplete, deploymentProgressing, deploymentTimedOut, getActualReplicaCountForReplicaSets, getAvailableReplicaCountForReplicaSets,
  getReplicaCountForReplicaSets, getTerminatingReplicaCountForReplicaSets, maxUnavailable, NEW_RS_AVAILABLE_REASON, specReplicas, TIMED_OUT_REASON,
} from '../semantics/deployment.ts';
import { REPLICA_FAILURE } from '../semantics/replicaset.ts';
import { hasProgressDeadline } from './deployment-util.ts';

export const PROGRESSING = 'Progressing';
export const AVAILABLE = 'Available';
/** NewReplicaSetReason: the controller created the new ReplicaSet. */
export const NEW_REPLICA_SET_REASON = 'NewReplicaSetCreated';
/** FoundNewRSReason: a Deployment with no Progressing condition already had its new ReplicaSet. */
export const FOUND_NEW_RS_REASON = 'FoundNewReplicaSet';
/** ReplicaSetUpdatedReason: the rollout made progress. */
export const REPLICA_SET_UPDATED_REASON = 'ReplicaSetUpdated';
export const PAUSED_DEPLOY_REASON = 'DeploymentPaused';
export const RESUMED_DEPLOY_REASON = 'DeploymentResumed';
export const MINIMUM_REPLICAS_AVAILABLE = 'MinimumReplicasAvailable';
export const MINIMUM_REPLICAS_UNAVAILABLE = 'MinimumReplicasUnavailable';

/** The stuck-rollout check is queued a second after the deadline (AddAfter skew, upstream issue 39785). */
const REQUEUE_SKEW_MS = 1000;

// --- Conditions ---------------------------------------------------------------------

/** NewDeploymentCondition at `nowMs`. */
export function newCondition(type: string, status: string, reason: string, message: string, nowMs: number): DeploymentCondition {
  const now = timestamp(nowMs);
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

export function getCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/** RemoveDeploymentCondition (filterOutCondition leaves nil, not an empty list). */
export function removeCondition(status: DeploymentStatus, type: string): DeploymentStatus {
  const rest = (status.conditions ?? []).filter((c) => c.type !== type);
  return { ...status, conditions: rest.length > 0 ? rest : undefined };
}

/**
 * SetDeploymentCondition: nothing if a condition of the type has the same status and reason;
 * else it replaces it at the end of the list, keeping lastTransitionTime if the status is unchanged.
 */
export function setCondition(status: DeploymentStatus, condition: DeploymentCondition): DeploymentStatus {
  const current = getCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return status;
  const kept = current && current.status === condition.status ? { ...condition, lastTransitionTime: current.lastTransitionTime } : condition;
  return { ...status, conditions: [...(removeCondition(status, condition.type).conditions ?? []), kept] };
}

// --- The status ---------------------------------------------------------------------

const OMITTED_WHEN_ZERO = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const;

/** The status as JSON carries it: zero counts and an empty condition list are omitted (omitempty); collisionCount, a pointer, is kept. */
function omitEmpty(status: DeploymentStatus): DeploymentStatus {
  const out: Record<string, unknown> = { ...status };
  for (const field of OMITTED_WHEN_ZERO) if (!out[field]) delete out[field];
  if (!status.conditions?.length) delete out.conditions;
  if (status.collisionCount === undefined) delete out.collisionCount;
  return out as DeploymentStatus;
}

/** reflect.DeepEqual of two statuses, where an absent count is Go's zero. */
export function sameStatus(a: DeploymentStatus | undefined, b: DeploymentStatus): boolean {
  return deepEqual(omitEmpty(a ?? {}), omitEmpty(b));
}

/** A Deployment status with terminatingReplicas (API 1.33+, newer than kubernetes-types 1.30); absent: not counted. */
type DeploymentStatusWithTerminating = DeploymentStatus & { terminatingReplicas?: number };

/**
 * calculateStatus: the counts summed over `allRSs` (updatedReplicas over the new one), the
 * unavailable ones never below 0, terminatingReplicas (DeploymentReplicaSetTerminatingReplicas)
 * unless a ReplicaSet's is unknown, observedGeneration the Deployment's generation, its
 * conditions kept, and Available set by whether availableReplicas reaches spec.replicas - maxUnavailable.
 */
export function calculateStatus(allRSs: readonly ReplicaSet[], newRS: ReplicaSet | null, d: AppsDeployment, nowMs: number, gates: FeatureGates): DeploymentStatus {
  const available = getAvailableReplicaCountForReplicaSets(allRSs);
  const terminating = gates.DeploymentReplicaSetTerminatingReplicas ? getTerminatingReplicaCountForReplicaSets(allRSs as readonly AppsReplicaSet[]) : null;
  const status: DeploymentStatusWithTerminating = {
    observedGeneration: d.metadata?.generation ?? 0,
    replicas: getActualReplicaCountForReplicaSets(allRSs),
    updatedReplicas: getActualReplicaCountForReplicaSets(newRS ? [newRS] : []),
    readyReplicas: allRSs.reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0),
    availableReplicas: available,
    unavailableReplicas: Math.max(getReplicaCountForReplicaSets(allRSs) - available, 0),
    ...(terminating !== null && { terminatingReplicas: terminating }),
    collisionCount: d.status?.collisionCount,
    conditions: d.status?.conditions,
  };
  const condition = available >= specReplicas(d) - maxUnavailable(d)
    ? newCondition(AVAILABLE, 'True', MINIMUM_REPLICAS_AVAILABLE, 'Deployment has minimum availability.', nowMs)
    : newCondition(AVAILABLE, 'False', MINIMUM_REPLICAS_UNAVAILABLE, 'Deployment does not have minimum availability.', nowMs);
  return omitEmpty(setCondition(status, condition));
}

/** getReplicaFailures: the new ReplicaSet's ReplicaFailure conditions, else every ReplicaSet's, as Deployment conditions. */
function replicaFailures(allRSs: readonly ReplicaSet[], newRS: ReplicaSet | null): DeploymentCondition[] {
  const failures = (rss: readonly ReplicaSet[]) => rss.flatMap((rs) => (rs.status?.conditions ?? []).filter((c) => c.type === REPLICA_FAILURE))
    .map((c) => ({ type: c.type, status: c.status, lastTransitionTime: c.lastTransitionTime, lastUpdateTime: c.lastTransitionTime, reason: c.reason, message: c.message }));
  const ofNew = failures(newRS ? [newRS] : []);
  return ofNew.length > 0 ? ofNew : failures(allRSs);
}

/** "ReplicaSet "web-x" <what>", or the Deployment's name when there is no new ReplicaSet. */
function subject(d: AppsDeployment, newRS: ReplicaSet | null): string {
  return newRS ? `ReplicaSet ${JSON.stringify(newRS.metadata?.name ?? '')}` : `Deployment ${JSON.stringify(d.metadata?.name ?? '')}`;
}

/** The Progressing condition a rollout's progress calls for, if any: complete, progressing or timed out. */
function progressingCondition(d: AppsDeployment, newRS: ReplicaSet | null, newStatus: DeploymentStatus, nowMs: number): DeploymentStatus {
  if (deploymentComplete(d, newStatus)) {
    return setCondition(newStatus, newCondition(PROGRESSING, 'True', NEW_RS_AVAILABLE_REASON, `${subject(d, newRS)} has successfully progressed.`, nowMs));
  }
  if (deploymentProgressing(d, newStatus)) {
    // Progress renews lastUpdateTime even under the same reason, so the condition is replaced, not set.
    const current = getCondition(d.status, PROGRESSING);
    let condition = newCondition(PROGRESSING, 'True', REPLICA_SET_UPDATED_REASON, `${subject(d, newRS)} is progressing.`, nowMs);
    let status = newStatus;
    if (current) {
      if (current.status === 'True') condition = { ...condition, lastTransitionTime: current.lastTransitionTime };
      status = removeCondition(status, PROGRESSING);
    }
    return setCondition(status, condition);
  }
  if (deploymentTimedOut(d, newStatus, nowMs)) {
    return setCondition(newStatus, newCondition(PROGRESSING, 'False', TIMED_OUT_REASON, `${subject(d, newRS)} has timed out progressing.`, nowMs));
  }
  return newStatus;
}

/**
 * requeueStuckDeployment: when to look again at a rollout that has shown no progress, so it
 * times out on time: a second after lastUpdateTime + progressDeadlineSeconds. Null without a
 * deadline or Progressing condition, once complete, or once timed out. Upstream polls with the
 * rate limiter when less than a second is left; the model looks once, at the first instant the
 * deadline has passed (DeploymentTimedOut is strict), and not at all if that is not in the future,
 * as a poll then could not change the decision.
 */
export function requeueStuckDeployment(d: AppsDeployment, newStatus: DeploymentStatus, nowMs: number): number | null {
  const current = getCondition(d.status, PROGRESSING);
  if (!hasProgressDeadline(d) || current === undefined) return null;
  if (deploymentComplete(d, newStatus) || current.reason === TIMED_OUT_REASON) return null;
  const deadlineMs = (current.lastUpdateTime === undefined ? -Infinity : parseTimestamp(current.lastUpdateTime)) + (d.spec?.progressDeadlineSeconds ?? 0) * 1000;
  const afterMs = deadlineMs - nowMs;
  if (afterMs >= 1000) return nowMs + afterMs + REQUEUE_SKEW_MS;
  return deadlineMs + 1 > nowMs ? deadlineMs + 1 : null;
}

export interface RolloutStatus {
  /** The status to write, or null when it is unchanged. */
  readonly status: DeploymentStatus | null;
  /** When to reconcile the Deployment again for its progress check. */
  readonly requeueAtMs: number | null;
}

/**
 * syncRolloutStatus: calculateStatus; without a progress deadline no Progressing condition;
 * with one, unless the rollout is already complete (all replicas updated and the condition says
 * NewReplicaSetAvailable), the Progressing condition progress calls for; the first
 * ReplicaFailure of the ReplicaSets copied in, or removed. An unchanged status is not written,
 * and may ask for a later progress check.
 */
export function syncRolloutStatus(d: AppsDeployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | null, nowMs: number, gates: FeatureGates): RolloutStatus {
  let newStatus = calculateStatus(allRSs, newRS, d, nowMs, gates);
  if (!hasProgressDeadline(d)) newStatus = removeCondition(newStatus, PROGRESSING);
  const current = getCondition(d.status, PROGRESSING);
  const isCompleteDeployment = (newStatus.replicas ?? 0) === (newStatus.updatedReplicas ?? 0) && current?.reason === NEW_RS_AVAILABLE_REASON;
  if (hasProgressDeadline(d) && !isCompleteDeployment) newStatus = progressingCondition(d, newRS, newStatus, nowMs);
  const [failure] = replicaFailures(allRSs, newRS);
  newStatus = omitEmpty(failure ? setCondition(newStatus, failure) : removeCondition(newStatus, REPLICA_FAILURE));
  if (sameStatus(d.status, newStatus)) return { status: null, requeueAtMs: requeueStuckDeployment(d, newStatus, nowMs) };
  return { status: newStatus, requeueAtMs: null };
}

/**
 * checkPausedConditions: with a progress deadline and no timeout reported, pausing sets
 * Progressing Unknown DeploymentPaused and resuming Progressing Unknown DeploymentResumed, so the
 * time spent paused never counts against the deadline. The new status, or null if unchanged.
 */
export function pausedConditionUpdate(d: AppsDeployment, nowMs: number): DeploymentStatus | null {
  if (!hasProgressDeadline(d)) return null;
  const current = getCondition(d.status, PROGRESSING);
  if (current?.reason === TIMED_OUT_REASON) return null;
  const pausedConditionExists = current?.reason === PAUSED_DEPLOY_REASON;
  const paused = d.spec?.paused === true;
  if (paused && !pausedConditionExists) return setCondition(d.status ?? {}, newCondition(PROGRESSING, 'Unknown', PAUSED_DEPLOY_REASON, 'Deployment is paused', nowMs));
  if (!paused && pausedConditionExists) return setCondition(d.status ?? {}, newCondition(PROGRESSING, 'Unknown', RESUMED_DEPLOY_REASON, 'Deployment is resumed', nowMs));
  return null;
}
