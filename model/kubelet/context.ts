// The kubelet's memory: pod workers, its work queue and timers, probe workers, back-offs
// and the status manager's cache. All of it is lost when the kubelet restarts; it is
// rebuilt from the runtime and the API server.
import type { PodStatus } from 'kubernetes-types/core/v1.js';
import type { ClientContext } from '../client.ts';
import type { FeatureGates } from '../feature-gates.ts';
import type { PMap } from '../pmap.ts';
import type { KubeObject } from '../resources.ts';
import type { RuntimeContext, RuntimeEvent } from '../runtime.ts';
import type { Backoff } from '../semantics/backoff.ts';
import type { ProbeType, ProbeWorkerState } from '../semantics/probe.ts';
import type { Waiting } from './status.ts';

export type Admission = null | 'admitted' | { readonly reason: string; readonly message: string };

/**
 * What a SyncPod under way still has to do for one container. Upstream's SyncPod kills,
 * decides the back-off (doBackOff), pulls, creates, starts and runs the postStart hook in one
 * call, blocking the pod worker, on the pod status it began with; the model takes one runtime
 * call a step, so the decisions made as the SyncPod began are kept here until it ends, and the
 * steps that carry it on write no status (upstream writes one as each SyncPod begins).
 */
export type SyncPodUnderway =
  /**
   * Killing it, with `graceMs`, because its liveness or startup probe failed (computePodActions), to
   * start it again in the same SyncPod: that start's back-off is judged on the exit before the one
   * the kill causes, the newest the SyncPod's pod status held, or on none.
   */
  | {
    readonly phase: 'killing'; readonly container: string; readonly id: string; readonly graceMs: number; readonly backoffSinceMs: number | null;
    /** Whether the SyncPod starts it again once killed: decided with the kill, not from the exit the kill causes. */
    readonly restart: boolean;
  }
  /** Attempt `attempt` passed its back-off and has its image: create and start it next. */
  | { readonly phase: 'starting'; readonly container: string; readonly attempt: number }
  /** Started; its postStart hook runs against instance `id`. `failure`: once the hook failed, why (the container is then killed). */
  | { readonly phase: 'postStart'; readonly container: string; readonly id: string; readonly failure: string | null }
  /**
   * Restarting every container (RestartAllContainersOnContainerExits): killing and removing these
   * instances in turn, every init and regular container's, those whose exit asked for it last.
   */
  | { readonly phase: 'resetting'; readonly ids: readonly string[] };

export interface PodWorker {
  readonly uid: string;
  /** namespace/name: where the pod is in the informer cache. */
  readonly key: string;
  readonly admission: Admission;
  readonly startedAtMs: number;
  /** Why each container waits, as the last sync decided. */
  readonly waiting: Readonly<Record<string, Waiting>>;
  /** The SyncPod under way, if the last step did not end it. */
  readonly underway: SyncPodUnderway | null;
  /**
   * The grace period each container being stopped was given, by container id: the one its
   * preStop hook runs in, then, once it is sent SIGTERM, SIGTERM's (what the hook left, at least 2 s).
   */
  readonly graceMs: Readonly<Record<string, number>>;
  /** Why the pod's volumes cannot be set up, if they cannot (upstream: a FailedMount event). */
  readonly mountProblem: string | null;
  /** The phase the kubelet last computed for the pod. */
  readonly phase: string | undefined;
  readonly deleteRequested: boolean;
}

export interface ProbeSlot {
  readonly uid: string;
  readonly podKey: string;
  readonly container: string;
  readonly type: ProbeType;
  readonly worker: ProbeWorkerState;
  readonly periodMs: number;
  readonly nextProbeAtMs: number;
}

export interface KubeletContext extends ClientContext {
  readonly node: string;
  /** The feature gates it runs with: they decide restarts, back-off, phase and conditions. */
  readonly featureGates: FeatureGates;
  /** The Node this kubelet registers: its allocatable is what admission fits pods into. */
  readonly registration: KubeObject;
  readonly workers: PMap<PodWorker>;
  /** Pod uids with work to do, in order, each at most once. */
  readonly queue: readonly string[];
  /** Pods to sync again at a time: back-off expiries, grace period ends. Sorted by time. */
  readonly timers: readonly { readonly atMs: number; readonly uid: string }[];
  readonly probes: PMap<ProbeSlot>;
  /** The earliest time a probe is due, or null without probes. */
  readonly probeDueMs: number | null;
  readonly crashBackoff: Backoff;
  readonly imageBackoff: Backoff;
  /** Statuses to write, by pod uid (the status manager's queue). */
  readonly statusPending: PMap<{ readonly key: string; readonly status: PodStatus }>;
  /** Statuses the API server has accepted, by pod uid, with the resourceVersion each write got. */
  readonly statusWritten: PMap<{ readonly status: PodStatus; readonly rv: number }>;
  /** Pods whose final delete (grace 0) is due, by uid. */
  readonly deletePending: PMap<string>;
  readonly lease: KubeObject | null;
  /** The Node's conditions as the API server has them are not the kubelet's (the node lifecycle controller marked them Unknown): report them again. */
  readonly nodeStatusStale: boolean;
  readonly leaseRenewAtMs: number;
  /** The runtime call the last sync decided on, for the world to carry out. */
  readonly op: RuntimeEvent | null;
}

/** What the kubelet sees when it syncs: its informer caches, the runtime, the image registry. */
export interface KubeletView {
  readonly pods: ReadonlyMap<string, KubeObject>;
  readonly configmaps: ReadonlyMap<string, KubeObject>;
  readonly secrets: ReadonlyMap<string, KubeObject>;
  readonly runtime: RuntimeContext;
  readonly registry: { readonly down: boolean; readonly images: ReadonlySet<string> };
  readonly nowMs: number;
}

export type KubeletEvent =
  /** The runtime reports a container state change (the pod lifecycle event generator). */
  | { readonly type: 'PLEG'; readonly uid: string; readonly nowMs: number }
  | { readonly type: 'SYNC_POD'; readonly uid: string; readonly view: KubeletView; readonly nowMs: number }
  | { readonly type: 'PROBE'; readonly slot: string; readonly passed: boolean; readonly view: KubeletView; readonly nowMs: number };
