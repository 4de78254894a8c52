// The scheduler (kube-scheduler), as one xstate machine: informers feed its cache and queue
// (pkg/scheduler/eventhandlers.go); a cycle takes the head of the queue, filters and scores
// the nodes (cycle.ts), assumes the pod on the chosen node and queues its binding, or, when no
// node fits, patches PodScheduled=False with the reasons and parks the pod (schedule_one.go
// handleSchedulingFailure). Bindings go out asynchronously, one API call at a time; a failed
// one is forgotten and the pod retried after a backoff (handleBindingCycleError), as is a pod
// whose cycle failed with an error. The process runs with the feature gates it is given (its input).
import type { NodeSpec as ApiNodeSpec, NodeStatus, Pod, PodCondition, PodSpec, PodStatus } from 'kubernetes-types/core/v1.js';
import { assign, setup } from 'xstate';
import type { ClientEvent, InformedEvent } from '../client.ts';
import { deepEqual } from '../equal.ts';
import type { FeatureGates } from '../feature-gates.ts';
import { PMap } from '../pmap.ts';
import type { Request } from '../requests.ts';
import type { KubeObject } from '../resources.ts';
import { claimNames } from '../volume-sources.ts';
import { schedulerFeatures } from '../semantics/scheduler-framework.ts';
import { addPod, removeNode, removePod, setNode } from './cache.ts';
import type { CachedPod, QueuedPod, SchedulerContext, SchedulerView } from './context.ts';
import { scheduleCycle, type Profile } from './cycle.ts';
import { FILTER_PLUGINS, PRE_FILTER_PLUGINS, SCORE_PLUGINS } from './plugins.ts';
import {
  afterError, afterRejection, dequeue, enqueueActive, flushDue, head, isQueued, moveToActiveOrBackoff, newQueuedPod, nextQueueDeadlineMs,
  onClusterEvent, pop,
  type ClusterEvent,
} from './queue.ts';

export const DEFAULT_PROFILE: Profile = { preFilters: PRE_FILTER_PLUGINS, filters: FILTER_PLUGINS, scores: SCORE_PLUGINS };

export type SchedulerEvent =
  | { readonly type: 'SCHEDULE'; readonly view: SchedulerView; readonly nowMs: number }
  /** selectHost's random pick among the nodes tied for the best score, made by the chooser. */
  | { readonly type: 'PICK'; readonly index: number; readonly view: SchedulerView; readonly nowMs: number };

export type SchedulerMachineEvent = ClientEvent | SchedulerEvent;
type Event = SchedulerMachineEvent;
type Change = Partial<SchedulerContext>;

export const DEFAULT_BINDER = 'DefaultBinder';

function eventTime(event: Event): number {
  return 'nowMs' in event ? event.nowMs : 0;
}

function uidOf(object: KubeObject): string {
  return object.metadata.uid ?? '';
}

function keyOf(object: KubeObject): string {
  return `${object.metadata.namespace}/${object.metadata.name}`;
}

function assignedNode(object: KubeObject): string | undefined {
  return (object.spec as { nodeName?: string } | undefined)?.nodeName || undefined;
}

/** The pod in the scheduler's informer cache, if it is still the incarnation that was queued. */
function podOf(view: SchedulerView, queued: QueuedPod): KubeObject | undefined {
  const pod = view.pods.get(queued.key);
  return pod && uidOf(pod) === queued.uid ? pod : undefined;
}

/** Applies `change` to `ctx`: the helpers below each read the state left by the one before. */
function apply(ctx: SchedulerContext, change: Change): SchedulerContext {
  return { ...ctx, ...change };
}

// --- Informer events (eventhandlers.go) ---------------------------------------------------

/** An assigned pod the informer reports: it counts on its node, confirming it if this scheduler assumed it. */
function podAssigned(ctx: SchedulerContext, pod: KubeObject): SchedulerContext {
  const uid = uidOf(pod);
  const cached: CachedPod = { uid, key: keyOf(pod), nodeName: assignedNode(pod)!, pod, assumed: false };
  let next = apply(ctx, removePod(ctx, uid));
  next = apply(next, addPod(next, cached));
  next = apply(next, dequeue(next, uid));
  return next.picking?.queued.uid === uid ? { ...next, picking: null } : next;
}

