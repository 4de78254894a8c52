// The Deployment controller (kubernetes/kubernetes pkg/controller/deployment/deployment_controller.go,
// current master): Deployment, ReplicaSet and pod events queue a Deployment's key; its reconcile
// (syncDeployment) claims the ReplicaSets its selector matches, then for a Deployment being
// deleted writes only its status, for a paused one or on a scaling event scales proportionally,
// and otherwise rolls out by its strategy (deployment-rollout.ts). A failed write ends the
// sync's remaining writes and queues the Deployment again (handleErr's rate-limited requeue,
// modelled as immediate); rollback (spec.rollbackTo) is gone from apps/v1: kubectl does it
// (model/semantics/rollback.ts).
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Caches, ClientEvent, InformedEvent } from '../client.ts';
import { deepEqual } from '../equal.ts';
import type { FeatureGates } from '../feature-gates.ts';
import { selectorMatches } from '../labels.ts';
import type { KubeObject } from '../resources.ts';
import type { AppsDeployment } from '../semantics/deployment.ts';
import { claim } from './claim.ts';
import {
  cacheOf, type ControllerContext, type ControllerDefinition, controllerMachine, controllerOf, EMPTY_CONTROLLER, enqueue, enqueueAfter, keyOfObject, send,
} from './controller.ts';
import { rolloutRecreate, rolloutRolling } from './deployment-rollout.ts';
import { isScalingEvent, sync, syncStatusOnly, type SyncState } from './deployment-sync.ts';
import { pausedConditionUpdate } from './deployment-status.ts';
import { asReplicaSet, deploymentsForReplicaSet } from './deployment-util.ts';
import { SyncWrites } from './deployment-writes.ts';

export interface DeploymentControllerContext extends ControllerContext {
  /** The Deployment whose sync's writes are going out: a failed one ends them and queues it again. */
  readonly syncing: string | null;
}

type Context = DeploymentControllerContext;

// --- Which Deployment an object concerns ----------------------------------------------

/** resolveControllerRef: the key of the Deployment a controller reference names, if the cache holds it with that uid. */
function resolveControllerRef(caches: Caches, namespace: string | undefined, ref: ReturnType<typeof controllerOf>): string | undefined {
  if (ref?.kind !== 'Deployment') return undefined;
  const key = `${namespace}/${ref.name}`;
  return cacheOf(caches, 'deployments').get(key)?.metadata.uid === ref.uid ? key : undefined;
}

/** The Deployments an orphan ReplicaSet could be adopted by. */
function matchingDeployments(caches: Caches, rs: KubeObject): string[] {
  return deploymentsForReplicaSet(cacheOf(caches, 'deployments').values(), rs).map(keyOfObject);
}

/** ListReplicaSets: the ReplicaSets the Deployment's selector matches and that it controls. */
function ownedReplicaSets(caches: Caches, d: KubeObject): KubeObject[] {
  const selector = (d as AppsDeployment).spec?.selector ?? {};
  return [...cacheOf(caches, 'replicasets').values()].filter((rs) =>
    rs.metadata.namespace === d.metadata.namespace && selectorMatches(selector, rs.metadata.labels) && controllerOf(rs)?.uid === d.metadata.uid);
}

/** getPodMapForDeployment: the pods the Deployment's selector matches, by the uid of their controller among `rsList` (inactive ones too). */
function podMapFor(caches: Caches, d: KubeObject, rsList: readonly KubeObject[]): Map<string, Pod[]> {
  const selector = (d as AppsDeployment).spec?.selector ?? {};
  const map = new Map<string, Pod[]>(rsList.map((rs) => [rs.metadata.uid ?? '', []]));
  for (const pod of cacheOf(caches, 'pods').values()) {
    if (pod.metadata.namespace !== d.metadata.namespace || !selectorMatches(selector, pod.metadata.labels)) continue;
    map.get(controllerOf(pod)?.uid ?? '')?.push(pod as unknown as Pod);
  }
  return map;
}

/** A Recreate Deployment with no pods left (deletePod's test for waking it). */
function recreateWithoutPods(caches: Caches, d: KubeObject): boolean {
  if ((d as AppsDeployment).spec?.strategy?.type !== 'Recreate') return false;
  return [...podMapFor(caches, d, ownedReplicaSets(caches, d)).values()].every((pods) => pods.length === 0);
}

