// The node lifecycle controller (kubernetes/kubernetes pkg/controller/nodelifecycle/node_lifecycle_controller.go
// at master, with MarkPodsNotReady from pkg/controller/util/node/controller_utils.go). Every
// nodeMonitorPeriod, monitorNodeHealth takes each node's heartbeat (its Lease's renewTime, or a new Ready
// heartbeat) as of when the controller saw it; a node silent for the grace period gets its conditions
// set Unknown and its pods marked not Ready, and is queued for the rate-limited NoExecute taint of its
// Ready condition (not-ready / unreachable) while a Ready node loses those taints. handleDisruption
// stops all tainting, and untaints every node, when every zone is fully disrupted. Node events run
// doNoScheduleTaintingPass; a pod bound to a node seen not Ready is marked not Ready (processPod).
// Keys: "monitor" (every nodeMonitorPeriod, first at the first event), "no-execute-tainting" (when a zone
// has a node to taint and a token for it), "node/<name>" and "pod/<namespace>/<name>".
import type { NodeCondition, NodeStatus, Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import type { Caches, ClientEvent, InformedEvent } from '../client.ts';
import { LEASE_NAMESPACE } from '../kubelet/machine.ts';
import { PMap } from '../pmap.ts';
import type { KubeObject } from '../resources.ts';
import {
  LABEL_EXCLUDE_DISRUPTION, nodeCondition, NODE_MONITOR_PERIOD_MS, NOT_READY_TAINT, UNREACHABLE_TAINT, updatePodCondition, zoneKey,
} from '../semantics/node-health.ts';
import {
  cacheOf, type ControllerContext, type ControllerDefinition, controllerMachine, EMPTY_CONTROLLER, enqueue, enqueueAfter, keyOfObject, send,
} from './controller.ts';
import { tryUpdateNodeHealth, type NodeHealth } from './node-lifecycle-health.ts';
import { noScheduleTaintingPass, removeTaints, swapTaints, taintExists, taintsOf } from './node-lifecycle-taints.ts';
import {
  addZone, dropFromTainting, handleDisruption, NO_ZONES, nextTaintingMs, queueForTainting, tryTainting, type Zones,
} from './node-lifecycle-zones.ts';

const MONITOR = 'monitor';
const TAINTING = 'no-execute-tainting';

export interface NodeLifecycleContext extends ControllerContext {
  /** knownNodeSet. */
  readonly knownNodes: readonly string[];
  /** nodeHealthMap; never pruned, as upstream. */
  readonly health: PMap<NodeHealth>;
  readonly zones: Zones;
  /** Nodes whose pods could not all be marked not Ready: marked again on the next pass. */
  readonly nodesToRetry: readonly string[];
}

type Context = NodeLifecycleContext;

const nameOf = (object: KubeObject): string => object.metadata.name ?? '';
const statusOf = (node: KubeObject): NodeStatus | undefined => node.status as NodeStatus | undefined;
const zoneOf = (node: KubeObject): string => zoneKey(node.metadata.labels);
const nodeNameOf = (pod: KubeObject | undefined): string => (pod?.spec as Pod['spec'])?.nodeName ?? '';

function withZones(ctx: Context, zones: Zones): Context {
  return zones === ctx.zones ? ctx : { ...ctx, zones };
}

/** Queues the key now if `atMs` has come, else at `atMs`. */
function scheduleKey(ctx: Context, key: string, atMs: number, nowMs: number): Context {
  return atMs <= nowMs ? enqueue(ctx, [key]) : enqueueAfter(ctx, key, atMs);
}

function scheduleTainting(ctx: Context, nowMs: number): Context {
  const atMs = nextTaintingMs(ctx.zones);
  return atMs === null ? ctx : scheduleKey(ctx, TAINTING, atMs, nowMs);
}

// --- Taints -----------------------------------------------------------------------------------

/** markNodeAsReachable: both NoExecute taints off the node, and the node out of its zone's tainter. */
function markNodeAsReachable(ctx: Context, node: KubeObject): Context {
  const untainted = removeTaints(removeTaints(ctx, node, [UNREACHABLE_TAINT]), node, [NOT_READY_TAINT]);
  return withZones(untainted, dropFromTainting(untainted.zones, zoneOf(node), nameOf(node)));
}

/** markNodeForTainting: queued for the taint of its Ready status (requeued if it lost that taint). */
function markNodeForTainting(ctx: Context, node: KubeObject, status: 'False' | 'Unknown', nowMs: number): Context {
  const zone = zoneOf(node);
  const taint = status === 'False' ? NOT_READY_TAINT : UNREACHABLE_TAINT;
  const zones = taintExists(taintsOf(node), taint) ? ctx.zones : dropFromTainting(ctx.zones, zone, nameOf(node));
  return withZones(ctx, queueForTainting(zones, zone, nameOf(node), nowMs));
}

/**
 * processTaintBaseEviction, on the Ready status seen before this pass: a node with the opposite taint has
 * it swapped at once; otherwise a not Ready node is queued for tainting and a Ready one untainted.
 */
function processTaintBaseEviction(ctx: Context, node: KubeObject, observed: string, nowMs: number): Context {
  const taints = taintsOf(node);
  switch (observed) {
    case 'False':
      return taintExists(taints, UNREACHABLE_TAINT) ? swapTaints(ctx, node, [NOT_READY_TAINT], [UNREACHABLE_TAINT], nowMs) : markNodeForTainting(ctx, node, 'False', nowMs);
    case 'Unknown':
      return taintExists(taints, NOT_READY_TAINT) ? swapTaints(ctx, node, [UNREACHABLE_TAINT], [NOT_READY_TAINT], nowMs) : markNodeForTainting(ctx, node, 'Unknown', nowMs);
    case 'True':
      return markNodeAsReachable(ctx, node);
    default:
      return ctx;
  }
}

/**
 * doNoExecuteTaintingPass: each zone's tainter takes its due nodes while it has tokens; a node gets the
 * taint of its Ready status as the cache shows it now (none if Ready again or gone), the opposite one
 * removed; a node without a Ready condition is tried again.
 */
function noExecuteTaintingPass(ctx: Context, caches: Caches, nowMs: number): Context {
  let next = ctx;
  const zones = tryTainting(ctx.zones, nowMs, (name) => {
    const node = cacheOf(caches, 'nodes').get(name);
    if (node === undefined) return true;
    const ready = nodeCondition(statusOf(node), 'Ready');
    if (ready === undefined) return false;
    if (ready.status === 'False') next = swapTaints(next, node, [NOT_READY_TAINT], [UNREACHABLE_TAINT], nowMs);
    if (ready.status === 'Unknown') next = swapTaints(next, node, [UNREACHABLE_TAINT], [NOT_READY_TAINT], nowMs);
    return true;
  });
  return scheduleTainting(withZones(next, zones), nowMs);
}

// --- Pods ----------------------------------------------------------------------------------------

/** MarkPodsNotReady: each of a node's pods with a Ready condition gets it False, by a status update at its resourceVersion. */
function markPodsNotReady(ctx: Context, pods: readonly KubeObject[], nowMs: number): Context {
  let next = ctx;
  for (const pod of pods) {
    const status = pod.status as PodStatus | undefined;
    const ready = status?.conditions?.find((c) => c.type === 'Ready');
    if (ready === undefined) continue;
    const updated = updatePodCondition(status, { ...ready, status: 'False' }, nowMs);
    if (updated !== null) next = send(next, { verb: 'update', resource: 'pods', subresource: 'status', object: { ...pod, status: updated } });
  }
  return next;
}

function podsByNode(caches: Caches): Map<string, KubeObject[]> {
  const byNode = new Map<string, KubeObject[]>();
  for (const key of [...cacheOf(caches, 'pods').keys()].sort()) {
    const pod = cacheOf(caches, 'pods').get(key) as KubeObject;
    const node = nodeNameOf(pod);
    if (node === '') continue;
    const onNode = byNode.get(node) ?? [];
    onNode.push(pod);
    byNode.set(node, onNode);
  }
  return byNode;
}

/** The node's Ready condition, as the controller last saw it, is there and not True. */
function seenNotReady(ctx: Context, nodeName: string): boolean {
  const ready = nodeCondition(ctx.health.get(nodeName)?.status, 'Ready');
  return ready !== undefined && ready.status !== 'True';
}

/** processPod: a pod bound to a node last seen not Ready (and still there) is marked not Ready. */
function processPod(ctx: Context, key: string, caches: Caches, nowMs: number): Context {
  const pod = cacheOf(caches, 'pods').get(key);
  const nodeName = nodeNameOf(pod);
  if (pod === undefined || !seenNotReady(ctx, nodeName) || !cacheOf(caches, 'nodes').has(nodeName)) return ctx;
  return markPodsNotReady(ctx, [pod], nowMs);
}

// --- monitorNodeHealth -------------------------------------------------------------------------

/** classifyNodes and what follows: zones for known nodes in new zones, then each new node known, in its zone, untainted. */
function classifyNodes(ctx: Context, nodes: readonly KubeObject[], nowMs: number): Context {
  const known = new Set(ctx.knownNodes);
  let next = ctx;
  for (const node of nodes) if (known.has(nameOf(node))) next = withZones(next, addZone(next.zones, zoneOf(node), nowMs));
  for (const node of nodes) {
    if (known.has(nameOf(node))) continue;
    next = markNodeAsReachable(withZones(next, addZone(next.zones, zoneOf(node), nowMs)), node);
  }
  return { ...next, knownNodes: nodes.map(nameOf) };
}

function monitorNodeHealth(ctx: Context, caches: Caches, nowMs: number): Context {
  const nodes = [...cacheOf(caches, 'nodes').values()].sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : 1));
  let next = classifyNodes(ctx, nodes, nowMs);
  const zoneReady = new Map<string, (NodeCondition | undefined)[]>();
  let pods: Map<string, KubeObject[]> | null = null;
  for (const node of nodes) {
    const name = nameOf(node);
    const { health, observed, current, statusUpdate } = tryUpdateNodeHealth(next.health.get(name), node, cacheOf(caches, 'leases').get(`${LEASE_NAMESPACE}/${name}`), nowMs);
    next = { ...next, health: next.health.set(name, health) };
    if (statusUpdate !== null) next = send(next, { verb: 'update', resource: 'nodes', subresource: 'status', object: { ...node, status: statusUpdate } });
    if (!(LABEL_EXCLUDE_DISRUPTION in (node.metadata.labels ?? {}))) {
      const zone = zoneReady.get(zoneOf(node)) ?? [];
      zone.push(current);
      zoneReady.set(zoneOf(node), zone);
    }
    if (current !== undefined) {
      next = processTaintBaseEviction(next, node, observed.status, nowMs);
      const wentNotReady = current.status !== 'True' && observed.status === 'True';
      if (wentNotReady || (next.nodesToRetry.includes(name) && observed.status !== 'True')) {
        pods ??= podsByNode(caches);
        next = markPodsNotReady(next, pods.get(name) ?? [], nowMs);
      }
    }
    // Marked again at most once; a pod status update that fails puts the node back (onReply).
    next = { ...next, nodesToRetry: next.nodesToRetry.filter((n) => n !== name) };
  }
  const { zones, mode } = handleDisruption(next.zones, zoneReady, nowMs);
  next = withZones(next, zones);
  if (mode === 'entered') for (const node of nodes) next = markNodeAsReachable(next, node);
  if (mode === 'exited') {
    let health = next.health;
    for (const node of nodes) {
      const h = health.get(nameOf(node));
      if (h !== undefined) health = health.set(nameOf(node), { ...h, probeMs: nowMs, readyTransitionMs: nowMs });
    }
    next = { ...next, health };
  }
  return scheduleTainting(enqueueAfter(next, MONITOR, nowMs + NODE_MONITOR_PERIOD_MS), nowMs);
}

