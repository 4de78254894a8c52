// The ReplicaSet controller (pkg/controller/replicaset/replica_set.go): informer events queue
// a ReplicaSet's key; its reconcile (syncReplicaSet) claims the pods its selector matches,
// creates or deletes pods to match spec.replicas while its expectations are satisfied
// (manageReplicas, deleting the pods getPodsToDelete ranks first), and writes its status.
// Creations in one reconcile follow slowStartBatch: the first failure stops the rest. The
// controller-manager's feature gates decide the deletion ranking (PodDeletionCost,
// LogarithmicScaleDown) and whether the status counts terminating pods
// (DeploymentReplicaSetTerminatingReplicas: FilterTerminatingPods, then FilterClaimedPods).
import type { ReplicaSet, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { Caches, ClientEvent, InformedEvent } from '../client.ts';
import { deepEqual } from '../equal.ts';
import type { FeatureGates } from '../feature-gates.ts';
import { selectorMatches } from '../labels.ts';
import type { Request } from '../requests.ts';
import type { KubeObject } from '../resources.ts';
import { calculateStatus, getPodsToDelete, isPodActive, isPodTerminating, replicaSetStatusUpdate } from '../semantics/replicaset.ts';
import {
  cacheOf, type ControllerContext, type ControllerDefinition, controllerMachine, controllerOf, EMPTY_CONTROLLER, enqueue, enqueueAfter, keyOfObject, send,
} from './controller.ts';
import { claim } from './claim.ts';
import { creationObserved, deletionObserved, expect, forget, NO_EXPECTATIONS, satisfied, type Expectations } from './expectations.ts';

/** BurstReplicas: the most pods one reconcile creates or deletes. */
export const BURST_REPLICAS = 500;

export interface ReplicaSetControllerContext extends ControllerContext {
  readonly expectations: Expectations;
}

type Context = ReplicaSetControllerContext;

function rsOf(caches: Caches, key: string): ReplicaSet | undefined {
  return cacheOf(caches, 'replicasets').get(key) as ReplicaSet | undefined;
}

/** The owner key of a pod controlled by a ReplicaSet: namespace/name. */
function ownerKey(pod: KubeObject): string | undefined {
  const ref = controllerOf(pod);
  return ref?.kind === 'ReplicaSet' ? `${pod.metadata.namespace}/${ref.name}` : undefined;
}

/** getPodReplicaSets: the ReplicaSets in the pod's namespace whose selector matches it (candidates to adopt an orphan). */
function matchingReplicaSets(caches: Caches, pod: KubeObject): string[] {
  return [...cacheOf(caches, 'replicasets').values()]
    .filter((rs) => rs.metadata.namespace === pod.metadata.namespace && selectorMatches((rs as ReplicaSet).spec?.selector ?? {}, pod.metadata.labels))
    .map(keyOfObject);
}

/** Objects from the pod cache, as the core/v1 Pod type the semantics take. */
function asPods(objects: readonly KubeObject[]): readonly Pod[] {
  return objects as unknown as readonly Pod[];
}

function isReady(pod: KubeObject): boolean {
  return ((pod.status as Pod['status'])?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The pod event handlers (addPod, updatePod, deletePod). */
/**
 * A relist, as client-go's Replace hands it to the handlers: a pod new to the cache is an add
 * (addPod: CreationObserved, or DeletionObserved if it is already being deleted), a pod gone
 * from it a delete (DeletionObserved). Without this, a creation first seen in a relist would
 * hold the ReplicaSet's expectations until they expire.
 */
function onPodsRelisted(ctx: Context, { cache, replaced, caches }: InformedEvent): Context {
  let expectations = ctx.expectations;
  for (const [podKey, pod] of cache) {
    const key = ownerKey(pod);
    if (key === undefined) continue;
    const was = replaced?.get(podKey);
    const known = was?.metadata.uid === pod.metadata.uid;
    // updatePod: a pod that has started terminating counts as deleted.
    if (pod.metadata.deletionTimestamp && !(known && was?.metadata.deletionTimestamp)) expectations = deletionObserved(expectations, key, podKey);
    else if (!known && rsOf(caches, key)) expectations = creationObserved(expectations, key);
  }
  for (const [podKey, pod] of replaced ?? []) {
    const key = ownerKey(pod);
    if (key !== undefined && cache.get(podKey)?.metadata.uid !== pod.metadata.uid) expectations = deletionObserved(expectations, key, podKey);
  }
  return enqueue({ ...ctx, expectations }, cacheOf(caches, 'replicasets').keys());
}

function onPodEvent(ctx: Context, informed: InformedEvent): Context {
  const { event, caches, nowMs } = informed;
  if (event === null) return onPodsRelisted(ctx, informed);
  const pod = event.object;
  const key = ownerKey(pod);
  const podKey = keyOfObject(pod);
  // A pod being deleted counts as deleted for the expectations (updatePod calls deletePod).
  if (event.type === 'DELETED' || pod.metadata.deletionTimestamp) {
    if (key === undefined) return ctx;
    return enqueue({ ...ctx, expectations: deletionObserved(ctx.expectations, key, podKey) }, [key]);
  }
  if (event.type === 'ADDED') {
    if (key === undefined) return enqueue(ctx, matchingReplicaSets(caches, pod));
    return rsOf(caches, key) ? enqueue({ ...ctx, expectations: creationObserved(ctx.expectations, key) }, [key]) : ctx;
  }
  const previous = event.previous;
  const oldKey = previous ? ownerKey(previous) : undefined;
  let next = ctx;
  if (oldKey !== undefined && oldKey !== key) next = enqueue(next, [oldKey]);
  if (key === undefined) {
    const labelsChanged = previous !== null && !deepEqual(previous.metadata.labels, pod.metadata.labels);
    return labelsChanged || oldKey !== undefined ? enqueue(next, matchingReplicaSets(caches, pod)) : next;
  }
  next = enqueue(next, [key]);
  // A pod that has just become ready is available only after minReadySeconds: check then.
  const minReadySeconds = rsOf(caches, key)?.spec?.minReadySeconds ?? 0;
  if (minReadySeconds > 0 && previous !== null && !isReady(previous) && isReady(pod)) next = enqueueAfter(next, key, nowMs + minReadySeconds * 1000 + 1000);
  return next;
}

export function onReplicaSetEvent(ctx: Context, informed: InformedEvent): Context {
  if (informed.event === null) return enqueue(ctx, informed.cache.keys());
  return enqueue(ctx, [keyOfObject(informed.event.object)]);
}

/** A pod made from the ReplicaSet's template (controller.GetPodFromTemplate): named after it, controlled by it. */
export function podFromTemplate(template: PodTemplateSpec, owner: KubeObject, kind: string, apiVersion: string): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      generateName: `${owner.metadata.name}-`, namespace: owner.metadata.namespace,
      ...(template.metadata?.labels ? { labels: template.metadata.labels } : {}),
      ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
      ownerReferences: [{ apiVersion, kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: template.spec,
  };
}

/** The active pods controlled by any ReplicaSet with the same controller (a Deployment's other ReplicaSets): getIndirectlyRelatedPods. */
function relatedPods(caches: Caches, rs: ReplicaSet, active: readonly KubeObject[]): KubeObject[] {
  const owner = rs.metadata?.ownerReferences?.find((r) => r.controller === true);
  if (!owner) return [...active];
  const siblings = new Set([...cacheOf(caches, 'replicasets').values()]
    .filter((other) => other.metadata.namespace === rs.metadata?.namespace && controllerOf(other)?.uid === owner.uid)
    .map((other) => other.metadata.uid));
  return [...cacheOf(caches, 'pods').values()].filter((p) => isPodActive(p as Pod) && siblings.has(controllerOf(p)?.uid));
}

/** manageReplicas: the pods to create or delete so the ReplicaSet has spec.replicas, with the expectations that go with them. */
function manageReplicas(ctx: Context, key: string, rs: ReplicaSet, claimed: readonly KubeObject[], caches: Caches, nowMs: number, gates: FeatureGates): Context {
  const diff = claimed.length - (rs.spec?.replicas ?? 1);
  if (diff < 0) {
    const n = Math.min(-diff, BURST_REPLICAS);
    const pod = podFromTemplate(rs.spec?.template ?? {}, rs as KubeObject, 'ReplicaSet', 'apps/v1');
    const creates: Request[] = Array.from({ length: n }, () => ({ verb: 'create', resource: 'pods', namespace: rs.metadata?.namespace ?? '', object: pod }));
    return send({ ...ctx, expectations: expect(ctx.expectations, key, n, [], nowMs) }, ...creates);
  }
  if (diff > 0) {
    const n = Math.min(diff, BURST_REPLICAS);
    const victims = getPodsToDelete(asPods(claimed), asPods(relatedPods(caches, rs, claimed)), n, nowMs, gates) as unknown as KubeObject[];
    const deletes: Request[] = victims.map((p) => ({ verb: 'delete', resource: 'pods', namespace: p.metadata.namespace ?? '', name: p.metadata.name ?? '' }));
    return send({ ...ctx, expectations: expect(ctx.expectations, key, 0, victims.map(keyOfObject), nowMs) }, ...deletes);
  }
  return ctx;
}

/** The pods the ReplicaSet controls that are terminating and still match its selector (FilterTerminatingPods, FilterClaimedPods). */
function terminatingPodsOf(caches: Caches, rs: ReplicaSet): KubeObject[] {
  return [...cacheOf(caches, 'pods').values()].filter((p) =>
    p.metadata.namespace === rs.metadata?.namespace && isPodTerminating(p as Pod) && controllerOf(p)?.uid === rs.metadata?.uid &&
    selectorMatches(rs.spec?.selector ?? {}, p.metadata.labels));
}

/** syncReplicaSet, with the controller-manager's gates. */
export function syncReplicaSet(ctx: Context, key: string, caches: Caches, nowMs: number, gates: FeatureGates): Context {
  const rs = rsOf(caches, key);
  if (!rs) return { ...ctx, expectations: forget(ctx.expectations, key) };
  const needsSync = satisfied(ctx.expectations, key, nowMs);
  const active = [...cacheOf(caches, 'pods').values()].filter((p) => p.metadata.namespace === rs.metadata?.namespace && isPodActive(p as Pod));
  // An adopted pod counts from the next reconcile, once the informer shows it adopted.
  const { claimed, writes } = claim(rs as KubeObject, 'ReplicaSet', rs.spec?.selector ?? {}, 'pods', active);
  let next = send(ctx, ...writes);
  if (writes.length === 0 && needsSync && !rs.metadata?.deletionTimestamp) next = manageReplicas(next, key, rs, claimed, caches, nowMs, gates);
  const terminating = gates.DeploymentReplicaSetTerminatingReplicas ? terminatingPodsOf(caches, rs) : [];
  const status = calculateStatus(rs, asPods(claimed), asPods(terminating), null, nowMs, gates);
  const update = replicaSetStatusUpdate(rs, status);
  if (update !== null) next = send(next, statusUpdate(rs, update));
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  if (minReadySeconds > 0 && status.readyReplicas === (rs.spec?.replicas ?? 1) && status.availableReplicas !== status.readyReplicas) {
    next = enqueueAfter(next, key, nowMs + minReadySeconds * 1000);
  }
  return next;
}

function statusUpdate(rs: ReplicaSet, status: ReplicaSetStatus): Request {
  return { verb: 'update', resource: 'replicasets', subresource: 'status', object: { ...(rs as KubeObject), status } };
}

/**
 * A reply: a failed creation stops the ReplicaSet's remaining ones (slowStartBatch) and lowers
 * its expectations for each; a failed deletion is seen as done; any failure reconciles again.
 */
function onReply(ctx: Context, event: Extract<ClientEvent, { type: 'REPLY' }>): Context {
  const { request, reply } = event;
  const cleared = { ...ctx, request: null };
  if (reply.ok) return cleared;
  if (request.verb === 'create' && request.resource === 'pods') {
    const key = ownerKey(request.object);
    if (key === undefined) return cleared;
    const skipped = cleared.outbox.filter((r) => r.verb === 'create' && r.resource === 'pods' && ownerKey(r.object) === key);
    let expectations = creationObserved(cleared.expectations, key);
    for (let i = 0; i < skipped.length; i++) expectations = creationObserved(expectations, key);
    return enqueue({ ...cleared, expectations, outbox: cleared.outbox.filter((r) => !skipped.includes(r)) }, [key]);
  }
  if (request.verb === 'delete' && request.resource === 'pods') {
    const podKey = `${request.namespace}/${request.name}`;
    const owner = [...cleared.expectations.entries()].find(([, e]) => e.del.includes(podKey))?.[0];
    return owner === undefined ? cleared : enqueue({ ...cleared, expectations: deletionObserved(cleared.expectations, owner, podKey) }, [owner]);
  }
  if (request.verb === 'update') return enqueue(cleared, [keyOfObject(request.object)].map((k) => (request.resource === 'pods' ? ownerKey(request.object) ?? k : k)));
  return cleared;
}

export const replicaSetControllerMachine = controllerMachine<Context>('replicaset-controller', (): Context => ({ ...EMPTY_CONTROLLER, expectations: NO_EXPECTATIONS }), {
  informed: (ctx, event) => {
    if (event.resource === 'pods') return onPodEvent(ctx, event);
    return event.resource === 'replicasets' ? onReplicaSetEvent(ctx, event) : ctx;
  },
  reconcile: (ctx, { key, caches, nowMs, featureGates }) => syncReplicaSet(ctx, key, caches, nowMs, featureGates),
  reply: onReply,
});

export type ReplicaSetControllerMachine = typeof replicaSetControllerMachine;

export const replicaSetController: ControllerDefinition = { name: 'replicaset', machine: replicaSetControllerMachine, resources: ['replicasets', 'pods'] };
