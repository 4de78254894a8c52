// The kubelet, one xstate machine per node. It registers its Node and Lease, renews the
// Lease every 10 s (pkg/kubelet/nodelease), keeps a pod worker per pod bound to its node
// (pod_workers.go) that syncs one runtime call at a time (sync.ts), runs liveness,
// readiness and startup probes (prober/), and writes each pod's status through the
// status manager (status/status_manager.go), which finally deletes a terminated pod.
import type { PodSpec, PodStatus } from 'kubernetes-types/core/v1.js';
import { assign, setup } from 'xstate';
import type { ClientEvent, InformedEvent } from '../client.ts';
import type { FeatureGates } from '../feature-gates.ts';
import { deepEqual } from '../equal.ts';
import { earliest, future, timestamp } from '../clock.ts';
import { PMap } from '../pmap.ts';
import type { Request } from '../requests.ts';
import type { KubeObject } from '../resources.ts';
import { kubeletNodeConditions, reportsKubeletConditions } from '../node-object.ts';
import { newestInstance, type RuntimeContainer } from '../runtime.ts';
import { newBackoff, newCrashLoopBackoff } from '../semantics/backoff.ts';
import { previousPodStatus, shouldAllContainersRestart } from '../semantics/all-containers-restart.ts';
import { doProbe, type ProbedContainerState } from '../semantics/probe.ts';
import type { KubeletContext, KubeletEvent, PodWorker, ProbeSlot } from './context.ts';
import { isTerminal, isTerminating, latestStatus, podOf, probeSlotsFor, syncPod, syncTerminatedPod, syncTerminatingPod } from './sync.ts';

export const LEASE_RENEW_INTERVAL_MS = 10_000;
export const LEASE_DURATION_SECONDS = 40;
export const LEASE_NAMESPACE = 'kube-node-lease';
/** Image pull back-off: 10 s doubling to 300 s (kubelet.go backOffPeriod, MaxContainerBackOff). */
const IMAGE_BACKOFF_INITIAL_MS = 10_000;
const IMAGE_BACKOFF_MAX_MS = 300_000;

export interface KubeletInput {
  readonly node: string;
  /** The Node the kubelet registers. */
  readonly registration: KubeObject;
  /** The feature gates the kubelet runs with (--feature-gates). */
  readonly featureGates: FeatureGates;
}

export type KubeletMachineEvent = ClientEvent | KubeletEvent;
type Event = KubeletMachineEvent;
type Change = Partial<KubeletContext>;

function enqueue(ctx: KubeletContext, uids: Iterable<string>): Change {
  const queue = [...ctx.queue];
  for (const uid of uids) if (!queue.includes(uid)) queue.push(uid);
  return queue.length === ctx.queue.length ? {} : { queue };
}

function createLeaseRequest(node: string, nowMs: number): Request {
  return { verb: 'create', resource: 'leases', namespace: LEASE_NAMESPACE, object: leaseObject(node, nowMs) };
}

function leaseObject(node: string, nowMs: number): KubeObject {
  return {
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
    metadata: { name: node, namespace: LEASE_NAMESPACE },
    spec: { holderIdentity: node, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: timestamp(nowMs) },
  };
}

/** The next request to send, in priority order: lease renewal, pod statuses, final deletes. */
function nextRequest(ctx: KubeletContext, nowMs: number): Request | null {
  if (ctx.lease === null) return { verb: 'get', resource: 'leases', namespace: LEASE_NAMESPACE, name: ctx.node };
  if (nowMs >= ctx.leaseRenewAtMs) {
    const lease = ctx.lease;
    return { verb: 'update', resource: 'leases', object: { ...lease, spec: { ...(lease.spec as object), renewTime: timestamp(nowMs) } } };
  }
  if (ctx.nodeStatusStale) {
    const conditions = kubeletNodeConditions().map((c) => ({ ...c, lastHeartbeatTime: timestamp(nowMs), lastTransitionTime: timestamp(nowMs) }));
    return { verb: 'patch', resource: 'nodes', namespace: '', name: ctx.node, subresource: 'status', patch: { status: { conditions } } };
  }
  for (const [uid, pending] of ctx.statusPending.entries()) {
    const [namespace, name] = pending.key.split('/') as [string, string];
    return {
      verb: 'update', resource: 'pods', subresource: 'status',
      object: { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, uid }, status: pending.status },
    };
  }
  for (const [uid, key] of ctx.deletePending.entries()) {
    const [namespace, name] = key.split('/') as [string, string];
    return { verb: 'delete', resource: 'pods', namespace, name, gracePeriodSeconds: 0, preconditions: { uid } };
  }
  return null;
}