/** A pending pod the informer reports: into activeQ if it is new to the queue; moved back if an update may help it. */
function podPending(ctx: SchedulerContext, pod: KubeObject, previous: KubeObject | null, nowMs: number): SchedulerContext {
  const uid = uidOf(pod);
  if (pod.metadata.deletionTimestamp) return apply(ctx, dequeue(ctx, uid));
  if (ctx.pods.has(uid) || ctx.picking?.queued.uid === uid) return ctx;
  const parked = ctx.unschedulable.get(uid);
  if (parked) {
    // An update that may make it fit (its spec or labels changed) moves it back, as a cluster event would.
    const updated = previous !== null && (!deepEqual(previous.spec, pod.spec) || !deepEqual(previous.metadata.labels, pod.metadata.labels));
    return updated ? apply(ctx, moveToActiveOrBackoff(ctx, [parked], nowMs)) : ctx;
  }
  return isQueued(ctx, uid) ? ctx : apply(ctx, enqueueActive(ctx, newQueuedPod(uid, keyOf(pod), nowMs, claimNames(pod.spec as PodSpec))));
}

/** A pod gone (or gone terminal, leaving the informer's selector): out of the queue and the cache. */
function podGone(ctx: SchedulerContext, pod: KubeObject, nowMs: number): SchedulerContext {
  const uid = uidOf(pod);
  let next = apply(ctx, dequeue(ctx, uid));
  if (next.picking?.queued.uid === uid) next = { ...next, picking: null };
  if (!next.pods.has(uid)) return next;
  next = apply(next, removePod(next, uid));
  return apply(next, onClusterEvent(next, 'AssignedPodDelete', nowMs, pod));
}

function onPodInformed(ctx: SchedulerContext, informed: InformedEvent): SchedulerContext {
  const { event, nowMs } = informed;
  if (event !== null) {
    if (event.type === 'DELETED') return podGone(ctx, event.object, nowMs);
    return assignedNode(event.object) ? podAssigned(ctx, event.object) : podPending(ctx, event.object, event.previous, nowMs);
  }
  // Relisted: the cache and queue as the list says, keeping what this scheduler assumed.
  let next = ctx;
  const listed = new Set<string>();
  for (const pod of informed.cache.values()) {
    listed.add(uidOf(pod));
    next = assignedNode(pod) ? podAssigned(next, pod) : podPending(next, pod, null, nowMs);
  }
  for (const cached of [...next.pods.values()]) if (!cached.assumed && !listed.has(cached.uid)) next = podGone(next, cached.pod, nowMs);
  return next;
}

/** The events a node update raises (NodeSchedulingPropertiesChange), as far as the modelled plugins care. */
function nodeChanges(before: KubeObject, after: KubeObject): ClusterEvent[] {
  const spec = (n: KubeObject) => (n.spec ?? {}) as ApiNodeSpec;
  const changes: ClusterEvent[] = [];
  if (!deepEqual((before.status as NodeStatus | undefined)?.allocatable, (after.status as NodeStatus | undefined)?.allocatable)) changes.push('NodeAllocatableChange');
  if (!deepEqual(before.metadata.labels, after.metadata.labels)) changes.push('NodeLabelChange');
  const uncordoned = !!spec(before).unschedulable && !spec(after).unschedulable;
  if (!deepEqual(spec(before).taints, spec(after).taints) || uncordoned) changes.push('NodeTaintChange');
  return changes;
}

function onNodeInformed(ctx: SchedulerContext, informed: InformedEvent): SchedulerContext {
  const { event, nowMs } = informed;
  if (event !== null) {
    const name = event.object.metadata.name ?? '';
    if (event.type === 'DELETED') return apply(ctx, removeNode(ctx, name));
    const before = ctx.nodes.get(name);
    let next = apply(ctx, setNode(ctx, event.object));
    const raised: ClusterEvent[] = before === undefined ? ['NodeAdd'] : nodeChanges(before.node as KubeObject, event.object);
    for (const e of raised) next = apply(next, onClusterEvent(next, e, nowMs));
    return next;
  }
  let next = ctx;
  const listed = new Set<string>();
  for (const node of informed.cache.values()) {
    listed.add(node.metadata.name ?? '');
    next = onNodeInformed(next, { ...informed, event: { type: 'ADDED', rv: 0, resource: 'nodes', key: node.metadata.name ?? '', object: node, previous: null } });
  }
  for (const name of next.nodeOrder) if (!listed.has(name)) next = apply(next, removeNode(next, name));
  return next;
}

/** What an informer told the scheduler: a node or a pod changed, or one of its caches was relisted. */
export function onInformed(ctx: SchedulerContext, event: InformedEvent): SchedulerContext {
  return event.resource === 'nodes' ? onNodeInformed(ctx, event) : onPodInformed(ctx, event);
}

