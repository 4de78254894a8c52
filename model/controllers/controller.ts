// What every controller of the controller-manager shares (the client-go workqueue pattern):
// informer events queue keys; one key is reconciled at a time, in a step of its own; a key
// may be queued again after a delay (AddAfter); and the API calls a reconcile decides on go
// out one at a time, in order.
import { assign, setup, type AnyStateMachine } from 'xstate';
import type { Caches, ClientContext, ClientEvent, InformedEvent } from '../client.ts';
import type { FeatureGates } from '../feature-gates.ts';
import type { Request } from '../requests.ts';
import type { KubeObject, Resource } from '../resources.ts';

/**
 * A controller of the controller-manager: its machine and the resources it needs informers
 * for. The controller-manager runs one shared informer per resource, feeding every controller
 * that names it (as the SharedInformerFactory does); each sees every change through INFORMED.
 */
export interface ControllerDefinition {
  /** Names the controller in action labels: `reconcile deployment default/web`. */
  readonly name: string;
  readonly machine: AnyStateMachine;
  readonly resources: readonly Resource[];
}

export interface ControllerContext extends ClientContext {
  /** Keys waiting to be reconciled, each once, in order. */
  readonly queue: readonly string[];
  /** Keys to queue again at a time (AddAfter), by time. */
  readonly delayed: readonly { readonly atMs: number; readonly key: string }[];
  /** API calls decided on, behind `request`. */
  readonly outbox: readonly Request[];
}

/** A worker takes `key` for a reconcile, reading the process's caches; `featureGates` are those the controller-manager runs with. */
export type ReconcileEvent = {
  readonly type: 'RECONCILE';
  readonly key: string;
  readonly caches: Caches;
  readonly nowMs: number;
  readonly featureGates: FeatureGates;
};
export type ControllerEvent = ClientEvent | ReconcileEvent;

export const NO_OBJECTS: ReadonlyMap<string, KubeObject> = new Map();

export function cacheOf(caches: Caches, resource: Resource): ReadonlyMap<string, KubeObject> {
  return caches[resource] ?? NO_OBJECTS;
}

export const EMPTY_CONTROLLER: Omit<ControllerContext, never> = { request: null, wakeAtMs: null, queue: [], delayed: [], outbox: [] };

/** Add: queues keys not already queued. */
export function enqueue<C extends ControllerContext>(ctx: C, keys: Iterable<string>): C {
  const queue = [...ctx.queue];
  for (const key of keys) if (!queue.includes(key)) queue.push(key);
  return queue.length === ctx.queue.length ? ctx : { ...ctx, queue };
}

/** AddAfter: queues the key at `atMs` (the earliest time asked for it, if asked twice). */
export function enqueueAfter<C extends ControllerContext>(ctx: C, key: string, atMs: number): C {
  const existing = ctx.delayed.find((d) => d.key === key);
  if (existing && existing.atMs <= atMs) return ctx;
  const delayed = [...ctx.delayed.filter((d) => d.key !== key), { atMs, key }].sort((a, b) => a.atMs - b.atMs || (a.key < b.key ? -1 : 1));
  return { ...ctx, delayed };
}

/** The delayed keys due at `nowMs`, queued. */
export function wakeDue<C extends ControllerContext>(ctx: C, nowMs: number): C {
  const due = ctx.delayed.filter((d) => d.atMs <= nowMs);
  if (due.length === 0) return ctx;
  return enqueue({ ...ctx, delayed: ctx.delayed.filter((d) => d.atMs > nowMs) }, due.map((d) => d.key));
}

/** Get: the key leaves the queue for its reconcile. */
export function dequeue<C extends ControllerContext>(ctx: C, key: string): C {
  return { ...ctx, queue: ctx.queue.filter((k) => k !== key) };
}

export function send<C extends ControllerContext>(ctx: C, ...requests: Request[]): C {
  return requests.length === 0 ? ctx : { ...ctx, outbox: [...ctx.outbox, ...requests] };
}

function eventTime(event: { readonly type: string }): number {
  return 'nowMs' in event ? (event as { nowMs: number }).nowMs : 0;
}