// --- Event handlers ---------------------------------------------------------------------

/** addReplicaSet / updateReplicaSet / deleteReplicaSet. */
function onReplicaSetEvent(ctx: Context, { event, caches }: InformedEvent): Context {
  // A relist may have missed deletions: every Deployment looks again.
  if (event === null) return enqueue(ctx, cacheOf(caches, 'deployments').keys());
  const rs = event.object;
  const ref = controllerOf(rs);
  const owner = (): string[] => {
    const key = resolveControllerRef(caches, rs.metadata.namespace, ref);
    return key === undefined ? [] : [key];
  };
  if (event.type === 'DELETED' || (event.type === 'ADDED' && rs.metadata.deletionTimestamp)) return enqueue(ctx, owner());
  if (event.type === 'ADDED') return enqueue(ctx, ref ? owner() : matchingDeployments(caches, rs));
  const previous = event.previous;
  if (previous && previous.metadata.resourceVersion === rs.metadata.resourceVersion) return ctx;
  const oldRef = previous ? controllerOf(previous) : undefined;
  const refChanged = !deepEqual(ref, oldRef);
  let next = ctx;
  if (refChanged && oldRef) {
    const oldOwner = resolveControllerRef(caches, previous?.metadata.namespace, oldRef);
    if (oldOwner !== undefined) next = enqueue(next, [oldOwner]);
  }
  if (ref) return enqueue(next, owner());
  const labelsChanged = !deepEqual(rs.metadata.labels, previous?.metadata.labels);
  return labelsChanged || refChanged ? enqueue(next, matchingDeployments(caches, rs)) : next;
}

/** getDeploymentForPod: the Deployment controlling the ReplicaSet controlling the pod. */
function deploymentOfPod(caches: Caches, pod: KubeObject): KubeObject | undefined {
  const ref = controllerOf(pod);
  if (ref?.kind !== 'ReplicaSet') return undefined;
  const rs = cacheOf(caches, 'replicasets').get(`${pod.metadata.namespace}/${ref.name}`);
  if (rs?.metadata.uid !== ref.uid) return undefined;
  const key = resolveControllerRef(caches, rs.metadata.namespace, controllerOf(rs));
  return key === undefined ? undefined : cacheOf(caches, 'deployments').get(key);
}

/**
 * deletePod: a Recreate Deployment is woken once it has no pods left. Upstream lists the
 * ReplicaSets from the API server here; the model reads its cache. A relist may have missed
 * deletions: every Recreate Deployment with no pods looks again.
 */
function onPodEvent(ctx: Context, { event, caches }: InformedEvent): Context {
  if (event === null) return enqueue(ctx, [...cacheOf(caches, 'deployments').values()].filter((d) => recreateWithoutPods(caches, d)).map(keyOfObject));
  if (event.type !== 'DELETED') return ctx;
  const d = deploymentOfPod(caches, event.object);
  return d && recreateWithoutPods(caches, d) ? enqueue(ctx, [keyOfObject(d)]) : ctx;
}

export function onInformed(ctx: Context, informed: InformedEvent): Context {
  switch (informed.resource) {
    case 'deployments':
      return enqueue(ctx, informed.event === null ? informed.cache.keys() : [keyOfObject(informed.event.object)]);
    case 'replicasets':
      return onReplicaSetEvent(ctx, informed);
    case 'pods':
      return onPodEvent(ctx, informed);
    default:
      return ctx;
  }
}

// --- syncDeployment ---------------------------------------------------------------------

/** The writes of one sync, whether it ended with an error, and when to look again. */
export interface DeploymentSync {
  readonly requests: SyncWrites['requests'];
  readonly failed: boolean;
  readonly requeueAtMs: number | null;
}

/** The sync's steps once the ReplicaSets are claimed. */
function syncClaimed(s: SyncState, d: KubeObject, rsList: readonly KubeObject[]): void {
  const replicaSets = rsList.map(asReplicaSet);
  if (s.d.metadata?.deletionTimestamp) return syncStatusOnly(s, replicaSets);
  const pausedStatus = pausedConditionUpdate(s.d, s.nowMs);
  if (pausedStatus !== null) {
    s.d = { ...s.d, status: pausedStatus };
    if (!s.out.updateStatus(s.d)) return;
  }
  if (s.d.spec?.paused === true) return sync(s, replicaSets);
  const scalingEvent = isScalingEvent(s, replicaSets);
  if (scalingEvent === null) return;
  if (scalingEvent) return sync(s, replicaSets);
  switch (s.d.spec?.strategy?.type) {
    case 'Recreate': return rolloutRecreate(s, replicaSets, podMapFor(s.caches, d, rsList));
    case 'RollingUpdate': return rolloutRolling(s, replicaSets);
    default: return s.out.fail();
  }
}