// --- The scheduling cycle (schedule_one.go) ------------------------------------------------

function podScheduledFalse(reason: 'Unschedulable' | 'SchedulerError', message: string): PodCondition {
  return { type: 'PodScheduled', status: 'False', reason, message };
}

/** updatePod: a strategic-merge status patch, sent only when the condition would change. */
function patchCondition(pod: KubeObject, condition: PodCondition): Request | null {
  const current = ((pod.status as PodStatus | undefined)?.conditions ?? []).find((c) => c.type === condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason && current.message === condition.message) return null;
  return {
    verb: 'patch', resource: 'pods', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', subresource: 'status',
    patch: { status: { conditions: [condition] } },
  };
}

/** AssumePod, then the binding cycle's POST pods/{name}/binding, queued. */
function assumeAndBind(ctx: SchedulerContext, queued: QueuedPod, pod: KubeObject, nodeName: string): SchedulerContext {
  const assumed: CachedPod = { uid: queued.uid, key: queued.key, nodeName, pod: { ...pod, spec: { ...(pod.spec as object), nodeName } }, assumed: true };
  const bind: Request = { verb: 'bind', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: queued.uid, nodeName };
  const next = apply(ctx, addPod(ctx, assumed));
  return { ...next, binding: next.binding.set(queued.uid, queued), outbox: [...next.outbox, bind] };
}

/** schedulingCycle for the pod at the head of the queue. */
export function scheduleOne(profile: Profile, ctx: SchedulerContext, view: SchedulerView, nowMs: number): SchedulerContext {
  const queued = head(ctx);
  if (queued === null || ctx.picking !== null) return ctx;
  const popped = apply(ctx, pop(ctx, queued.uid));
  const pod = podOf(view, queued);
  // skipPodSchedule: a pod gone, being deleted, or already assumed is not scheduled.
  if (!pod || pod.metadata.deletionTimestamp || ctx.pods.has(queued.uid)) return popped;
  const result = scheduleCycle(profile, pod as Pod, ctx.nodes, ctx.nodeOrder, ctx.nextStartNodeIndex, ctx.features);
  const next = { ...popped, nextStartNodeIndex: result.nextStartNodeIndex };
  if (result.kind === 'unschedulable') {
    const parked = apply(next, afterRejection(next, queued, result.rejectedBy, nowMs));
    const patch = patchCondition(pod, podScheduledFalse('Unschedulable', result.message));
    return patch ? { ...parked, outbox: [...parked.outbox, patch] } : parked;
  }
  if (result.kind === 'error') {
    // handleSchedulingFailure with an Error status: retried after the error backoff, the reason SchedulerError.
    const retried = apply(next, afterError(next, queued, nowMs));
    const patch = patchCondition(pod, podScheduledFalse('SchedulerError', result.message));
    return patch ? { ...retried, outbox: [...retried.outbox, patch] } : retried;
  }
  if (result.best.length === 1) return assumeAndBind(next, queued, pod, result.best[0]!);
  return { ...next, picking: { queued, best: result.best, score: result.score, snapshot: { nodes: ctx.nodes, pods: ctx.pods } } };
}

/** selectHost, the chooser having picked `index` among the tied nodes. */
function pickHost(ctx: SchedulerContext, view: SchedulerView, index: number): SchedulerContext {
  const picking = ctx.picking;
  if (picking === null) return ctx;
  const done = { ...ctx, picking: null };
  const pod = podOf(view, picking.queued);
  if (!pod || pod.metadata.deletionTimestamp || assignedNode(pod)) return done;
  return assumeAndBind(done, picking.queued, pod, picking.best[index % picking.best.length]!);
}

// --- Replies ----------------------------------------------------------------------------

/**
 * A binding's reply. Success: nothing more until the informer confirms the pod. Failure
 * (handleBindingCycleError): forget the assumed pod, requeue the pods its resources may now
 * fit, and retry it after a backoff, with PodScheduled=False, reason SchedulerError; unless
 * the cache already holds it bound (a binding that committed though its reply was lost).
 */
