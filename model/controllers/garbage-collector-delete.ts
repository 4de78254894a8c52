// The garbage collector's attemptToDelete worker (pkg/controller/garbagecollector/garbagecollector.go
// attemptToDeleteItem, classifyReferences, isDangling, processDeletingDependentsItem; operations.go
// deleteObject). The graph may be stale, so the worker asks the API server: the item itself (absent
// or replaced: a virtual delete event), then each owner it names that the absent-owner cache does
// not already know to be gone (absent, or a different uid under that name: dangling; being deleted
// in the foreground: waiting; else solid). An item with a solid owner only loses its dangling and
// waiting references; one whose owners are all dangling is deleted, with the propagation its own
// finalizers ask for; one with an owner waiting for it is deleted in the foreground if it has
// dependents itself. The delete carries the item's uid and resourceVersion as preconditions; on a
// conflict where only the resourceVersion moved (same owners), it is sent again without it.
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { deepEqual } from '../equal.ts';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER, type PropagationPolicy, type Reply, type Request } from '../requests.ts';
import { resourceFor, type KubeObject } from '../resources.ts';
import { enqueue, send } from './controller.ts';
import { blockingDependents, type GraphNode } from './garbage-collector-graph.ts';
import { addAbsent, lookupAbsent, ownerIdentity } from './garbage-collector-identity.ts';
import {
  deleteKey, finish, getRequest, namespaceFor, ownerReferencesPatch, removeFinalizer, virtualDelete,
  type GarbageCollectorContext, type Work,
} from './garbage-collector-work.ts';
import { forgetFailures } from './garbage-collector-rate-limiter.ts';

type Context = GarbageCollectorContext;
type Classify = Extract<Work, { step: 'classify' }>;

/** The node as the graph has it now (its flags move while the worker waits), or as it was taken. */
function liveNode(ctx: Context, work: Work): GraphNode {
  return ctx.graph.get(work.node.identity.uid) ?? work.node;
}

/** attemptToDeleteWorker, up to the GET of the item. */
export function startAttemptToDelete(ctx: Context, key: string, uid: string, nowMs: number): Context {
  const node = ctx.graph.get(uid);
  if (!node) return forgetFailures(ctx, key);
  const item = { key, node };
  // "Being deleted" is a one-way trip: its dependents are seen to once it is gone.
  if (node.beingDeleted && !node.deletingDependents) return finish(ctx, item, 'done', nowMs);
  const request = getRequest(node.identity);
  if (request === null) return finish(ctx, item, 'failed', nowMs);
  return send({ ...ctx, work: { ...item, step: 'getItem' } }, request);
}

/** The item's GET answered. */
export function onItem(ctx: Context, work: Extract<Work, { step: 'getItem' }>, reply: Reply, nowMs: number): Context {
  if (!reply.ok) return reply.status.code === 404 ? virtualDelete(ctx, work, nowMs) : finish(ctx, work, 'failed', nowMs);
  const latest = reply.object as KubeObject;
  if (latest.metadata.uid !== work.node.identity.uid) return virtualDelete(ctx, work, nowMs);
  const node = liveNode(ctx, work);
  if (node.deletingDependents) return processDeletingDependents(ctx, work, node, nowMs);
  if ((latest.metadata.ownerReferences ?? []).length === 0) return finish(ctx, work, 'done', nowMs);
  return classify(ctx, { key: work.key, node: work.node, step: 'classify', latest, index: 0, solid: [], dangling: [], waiting: [] }, nowMs);
}

/** processDeletingDependentsItem: with no blocking dependent left the finalizer goes; else they are attempted. */
function processDeletingDependents(ctx: Context, work: Work, node: GraphNode, nowMs: number): Context {
  const blocking = blockingDependents(ctx.graph, node);
  if (blocking.length === 0) return removeFinalizer(ctx, work, FOREGROUND_FINALIZER, 1, nowMs);
  const next = enqueue(ctx, blocking.filter((dep) => !dep.deletingDependents).map((dep) => deleteKey(dep.identity.uid)));
  return finish(next, work, 'done', nowMs);
}

function references(work: Classify): readonly OwnerReference[] {
  return work.latest.metadata.ownerReferences ?? [];
}

/** classifyReferences: the owners the absent-owner cache knows are gone, then a GET of the next one. */
function classify(ctx: Context, work: Classify, nowMs: number): Context {
  const refs = references(work);
  const namespace = work.node.identity.namespace;
  let { index, dangling } = work;
  let absent = ctx.absentOwners;
  for (; index < refs.length; index++) {
    const ref = refs[index]!;
    const hit = lookupAbsent(absent, ownerIdentity(ref, '')) ?? lookupAbsent(absent, ownerIdentity(ref, namespace));
    if (hit === null) break;
    absent = hit;
    dangling = [...dangling, ref];
  }
  const next: Context = { ...ctx, absentOwners: absent };
  const classified: Classify = { ...work, index, dangling };
  if (index === refs.length) return decide(next, classified, nowMs);
  const ref = refs[index]!;
  const resource = resourceFor(ref.apiVersion, ref.kind);
  if (resource === undefined) return finish(next, work, 'failed', nowMs);
  return send({ ...next, work: classified }, { verb: 'get', resource, namespace: namespaceFor(resource, namespace), name: ref.name });
}

