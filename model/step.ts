// step(world, action): the one way the world changes. Deterministic: the same world
// and action give the same next world, whatever ran before.
import { isFault, type Action } from './actions.ts';
import { internalError } from './api-status.ts';
import { emptyLog, logAppend, logDropFront, logFirst, logSize } from './append-log.ts';
import type { ClientEvent, StreamEnd } from './client.ts';
import { transition } from './machine-runner.ts';
import { isWrite, type Reply, type Request, type WatchEvent } from './requests.ts';
import { getObject, listAt, oldestServableRv, watchFrom } from './store-read.ts';
import type { ClientSnapshot, StoreSnapshot, WatchStream, World } from './world.ts';

const DROPPED: StreamEnd = { kind: 'closed', why: 'dropped' };
const SLOW_WATCHER: StreamEnd = { kind: 'closed', why: 'terminated by the API server: watcher too slow' };
const LEADER_CHANGED: StreamEnd = { kind: 'error', status: internalError('etcdserver: leader changed') };

function replace<T>(list: readonly T[], index: number, value: T): T[] {
  const copy = list.slice();
  copy[index] = value;
  return copy;
}

function sendTo(world: World, client: number, event: ClientEvent): ClientSnapshot {
  return transition(world.system.clients[client]!.machine, world.clients[client]!, event);
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

/** The API server fans a committed event out to every open stream of its resource. */
function fanOut(streams: readonly (WatchStream | null)[], event: WatchEvent, queueMax: number): readonly (WatchStream | null)[] {
  let out: (WatchStream | null)[] | null = null;
  for (let i = 0; i < streams.length; i++) {
    const stream = streams[i];
    if (!stream || stream.end !== null || stream.resource !== event.resource) continue;
    out ??= streams.slice();
    out[i] = enqueue(stream, event, queueMax);
  }
  return out ?? streams;
}

/** A new stream starts with the history after the watch's revision (cacheWatcher initEvents, not subject to queueMax). */
function openStream(events: readonly WatchEvent[], request: Extract<Request, { verb: 'watch' }>): WatchStream {
  let queue = emptyLog<WatchEvent>();
  for (const event of events) queue = logAppend(queue, event);
  return { resource: request.resource, queue, end: null, lastDeliveredRv: request.resourceVersion };
}

function send(world: World, client: number, lagging: boolean): World {
  const request = world.clients[client]!.context.request as Request;
  const { bounds } = world.system;
  let store: StoreSnapshot = world.store;
  let streams = world.streams;
  let reply: Reply;
  if (isWrite(request)) {
    store = transition(world.system.store, store, { type: request.verb, request, nowMs: world.nowMs } as never);
    reply = store.context.reply as Reply;
    if (store.context.event) streams = fanOut(streams, store.context.event, bounds.streamQueueMax);
  } else if (request.verb === 'get') {
    reply = getObject(store.context, request.resource, request.namespace, request.name);
  } else if (request.verb === 'list') {
    const atRv = lagging ? (oldestServableRv(store.context, request.resourceVersion) as number) : store.context.rv;
    reply = { ok: true, ...listAt(store.context, request.resource, atRv) };
  } else {
    const started = watchFrom(store.context, request.resource, request.resourceVersion);
    if (started.ok) {
      streams = replace(streams, client, openStream(started.events, request));
      reply = { ok: true };
    } else {
      reply = { ok: false, status: started.status };
    }
  }
  const clients = replace(world.clients, client, sendTo(world, client, { type: 'REPLY', request, reply, nowMs: world.nowMs }));
  return { ...world, store, streams, clients };
}

function deliver(world: World, client: number): World {
  const stream = world.streams[client] as WatchStream;
  const event = logFirst(stream.queue);
  if (event) {
    const next: WatchStream = { ...stream, queue: logDropFront(stream.queue, 1), lastDeliveredRv: event.rv };
    return {
      ...world,
      streams: replace(world.streams, client, next),
      clients: replace(world.clients, client, sendTo(world, client, { type: 'WATCH_EVENT', event, nowMs: world.nowMs })),
    };
  }
  return {
    ...world,
    streams: replace(world.streams, client, null),
    clients: replace(world.clients, client, sendTo(world, client, { type: 'WATCH_END', end: stream.end as StreamEnd, nowMs: world.nowMs })),
  };
}

function tick(world: World, toMs: number): World {
  const advanced = { ...world, nowMs: toMs };
  let clients = world.clients;
  for (let i = 0; i < clients.length; i++) {
    const at = clients[i]!.context.wakeAtMs;
    if (at !== null && at <= toMs) clients = replace(clients, i, sendTo(advanced, i, { type: 'TIMER', nowMs: toMs }));
  }
  return { ...advanced, clients };
}

function endStream(world: World, client: number, end: StreamEnd): World {
  const stream = world.streams[client] as WatchStream;
  return { ...world, streams: replace(world.streams, client, { ...stream, queue: emptyLog(), end }) };
}

function apply(world: World, action: Action): World {
  switch (action.kind) {
    case 'send': return send(world, action.client, action.lagging);
    case 'deliver': return deliver(world, action.client);
    case 'tick': return tick(world, action.toMs);
    case 'dropWatch': return endStream(world, action.client, DROPPED);
    case 'failWatch': return endStream(world, action.client, LEADER_CHANGED);
    case 'compact': return { ...world, store: transition(world.system.store, world.store, { type: 'compact' }) };
  }
}

export function step(world: World, action: Action): World {
  const next = apply(world, action);
  return isFault(action) ? { ...next, faultsUsed: next.faultsUsed + 1 } : next;
}
