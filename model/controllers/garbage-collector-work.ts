// What the garbage collector's workers share (pkg/controller/garbagecollector/garbagecollector.go,
// operations.go): the controller's state, the item a worker is on (its API calls go out one at a
// time, each decided on the reply to the one before, as a worker makes them synchronously), how
// an item ends (forgotten, or queued again with back-off), the graph changes a worker makes
// itself (a virtual delete event when an object is found absent), removeFinalizer, and the
// attemptToOrphan worker (attemptToOrphanWorker, orphanDependents).
//
// The model's strategic merge patch cannot delete one list element by key, so the patches that
// drop owner references (upstream: {"$patch":"delete","uid":...}) carry the whole remaining list,
// with the object's resourceVersion as precondition besides its uid: where upstream's patch
// would merge into a newer object, this one gets 409 Conflict and the item is tried again.
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { Caches } from '../client.ts';
import { ORPHAN_FINALIZER, type PropagationPolicy, type Reply, type Request } from '../requests.ts';
import { objectKey, resourceFor, RESOURCES, type KubeObject, type Resource } from '../resources.ts';
import { cacheOf, enqueue, send } from './controller.ts';
import { processGraphChanges, type GraphEvent, type GraphNode, type GraphState } from './garbage-collector-graph.ts';
import type { Identity } from './garbage-collector-identity.ts';
import { addRateLimited, forgetFailures, type RateLimitedContext } from './garbage-collector-rate-limiter.ts';

export interface GarbageCollectorContext extends RateLimitedContext, GraphState {
  /** The item a worker is on, while its API calls are going out. */
  readonly work: Work | null;
}

type Context = GarbageCollectorContext;

/** RetryOnConflict with retry.DefaultBackoff: 4 attempts (the 10, 50, 250 ms sleeps between them are not modelled). */
export const FINALIZER_ATTEMPTS = 4;

/** The item: its queue key, and the node as it was when the worker took it (the node pointer upstream holds). */
interface Item {
  readonly key: string;
  readonly node: GraphNode;
}

/** Where an item's API conversation stands: which reply it waits for, and what it knows so far. */
export type Work = Item & (
  | { readonly step: 'getItem' }
  | {
      readonly step: 'classify'; readonly latest: KubeObject; readonly index: number;
      readonly solid: readonly OwnerReference[]; readonly dangling: readonly OwnerReference[]; readonly waiting: readonly OwnerReference[];
    }
  | { readonly step: 'removeReferences' }
  | { readonly step: 'unblock'; readonly latest: KubeObject }
  /** `latest` is null once the delete is sent again without the resourceVersion precondition. */
  | { readonly step: 'delete'; readonly latest: KubeObject | null; readonly policy: PropagationPolicy }
  | { readonly step: 'recheck'; readonly latest: KubeObject; readonly policy: PropagationPolicy }
  | { readonly step: 'orphan'; readonly remaining: number; readonly failed: boolean }
  | { readonly step: 'finalizerGet' | 'finalizerPatch'; readonly finalizer: string; readonly attempt: number }
);

export const DELETE_PREFIX = 'delete:';
export const ORPHAN_PREFIX = 'orphan:';

export function deleteKey(uid: string): string {
  return DELETE_PREFIX + uid;
}

/** resourceDefaultNamespace: a cluster-scoped object is asked for without one. */
export function namespaceFor(resource: Resource, namespace: string): string {
  return RESOURCES[resource].namespaced ? namespace : '';
}

export function getRequest(identity: Identity): Request | null {
  const resource = resourceFor(identity.apiVersion, identity.kind);
  return resource === undefined ? null : { verb: 'get', resource, namespace: namespaceFor(resource, identity.namespace), name: identity.name };
}

/** A patch of the object's ownerReferences, with its uid and resourceVersion as preconditions. */
export function ownerReferencesPatch(identity: Identity, object: KubeObject, ownerReferences: readonly OwnerReference[]): Request | null {
  const resource = resourceFor(identity.apiVersion, identity.kind);
  if (resource === undefined) return null;
  return {
    verb: 'patch', resource, namespace: namespaceFor(resource, identity.namespace), name: identity.name,
    patch: { metadata: { uid: identity.uid, resourceVersion: object.metadata.resourceVersion, ownerReferences: ownerReferences.length > 0 ? ownerReferences : null } },
  };
}

/** Applies graph changes and queues the work they make. */
export function changeGraph(ctx: Context, events: readonly GraphEvent[], nowMs: number): Context {
  const { state, work } = processGraphChanges(ctx, events);
  let next: Context = enqueue({ ...ctx, ...state }, [...work.attemptToDelete.map(deleteKey), ...work.attemptToOrphan.map((uid) => ORPHAN_PREFIX + uid)]);
  for (const uid of work.attemptToDeleteRateLimited) next = addRateLimited(next, deleteKey(uid), nowMs);
  return next;
}