/** The earliest time a probe is due, or null without probes; kept per probe map, as most events leave the probes as they were. */
const earliestProbes = new WeakMap<PMap<ProbeSlot>, number | null>();

function earliestProbeMs(probes: PMap<ProbeSlot>): number | null {
  let earliest = earliestProbes.get(probes);
  if (earliest === undefined) {
    earliest = null;
    for (const slot of probes.values()) if (earliest === null || slot.nextProbeAtMs < earliest) earliest = slot.nextProbeAtMs;
    earliestProbes.set(probes, earliest);
  }
  return earliest;
}

/**
 * When the kubelet needs the clock: `wakeAtMs` is its earliest timer, probe or lease renewal
 * still in the future (one already due is acted on directly: a probe is an enabled action,
 * and the clock cannot pass it; a renewal waits for the request slot); `probeDueMs` is its
 * earliest probe.
 */
function deadlines(ctx: KubeletContext, nowMs: number): Pick<KubeletContext, 'wakeAtMs' | 'probeDueMs'> {
  const probeDueMs = earliestProbeMs(ctx.probes);
  const renewAtMs = ctx.lease === null ? null : ctx.leaseRenewAtMs;
  const wakeAtMs = earliest(ctx.timers[0]?.atMs ?? null, earliest(future(probeDueMs, nowMs), future(renewAtMs, nowMs)));
  return { wakeAtMs, probeDueMs };
}

function eventTime(event: Event): number {
  return 'nowMs' in event ? event.nowMs : 0;
}

function onReply(ctx: KubeletContext, event: Extract<ClientEvent, { type: 'REPLY' }>): Change {
  const { request, reply, nowMs } = event;
  const cleared: Change = { request: null };
  if (request.verb === 'get' && request.resource === 'leases') {
    // ensureLease: a lease that does not exist (its creation was refused) is created.
    if (!reply.ok && reply.status.code === 404) return { lease: null, request: createLeaseRequest(ctx.node, nowMs) };
    return { ...cleared, lease: reply.ok ? reply.object ?? null : null };
  }
  if (request.verb === 'create' && request.resource === 'leases') {
    return { ...cleared, lease: reply.ok ? reply.object ?? null : null, ...(reply.ok ? { leaseRenewAtMs: nowMs + LEASE_RENEW_INTERVAL_MS } : {}) };
  }
  if (request.verb === 'update' && request.resource === 'leases') {
    if (!reply.ok) return { ...cleared, lease: null };
    return { ...cleared, lease: reply.object ?? null, leaseRenewAtMs: nowMs + LEASE_RENEW_INTERVAL_MS };
  }
  if (request.verb === 'patch' && request.resource === 'nodes') return { ...cleared, nodeStatusStale: !reply.ok };
  if (request.verb === 'update' && request.resource === 'pods') {
    const uid = request.object.metadata.uid ?? '';
    const sent = request.object.status as PodStatus;
    const pending = ctx.statusPending.get(uid);
    const statusPending = !reply.ok || (pending && deepEqual(pending.status, sent)) ? ctx.statusPending.delete(uid) : ctx.statusPending;
    const statusWritten = reply.ok ? ctx.statusWritten.set(uid, { status: sent, rv: Number(reply.object?.metadata.resourceVersion ?? 0) }) : ctx.statusWritten;
    // A written terminal status may be what a terminating pod waits for before its final delete.
    return { ...cleared, statusPending, statusWritten, ...enqueue(ctx, [uid]) };
  }
  if (request.verb === 'delete' && request.resource === 'pods') {
    const uid = request.preconditions?.uid ?? '';
    const worker = ctx.workers.get(uid);
    // A delete that failed is asked again on the pod's next sync; one that succeeded (or found the pod gone) is done.
    const done = reply.ok || reply.status.code === 404;
    return {
      ...cleared, deletePending: ctx.deletePending.delete(uid),
      ...(worker && done ? { workers: ctx.workers.set(uid, { ...worker, deleteRequested: true }) } : {}),
      ...(done ? {} : enqueue(ctx, [uid])),
    };
  }
  return cleared;
}

