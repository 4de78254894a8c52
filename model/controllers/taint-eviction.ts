// The taint-eviction controller (kubernetes/kubernetes pkg/controller/tainteviction/taint_eviction.go and
// timed_workers.go at master): it keeps each node's NoExecute taints, and for each pod on a tainted node
// decides (processPodOnNode): a taint the pod does not tolerate deletes it now; tolerations that all end
// delete it after the least tolerationSeconds, counted from when the controller handles the change (its
// own clock, not the taint's timeAdded), a scheduled deletion that would come sooner kept; tolerations
// without end cancel it; so do the taints going, or the pod going (a node going only drops its taints). A deletion
// (addConditionAndDeletePod) reads the pod, patches its status with DisruptionTarget
// (DeletionByTaintManager) if that changes it, then deletes it with its own grace period: up to 5 attempts.
// Keys: "node/<name>" (handleNodeUpdate), "pod/<namespace>/<name>" (handlePodUpdate) and
// "evict/<namespace>/<name>", a timed worker's timer, queued with AddAfter.
import type { Node, Pod, PodStatus, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { Caches, ClientEvent, InformedEvent } from '../client.ts';
import { deepEqual } from '../equal.ts';
import type { Request } from '../requests.ts';
import type { KubeObject } from '../resources.ts';
import { updatePodCondition } from '../semantics/node-health.ts';
import { getMinTolerationTime, toleratesTaint } from '../semantics/taints.ts';
import {
  cacheOf, type ControllerContext, type ControllerDefinition, controllerMachine, dequeue, EMPTY_CONTROLLER, enqueue, enqueueAfter, keyOfObject, send,
} from './controller.ts';
import type { FeatureGates } from '../feature-gates.ts';

/** The attempts deletePodHandler makes at addConditionAndDeletePod. */
export const DELETE_ATTEMPTS = 5;

/** A TimedWorker waiting for its time. */
interface TimedWorker {
  readonly createdAtMs: number;
  readonly fireAtMs: number;
}

export interface TaintEvictionContext extends ControllerContext {
  /** taintedNodes: each node's NoExecute taints as last handled; nodes without any are left out. */
  readonly taintedNodes: Readonly<Record<string, readonly Taint[]>>;
  /** The timed workers waiting, by pod key (namespace/name). */
  readonly workers: Readonly<Record<string, TimedWorker>>;
  /** Deletions under way, by pod key: the attempts started. A worker running cannot be added again. */
  readonly evicting: Readonly<Record<string, number>>;
}

type Context = TaintEvictionContext;

const DISRUPTION_TARGET = {
  type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint',
};

function noExecuteTaints(node: KubeObject | null | undefined): Taint[] {
  return ((node?.spec as Node['spec'])?.taints ?? []).filter((t) => t.effect === 'NoExecute');
}

const nodeNameOf = (pod: KubeObject | null | undefined): string => (pod?.spec as Pod['spec'])?.nodeName ?? '';
const tolerationsOf = (pod: KubeObject | null | undefined): Toleration[] => (pod?.spec as Pod['spec'])?.tolerations ?? [];
const evictKey = (podKey: string): string => `evict/${podKey}`;

function without<V>(record: Readonly<Record<string, V>>, key: string): Readonly<Record<string, V>> {
  if (!(key in record)) return record;
  const { [key]: _gone, ...rest } = record;
  return rest;
}

/**
 * v1helper.GetMatchingTolerations: whether every taint is tolerated, and for each the first toleration
 * that does (the ones getMinTolerationTime reads).
 */
export function getMatchingTolerations(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  comparisonOperatorsEnabled: boolean,
): { allTolerated: boolean; used: Toleration[] } {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const toleration = tolerations.find((t) => toleratesTaint(t, taint, comparisonOperatorsEnabled));
    if (toleration === undefined) return { allTolerated: false, used: [] };
    used.push(toleration);
  }
  return { allTolerated: true, used };
}

// --- Timed workers (timed_workers.go) ----------------------------------------------------------

/** CancelWork: the waiting worker goes, with its timer; a deletion already under way goes on. */
function cancelWork(ctx: Context, podKey: string): Context {
  if (!(podKey in ctx.workers)) return ctx;
  const key = evictKey(podKey);
  return { ...dequeue(ctx, key), workers: without(ctx.workers, podKey), delayed: ctx.delayed.filter((d) => d.key !== key) };
}

