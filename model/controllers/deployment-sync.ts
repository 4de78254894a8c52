// The steps of a Deployment's sync that its strategies share: finding (or creating) the new
// ReplicaSet and syncing revisions, scaling a ReplicaSet with the replicas annotations,
// proportional scaling on a scaling event or while paused, cleaning up old ReplicaSets past
// revisionHistoryLimit, and writing the status. Follows kubernetes/kubernetes
// pkg/controller/deployment/sync.go (getAllReplicaSetsAndSyncRevision, getNewReplicaSet, scale,
// scaleReplicaSetAndRecordEvent, scaleReplicaSet, cleanupDeployment, syncDeploymentStatus,
// isScalingEvent, sync, syncStatusOnly) and progress.go (syncRolloutStatus), current master, with
// the controller-manager's gates (DeploymentPodReplacementPolicy is unknown to Kubernetes 1.34
// and 1.35: scale, not scaleV2).
//
// A ReplicaSet whose name the cache already holds is never created: upstream's create would get
// AlreadyExists and look in the same cache, so the sync goes straight to what it finds there.
import type { DeploymentStatus } from 'kubernetes-types/apps/v1.js';
import type { Caches } from '../client.ts';
import type { FeatureGates } from '../feature-gates.ts';
import {
  type AppsDeployment, type AppsReplicaSet, byCreationTimestamp, getProportion, getReplicaCountForReplicaSets, isRollingUpdate, maxSurge, newRSNewReplicas, specReplicas,
} from '../semantics/deployment.ts';
import { cacheOf, controllerOf } from './controller.ts';
import { computeHash } from './hash.ts';
import { newCondition, PROGRESSING, FOUND_NEW_RS_REASON, getCondition, NEW_REPLICA_SET_REASON, calculateStatus, sameStatus, setCondition, syncRolloutStatus } from './deployment-status.ts';
import {
  asReplicaSet, cloneSelectorAndAddLabel, compareByRevision, compareBySizeNewer, compareBySizeOlder, desiredReplicasAnnotation,
  equalIgnoreHash, filterActive, findActiveOrLatest, findNewReplicaSet, findOldReplicaSets, generateReplicaSetName, hasProgressDeadline,
  hasRevisionHistoryLimit, isSaturated, maxRevision, POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION, replicasAnnotationsNeedUpdate,
  setNewReplicaSetAnnotations, setReplicasAnnotations,
} from './deployment-util.ts';
import type { SyncWrites } from './deployment-writes.ts';

/** One sync of one Deployment. */
export interface SyncState {
  /** The Deployment as the sync holds it: upstream changes its copy's annotations and status as it goes. */
  d: AppsDeployment;
  readonly out: SyncWrites;
  readonly caches: Caches;
  readonly nowMs: number;
  /** The controller-manager's feature gates. */
  readonly gates: FeatureGates;
  /** When to sync the Deployment again for its progress check (AddAfter). */
  requeueAtMs: number | null;
}

export interface AllReplicaSets {
  readonly newRS: AppsReplicaSet | null;
  /** Every other ReplicaSet of the Deployment, oldest first. */
  readonly oldRSs: readonly AppsReplicaSet[];
}

/** The Deployment's status replaced in the sync's copy. */
function withStatus(s: SyncState, status: DeploymentStatus): AppsDeployment {
  s.d = { ...s.d, status };
  return s.d;
}

/** SetDeploymentRevision on the sync's copy: whether the revision annotation changed. */
function setDeploymentRevision(s: SyncState, revision: string): boolean {
  const annotations = s.d.metadata?.annotations ?? {};
  if (annotations[REVISION_ANNOTATION] === revision) return false;
  s.d = { ...s.d, metadata: { ...s.d.metadata, annotations: { ...annotations, [REVISION_ANNOTATION]: revision } } };
  return true;
}

function withMinReadySeconds(rs: AppsReplicaSet, minReadySeconds: number): AppsReplicaSet {
  const { minReadySeconds: _old, ...spec } = rs.spec ?? { selector: {} };
  // 0 is omitted, as JSON carries it.
  return { ...rs, spec: minReadySeconds === 0 ? spec : { ...spec, minReadySeconds } };
}