/**
 * syncDeployment on the caches at `nowMs`. A Deployment selecting everything only gets its
 * observedGeneration. Adopted ReplicaSets count at once, as ClaimReplicaSets returns them.
 */
export function syncDeployment(key: string, caches: Caches, nowMs: number, gates: FeatureGates): DeploymentSync {
  const out = new SyncWrites();
  const d = cacheOf(caches, 'deployments').get(key);
  if (!d) return { requests: [], failed: false, requeueAtMs: null };
  const s: SyncState = { d: d as unknown as AppsDeployment, out, caches, nowMs, gates, requeueAtMs: null };
  if (deepEqual(s.d.spec?.selector, {})) {
    const generation = d.metadata.generation ?? 0;
    if ((s.d.status?.observedGeneration ?? 0) < generation) out.updateStatus({ ...s.d, status: { ...s.d.status, observedGeneration: generation } });
    return { requests: out.requests, failed: false, requeueAtMs: null };
  }
  const candidates = [...cacheOf(caches, 'replicasets').values()].filter((rs) => rs.metadata.namespace === d.metadata.namespace);
  const claimed = claim(d, 'Deployment', s.d.spec?.selector ?? {}, 'replicasets', candidates);
  out.claim(claimed.writes);
  const adopted = new Set<string | undefined>();
  for (const w of claimed.writes) if (w.verb === 'update' && controllerOf(w.object)?.uid === d.metadata.uid) adopted.add(w.object.metadata.uid);
  const rsList = [...claimed.claimed, ...candidates.filter((rs) => adopted.has(rs.metadata.uid))];
  syncClaimed(s, d, rsList);
  return { requests: out.requests, failed: out.failed, requeueAtMs: s.requeueAtMs };
}

// --- The machine --------------------------------------------------------------------------

/** One reconcile, with the controller-manager's gates: the sync's writes queued, and the key queued again if it failed or must be checked later. */
export function reconcileDeployment(ctx: Context, key: string, caches: Caches, nowMs: number, gates: FeatureGates): Context {
  const result = syncDeployment(key, caches, nowMs, gates);
  let next: Context = { ...send(ctx, ...result.requests), syncing: key };
  // A sync that fails before writing anything (a spec the arithmetic rejects) would fail alike on
  // the same caches; upstream drops it after maxRetries, and the events that change the caches queue it again.
  if (result.failed && result.requests.length > 0) next = enqueue(next, [key]);
  if (result.requeueAtMs !== null) next = enqueueAfter(next, key, result.requeueAtMs);
  return next;
}

/**
 * A reply: a failed write ends the sync's remaining writes and queues the Deployment again,
 * except a ReplicaSet already gone when cleanup deletes it (cleanupDeployment ignores NotFound).
 */
function onReply(ctx: Context, { request, reply }: Extract<ClientEvent, { type: 'REPLY' }>): Context {
  const cleared = { ...ctx, request: null };
  if (reply.ok) return cleared;
  if (request.verb === 'delete' && request.resource === 'replicasets' && reply.status.reason === 'NotFound') return cleared;
  const failed = { ...cleared, outbox: [] };
  return ctx.syncing === null ? failed : enqueue(failed, [ctx.syncing]);
}

export const deploymentControllerMachine = controllerMachine<Context>('deployment-controller', () => ({ ...EMPTY_CONTROLLER, syncing: null }), {
  informed: onInformed,
  reconcile: (ctx, { key, caches, nowMs, featureGates }) => reconcileDeployment(ctx, key, caches, nowMs, featureGates),
  reply: onReply,
});

export type DeploymentControllerMachine = typeof deploymentControllerMachine;

export const deploymentController: ControllerDefinition = {
  name: 'deployment', machine: deploymentControllerMachine, resources: ['deployments', 'replicasets', 'pods'],
};
