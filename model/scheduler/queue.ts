// The scheduling queue (pkg/scheduler/backend/queue/scheduling_queue.go, v1.34): activeQ in
// PrioritySort order (every pod here has priority 0, so by the time it was queued); a
// backoffQ for pods an event moved back while still backing off, which Pop may take from
// early when activeQ is empty (SchedulerPopFromBackoffQ); an error backoffQ, which it may
// not; and the unschedulable pool, left on an event that a plugin which rejected the pod
// registered for (EventsToRegister), when the plugin's QueueingHint says the event may help, or
// after 5 minutes there (checked every 30 s).
// Backoff is 1 s doubling to 10 s, counted in rejections, or in consecutive errors after an error.
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../resources.ts';
import { claimNames } from '../volume-sources.ts';
import type { QueuedPod, SchedulerContext } from './context.ts';

export const POD_INITIAL_BACKOFF_MS = 1_000;
export const POD_MAX_BACKOFF_MS = 10_000;
export const POD_MAX_IN_UNSCHEDULABLE_PODS_MS = 5 * 60_000;
export const FLUSH_UNSCHEDULABLE_INTERVAL_MS = 30_000;

type Queues = Pick<SchedulerContext, 'activeQ' | 'backoffQ' | 'errorBackoffQ' | 'unschedulable'>;