/** The existing new ReplicaSet with its annotations and minReadySeconds synced, and the Deployment's revision and FoundNewReplicaSet condition. */
function syncExistingNewReplicaSet(s: SyncState, existing: AppsReplicaSet, newRevision: number): AppsReplicaSet | null {
  const annotated = setNewReplicaSetAnnotations(s.d, existing, newRevision, true);
  const minReadySeconds = s.d.spec?.minReadySeconds ?? 0;
  if (annotated.changed || (existing.spec?.minReadySeconds ?? 0) !== minReadySeconds) {
    // Upstream returns here: the Deployment's revision follows in a later sync.
    return s.out.updateReplicaSet(existing, withMinReadySeconds(annotated.rs, minReadySeconds));
  }
  let needsUpdate = setDeploymentRevision(s, annotated.rs.metadata?.annotations?.[REVISION_ANNOTATION] ?? '');
  if (hasProgressDeadline(s.d) && getCondition(s.d.status, PROGRESSING) === undefined) {
    const message = `Found new replica set ${JSON.stringify(existing.metadata?.name ?? '')}`;
    withStatus(s, setCondition(s.d.status ?? {}, newCondition(PROGRESSING, 'True', FOUND_NEW_RS_REASON, message, s.nowMs)));
    needsUpdate = true;
  }
  if (needsUpdate && !s.out.updateStatus(s.d)) return null;
  return annotated.rs;
}

/** The ReplicaSet getNewReplicaSet creates: named and labelled by the template's hash, sized by NewRSNewReplicas, annotated. */
function replicaSetToCreate(s: SyncState, oldRSs: readonly AppsReplicaSet[], newRevision: number): AppsReplicaSet | null {
  const d = s.d;
  const template = d.spec?.template ?? {};
  const hash = computeHash(template, d.status?.collisionCount);
  const labels = { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash };
  const minReadySeconds = d.spec?.minReadySeconds ?? 0;
  const newRS: AppsReplicaSet = {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: {
      name: generateReplicaSetName(d.metadata?.name ?? '', hash), namespace: d.metadata?.namespace,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata?.name ?? '', uid: d.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
      labels,
    },
    spec: {
      replicas: 0, ...(minReadySeconds !== 0 ? { minReadySeconds } : {}),
      selector: cloneSelectorAndAddLabel(d.spec?.selector, POD_TEMPLATE_HASH_LABEL, hash),
      template: { ...template, metadata: { ...template.metadata, labels } },
    },
  };
  const replicas = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
  if (replicas === undefined) return null;
  return setNewReplicaSetAnnotations(d, { ...newRS, spec: { ...newRS.spec!, replicas } }, newRevision, false).rs;
}

/**
 * getNewReplicaSet: the new ReplicaSet synced, or created when asked and missing (null if not
 * asked). A name the cache holds is a ReplicaSet of this Deployment with its template (the
 * cache was slow: take it), or a hash collision: status.collisionCount goes up, and the sync
 * ends with an error so the next one tries the next name.
 */