function newWorker(object: KubeObject, nowMs: number): PodWorker {
  return {
    uid: object.metadata.uid ?? '', key: `${object.metadata.namespace}/${object.metadata.name}`, admission: null,
    startedAtMs: nowMs, waiting: {}, underway: null, graceMs: {}, mountProblem: null, phase: undefined, deleteRequested: false,
  };
}

/** A pod worker for a pod new to the kubelet, with a probe worker for each of its probes. */
function addWorker(ctx: Pick<KubeletContext, 'workers' | 'probes'>, object: KubeObject, nowMs: number, gates: FeatureGates): Pick<KubeletContext, 'workers' | 'probes'> {
  const uid = object.metadata.uid ?? '';
  if (ctx.workers.has(uid)) return ctx;
  let probes = ctx.probes;
  for (const slot of probeSlotsFor(object.spec as PodSpec, object, nowMs, gates)) probes = probes.set(`${slot.uid}/${slot.container}/${slot.type}`, slot);
  return { workers: ctx.workers.set(uid, newWorker(object, nowMs)), probes };
}

/** A pod the kubelet's informer reported: a worker for it if it is new, and a sync. */
function onPod(ctx: KubeletContext, object: KubeObject, nowMs: number): Change {
  const uid = object.metadata.uid ?? '';
  if ((object.spec as { nodeName?: string }).nodeName !== ctx.node && !ctx.workers.has(uid)) return {};
  return { ...addWorker(ctx, object, nowMs, ctx.featureGates), ...enqueue(ctx, [uid]) };
}

/** After a relist: a worker for every pod on the node, and every worker synced. */
function onResync(ctx: KubeletContext, pods: ReadonlyMap<string, KubeObject>, nowMs: number): Change {
  let added: Pick<KubeletContext, 'workers' | 'probes'> = ctx;
  for (const pod of pods.values()) added = addWorker(added, pod, nowMs, ctx.featureGates);
  return { ...added, ...enqueue(ctx, added.workers.keys()) };
}

/**
 * What an informer told the kubelet: a pod changed, or its pods were relisted; a ConfigMap or
 * Secret changed, which may unblock any pod waiting for its volumes or env.
 */
function onInformed(ctx: KubeletContext, event: InformedEvent): Change {
  if (event.resource === 'nodes') {
    const node = event.event === null ? event.cache.get(ctx.node) : event.event.type === 'DELETED' ? undefined : event.event.object;
    return node !== undefined && !reportsKubeletConditions(node) && !ctx.nodeStatusStale ? { nodeStatusStale: true } : {};
  }
  if (event.resource !== 'pods') return enqueue(ctx, [...ctx.workers.values()].map((w) => w.uid));
  return event.event === null ? onResync(ctx, event.cache, event.nowMs) : onPod(ctx, event.event.object, event.nowMs);
}

function onTimer(ctx: KubeletContext, nowMs: number): Change {
  const due = ctx.timers.filter((t) => t.atMs <= nowMs);
  if (due.length === 0) return {};
  return { timers: ctx.timers.filter((t) => t.atMs > nowMs), ...enqueue(ctx, due.map((t) => t.uid)) };
}