/**
 * A successful update's new resourceVersion, given to the updates of the same object still
 * queued from the same reading of it: a reconcile's writes are a sequence, each made (upstream,
 * synchronously) on the object the one before returned.
 */
function chainResourceVersions<C extends ControllerContext>(ctx: C, event: { readonly type: string }): C {
  if (event.type !== 'REPLY') return ctx;
  const { request, reply } = event as Extract<ClientEvent, { type: 'REPLY' }>;
  if (!reply.ok || request.verb !== 'update' || !reply.object) return ctx;
  const was = request.object.metadata.resourceVersion;
  const now = reply.object.metadata.resourceVersion;
  const same = (r: Request) => r.verb === 'update' && r.resource === request.resource && r.object.metadata.uid === request.object.metadata.uid &&
    r.object.metadata.resourceVersion === was;
  if (!ctx.outbox.some(same)) return ctx;
  const outbox = ctx.outbox.map((r) => (same(r) && r.verb === 'update' ? { ...r, object: { ...r.object, metadata: { ...r.object.metadata, resourceVersion: now } } } : r));
  return { ...ctx, outbox };
}

/**
 * A controller action: the handler, then the settling every event ends with: the next API call
 * out of the outbox if none is in flight, and when the next delayed key is due. Planted defects
 * build their overrides with it too.
 */
export function controllerAction<C extends ControllerContext, E extends { readonly type: string }>(handler: (args: { context: C; event: E }) => C) {
  return assign<C, E, undefined, E, never>(({ context, event }) => {
    const next = chainResourceVersions(handler({ context, event }), event);
    const [request = null, ...outbox] = next.request === null ? next.outbox : [next.request, ...next.outbox];
    const wakeAtMs = next.delayed[0]?.atMs ?? null;
    return { ...next, request, outbox, wakeAtMs: wakeAtMs !== null && wakeAtMs < eventTime(event) ? eventTime(event) : wakeAtMs };
  });
}

/** The key of a namespaced object: namespace/name. */
export function keyOfObject(object: KubeObject): string {
  return `${object.metadata.namespace}/${object.metadata.name}`;
}

/** The object's controller owner reference (GetControllerOf), if it has one. */
export function controllerOf(object: KubeObject): { readonly kind: string; readonly name: string; readonly uid: string } | undefined {
  const ref = (object.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  return ref && { kind: ref.kind, name: ref.name, uid: ref.uid };
}

/** What makes one controller differ from another: how it reads a change, reconciles a key, takes a reply. */
export interface ControllerHandlers<C extends ControllerContext> {
  readonly informed: (ctx: C, event: InformedEvent) => C;
  /** Given the context with the key already out of the queue. */
  readonly reconcile: (ctx: C, event: ReconcileEvent) => C;
  readonly reply: (ctx: C, event: Extract<ClientEvent, { type: 'REPLY' }>) => C;
}

/**
 * A controller's machine: one state, four events, each an action (named `handleInformed`,
 * `reconcile`, `handleReply`, `wake`, so that a planted defect can swap one through
 * machine.provide).
 */
export function controllerMachine<C extends ControllerContext>(id: string, initial: () => C, handlers: ControllerHandlers<C>) {
  type Event = ControllerEvent;
  return setup({
    types: { context: {} as C, events: {} as Event },
    actions: {
      handleInformed: controllerAction<C, Event>(({ context, event }) => (event.type === 'INFORMED' ? handlers.informed(context, event) : context)),
      reconcile: controllerAction<C, Event>(({ context, event }) => (event.type === 'RECONCILE' ? handlers.reconcile(dequeue(context, event.key), event) : context)),
      handleReply: controllerAction<C, Event>(({ context, event }) => (event.type === 'REPLY' ? handlers.reply(context, event) : context)),
      wake: controllerAction<C, Event>(({ context, event }) => (event.type === 'TIMER' ? wakeDue(context, event.nowMs) : context)),
    },
  }).createMachine({
    id,
    context: initial,
    on: {
      INFORMED: { actions: 'handleInformed' },
      RECONCILE: { actions: 'reconcile' },
      REPLY: { actions: 'handleReply' },
      TIMER: { actions: 'wake' },
    },
  });
}
