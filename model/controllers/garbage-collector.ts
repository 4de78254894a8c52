// The garbage collector (pkg/controller/garbagecollector/garbagecollector.go, graph_builder.go):
// informer events build the dependency graph (garbage-collector-graph.ts) and queue its nodes
// for the attemptToDelete worker (garbage-collector-delete.ts: dependents whose owners are gone,
// owners deleting in the foreground) or the attemptToOrphan worker (garbage-collector-work.ts:
// owners deleted with the orphan finalizer). Queue keys are "delete:<uid>" and "orphan:<uid>";
// a failed item comes back with back-off (garbage-collector-rate-limiter.ts).
//
// Upstream watches every deletable resource; here the kinds that own or are owned in the model:
// Deployments, ReplicaSets, Pods. An owner of another kind is verified by a live GET but never
// observed, so its dependents' item is retried with back-off, as upstream does for an unobserved
// virtual node. A GC that restarts loses its graph: the relists rebuild it, owners deleted while it
// was down come back as virtual nodes, a live GET finds them absent, and their dependents go.
import type { ClientEvent, InformedEvent } from '../client.ts';
import { objectKey, RESOURCES, type Resource } from '../resources.ts';
import {
  type ControllerDefinition, controllerMachine, type ReconcileEvent, EMPTY_CONTROLLER,
} from './controller.ts';
import { onDeleted, onItem, onOwner, onRecheck, onReferencesRemoved, onUnblocked, startAttemptToDelete } from './garbage-collector-delete.ts';
import { EMPTY_GRAPH, factsOf, type Graph, type GraphEvent } from './garbage-collector-graph.ts';
import { identityOf } from './garbage-collector-identity.ts';
import { NO_FAILURES } from './garbage-collector-rate-limiter.ts';
import {
  changeGraph, DELETE_PREFIX, ORPHAN_PREFIX, onFinalizerReply, onOrphanReply, startAttemptToOrphan, type GarbageCollectorContext,
} from './garbage-collector-work.ts';

export const GARBAGE_COLLECTOR_RESOURCES: readonly Resource[] = ['deployments', 'replicasets', 'pods'];

type Context = GarbageCollectorContext;

/**
 * A relist, as the informer's DeltaFIFO.Replace hands it on: an update (or add) for every listed
 * object, in list order, then a deletion for every observed object of the resource whose key the
 * list lacks. An update's old state is what the graph last observed of that uid.
 */
function relistEvents(graph: Graph, resource: Resource, cache: InformedEvent['cache']): GraphEvent[] {
  const { apiVersion, kind } = RESOURCES[resource];
  const listed = [...cache.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, object]): GraphEvent => {
    const known = graph.get(object.metadata.uid ?? '');
    const old = known && !known.virtual ? { beingDeleted: known.beingDeleted, finalizers: known.finalizers, owners: known.owners } : null;
    return { type: 'upsert', identity: identityOf(apiVersion, kind, object), facts: factsOf(object), old };
  });
  const gone = [...graph.values()]
    .filter((n) => !n.virtual && n.identity.kind === kind && n.identity.apiVersion === apiVersion && !cache.has(objectKey(resource, n.identity.namespace, n.identity.name)))
    .sort((a, b) => (a.identity.uid < b.identity.uid ? -1 : 1))
    .map((n): GraphEvent => ({ type: 'delete', identity: n.identity, virtual: false }));
  return [...listed, ...gone];
}

/** The monitors' event handlers: each informer event is one graph change. */
function graphEvents(ctx: Context, informed: InformedEvent): GraphEvent[] {
  if (informed.event === null) return relistEvents(ctx.graph, informed.resource, informed.cache);
  const { apiVersion, kind } = RESOURCES[informed.resource];
  const { type, object, previous } = informed.event;
  const identity = identityOf(apiVersion, kind, object);
  if (type === 'DELETED') return [{ type: 'delete', identity, virtual: false }];
  return [{ type: 'upsert', identity, facts: factsOf(object), old: type === 'ADDED' || previous === null ? null : factsOf(previous) }];
}

function onReply(ctx: Context, event: Extract<ClientEvent, { type: 'REPLY' }>): Context {
  const { request, reply, nowMs } = event;
  const next: Context = { ...ctx, request: null };
  const work = ctx.work;
  if (work === null) return next;
  switch (work.step) {
    case 'getItem': return onItem(next, work, reply, nowMs);
    case 'classify': return onOwner(next, work, request, reply, nowMs);
    case 'removeReferences': return onReferencesRemoved(next, work, reply, nowMs);
    case 'unblock': return onUnblocked(next, work, reply, nowMs);
    case 'delete': return onDeleted(next, work, reply, nowMs);
    case 'recheck': return onRecheck(next, work, reply, nowMs);
    case 'orphan': return onOrphanReply(next, work, reply, nowMs);
    case 'finalizerGet':
    case 'finalizerPatch': return onFinalizerReply(next, work, request, reply, nowMs);
  }
}

function reconcile(ctx: Context, { key, caches, nowMs }: ReconcileEvent): Context {
  if (key.startsWith(DELETE_PREFIX)) return startAttemptToDelete(ctx, key, key.slice(DELETE_PREFIX.length), nowMs);
  return startAttemptToOrphan(ctx, key, key.slice(ORPHAN_PREFIX.length), caches, nowMs);
}

export const garbageCollectorMachine = controllerMachine<Context>('garbage-collector', () => ({ ...EMPTY_CONTROLLER, ...EMPTY_GRAPH, failures: NO_FAILURES, work: null }), {
  informed: (ctx, event) => (GARBAGE_COLLECTOR_RESOURCES.includes(event.resource) ? changeGraph(ctx, graphEvents(ctx, event), event.nowMs) : ctx),
  reconcile,
  reply: onReply,
});

export const garbageCollector: ControllerDefinition = { name: 'garbage-collector', machine: garbageCollectorMachine, resources: GARBAGE_COLLECTOR_RESOURCES };