/**
 * The container as the prober sees it. A created, not yet started, container is not
 * there yet, nor one whose postStart hook runs: the kubelet creates, starts and runs the
 * hook in one SyncPod, and upstream's prober sees a container only in the status a SyncPod
 * writes (it would record Failure for it, and the container would be killed the moment it
 * started).
 */
function probedState(c: RuntimeContainer | undefined, worker: PodWorker | undefined): { id: string; state: ProbedContainerState } | null {
  if (!c || c.state === 'created') return null;
  if (worker?.underway?.phase === 'postStart' && worker.underway.id === c.id) return null;
  const state: ProbedContainerState = c.state === 'running' ? { kind: 'running', startedAtMs: c.startedAtMs ?? 0 } : { kind: 'terminated', exitCode: c.exitCode ?? 0 };
  return { id: c.id, state };
}

/** One run of a probe worker (prober/worker.go doProbe); a changed result makes the pod sync. */
export function runProbe(ctx: KubeletContext, event: Extract<KubeletEvent, { type: 'PROBE' }>): Change {
  const slot = ctx.probes.get(event.slot);
  if (!slot) return {};
  const worker = ctx.workers.get(slot.uid);
  const pod = worker ? podOf(event.view, worker) : undefined;
  const found = probedState(newestInstance(event.view.runtime, slot.uid, slot.container), worker);
  const startup = ctx.probes.get(`${slot.uid}/${slot.container}/startup`);
  const started = found !== null && found.state.kind === 'running' &&
    (!startup || (startup.worker.containerId === found.id && startup.worker.result === 'Success'));
  // Whether the pod restarts every container, by the status manager's status alone (doProbe asks ShouldAllContainersRestart without the runtime).
  const cached = worker ? latestStatus(ctx, worker.uid) : undefined;
  const allContainersRestarting = ctx.featureGates.RestartAllContainersOnContainerExits && pod !== undefined && cached !== undefined &&
    shouldAllContainersRestart(pod.spec as PodSpec, [], previousPodStatus(cached));
  const step = doProbe(slot.worker, {
    podStatus: worker?.phase === undefined ? null : {
      phase: worker.phase as 'Pending',
      container: found === null ? null : { containerId: found.id, state: found.state, started },
    },
    podDeletionRequested: !!pod?.metadata.deletionTimestamp,
    nowMs: event.nowMs,
    proberReturns: event.passed ? 'Success' : 'Failure',
    allContainersRestarting,
  });
  if (!step.continue) return { probes: ctx.probes.delete(event.slot), ...enqueue(ctx, [slot.uid]) };
  const changed = step.state.result !== slot.worker.result || step.state.containerId !== slot.worker.containerId;
  return {
    probes: ctx.probes.set(event.slot, { ...slot, worker: step.state, nextProbeAtMs: event.nowMs + slot.periodMs }),
    ...(changed ? enqueue(ctx, [slot.uid]) : {}),
  };
}

function syncEvent(event: Event): Extract<KubeletEvent, { type: 'SYNC_POD' }> | null {
  return event.type === 'SYNC_POD' ? event : null;
}

/** What a kubelet action computes: the change to its memory for one event. */
type Handler = (args: { context: KubeletContext; event: Event }) => Change;

/**
 * A kubelet action: the handler's change, then the settling every event ends with (the next
 * request if none is in flight, and when to wake). One assign, not two: each assign costs
 * the hot loop a snapshot. Planted defects build their overrides with it too.
 */
export function kubeletAction(handler: Handler) {
  return assign<KubeletContext, Event, undefined, Event, never>(({ context, event }) => {
    const change = handler({ context, event });
    const next = { ...context, ...change };
    const nowMs = eventTime(event);
    return { ...change, request: next.request ?? nextRequest(next, nowMs), ...deadlines(next, nowMs) };
  });
}