/** addConditionAndDeletePod, one attempt: first read the pod. */
function startAttempt(ctx: Context, podKey: string, attempt: number): Context {
  const [namespace = '', name = ''] = podKey.split('/');
  return send({ ...ctx, evicting: { ...ctx.evicting, [podKey]: attempt } }, { verb: 'get', resource: 'pods', namespace, name });
}

/** AddWork: ignored while the pod has a worker; due at once (no later than created), the deletion starts now. */
function addWork(ctx: Context, podKey: string, createdAtMs: number, fireAtMs: number): Context {
  if (podKey in ctx.workers || podKey in ctx.evicting) return ctx;
  if (fireAtMs <= createdAtMs) return startAttempt(ctx, podKey, 1);
  // Every caller creates its worker now, so the timer (AfterFunc of fireAt - createdAt) rings at fireAt.
  return enqueueAfter({ ...ctx, workers: { ...ctx.workers, [podKey]: { createdAtMs, fireAtMs } } }, evictKey(podKey), fireAtMs);
}

/** The timer rang: the worker leaves the queue and its deletion starts. */
function fire(ctx: Context, podKey: string): Context {
  return podKey in ctx.workers ? startAttempt({ ...ctx, workers: without(ctx.workers, podKey) }, podKey, 1) : ctx;
}

// --- Decisions (taint_eviction.go) --------------------------------------------------------------

/** processPodOnNode, with the controller-manager's gates (TaintTolerationComparisonOperators). */
function processPodOnNode(ctx: Context, podKey: string, tolerations: readonly Toleration[], taints: readonly Taint[], nowMs: number, gates: FeatureGates): Context {
  const { allTolerated, used } = getMatchingTolerations(taints, tolerations, gates.TaintTolerationComparisonOperators);
  if (!allTolerated) return addWork(cancelWork(ctx, podKey), podKey, nowMs, nowMs);
  const minSeconds = getMinTolerationTime(used);
  if (minSeconds < 0) return cancelWork(ctx, podKey);
  const triggerMs = nowMs + minSeconds * 1000;
  const scheduled = ctx.workers[podKey];
  if (scheduled === undefined) return addWork(ctx, podKey, nowMs, triggerMs);
  if (scheduled.createdAtMs + minSeconds * 1000 < triggerMs) return ctx;
  return addWork(cancelWork(ctx, podKey), podKey, scheduled.createdAtMs, triggerMs);
}

function podsOnNode(caches: Caches, nodeName: string): KubeObject[] {
  const pods = cacheOf(caches, 'pods');
  return [...pods.keys()].sort().map((key) => pods.get(key) as KubeObject).filter((pod) => nodeNameOf(pod) === nodeName);
}

/** handleNodeUpdate: the node's NoExecute taints recorded, then each of its pods decided on (all cancelled if none). */
function handleNodeUpdate(ctx: Context, nodeName: string, caches: Caches, nowMs: number, gates: FeatureGates): Context {
  const node = cacheOf(caches, 'nodes').get(nodeName);
  if (node === undefined) return { ...ctx, taintedNodes: without(ctx.taintedNodes, nodeName) };
  const taints = noExecuteTaints(node);
  let next: Context = { ...ctx, taintedNodes: taints.length === 0 ? without(ctx.taintedNodes, nodeName) : { ...ctx.taintedNodes, [nodeName]: taints } };
  for (const pod of podsOnNode(caches, nodeName)) {
    next = taints.length === 0 ? cancelWork(next, keyOfObject(pod)) : processPodOnNode(next, keyOfObject(pod), tolerationsOf(pod), taints, nowMs, gates);
  }
  return next;
}

/** handlePodUpdate: a pod gone has its deletion cancelled; one on a tainted node is decided on. */
function handlePodUpdate(ctx: Context, podKey: string, caches: Caches, nowMs: number, gates: FeatureGates): Context {
  const pod = cacheOf(caches, 'pods').get(podKey);
  if (pod === undefined) return cancelWork(ctx, podKey);
  const taints = ctx.taintedNodes[nodeNameOf(pod)];
  return taints === undefined ? ctx : processPodOnNode(ctx, podKey, tolerationsOf(pod), taints, nowMs, gates);
}