// --- Events ------------------------------------------------------------------------------------

function reconcile(ctx: Context, key: string, caches: Caches, nowMs: number): Context {
  if (key === MONITOR) return monitorNodeHealth(ctx, caches, nowMs);
  if (key === TAINTING) return noExecuteTaintingPass(ctx, caches, nowMs);
  if (key.startsWith('node/')) {
    const node = cacheOf(caches, 'nodes').get(key.slice('node/'.length));
    return node === undefined ? ctx : noScheduleTaintingPass(ctx, node, nowMs);
  }
  return processPod(ctx, key.slice('pod/'.length), caches, nowMs);
}

/** Pods the controller must look at after a relist: those on a node last seen not Ready (processPod passes over the rest). */
function podsOnNotReadyNodes(ctx: Context, cache: ReadonlyMap<string, KubeObject>): string[] {
  return [...cache.values()].filter((pod) => seenNotReady(ctx, nodeNameOf(pod))).map((pod) => `pod/${keyOfObject(pod)}`);
}

function onInformed(ctx: Context, informed: InformedEvent): Context {
  const { event, cache } = informed;
  // The monitor starts with the first event (the world holds reconciles until every cache has synced).
  const started = ctx.queue.includes(MONITOR) || ctx.delayed.some((d) => d.key === MONITOR) ? ctx : enqueue(ctx, [MONITOR]);
  if (informed.resource === 'nodes') {
    if (event === null) return enqueue(started, [...cache.keys()].map((name) => `node/${name}`));
    if (event.type === 'DELETED') return { ...started, nodesToRetry: started.nodesToRetry.filter((n) => n !== nameOf(event.object)) };
    return enqueue(started, [`node/${nameOf(event.object)}`]);
  }
  if (informed.resource !== 'pods') return started;
  if (event === null) return enqueue(started, podsOnNotReadyNodes(started, cache));
  // podUpdated: a pod newly bound to a node.
  const nodeName = nodeNameOf(event.object);
  return event.type !== 'DELETED' && nodeName !== '' && nodeName !== nodeNameOf(event.previous ?? undefined) ? enqueue(started, [`pod/${keyOfObject(event.object)}`]) : started;
}

/** A pod status update that failed (other than for a pod gone) leaves its node to be marked again on the next pass. */
function onReply(ctx: Context, event: Extract<ClientEvent, { type: 'REPLY' }>): Context {
  const { request, reply } = event;
  const cleared = { ...ctx, request: null };
  if (reply.ok || reply.status.code === 404 || request.verb !== 'update' || request.resource !== 'pods') return cleared;
  const nodeName = nodeNameOf(request.object);
  return cleared.nodesToRetry.includes(nodeName) ? cleared : { ...cleared, nodesToRetry: [...cleared.nodesToRetry, nodeName] };
}

export const nodeLifecycleControllerMachine = controllerMachine<Context>('node-lifecycle-controller', (): Context => ({ ...EMPTY_CONTROLLER, knownNodes: [], health: PMap.empty(), zones: NO_ZONES, nodesToRetry: [] }), {
  informed: onInformed,
  reconcile: (ctx, { key, caches, nowMs }) => reconcile(ctx, key, caches, nowMs),
  reply: onReply,
});

export const nodeLifecycleController: ControllerDefinition = {
  name: 'node-lifecycle', machine: nodeLifecycleControllerMachine, resources: ['nodes', 'leases', 'pods'],
};