export const kubeletMachine = setup({
  types: { context: {} as KubeletContext, events: {} as Event, input: {} as KubeletInput },
  actions: {
    registerNode: assign(({ context }) => ({ request: { verb: 'create', resource: 'nodes', namespace: '', object: context.registration } })),
    createLease: assign(({ context, event }) => ({ request: createLeaseRequest(context.node, eventTime(event)) })),
    adoptLease: kubeletAction(({ event }) => (event.type === 'REPLY' && event.reply.ok ? { lease: event.reply.object ?? null, request: null } : { lease: null, request: null })),
    handleReply: kubeletAction(({ context, event }) => (event.type === 'REPLY' ? onReply(context, event) : {})),
    handleInformed: kubeletAction(({ context, event }) => (event.type === 'INFORMED' ? onInformed(context, event) : {})),
    handlePleg: kubeletAction(({ context, event }) => (event.type === 'PLEG' && context.workers.has(event.uid) ? enqueue(context, [event.uid]) : {})),
    wake: kubeletAction(({ context, event }) => (event.type === 'TIMER' ? onTimer(context, event.nowMs) : {})),
    syncPod: kubeletAction(({ context, event }) => { const e = syncEvent(event); return e ? syncPod(context, e.uid, e.view, e.nowMs) : {}; }),
    syncTerminatingPod: kubeletAction(({ context, event }) => { const e = syncEvent(event); return e ? syncTerminatingPod(context, e.uid, e.view, e.nowMs) : {}; }),
    syncTerminatedPod: kubeletAction(({ context, event }) => { const e = syncEvent(event); return e ? syncTerminatedPod(context, e.uid, e.view, e.nowMs) : {}; }),
    probe: kubeletAction(({ context, event }) => (event.type === 'PROBE' ? { ...runProbe(context, event), op: null } : {})),
  },
  guards: {
    replyOk: ({ event }) => event.type === 'REPLY' && (event.reply.ok || event.reply.status.reason === 'AlreadyExists'),
    /** The pod is being deleted, or is gone from the API server. */
    podIsTerminating: ({ context, event }) => {
      const e = syncEvent(event);
      const worker = e && context.workers.get(e.uid);
      return !!worker && isTerminating(e.view, worker);
    },
    /** The pod reached Succeeded or Failed: by the kubelet's account, or by the API server's after a restart. */
    podIsTerminal: ({ context, event }) => {
      const e = syncEvent(event);
      const worker = e && context.workers.get(e.uid);
      return !!worker && isTerminal(e.view, worker);
    },
  },
}).createMachine({
  id: 'kubelet',
  context: ({ input }) => ({
    ...input, request: null, wakeAtMs: null, workers: PMap.empty(), queue: [], timers: [], probes: PMap.empty(), probeDueMs: null,
    crashBackoff: newCrashLoopBackoff(input.featureGates), imageBackoff: newBackoff(IMAGE_BACKOFF_INITIAL_MS, IMAGE_BACKOFF_MAX_MS),
    statusPending: PMap.empty(), statusWritten: PMap.empty(), deletePending: PMap.empty(), lease: null, nodeStatusStale: false,
    leaseRenewAtMs: 0, op: null,
  }),
  // Every action but the two registration requests ends by settling (kubeletAction).
  on: {
    INFORMED: { actions: 'handleInformed' },
    PLEG: { actions: 'handlePleg' },
    TIMER: { actions: 'wake' },
    PROBE: { actions: 'probe' },
    SYNC_POD: [
      { guard: 'podIsTerminating', actions: 'syncTerminatingPod' },
      { guard: 'podIsTerminal', actions: 'syncTerminatedPod' },
      { actions: 'syncPod' },
    ],
  },
  initial: 'registeringNode',
  states: {
    registeringNode: {
      entry: 'registerNode',
      on: { REPLY: { guard: 'replyOk', target: 'creatingLease' } },
    },
    creatingLease: {
      entry: 'createLease',
      // Created, or already there from before a restart (then it is read back): either way, run.
      on: { REPLY: { target: 'running', actions: 'adoptLease' } },
    },
    running: {
      on: { REPLY: { actions: 'handleReply' } },
    },
  },
});

export type KubeletMachine = typeof kubeletMachine;
