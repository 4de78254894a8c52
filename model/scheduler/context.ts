// The scheduler's memory (pkg/scheduler): its cache of nodes and of the pods they hold,
// assumed pods included (backend/cache); its scheduling queue (backend/queue); the cycle
// waiting for its host to be picked; and the API calls it has still to make. A restart
// loses all of it, and the informers' lists rebuild it.
import type { ClientContext } from '../client.ts';
import type { PMap } from '../pmap.ts';
import type { Request } from '../requests.ts';
import type { KubeObject } from '../resources.ts';
import type { SchedulerFeatures } from '../semantics/scheduler-framework.ts';
import type { NodeView } from './plugins.ts';

/** A pod the cache counts on a node: bound (as the informer says), or assumed (bound by this scheduler, not yet confirmed). */
export interface CachedPod {
  readonly uid: string;
  readonly key: string;
  readonly nodeName: string;
  readonly pod: KubeObject;
  readonly assumed: boolean;
}

/** A pod waiting in the scheduling queue (QueuedPodInfo). */
export interface QueuedPod {
  readonly uid: string;
  /** namespace/name: where the pod is in the informer cache. */
  readonly key: string;
  /** When it was last (re)queued: the activeQ's order, and where its backoff counts from. */
  readonly timestampMs: number;
  readonly unschedulableCount: number;
  readonly consecutiveErrorsCount: number;
  /** The plugins that rejected it last time: only events they care about move it back. */
  readonly rejectedBy: readonly string[];
  /** The PersistentVolumeClaims its volumes name (spec.volumes cannot change): VolumeRestrictions' queueing hint reads them. */
  readonly claims: readonly string[];
}

/**
 * A scheduling cycle whose feasible nodes tie for the best score: the host is picked at random
 * among them. `snapshot` is the cache as the cycle saw it (UpdateSnapshot at the cycle's start):
 * what arrives before the pick does not change the decision.
 */
export interface Picking {
  readonly queued: QueuedPod;
  readonly best: readonly string[];
  readonly score: number;
  readonly snapshot: Pick<SchedulerContext, 'nodes' | 'pods'>;
}

export interface SchedulerContext extends ClientContext {
  /** What the process was started with: its feature gates, as the plugins read them. A restart keeps them. */
  readonly features: SchedulerFeatures;
  /** Nodes by name, with what the cache counts on each (NodeInfo). */
  readonly nodes: PMap<NodeView>;
  /** Node names in the order the scheduler walks them (the node tree's order: by name, one zone). */
  readonly nodeOrder: readonly string[];
  /** Pods counted on nodes, by uid. */
  readonly pods: PMap<CachedPod>;
  /** Pods to schedule now, in order (PrioritySort: priority, then timestamp). */
  readonly activeQ: readonly QueuedPod[];
  /** Pods waiting out a backoff after an error (bind or API failure), by when it ends. */
  readonly errorBackoffQ: readonly QueuedPod[];
  /** Pods moved back by an event while still backing off after a rejection, by when it ends. */
  readonly backoffQ: readonly QueuedPod[];
  /** Pods no node fits, until an event that may help, or the 5-minute timeout. */
  readonly unschedulable: PMap<QueuedPod>;
  /** Where the next cycle starts walking the nodes (nextStartNodeIndex). */
  readonly nextStartNodeIndex: number;
  readonly picking: Picking | null;
  /** Pods whose binding is queued or in flight, as they were queued: a failed binding requeues them. */
  readonly binding: PMap<QueuedPod>;
  /** API calls queued behind `request`: bindings and status patches. */
  readonly outbox: readonly Request[];
  /** Retries spent on the status patch in flight (util.PatchPodStatus retries a failed one, 4 attempts in all). */
  readonly patchRetries: number;
}

/** What the scheduler reads when it runs a cycle: its pod informer's cache. */
export interface SchedulerView {
  readonly pods: ReadonlyMap<string, KubeObject>;
}
