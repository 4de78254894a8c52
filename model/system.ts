// The fixed part of a run: which machines play each part, which clients exist,
// which faults may strike and the bounds on everything. A World points at its
// System but never changes it.
import type { AnyStateMachine } from 'xstate';
import type { StoreMachine } from './store.ts';
import type { Resource } from './resources.ts';

export type ClientKind = 'informer' | 'user';

export interface ClientSpec {
  /** Stable, readable name used in action labels: `configmaps -> reader-1`, `user alice`. */
  readonly id: string;
  readonly kind: ClientKind;
  readonly machine: AnyStateMachine;
  readonly input: unknown;
  /** The resource an informer watches; undefined for other clients. */
  readonly resource?: Resource;
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
}

export interface Bounds {
  /** Faults injected in one run at most. */
  readonly faultsMax: number;
  /** Events the store keeps for watches and lagging reads before compacting the oldest. */
  readonly historyMax: number;
  /** Events buffered on one watch stream before the API server terminates the slow watcher. */
  readonly streamQueueMax: number;
}

export interface System {
  readonly store: StoreMachine;
  readonly clients: readonly ClientSpec[];
  readonly faults: FaultProfile;
  readonly bounds: Bounds;
}