function reconcile(ctx: Context, key: string, caches: Caches, nowMs: number, gates: FeatureGates): Context {
  const [kind, ...rest] = key.split('/');
  const name = rest.join('/');
  if (kind === 'node') return handleNodeUpdate(ctx, name, caches, nowMs, gates);
  if (kind === 'pod') return handlePodUpdate(ctx, name, caches, nowMs, gates);
  return fire(ctx, name);
}

// --- Events ---------------------------------------------------------------------------------------

/**
 * NodeUpdated and PodUpdated: a node whose NoExecute taints changed; a pod added, deleted, moved or with
 * other tolerations. After a relist, the nodes whose NoExecute taints differ from those last handled, and
 * the pods on tainted nodes or with a deletion waiting (the others would change nothing).
 */
function onInformed(ctx: Context, informed: InformedEvent): Context {
  const { event, cache } = informed;
  if (informed.resource === 'nodes') {
    if (event === null) {
      const names = new Set([...cache.keys(), ...Object.keys(ctx.taintedNodes)]);
      return enqueue(ctx, [...names].filter((n) => !deepEqual(noExecuteTaints(cache.get(n)), ctx.taintedNodes[n] ?? [])).map((n) => `node/${n}`));
    }
    const changed = event.type !== 'MODIFIED' || !deepEqual(noExecuteTaints(event.previous), noExecuteTaints(event.object));
    return changed ? enqueue(ctx, [`node/${event.object.metadata.name}`]) : ctx;
  }
  if (event === null) {
    const onTainted = [...cache.values()].filter((pod) => nodeNameOf(pod) in ctx.taintedNodes).map(keyOfObject);
    const waiting = Object.keys(ctx.workers).filter((key) => !cache.has(key));
    return enqueue(ctx, [...onTainted, ...waiting].map((key) => `pod/${key}`));
  }
  const changed = event.type !== 'MODIFIED' || nodeNameOf(event.previous) !== nodeNameOf(event.object) ||
    !deepEqual(tolerationsOf(event.previous), tolerationsOf(event.object));
  return changed ? enqueue(ctx, [`pod/${keyOfObject(event.object)}`]) : ctx;
}

function podKeyOf(request: Request): string {
  if (request.verb === 'get' || request.verb === 'patch' || request.verb === 'delete') return `${request.namespace}/${request.name}`;
  return '';
}

/** The deletion goes on from each reply: read, then patch DisruptionTarget if it changes the status, then delete; a failure starts another attempt. */
function onReply(ctx: Context, event: Extract<ClientEvent, { type: 'REPLY' }>): Context {
  const { request, reply, nowMs } = event;
  const cleared: Context = { ...ctx, request: null };
  const podKey = podKeyOf(request);
  const attempt = cleared.evicting[podKey];
  if (attempt === undefined) return cleared;
  if (!reply.ok) return attempt < DELETE_ATTEMPTS ? startAttempt(cleared, podKey, attempt + 1) : { ...cleared, evicting: without(cleared.evicting, podKey) };
  const [namespace = '', name = ''] = podKey.split('/');
  const deletion: Request = { verb: 'delete', resource: 'pods', namespace, name };
  if (request.verb === 'get') {
    const pod = reply.object as KubeObject;
    const status = updatePodCondition(pod.status as PodStatus | undefined, DISRUPTION_TARGET, nowMs);
    if (status === null) return send(cleared, deletion);
    // utilpod.PatchPodStatus: the changed condition, with the pod's uid as a precondition.
    return send(cleared, {
      verb: 'patch', resource: 'pods', namespace, name, subresource: 'status',
      patch: { metadata: { uid: pod.metadata.uid }, status: { conditions: status.conditions?.filter((c) => c.type === 'DisruptionTarget') } },
    });
  }
  if (request.verb === 'patch') return send(cleared, deletion);
  return { ...cleared, evicting: without(cleared.evicting, podKey) };
}

export const taintEvictionControllerMachine = controllerMachine<Context>('taint-eviction-controller', (): Context => ({ ...EMPTY_CONTROLLER, taintedNodes: {}, workers: {}, evicting: {} }), {
  informed: onInformed,
  reconcile: (ctx, { key, caches, nowMs, featureGates }) => reconcile(ctx, key, caches, nowMs, featureGates),
  reply: onReply,
});

export const taintEvictionController: ControllerDefinition = {
  name: 'taint-eviction', machine: taintEvictionControllerMachine, resources: ['nodes', 'pods'],
};
