// Steps between clients and the API server: sending a request, delivering a watch
// event, and the faults of watch streams and etcd.
import { internalError, serviceUnavailable, timeout } from './api-status.ts';
import { emptyLog, logAppend, logDropFront, logFirst, logSize } from './append-log.ts';
import type { Caches, ClientEvent, StreamEnd } from './client.ts';
import { controllerOf, type ReconcileEvent } from './controllers/controller.ts';
import type { InformerContext } from './informer.ts';
import { filterEvent } from './field-selector.ts';
import type { KubeletEvent } from './kubelet/context.ts';
import type { SchedulerEvent } from './scheduler/machine.ts';
import { initialSnapshot, transition } from './machine-runner.ts';
import { isWrite, type Reply, type Request, type WatchEvent } from './requests.ts';
import type { KubeObject, Resource } from './resources.ts';
import { getObject, listAt, oldestServableRv, watchFrom } from './store-read.ts';
import { CHURN_KEPT, type Churn, type ClientSnapshot, type Ghost, type StoreSnapshot, type WatchStream, type World } from './world.ts';

export const DROPPED: StreamEnd = { kind: 'closed', why: 'dropped' };
export const PARTITIONED: StreamEnd = { kind: 'closed', why: 'network partition' };
export const LEADER_CHANGED: StreamEnd = { kind: 'error', status: internalError('etcdserver: leader changed') };
const SLOW_WATCHER: StreamEnd = { kind: 'closed', why: 'terminated by the API server: watcher too slow' };

export function replace<T>(list: readonly T[], index: number, value: T): T[] {
  const copy = list.slice();
  copy[index] = value;
  return copy;
}

/** The clients' processes start afresh: each client back to its initial state, its watch stream gone. */
export function restartClients(world: World, members: readonly number[]): World {
  let { clients, streams, workSinceMs } = world;
  for (const i of members) {
    const c = world.system.clients[i]!;
    clients = replace(clients, i, initialSnapshot(c.machine, c.input) as ClientSnapshot);
    streams = replace(streams, i, null);
    // A new process's work is new: it has waited for nothing yet.
    workSinceMs = replace(workSinceMs, i, null);
  }
  return { ...world, clients, streams, workSinceMs };
}

export function sendTo(world: World, client: number, event: ClientEvent | KubeletEvent | SchedulerEvent | ReconcileEvent): World {
  const next = transition(world.system.clients[client]!.machine, world.clients[client]!, event) as ClientSnapshot;
  return { ...world, clients: replace(world.clients, client, next) };
}

/**
 * Appends a live event to a stream. A client that has fallen `queueMax` events behind is
 * terminated, as the apiserver's cacheWatcher does when its input channel stays full:
 * what is already buffered still reaches the client, then the stream closes and the
 * client rewatches from the last revision it saw.
 */
function enqueue(stream: WatchStream, event: WatchEvent, queueMax: number): WatchStream {
  if (logSize(stream.queue) >= queueMax) return { ...stream, end: SLOW_WATCHER };
  return { ...stream, queue: logAppend(stream.queue, event) };
}

/** The API server fans a committed event out to every open stream that sees it. */
function fanOut(streams: readonly (WatchStream | null)[], event: WatchEvent, queueMax: number): readonly (WatchStream | null)[] {
  let out: (WatchStream | null)[] | null = null;
  for (let i = 0; i < streams.length; i++) {
    const stream = streams[i];
    if (!stream || stream.end !== null || stream.resource !== event.resource) continue;
    const seen = filterEvent(event, stream.selector);
    if (!seen) continue;
    out ??= streams.slice();
    out[i] = enqueue(stream, seen, queueMax);
  }
  return out ?? streams;
}

/** A new stream starts with the history after the watch's revision (cacheWatcher initEvents, not subject to queueMax). */
function openStream(events: readonly WatchEvent[], request: Extract<Request, { verb: 'watch' }>): WatchStream {
  let queue = emptyLog<WatchEvent>();
  for (const event of events) queue = logAppend(queue, event);
  return {
    resource: request.resource, queue, end: null, lastDeliveredRv: request.resourceVersion,
    ...(request.selector !== undefined ? { selector: request.selector } : {}),
  };
}

/** Tells the components an informer feeds what changed (`event`), or that its cache was relisted (null). */
function notifyOwners(world: World, informer: number, event: WatchEvent | null, replaced?: ReadonlyMap<string, KubeObject>): World {
  const spec = world.system.clients[informer]!;
  const cache = (world.clients[informer]!.context as InformerContext).cache;
  let next = world;
  for (const owner of spec.owners ?? []) {
    const informed = { type: 'INFORMED', resource: spec.resource!, event, cache, caches: cachesOf(next, owner), nowMs: world.nowMs } as const;
    next = sendTo(next, owner, replaced === undefined ? informed : { ...informed, replaced });
  }
  return next;
}

/** The caches of the client's process's shared informers. */
export function cachesOf(world: World, client: number): Caches {
  const caches: Caches = {};
  const informers = world.system.clients[client]!.informers ?? {};
  for (const resource of Object.keys(informers) as Resource[]) caches[resource] = (world.clients[informers[resource]!]!.context as InformerContext).cache;
  return caches;
}

/**
 * How a request fares on the wire: answered; refused (a write turned away, nothing applied);
 * or with its reply lost (a write applied, but the client hears only a timeout).
 */
export type Delivery = 'answered' | 'refused' | 'replyLost';

