// The two rollout strategies of a Deployment. RollingUpdate scales the new ReplicaSet up within
// maxSurge, then the old ones down within maxUnavailable (the arithmetic is
// model/semantics/deployment.ts); Recreate scales every old ReplicaSet to 0, waits until none of
// their pods runs, then creates and scales up the new one. Each ends by writing the rollout
// status; a finished rollout cleans up old ReplicaSets. Follows kubernetes/kubernetes
// pkg/controller/deployment/rolling.go (rolloutRolling, reconcileNewReplicaSet,
// reconcileOldReplicaSets) and recreate.go (rolloutRecreate, oldPodsRunning), current master, with
// the controller-manager's gates (DeploymentPodReplacementPolicy, unknown to Kubernetes 1.34 and 1.35 and
// so off: Recreate waits on the pods themselves).
import type { Pod } from 'kubernetes-types/core/v1.js';
import {
  type AppsReplicaSet, byCreationTimestamp, cleanupUnhealthyReplicas, deploymentComplete, getActualReplicaCountForReplicaSets, getReplicaCountForReplicaSets, maxUnavailable, reconcileNewReplicaSet, scaleDownOldReplicaSetsForRollingUpdate, specReplicas,
} from '../semantics/deployment.ts';
import { filterActive } from './deployment-util.ts';
import {
  cleanupDeployment, getAllReplicaSetsAndSyncRevision, scaleReplicaSetAndRecordEvent, writeRolloutStatus, type SyncState,
} from './deployment-sync.ts';

/** A Deployment's pods by the uid of the ReplicaSet that controls them (getPodMapForDeployment). */
export type PodMap = ReadonlyMap<string, readonly Pod[]>;

/**
 * Writes each ReplicaSet's new size (`sized`, in the order of `current`) and returns them as
 * the writes left them: cleanupUnhealthyReplicas and scaleDownOldReplicaSetsForRollingUpdate
 * decide the sizes, this makes the calls, oldest first, as upstream's loops do.
 */
function resize(s: SyncState, current: readonly AppsReplicaSet[], sized: readonly AppsReplicaSet[]): AppsReplicaSet[] {
  return current.map((rs, i) => (s.out.failed ? rs : scaleReplicaSetAndRecordEvent(s, rs, specReplicas(sized[i]!)).rs));
}

/**
 * reconcileOldReplicaSets, on the active old ReplicaSets: with maxScaledDown = all replicas -
 * minAvailable - the new ReplicaSet's unavailable ones, unhealthy old replicas go first, then
 * available ones down to minAvailable. Whether any were scaled down.
 */
function reconcileOldReplicaSets(s: SyncState, allRSs: readonly AppsReplicaSet[], activeOld: readonly AppsReplicaSet[], newRS: AppsReplicaSet): boolean {
  if (getReplicaCountForReplicaSets(activeOld) === 0) return false;
  const minAvailable = specReplicas(s.d) - maxUnavailable(s.d);
  const newRSUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = getReplicaCountForReplicaSets(allRSs) - minAvailable - newRSUnavailable;
  if (maxScaledDown <= 0) return false;
  const oldest = byCreationTimestamp(activeOld);
  const cleanup = cleanupUnhealthyReplicas(oldest, maxScaledDown);
  const cleaned = resize(s, oldest, cleanup.oldRSs);
  // A failed cleanup (a status reporting more available than spec.replicas) ends the scale-down, not the sync.
  if (cleanup.failed || s.out.failed) return false;
  const scaleDown = scaleDownOldReplicaSetsForRollingUpdate([...cleaned, newRS], cleaned, s.d);
  resize(s, cleaned, scaleDown.oldRSs);
  return cleanup.cleanupCount + scaleDown.scaledDownCount > 0;
}

/** rolloutRolling: the new ReplicaSet up, else the old ones down, else cleanup once complete; then the status. */
export function rolloutRolling(s: SyncState, rsList: readonly AppsReplicaSet[]): void {
  const all = getAllReplicaSetsAndSyncRevision(s, rsList, true);
  if (all === null || all.newRS === null) return;
  const { newRS, oldRSs } = all;
  const allRSs = [...oldRSs, newRS];
  const decision = reconcileNewReplicaSet(allRSs, newRS, s.d, s.gates);
  if (decision === undefined) return s.out.fail();
  if (decision.scaled && scaleReplicaSetAndRecordEvent(s, newRS, decision.newReplicas).scaled) return writeRolloutStatus(s, all);
  if (s.out.failed) return;
  if (reconcileOldReplicaSets(s, allRSs, filterActive(oldRSs), newRS)) return writeRolloutStatus(s, all);
  if (s.out.failed) return;
  if (deploymentComplete(s.d, s.d.status ?? {})) cleanupDeployment(s, oldRSs);
  writeRolloutStatus(s, all);
}

/** oldPodsRunning: an old ReplicaSet reports replicas, or a pod of any ReplicaSet but the new one is not Succeeded or Failed. */
export function oldPodsRunning(newRS: AppsReplicaSet | null, oldRSs: readonly AppsReplicaSet[], podMap: PodMap): boolean {
  if (getActualReplicaCountForReplicaSets(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS !== null && newRS.metadata?.uid === uid) continue;
    if (pods.some((pod) => pod.status?.phase !== 'Failed' && pod.status?.phase !== 'Succeeded')) return true;
  }
  return false;
}

/** rolloutRecreate: old ReplicaSets to 0; once no old pod runs, the new ReplicaSet (created now if missing) to spec.replicas. */
export function rolloutRecreate(s: SyncState, rsList: readonly AppsReplicaSet[], podMap: PodMap): void {
  // No new ReplicaSet yet: creating it before the old pods are gone would scale up too early.
  let all = getAllReplicaSetsAndSyncRevision(s, rsList, false);
  if (all === null) return;
  let scaledDown = false;
  for (const old of filterActive(all.oldRSs)) {
    scaledDown = scaleReplicaSetAndRecordEvent(s, old, 0).scaled || scaledDown;
    if (s.out.failed) return;
  }
  if (scaledDown || oldPodsRunning(all.newRS, all.oldRSs, podMap)) return writeRolloutStatus(s, all);
  if (all.newRS === null) {
    all = getAllReplicaSetsAndSyncRevision(s, rsList, true);
    if (all === null || all.newRS === null) return;
  }
  scaleReplicaSetAndRecordEvent(s, all.newRS, specReplicas(s.d));
  if (s.out.failed) return;
  if (deploymentComplete(s.d, s.d.status ?? {})) cleanupDeployment(s, all.oldRSs);
  writeRolloutStatus(s, all);
}