function onBindReply(ctx: SchedulerContext, request: Extract<Request, { verb: 'bind' }>, reply: Extract<ClientEvent, { type: 'REPLY' }>['reply'], nowMs: number): SchedulerContext {
  const queued = ctx.binding.get(request.uid);
  let next: SchedulerContext = { ...ctx, binding: ctx.binding.delete(request.uid) };
  if (reply.ok || !queued) return next;
  const assumed = next.pods.get(request.uid);
  if (assumed?.assumed) next = apply(next, removePod(next, request.uid));
  next = apply(next, onClusterEvent(next, 'AssignedPodDelete', nowMs, assumed?.pod));
  if (next.pods.has(request.uid)) return next;
  const condition = podScheduledFalse('SchedulerError', `running Bind plugin "${DEFAULT_BINDER}": ${reply.status.message}`);
  const patch: Request = {
    verb: 'patch', resource: 'pods', namespace: request.namespace, name: request.name, subresource: 'status',
    patch: { status: { conditions: [condition] } },
  };
  next = apply(next, afterError(next, queued, nowMs));
  return { ...next, outbox: [...next.outbox, patch] };
}

/** retry.DefaultBackoff's steps: the attempts util.PatchPodStatus makes. */
export const PATCH_ATTEMPTS_MAX = 4;

/** util.PatchPodStatus retries a patch the API server could not take (500, 503), up to its attempts. */
function onPatchReply(ctx: SchedulerContext, request: Request, reply: Extract<ClientEvent, { type: 'REPLY' }>['reply']): SchedulerContext {
  const retriable = !reply.ok && (reply.status.code === 500 || reply.status.code === 503);
  if (retriable && ctx.patchRetries + 1 < PATCH_ATTEMPTS_MAX) return { ...ctx, request, patchRetries: ctx.patchRetries + 1 };
  return { ...ctx, patchRetries: 0 };
}

export function onReply(ctx: SchedulerContext, event: Extract<ClientEvent, { type: 'REPLY' }>): SchedulerContext {
  const cleared = { ...ctx, request: null };
  if (event.request.verb === 'bind') return onBindReply(cleared, event.request, event.reply, event.nowMs);
  return event.request.verb === 'patch' ? onPatchReply(cleared, event.request, event.reply) : cleared;
}

// --- The machine ------------------------------------------------------------------------

/** What a scheduler action computes: its next memory for one event. */
type Handler = (args: { context: SchedulerContext; event: Event }) => SchedulerContext;

/**
 * A scheduler action: the handler, then the settling every event ends with: the next API
 * call out of the outbox if none is in flight, and when the queue next needs the clock.
 * Planted defects build their overrides with it too.
 */
export function schedulerAction(handler: Handler) {
  return assign<SchedulerContext, Event, undefined, Event, never>(({ context, event }) => {
    const next = handler({ context, event });
    const [request = null, ...outbox] = next.request === null ? next.outbox : [next.request, ...next.outbox];
    return { ...next, request, outbox, wakeAtMs: nextQueueDeadlineMs(next, eventTime(event)) };
  });
}

/** The scheduling cycle with a given profile: how a planted defect changes the plugins. */
export function scheduleWith(profile: Profile) {
  return schedulerAction(({ context, event }) => (event.type === 'SCHEDULE' ? scheduleOne(profile, context, event.view, event.nowMs) : context));
}

/** What the scheduler process is started with. */
export interface SchedulerInput {
  readonly featureGates: FeatureGates;
}

export const schedulerMachine = setup({
  types: { context: {} as SchedulerContext, events: {} as Event, input: {} as SchedulerInput },
  actions: {
    handleInformed: schedulerAction(({ context, event }) => (event.type === 'INFORMED' ? onInformed(context, event) : context)),
    schedule: scheduleWith(DEFAULT_PROFILE),
    pick: schedulerAction(({ context, event }) => (event.type === 'PICK' ? pickHost(context, event.view, event.index) : context)),
    handleReply: schedulerAction(({ context, event }) => (event.type === 'REPLY' ? onReply(context, event) : context)),
    wake: schedulerAction(({ context, event }) => (event.type === 'TIMER' ? apply(context, flushDue(context, event.nowMs)) : context)),
  },
}).createMachine({
  id: 'scheduler',
  context: ({ input }) => ({
    features: schedulerFeatures(input.featureGates),
    request: null, wakeAtMs: null, nodes: PMap.empty(), nodeOrder: [], pods: PMap.empty(), activeQ: [], backoffQ: [], errorBackoffQ: [],
    unschedulable: PMap.empty(), binding: PMap.empty(), nextStartNodeIndex: 0, picking: null, outbox: [], patchRetries: 0,
  }),
  initial: 'running',
  states: {
    running: {
      on: {
        INFORMED: { actions: 'handleInformed' },
        SCHEDULE: { actions: 'schedule' },
        PICK: { actions: 'pick' },
        REPLY: { actions: 'handleReply' },
        TIMER: { actions: 'wake' },
      },
    },
  },
});

export type SchedulerMachine = typeof schedulerMachine;