function getNewReplicaSet(s: SyncState, rsList: readonly AppsReplicaSet[], oldRSs: readonly AppsReplicaSet[], createIfNotExisted: boolean): AppsReplicaSet | null {
  const newRevision = maxRevision(oldRSs) + 1;
  const existing = findNewReplicaSet(s.d, rsList);
  if (existing) return syncExistingNewReplicaSet(s, existing, newRevision);
  if (!createIfNotExisted) return null;
  const newRS = replicaSetToCreate(s, oldRSs, newRevision);
  if (newRS === null) {
    s.out.fail();
    return null;
  }
  const name = newRS.metadata?.name ?? '';
  const namespace = s.d.metadata?.namespace ?? '';
  const taken = cacheOf(s.caches, 'replicasets').get(`${namespace}/${name}`);
  if (taken && !(controllerOf(taken)?.uid === s.d.metadata?.uid && equalIgnoreHash(s.d.spec?.template, asReplicaSet(taken).spec?.template))) {
    s.out.updateStatus(withStatus(s, { ...s.d.status, collisionCount: (s.d.status?.collisionCount ?? 0) + 1 }));
    s.out.fail();
    return null;
  }
  const created = taken ? asReplicaSet(taken) : s.out.create(namespace, newRS);
  if (created === null) return null;
  let needsUpdate = setDeploymentRevision(s, String(newRevision));
  if (!taken && hasProgressDeadline(s.d)) {
    const message = `Created new replica set ${JSON.stringify(name)}`;
    withStatus(s, setCondition(s.d.status ?? {}, newCondition(PROGRESSING, 'True', NEW_REPLICA_SET_REASON, message, s.nowMs)));
    needsUpdate = true;
  }
  if (needsUpdate && !s.out.updateStatus(s.d)) return null;
  return created;
}

/** getAllReplicaSetsAndSyncRevision; null when the sync has ended with an error. */
export function getAllReplicaSetsAndSyncRevision(s: SyncState, rsList: readonly AppsReplicaSet[], createIfNotExisted: boolean): AllReplicaSets | null {
  const oldRSs = findOldReplicaSets(s.d, rsList);
  const newRS = getNewReplicaSet(s, rsList, oldRSs, createIfNotExisted);
  return s.out.failed ? null : { newRS, oldRSs };
}

export interface Scaled {
  /** spec.replicas was written. */
  readonly scaled: boolean;
  /** The ReplicaSet as it now is (what the write returned). */
  readonly rs: AppsReplicaSet;
}

/** scaleReplicaSet: writes the size and the replicas annotations when either differs. */
export function scaleReplicaSet(s: SyncState, rs: AppsReplicaSet, newScale: number): Scaled {
  const desired = specReplicas(s.d);
  const max = desired + maxSurge(s.d);
  const sizeNeedsUpdate = specReplicas(rs) !== newScale;
  if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
  const resized = setReplicasAnnotations({ ...rs, spec: { ...rs.spec!, replicas: newScale } }, desired, max).rs;
  const written = s.out.updateReplicaSet(rs, resized);
  return { scaled: written !== null && sizeNeedsUpdate, rs: written ?? rs };
}

/** scaleReplicaSetAndRecordEvent: nothing when the size is already right. */
export function scaleReplicaSetAndRecordEvent(s: SyncState, rs: AppsReplicaSet, newScale: number): Scaled {
  return specReplicas(rs) === newScale ? { scaled: false, rs } : scaleReplicaSet(s, rs, newScale);
}

/**
 * scale: a single active (or, with none active, the latest) ReplicaSet takes spec.replicas; a
 * saturated new ReplicaSet scales the old ones to 0; otherwise, for RollingUpdate, the
 * replicas to add or remove (spec.replicas + maxSurge - the active ones' total) are spread over
 * the active ReplicaSets in proportion (GetProportion), largest first, the newer first when
 * adding and the older first when removing; the first takes what rounding leaves over.
 */
function scale(s: SyncState, newRS: AppsReplicaSet | null, oldRSs: readonly AppsReplicaSet[]): void {
  const d = s.d;
  const desired = specReplicas(d);
  const oldNewestFirst = byCreationTimestamp(oldRSs).reverse();
  const activeOrLatest = findActiveOrLatest(newRS, oldNewestFirst);
  if (activeOrLatest) {
    if (specReplicas(activeOrLatest) !== desired) scaleReplicaSetAndRecordEvent(s, activeOrLatest, desired);
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const old of filterActive(oldNewestFirst)) if (!s.out.failed) scaleReplicaSetAndRecordEvent(s, old, 0);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const allRSs = filterActive([...oldNewestFirst, newRS]);
  const allowedSize = desired > 0 ? desired + maxSurge(d) : 0;
  const toAdd = allowedSize - getReplicaCountForReplicaSets(allRSs);
  if (toAdd > 0) allRSs.sort(compareBySizeNewer);
  else if (toAdd < 0) allRSs.sort(compareBySizeOlder);
  let added = 0;
  const sizes = allRSs.map((rs) => {
    if (toAdd === 0) return specReplicas(rs);
    const proportion = getProportion(rs, d, toAdd, added);
    added += proportion;
    return specReplicas(rs) + proportion;
  });
  for (const [i, rs] of allRSs.entries()) {
    // The largest ReplicaSet takes what is left over.
    const size = i === 0 && toAdd !== 0 ? Math.max(sizes[i]! + toAdd - added, 0) : sizes[i]!;
    scaleReplicaSet(s, rs, size);
    if (s.out.failed) return;
  }
}