/** The cluster events that move pods out of the unschedulable pool, and the plugins that register for each. */
export const EVENT_PLUGINS = {
  NodeAdd: ['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'VolumeRestrictions'],
  NodeAllocatableChange: ['NodeResourcesFit'],
  NodeLabelChange: ['NodeAffinity'],
  /** A taint change, or a node uncordoned (spec.unschedulable true to false). Cordoning moves nothing. */
  NodeTaintChange: ['NodeUnschedulable', 'TaintToleration'],
  /** An assigned pod deleted, or gone terminal: its resources, ports and claims are free. */
  AssignedPodDelete: ['NodePorts', 'NodeResourcesFit', 'VolumeRestrictions'],
} as const satisfies Record<string, readonly string[]>;

export type ClusterEvent = keyof typeof EVENT_PLUGINS;

/** A QueueingHintFn: whether the event, about `object`, may make the parked pod schedulable. Without one, it may. */
type QueueingHint = (pod: QueuedPod, object: KubeObject) => boolean;

const HINTS: { readonly [E in ClusterEvent]?: Readonly<Record<string, QueueingHint>> } = {
  AssignedPodDelete: {
    // VolumeRestrictions isSchedulableAfterPodDeleted: a pod of the same namespace that used one of
    // its claims (the disk conflicts it also checks are between volume types refused at load).
    VolumeRestrictions: (pod, deleted) => deleted.metadata.namespace === pod.key.slice(0, pod.key.indexOf('/'))
      && claimNames(deleted.spec as PodSpec).some((claim) => pod.claims.includes(claim)),
  },
};

export function newQueuedPod(uid: string, key: string, nowMs: number, claims: readonly string[] = []): QueuedPod {
  return { uid, key, timestampMs: nowMs, unschedulableCount: 0, consecutiveErrorsCount: 0, rejectedBy: [], claims };
}

/** calculateBackoffDuration: 1 s, 2 s, 4 s ... up to 10 s, by consecutive errors if the last failure was one, else by rejections. */
export function backoffMs(pod: QueuedPod): number {
  const count = pod.consecutiveErrorsCount > 0 ? pod.consecutiveErrorsCount : pod.unschedulableCount;
  if (count === 0) return 0;
  return Math.min(POD_INITIAL_BACKOFF_MS * 2 ** (count - 1), POD_MAX_BACKOFF_MS);
}

export function backoffUntilMs(pod: QueuedPod): number {
  return pod.timestampMs + backoffMs(pod);
}

function insertSorted(queue: readonly QueuedPod[], pod: QueuedPod, key: (p: QueuedPod) => number): QueuedPod[] {
  const at = queue.findIndex((q) => key(q) > key(pod));
  return at < 0 ? [...queue, pod] : [...queue.slice(0, at), pod, ...queue.slice(at)];
}

/** Whether the queue holds the pod anywhere. */
export function isQueued(q: Queues, uid: string): boolean {
  return q.activeQ.some((p) => p.uid === uid) || q.backoffQ.some((p) => p.uid === uid) ||
    q.errorBackoffQ.some((p) => p.uid === uid) || q.unschedulable.has(uid);
}

/** Delete: the pod leaves every queue. */
export function dequeue(q: Queues, uid: string): Partial<SchedulerContext> {
  if (!isQueued(q, uid)) return {};
  return {
    activeQ: q.activeQ.filter((p) => p.uid !== uid),
    backoffQ: q.backoffQ.filter((p) => p.uid !== uid),
    errorBackoffQ: q.errorBackoffQ.filter((p) => p.uid !== uid),
    unschedulable: q.unschedulable.delete(uid),
  };
}

/** Add: a new pending pod goes to activeQ. */
export function enqueueActive(q: Queues, pod: QueuedPod): Partial<SchedulerContext> {
  return { activeQ: insertSorted(q.activeQ, pod, (p) => p.timestampMs) };
}

/** Pop: the head of activeQ, else (SchedulerPopFromBackoffQ) the head of backoffQ; null when neither has a pod. */
export function head(q: Queues): QueuedPod | null {
  return q.activeQ[0] ?? q.backoffQ[0] ?? null;
}

export function pop(q: Queues, uid: string): Partial<SchedulerContext> {
  return { activeQ: q.activeQ.filter((p) => p.uid !== uid), backoffQ: q.backoffQ.filter((p) => p.uid !== uid) };
}

/**
 * AddUnschedulableIfNotPresent after a rejection: to the unschedulable pool. A pod no plugin
 * rejected (there was no node at all) waits for no event: it is retried after its backoff.
 */
export function afterRejection(q: Queues, pod: QueuedPod, rejectedBy: readonly string[], nowMs: number): Partial<SchedulerContext> {
  const rejected: QueuedPod = { ...pod, timestampMs: nowMs, unschedulableCount: pod.unschedulableCount + 1, consecutiveErrorsCount: 0, rejectedBy };
  if (rejectedBy.length === 0) return moveToActiveOrBackoff(q, [rejected], nowMs);
  return { unschedulable: q.unschedulable.set(pod.uid, rejected) };
}

/** AddUnschedulableIfNotPresent after an error: to the error backoffQ, or activeQ once its backoff is over. */
export function afterError(q: Queues, pod: QueuedPod, nowMs: number): Partial<SchedulerContext> {
  const failed: QueuedPod = { ...pod, timestampMs: nowMs, consecutiveErrorsCount: pod.consecutiveErrorsCount + 1, rejectedBy: [] };
  return { errorBackoffQ: insertSorted(q.errorBackoffQ, failed, backoffUntilMs) };
}

/** Moves pods from the unschedulable pool: to backoffQ while still backing off, else to activeQ. */
export function moveToActiveOrBackoff(q: Queues, moving: readonly QueuedPod[], nowMs: number): Partial<SchedulerContext> {
  if (moving.length === 0) return {};
  let { activeQ, backoffQ, unschedulable } = q;
  for (const pod of moving) {
    unschedulable = unschedulable.delete(pod.uid);
    if (backoffUntilMs(pod) > nowMs) backoffQ = insertSorted(backoffQ, pod, backoffUntilMs);
    else activeQ = insertSorted(activeQ, pod, (p) => p.timestampMs);
  }
  return { activeQ, backoffQ, unschedulable };
}

/**
 * MoveAllToActiveOrBackoffQueue: the pods a plugin that rejected them would requeue on this
 * event, about `object` (the pod deleted, for AssignedPodDelete).
 */
export function onClusterEvent(q: Queues, event: ClusterEvent, nowMs: number, object?: KubeObject): Partial<SchedulerContext> {
  const plugins: readonly string[] = EVENT_PLUGINS[event];
  const queues = (pod: QueuedPod, plugin: string) => {
    const hint = HINTS[event]?.[plugin];
    return plugins.includes(plugin) && (hint === undefined || object === undefined || hint(pod, object));
  };
  const moving = [...q.unschedulable.values()].filter((pod) => pod.rejectedBy.some((p) => queues(pod, p)));
  return moveToActiveOrBackoff(q, moving, nowMs);
}

/** The next instant flushUnschedulablePodsLeftover runs: every 30 s of logical time. */
function nextFlushMs(nowMs: number): number {
  return (Math.floor(nowMs / FLUSH_UNSCHEDULABLE_INTERVAL_MS) + 1) * FLUSH_UNSCHEDULABLE_INTERVAL_MS;
}

/** flushBackoffQCompleted, and at every 30 s flushUnschedulablePodsLeftover, as due at `nowMs`. */
export function flushDue(q: Queues, nowMs: number): Partial<SchedulerContext> {
  const done = (queue: readonly QueuedPod[]) => queue.filter((p) => backoffUntilMs(p) <= nowMs);
  let activeQ = q.activeQ;
  for (const pod of [...done(q.backoffQ), ...done(q.errorBackoffQ)]) activeQ = insertSorted(activeQ, pod, (p) => p.timestampMs);
  const flushed: Queues = {
    ...q, activeQ,
    backoffQ: q.backoffQ.filter((p) => backoffUntilMs(p) > nowMs),
    errorBackoffQ: q.errorBackoffQ.filter((p) => backoffUntilMs(p) > nowMs),
  };
  if (nowMs % FLUSH_UNSCHEDULABLE_INTERVAL_MS !== 0) return flushed;
  const leftover = [...q.unschedulable.values()].filter((pod) => nowMs - pod.timestampMs > POD_MAX_IN_UNSCHEDULABLE_PODS_MS);
  return { ...flushed, ...moveToActiveOrBackoff(flushed, leftover, nowMs) };
}

/** When the queue next needs the clock: a backoff ending, or the next flush while the unschedulable pool holds pods. */
export function nextQueueDeadlineMs(q: Queues, nowMs: number): number | null {
  const ends = [...q.backoffQ, ...q.errorBackoffQ].map(backoffUntilMs);
  if (q.unschedulable.size > 0) ends.push(nextFlushMs(nowMs));
  return ends.length === 0 ? null : Math.min(...ends);
}
