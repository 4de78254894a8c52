// The world: the whole cluster as one value. The store, every client's machine
// snapshot, the watch streams between them, the logical clock and the faults spent.
// Worlds are never mutated; a step returns a new world sharing what did not change,
// so a transition property can compare the world before and after for free.
import type { AnyMachineSnapshot, SnapshotFrom } from 'xstate';
import type { Log } from './append-log.ts';
import { PMap } from './pmap.ts';
import type { ClientContext, StreamEnd } from './client.ts';
import type { FieldSelector } from './field-selector.ts';
import { LEADING_FROM_THE_START, type LeaderSince } from './leader-election.ts';
import { initialSnapshot, transition } from './machine-runner.ts';
import { RESOURCES } from './resources.ts';
import type { WatchEvent } from './requests.ts';
import type { Resource } from './resources.ts';
import type { RuntimeContext, RuntimeMachine } from './runtime.ts';
import type { StoreMachine } from './store.ts';
import type { System } from './system.ts';

/**
 * A watch stream: the wire between the API server and one informer. It lives in the
 * world, as a network does in a model of a distributed system, so that delivering
 * an event costs one machine step (the receiver's) rather than two.
 */
export interface WatchStream {
  readonly resource: Resource;
  readonly queue: Log<WatchEvent>;
  /** Set once the stream has ended; the client learns of it after the queue drains. */
  readonly end: StreamEnd | null;
  /** The resourceVersion of the last event delivered (the watch's start revision at first). */
  readonly lastDeliveredRv: number;
  /** The watch's field selector, if any. */
  readonly selector?: FieldSelector;
}

export type ClientSnapshot = AnyMachineSnapshot & { readonly context: ClientContext };
export type StoreSnapshot = SnapshotFrom<StoreMachine>;
export type RuntimeSnapshot = SnapshotFrom<RuntimeMachine> & { readonly context: RuntimeContext };

export interface NodeState {
  /** What really runs on the node. */
  readonly runtime: RuntimeSnapshot;
  /** Cut off from the API server. */
  readonly partitioned: boolean;
}

export interface World {
  readonly system: System;
  readonly nowMs: number;
  readonly store: StoreSnapshot;
  /** Index-aligned with system.clients. */
  readonly clients: readonly ClientSnapshot[];
  /** Index-aligned with system.clients; null where the client has no stream. */
  readonly streams: readonly (WatchStream | null)[];
  /** Index-aligned with system.nodes. */
  readonly nodes: readonly NodeState[];
  readonly registryDown: boolean;
  readonly faultsUsed: number;
  /**
   * Index-aligned with system.clients: when the client's current wait for its pending work
   * began (the clock at the first tick that found it with work); null while it has none, or
   * has done some of it since the clock last moved (latency.ts).
   */
  readonly workSinceMs: readonly (number | null)[];
  /** When the controller-manager and the scheduler hold their leader lease (again): their clients act from then on. */
  readonly leaderSinceMs: LeaderSince;
  readonly ghost: Ghost;
}

/**
 * Ghost state, known to no component and read only by properties: what a component could
 * and could not know, to tell its mistakes from ambiguities it could not see through.
 */
export interface Ghost {
  /** The objects (by uid) a write committed to while its reply was lost. */
  readonly repliesLost: PMap<true>;
  /** The pods (by uid) a binding of which the API server refused, with the scheduler incarnation that sent it: it must retry them. */
  readonly bindingsRefused: PMap<number>;
  /** Which incarnation of the scheduler bound each pod (by uid). */
  readonly boundBy: PMap<number>;
  /** Restarts of the scheduler so far: its current incarnation. */
  readonly schedulerIncarnation: number;
  /** Restarts of the controller-manager so far. */
  readonly controllerManagerIncarnation: number;
  /** Which controller (client index) and controller-manager incarnation created each object (by uid), as "client@incarnation". */
  readonly createdBy: PMap<string>;
  /** Which controller and incarnation deleted each object (by uid), likewise. */
  readonly deletedBy: PMap<string>;
  /**
   * The latest changes (at most CHURN_KEPT) of each ReplicaSet and Endpoints object, by
   * "resource namespace/name": creations, deletions, ReplicaSet scalings and changes of
   * controller, to tell flapping.
   */
  readonly churn: PMap<readonly Churn[]>;
}

/**
 * One change of an object, at a store revision: created, deleted, scaled to a number of
 * replicas, or given another controller (by name; null: released).
 */
export interface Churn {
  readonly rv: number;
  readonly change: 'created' | 'deleted' | number | { readonly controller: string | null };
}

export const CHURN_KEPT = 8;

export function nodeIsUp(node: NodeState): boolean {
  return node.runtime.context.up;
}

/** The client can act: its node (if it runs on one) is up, and its process (if leader-elected) leads. */
export function clientIsUp(world: World, client: number): boolean {
  const { node, process } = world.system.clients[client]!;
  if (node !== undefined) return nodeIsUp(world.nodes[node]!);
  return process === undefined || world.leaderSinceMs[process] <= world.nowMs;
}

/** The client can act and reach the API server. */
export function clientIsConnected(world: World, client: number): boolean {
  const node = world.system.clients[client]!.node;
  return clientIsUp(world, client) && (node === undefined || !world.nodes[node]!.partitioned);
}

/** The store with the system's initial objects created; an object the API server rejects is the scenario's mistake. */
function initialStore(system: System): StoreSnapshot {
  let store = initialSnapshot(system.store, { historyMax: system.bounds.historyMax, featureGates: system.featureGates }) as StoreSnapshot;
  for (const { resource, object } of system.initialObjects) {
    const namespace = object.metadata.namespace ?? (RESOURCES[resource].namespaced ? 'default' : '');
    store = transition(system.store, store, { type: 'create', request: { verb: 'create', resource, namespace, object }, nowMs: 0 });
    const reply = store.context.reply!;
    if (!reply.ok) throw new Error(`kubeprop: the initial ${resource} ${object.metadata.name} was rejected: ${reply.status.message}`);
  }
  return store;
}

export function initialWorld(system: System): World {
  return {
    system,
    nowMs: 0,
    store: initialStore(system),
    clients: system.clients.map((c) => initialSnapshot(c.machine, c.input) as ClientSnapshot),
    streams: system.clients.map(() => null),
    nodes: system.nodes.map((n, i) => ({
      runtime: initialSnapshot(n.runtime, { node: n.name, images: n.images, up: !n.startsDown, podSubnet: `10.244.${i + 1}` }) as RuntimeSnapshot, partitioned: false,
    })),
    registryDown: false,
    faultsUsed: 0,
    workSinceMs: system.clients.map(() => null),
    leaderSinceMs: LEADING_FROM_THE_START,
    ghost: {
      repliesLost: PMap.empty(), bindingsRefused: PMap.empty(), boundBy: PMap.empty(), schedulerIncarnation: 0, controllerManagerIncarnation: 0,
      createdBy: PMap.empty(), deletedBy: PMap.empty(), churn: PMap.empty(),
    },
  };
}
