// The fixed part of a run: which machines play each part, which clients exist,
// which faults may strike and the bounds on everything. A World points at its
// System but never changes it.
import type { AnyStateMachine } from 'xstate';
import type { FeatureGates } from './feature-gates.ts';
import type { ProcessBehaviour } from './process.ts';
import type { KubeObject, Resource } from './resources.ts';
import type { RuntimeMachine } from './runtime.ts';
import type { StoreMachine } from './store.ts';

export type ClientKind = 'informer' | 'user' | 'kubelet' | 'scheduler' | 'controller';

export interface ClientSpec {
  /** Stable, readable name used in action labels: `configmaps -> reader-1`, `user alice`. */
  readonly id: string;
  readonly kind: ClientKind;
  readonly machine: AnyStateMachine;
  readonly input: unknown;
  /** The resource an informer watches; undefined for other clients. */
  readonly resource?: Resource;
  /** The components (client indices) an informer feeds, each told of every change it sees (a shared informer). */
  readonly owners?: readonly number[];
  /** The shared informers of the client's process, by resource: the caches its handlers and reconciles read. */
  readonly informers?: Partial<Record<Resource, number>>;
  /** The node (index in System.nodes) the client runs on: it is down when the node is, cut off when it is. */
  readonly node?: number;
  /** The control-plane process the client is part of: it acts only while the process holds its leader lease (leader-election.ts). */
  readonly process?: ControlPlaneProcess;
}

/** The leader-elected processes of the control plane. */
export type ControlPlaneProcess = 'controller-manager' | 'scheduler';

export interface NodeSpec {
  readonly name: string;
  readonly runtime: RuntimeMachine;
  readonly images: readonly string[];
  /** Client indices: the kubelet and its informers. */
  readonly kubelet: number;
  readonly informers: { readonly pods: number; readonly configmaps: number; readonly secrets: number; readonly nodes: number };
  /** Powered off when the run begins: the node joins when it boots. */
  readonly startsDown: boolean;
}

/** The scheduler and the informers that feed it (client indices). */
export interface SchedulerSpec {
  readonly client: number;
  readonly informers: { readonly pods: number; readonly nodes: number };
}

/**
 * The controller-manager: one process running the controllers (client indices, each named by
 * its definition) and the shared informers they read (one per resource).
 */
export interface ControllerManagerSpec {
  readonly controllers: readonly { readonly client: number; readonly name: string }[];
  readonly informers: readonly number[];
}

/** Which faults the chooser may inject. */
export interface FaultProfile {
  /** The network drops a watch stream; buffered events are lost and the client rewatches. */
  readonly watchDrop: boolean;
  /** A watch stream ends with an internal error; the client relists. */
  readonly watchError: boolean;
  /** etcd compacts its history; rewatching from before the compaction gets 410 Gone. */
  readonly compaction: boolean;
  /** A list is served by a lagging API server, at the oldest revision the request allows. */
  readonly staleList: boolean;
  /** A node loses power: its containers die, its kubelet forgets everything; it reboots empty. */
  readonly nodeCrash: boolean;
  /** A node is cut off from the API server; its containers keep running. */
  readonly nodePartition: boolean;
  /**
   * A node crashed or cut off stays so until faults are healed: exploration offers no reboot or
   * reconnection. Otherwise each recovery competes evenly with each tick (at most 5 s, the node
   * monitor's period), and no outage outlasts the 50 s grace after which the control plane notices.
   */
  readonly outagesLastUntilHealed?: boolean;
  /** A kubelet restarts: it forgets everything and rebuilds from the runtime and the API server. */
  readonly kubeletRestart: boolean;
  /** A running container's process crashes (exit 1). */
  readonly containerCrash: boolean;
  /** The image registry is unreachable. */
  readonly registryDown: boolean;
  /** A probe that would pass fails (a slow endpoint, a timeout). */
  readonly probeFailure: boolean;
  /** The scheduler restarts: its cache and queue are lost, and rebuilt from its informers' lists. */
  readonly schedulerRestart: boolean;
  /** The controller-manager restarts: its controllers' queues, expectations and caches are lost. */
  readonly controllerManagerRestart: boolean;
  /**
   * A component stalls: the clock moves past the latency bound of its pending work (latency.ts)
   * while the work waits, as in a long GC pause, an overloaded API server or a kubelet busy
   * elsewhere. Without it, pending work happens within WORK_LATENCY_MS_MAX of becoming due.
   */
  readonly stall: boolean;
  /**
   * The components whose writes may fail: refused by the API server (503, not applied), or
   * applied with the reply lost (504: the client cannot tell it committed). A scenario names
   * the components it is about, so their failures are not drowned by everyone else's. Users'
   * writes never fail: the user's script is the scenario.
   */
  readonly requestFailure: readonly Exclude<ClientKind, 'user' | 'informer'>[];
}

/** No fault at all: a scenario's profile turns on the ones it wants. */
export const NO_FAULTS: FaultProfile = {
  watchDrop: false, watchError: false, compaction: false, staleList: false,
  nodeCrash: false, nodePartition: false, kubeletRestart: false, containerCrash: false, registryDown: false, probeFailure: false,
  schedulerRestart: false, controllerManagerRestart: false, stall: false, requestFailure: [],
};

/** The faults a profile switches on or off by name (every switch but requestFailure, which names components). */
export const FAULT_KINDS = (Object.keys(NO_FAULTS) as (keyof FaultProfile)[]).filter((k) => typeof NO_FAULTS[k] === 'boolean');

/** The components whose writes may be made to fail (FaultProfile.requestFailure). */
export const REQUEST_FAILURE_CLIENTS = ['scheduler', 'controller', 'kubelet'] as const satisfies readonly FaultProfile['requestFailure'][number][];

/** The profile with exactly these faults on, and these components' writes failing. */
export function faultProfile(kinds: readonly string[], requestFailure: FaultProfile['requestFailure']): FaultProfile {
  return { ...NO_FAULTS, ...Object.fromEntries(kinds.map((k) => [k, true])), requestFailure };
}

export interface Bounds {
  /** Faults injected in one run at most. */
  readonly faultsMax: number;
  /** Events the store keeps for watches and lagging reads before compacting the oldest. */
  readonly historyMax: number;
  /** Events buffered on one watch stream before the API server terminates the slow watcher. */
  readonly streamQueueMax: number;
}

/** An object the cluster holds before the run begins. */
export interface InitialObject {
  readonly resource: Resource;
  readonly object: KubeObject;
}

export interface System {
  readonly store: StoreMachine;
  /** Created, in order, before the first step: the cluster as it was when the run began. */
  readonly initialObjects: readonly InitialObject[];
  readonly clients: readonly ClientSpec[];
  readonly nodes: readonly NodeSpec[];
  /** The scheduler, when the scenario runs one. */
  readonly scheduler: SchedulerSpec | null;
  /** The controller-manager, when the scenario runs controllers. */
  readonly controllerManager: ControllerManagerSpec | null;
  /** Images the registry serves, with the default tag applied ("nginx:latest"). */
  readonly registry: ReadonlySet<string>;
  /** What the process of a container does, by pod namespace/name, container name and image. */
  readonly behaviour: (podKey: string, container: string, image: string) => ProcessBehaviour;
  readonly faults: FaultProfile;
  readonly bounds: Bounds;
  /** The feature gates every component runs with (--feature-gates): the release's defaults unless the scenario sets some. */
  readonly featureGates: FeatureGates;
}