/**
 * The item is over: 'failed' queues it again with back-off (requeueItem); 'virtual' means a
 * virtual delete event was made, and the item is forgotten; 'done' forgets it, unless it is an
 * attemptToDelete item still virtual (issue 56121: requeued until observed).
 */
export function finish(ctx: Context, item: Item, outcome: 'done' | 'virtual' | 'failed', nowMs: number): Context {
  const next = { ...ctx, work: null };
  const stillVirtual = item.key.startsWith(DELETE_PREFIX) && ctx.graph.get(item.node.identity.uid)?.virtual === true;
  if (outcome === 'failed' || (outcome === 'done' && stillVirtual)) return addRateLimited(next, item.key, nowMs);
  return forgetFailures(next, item.key);
}

/** enqueueVirtualDeleteEvent: the object was found absent (or replaced); the graph forgets it. */
export function virtualDelete(ctx: Context, item: Item, nowMs: number): Context {
  return finish(changeGraph(ctx, [{ type: 'delete', identity: item.node.identity, virtual: true }], nowMs), item, 'virtual', nowMs);
}

/** removeFinalizer: a fresh GET, then a patch of the finalizers at that resourceVersion. */
export function removeFinalizer(ctx: Context, item: Item, finalizer: string, attempt: number, nowMs: number): Context {
  const request = getRequest(item.node.identity);
  if (request === null) return finish(ctx, item, 'failed', nowMs);
  return send({ ...ctx, work: { key: item.key, node: item.node, step: 'finalizerGet', finalizer, attempt } }, request);
}

export function onFinalizerReply(ctx: Context, work: Extract<Work, { step: 'finalizerGet' | 'finalizerPatch' }>, request: Request, reply: Reply, nowMs: number): Context {
  if (work.step === 'finalizerPatch') {
    if (reply.ok) return finish(ctx, work, 'done', nowMs);
    if (reply.status.code === 409 && work.attempt < FINALIZER_ATTEMPTS) return removeFinalizer(ctx, work, work.finalizer, work.attempt + 1, nowMs);
    return finish(ctx, work, 'failed', nowMs);
  }
  // A vanished owner needs no finalizing.
  if (!reply.ok) return finish(ctx, work, reply.status.code === 404 ? 'done' : 'failed', nowMs);
  const object = reply.object as KubeObject;
  const finalizers = object.metadata.finalizers ?? [];
  if (!finalizers.includes(work.finalizer)) return finish(ctx, work, 'done', nowMs);
  const rest = finalizers.filter((f) => f !== work.finalizer);
  const get = request as Extract<Request, { verb: 'get' }>;
  const patch: Request = {
    verb: 'patch', resource: get.resource, namespace: get.namespace, name: get.name,
    patch: { metadata: { resourceVersion: object.metadata.resourceVersion, finalizers: rest.length > 0 ? rest : null } },
  };
  return send({ ...ctx, work: { ...work, step: 'finalizerPatch' } }, patch);
}

/**
 * attemptToOrphanWorker: every dependent (as the graph knows them) loses its reference to the
 * owner; if all patches succeed (a vanished dependent counts as done), the owner's orphan
 * finalizer is removed. The patches are built from the dependents as the informers show them.
 */
export function startAttemptToOrphan(ctx: Context, key: string, uid: string, caches: Caches, nowMs: number): Context {
  const owner = ctx.graph.get(uid);
  if (!owner) return forgetFailures(ctx, key);
  const item: Item = { key, node: owner };
  const patches: Request[] = [];
  for (const dep of owner.dependents.map((d) => ctx.graph.get(d)).filter((d): d is GraphNode => d !== undefined)) {
    const resource = resourceFor(dep.identity.apiVersion, dep.identity.kind);
    const object = resource && cacheOf(caches, resource).get(objectKey(resource, dep.identity.namespace, dep.identity.name));
    if (!object || object.metadata.uid !== dep.identity.uid) continue;
    const patch = ownerReferencesPatch(dep.identity, object, (object.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid));
    if (patch !== null) patches.push(patch);
  }
  if (patches.length === 0) return removeFinalizer(ctx, item, ORPHAN_FINALIZER, 1, nowMs);
  return send({ ...ctx, work: { ...item, step: 'orphan', remaining: patches.length, failed: false } }, ...patches);
}

export function onOrphanReply(ctx: Context, work: Extract<Work, { step: 'orphan' }>, reply: Reply, nowMs: number): Context {
  // A dependent that has vanished needs no orphaning.
  const failed = work.failed || (!reply.ok && reply.status.code !== 404);
  if (work.remaining > 1) return { ...ctx, work: { ...work, remaining: work.remaining - 1, failed } };
  return failed ? finish(ctx, work, 'failed', nowMs) : removeFinalizer(ctx, work, ORPHAN_FINALIZER, 1, nowMs);
}