/**
 * cleanupDeployment: with a revisionHistoryLimit, the old ReplicaSets not being deleted beyond
 * the limit, lowest revision first, are deleted if they have no replicas in spec or status and
 * their controller has seen their latest spec.
 */
export function cleanupDeployment(s: SyncState, oldRSs: readonly AppsReplicaSet[]): void {
  if (!hasRevisionHistoryLimit(s.d)) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp);
  const diff = cleanable.length - (s.d.spec?.revisionHistoryLimit ?? 0);
  if (diff <= 0) return;
  for (const rs of [...cleanable].sort(compareByRevision).slice(0, diff)) {
    const synced = (rs.metadata?.generation ?? 0) <= (rs.status?.observedGeneration ?? 0);
    if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0 || !synced) continue;
    s.out.deleteReplicaSet(rs);
  }
}

function present(newRS: AppsReplicaSet | null, oldRSs: readonly AppsReplicaSet[]): AppsReplicaSet[] {
  return newRS ? [...oldRSs, newRS] : [...oldRSs];
}

/** syncDeploymentStatus: calculateStatus, written if it differs. */
function syncDeploymentStatus(s: SyncState, all: AllReplicaSets): void {
  const status = calculateStatus(present(all.newRS, all.oldRSs), all.newRS, s.d, s.nowMs, s.gates);
  if (!sameStatus(s.d.status, status)) s.out.updateStatus(withStatus(s, status));
}

/** syncRolloutStatus, over the ReplicaSets as they were before this sync scaled them (upstream's allRSs). */
export function writeRolloutStatus(s: SyncState, all: AllReplicaSets): void {
  const rollout = syncRolloutStatus(s.d, present(all.newRS, all.oldRSs), all.newRS, s.nowMs, s.gates);
  if (rollout.status !== null) s.out.updateStatus(withStatus(s, rollout.status));
  s.requeueAtMs = rollout.requeueAtMs;
}

/** syncStatusOnly: a Deployment being deleted gets its status, and nothing else. */
export function syncStatusOnly(s: SyncState, rsList: readonly AppsReplicaSet[]): void {
  const all = getAllReplicaSetsAndSyncRevision(s, rsList, false);
  if (all) syncDeploymentStatus(s, all);
}

/** sync: scaling (a scaling event, or a paused Deployment), cleanup when paused, and the status. */
export function sync(s: SyncState, rsList: readonly AppsReplicaSet[]): void {
  const all = getAllReplicaSetsAndSyncRevision(s, rsList, false);
  if (all === null) return;
  scale(s, all.newRS, all.oldRSs);
  if (s.out.failed) return;
  if (s.d.spec?.paused === true) cleanupDeployment(s, all.oldRSs);
  syncDeploymentStatus(s, all);
}

/** isScalingEvent: an active ReplicaSet's desired-replicas annotation differs from spec.replicas; null on an error. */
export function isScalingEvent(s: SyncState, rsList: readonly AppsReplicaSet[]): boolean | null {
  const all = getAllReplicaSetsAndSyncRevision(s, rsList, false);
  if (all === null) return null;
  return filterActive(present(all.newRS, all.oldRSs)).some((rs) => {
    const desired = desiredReplicasAnnotation(rs);
    return desired !== undefined && desired !== specReplicas(s.d);
  });
}