/** isDangling answered by the API server: absent, or another object under the name, is dangling (and remembered). */
export function onOwner(ctx: Context, work: Classify, request: Request, reply: Reply, nowMs: number): Context {
  const ref = references(work)[work.index]!;
  if (!reply.ok && reply.status.code !== 404) return finish(ctx, work, 'failed', nowMs);
  const owner = reply.ok ? (reply.object as KubeObject) : null;
  const next = { ...work, index: work.index + 1 };
  if (owner === null || owner.metadata.uid !== ref.uid) {
    const absentOwners = addAbsent(ctx.absentOwners, ownerIdentity(ref, (request as Extract<Request, { verb: 'get' }>).namespace));
    return classify({ ...ctx, absentOwners }, { ...next, dangling: [...work.dangling, ref] }, nowMs);
  }
  const waiting = owner.metadata.deletionTimestamp !== undefined && (owner.metadata.finalizers ?? []).includes(FOREGROUND_FINALIZER);
  return classify(ctx, waiting ? { ...next, waiting: [...work.waiting, ref] } : { ...next, solid: [...work.solid, ref] }, nowMs);
}

/** attemptToDeleteItem's decision, once every reference is classified. */
function decide(ctx: Context, work: Classify, nowMs: number): Context {
  const { latest, solid, dangling, waiting } = work;
  const identity = work.node.identity;
  if (solid.length > 0) {
    if (dangling.length === 0 && waiting.length === 0) return finish(ctx, work, 'done', nowMs);
    // Waiting references must go too, or their owners would wait for this item forever.
    const gone = new Set([...dangling, ...waiting].map((r) => r.uid));
    const patch = ownerReferencesPatch(identity, latest, references(work).filter((r) => !gone.has(r.uid)));
    return patch === null ? finish(ctx, work, 'failed', nowMs) : send({ ...ctx, work: { key: work.key, node: work.node, step: 'removeReferences' } }, patch);
  }
  const node = liveNode(ctx, work);
  if (waiting.length > 0 && node.dependents.length > 0) {
    // An owner and a dependent both deleting in the foreground may be a cycle: stop blocking the owners
    // first (upstream patches the references the graph has as blocking; here the item's, as just read).
    if (node.dependents.some((uid) => ctx.graph.get(uid)?.deletingDependents === true)) {
      const unblocked = references(work).map((r) => (r.blockOwnerDeletion === true ? { ...r, blockOwnerDeletion: false } : r));
      const patch = ownerReferencesPatch(identity, latest, unblocked);
      return patch === null ? finish(ctx, work, 'failed', nowMs) : send({ ...ctx, work: { key: work.key, node: work.node, step: 'unblock', latest } }, patch);
    }
    return deleteItem(ctx, work, latest, 'Foreground', nowMs);
  }
  // No solid owner, none waiting for it: the item goes, as its own finalizers ask.
  const finalizers = latest.metadata.finalizers ?? [];
  const policy = finalizers.includes(ORPHAN_FINALIZER) ? 'Orphan' : finalizers.includes(FOREGROUND_FINALIZER) ? 'Foreground' : 'Background';
  return deleteItem(ctx, work, latest, policy, nowMs);
}

/** gc.deleteObject: with the uid, and (until a conflict shows only it moved) the resourceVersion, as preconditions. */
function deleteItem(ctx: Context, work: Work, latest: KubeObject | null, policy: PropagationPolicy, nowMs: number): Context {
  const { identity } = work.node;
  const resource = resourceFor(identity.apiVersion, identity.kind);
  if (resource === undefined) return finish(ctx, work, 'failed', nowMs);
  const rv = latest?.metadata.resourceVersion;
  const request: Request = {
    verb: 'delete', resource, namespace: namespaceFor(resource, identity.namespace), name: identity.name,
    preconditions: { uid: identity.uid, ...(rv !== undefined ? { resourceVersion: rv } : {}) }, propagationPolicy: policy,
  };
  return send({ ...ctx, work: { key: work.key, node: work.node, step: 'delete', latest, policy } }, request);
}

export function onUnblocked(ctx: Context, work: Extract<Work, { step: 'unblock' }>, reply: Reply, nowMs: number): Context {
  // The delete still carries the resourceVersion read before the unblocking patch, as upstream's does.
  return reply.ok ? deleteItem(ctx, work, work.latest, 'Foreground', nowMs) : finish(ctx, work, 'failed', nowMs);
}

export function onDeleted(ctx: Context, work: Extract<Work, { step: 'delete' }>, reply: Reply, nowMs: number): Context {
  if (reply.ok) return finish(ctx, work, 'done', nowMs);
  if (reply.status.code === 404) return virtualDelete(ctx, work, nowMs);
  if (reply.status.code === 409 && work.latest !== null) {
    const request = getRequest(work.node.identity);
    if (request !== null) return send({ ...ctx, work: { key: work.key, node: work.node, step: 'recheck', latest: work.latest, policy: work.policy } }, request);
  }
  return finish(ctx, work, 'failed', nowMs);
}

/** After a conflict: gone is success; the same object with the same owners at a newer resourceVersion is deleted again without it. */
export function onRecheck(ctx: Context, work: Extract<Work, { step: 'recheck' }>, reply: Reply, nowMs: number): Context {
  if (!reply.ok) return finish(ctx, work, reply.status.code === 404 ? 'done' : 'failed', nowMs);
  const live = reply.object as KubeObject;
  const onlyVersionMoved = live.metadata.uid === work.node.identity.uid && live.metadata.resourceVersion !== work.latest.metadata.resourceVersion &&
    deepEqual(live.metadata.ownerReferences, work.latest.metadata.ownerReferences);
  return onlyVersionMoved ? deleteItem(ctx, work, null, work.policy, nowMs) : finish(ctx, work, 'failed', nowMs);
}

export function onReferencesRemoved(ctx: Context, work: Extract<Work, { step: 'removeReferences' }>, reply: Reply, nowMs: number): Context {
  return finish(ctx, work, reply.ok ? 'done' : 'failed', nowMs);
}