/** The churn an event adds to the object's record, if it is one kubeprop watches for flapping. */
function churnOf(event: WatchEvent): Churn | null {
  if (event.resource !== 'replicasets' && event.resource !== 'endpoints') return null;
  if (event.type !== 'MODIFIED') return { rv: event.rv, change: event.type === 'ADDED' ? 'created' : 'deleted' };
  const controller = controllerOf(event.object);
  if (controller?.uid !== (event.previous && controllerOf(event.previous))?.uid) return { rv: event.rv, change: { controller: controller?.name ?? null } };
  const replicas = (o: KubeObject | null) => (o?.spec as { replicas?: number } | undefined)?.replicas;
  const now = replicas(event.object);
  return event.resource === 'replicasets' && now !== undefined && now !== replicas(event.previous) ? { rv: event.rv, change: now } : null;
}

function recordChurn(churn: Ghost['churn'], event: WatchEvent): Ghost['churn'] {
  const change = churnOf(event);
  if (change === null) return churn;
  const key = `${event.resource} ${event.key}`;
  return churn.set(key, [...(churn.get(key) ?? []).slice(1 - CHURN_KEPT), change]);
}

/**
 * The ghost state after a committed write: a reply lost, a binding made by the scheduler's current
 * incarnation, an object created or deleted by a controller, an object's churn.
 */
function witnessed(world: World, client: number, request: Request, delivery: Delivery, store: StoreSnapshot): Ghost {
  const event = store.context.rv > world.store.context.rv ? store.context.event : null;
  if (event === null) return world.ghost;
  const uid = event.object.metadata.uid ?? '';
  const { ghost } = world;
  const byController = world.system.clients[client]!.kind === 'controller' ? `${client}@${ghost.controllerManagerIncarnation}` : null;
  return {
    ...ghost,
    repliesLost: delivery === 'replyLost' ? ghost.repliesLost.set(uid, true) : ghost.repliesLost,
    boundBy: request.verb === 'bind' ? ghost.boundBy.set(uid, ghost.schedulerIncarnation) : ghost.boundBy,
    createdBy: byController !== null && request.verb === 'create' ? ghost.createdBy.set(uid, byController) : ghost.createdBy,
    deletedBy: byController !== null && request.verb === 'delete' ? ghost.deletedBy.set(uid, byController) : ghost.deletedBy,
    churn: recordChurn(ghost.churn, event),
  };
}

export function send(world: World, client: number, lagging: boolean, delivery: Delivery = 'answered'): World {
  const request = world.clients[client]!.context.request as Request;
  const { bounds } = world.system;
  let store: StoreSnapshot = world.store;
  let streams = world.streams;
  let reply: Reply;
  let { ghost } = world;
  if (isWrite(request)) {
    if (delivery === 'refused') {
      reply = { ok: false, status: serviceUnavailable() };
      if (request.verb === 'bind') ghost = { ...ghost, bindingsRefused: ghost.bindingsRefused.set(request.uid, ghost.schedulerIncarnation) };
    } else {
      store = transition(world.system.store, store, { type: request.verb, request, nowMs: world.nowMs });
      reply = delivery === 'replyLost' ? { ok: false, status: timeout() } : store.context.reply as Reply;
      if (store.context.event) streams = fanOut(streams, store.context.event, bounds.streamQueueMax);
    }
  } else if (request.verb === 'get') {
    reply = getObject(store.context, request.resource, request.namespace, request.name);
  } else if (request.verb === 'list') {
    const atRv = lagging ? (oldestServableRv(store.context, request.resourceVersion) as number) : store.context.rv;
    reply = { ok: true, ...listAt(store.context, request.resource, atRv, request.selector) };
  } else {
    const started = watchFrom(store.context, request.resource, request.resourceVersion, request.selector);
    if (started.ok) {
      streams = replace(streams, client, openStream(started.events, request));
      reply = { ok: true };
    } else {
      reply = { ok: false, status: started.status };
    }
  }
  const replied = sendTo({ ...world, store, streams, ghost: witnessed({ ...world, ghost }, client, request, delivery, store) }, client, { type: 'REPLY', request, reply, nowMs: world.nowMs });
  if (request.verb !== 'list' || !reply.ok) return replied;
  return notifyOwners(replied, client, null, (world.clients[client]!.context as InformerContext).cache);
}

export function deliver(world: World, client: number): World {
  const stream = world.streams[client] as WatchStream;
  const event = logFirst(stream.queue);
  if (event) {
    const next: WatchStream = { ...stream, queue: logDropFront(stream.queue, 1), lastDeliveredRv: event.rv };
    const delivered = sendTo({ ...world, streams: replace(world.streams, client, next) }, client, { type: 'WATCH_EVENT', event, nowMs: world.nowMs });
    return notifyOwners(delivered, client, event);
  }
  return sendTo({ ...world, streams: replace(world.streams, client, null) }, client, { type: 'WATCH_END', end: stream.end as StreamEnd, nowMs: world.nowMs });
}

export function tick(world: World, toMs: number): World {
  let next: World = { ...world, nowMs: toMs };
  for (let i = 0; i < next.clients.length; i++) {
    const at = next.clients[i]!.context.wakeAtMs;
    if (at !== null && at <= toMs) next = sendTo(next, i, { type: 'TIMER', nowMs: toMs });
  }
  return next;
}

/** Ends a client's stream: what was buffered is lost, and the client learns of the end next. */
export function endStream(world: World, client: number, end: StreamEnd): World {
  const stream = world.streams[client];
  if (!stream || stream.end !== null) return world;
  return { ...world, streams: replace(world.streams, client, { ...stream, queue: emptyLog(), end }) };
}

export function compact(world: World): World {
  return { ...world, store: transition(world.system.store, world.store, { type: 'compact' }) };
}
