// The node lifecycle controller's zones: each zone's state and its NoExecute tainter, a
// RateLimitedTimedQueue (pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go: a unique queue of
// nodes by time to process, with a set that keeps a processed node from being added again until removed,
// and a token bucket); addPodEvictorForNewZone, markNodeForTainting's queue half, the Try loop of
// doNoExecuteTaintingPass and handleDisruption (node_lifecycle_controller.go at master).
//
// Discrete model: upstream the tainting pass polls every 100 ms (NodeEvictionPeriod), each item it looks
// at costing a token. Here it is a key of its own, queued for the moment a zone with nodes waiting has a
// token and a due head: at once after the monitor pass that queued a node if the bucket is full (upstream:
// within 100 ms), else at the millisecond it refills. The bucket is kept exactly (burst 1, full when
// created, float32 rates), so with 0.1 qps a zone taints at most one node per 10 s: two nodes lost
// together are tainted 10 s apart, as upstream, to its 100 ms tick.
import type { NodeCondition } from 'kubernetes-types/core/v1.js';
import {
  computeZoneState, EVICTION_LIMITER_QPS, newTokenBucket, swapLimiter, tokenAtMs, tryAccept, zoneQps,
  type TokenBucket, type ZoneState,
} from '../semantics/node-health.ts';

/** A failed item is processed again 50 ms and a nanosecond later (ProcessAt = now + wait + 1), here the next millisecond after. */
const RETRY_MS = 51;

export interface Tainter {
  readonly bucket: TokenBucket;
  /** Nodes to taint, by the time to process them (all added at their time, so in order). */
  readonly queue: readonly { readonly node: string; readonly processAtMs: number }[];
  /** Nodes added and not removed, processed or not: Add ignores them. */
  readonly added: readonly string[];
}

export interface Zones {
  readonly states: Readonly<Record<string, ZoneState>>;
  /** Never dropped: a zone that empties loses its state, and a new tainter replaces this one when it comes back. */
  readonly tainters: Readonly<Record<string, Tainter>>;
}

export const NO_ZONES: Zones = { states: {}, tainters: {} };

/** addPodEvictorForNewZone: a zone without a state gets one, Initial, and a fresh tainter at the normal rate. */
export function addZone(zones: Zones, zone: string, nowMs: number): Zones {
  if (zone in zones.states) return zones;
  const tainter: Tainter = { bucket: newTokenBucket(EVICTION_LIMITER_QPS, nowMs), queue: [], added: [] };
  return { states: { ...zones.states, [zone]: 'Initial' }, tainters: { ...zones.tainters, [zone]: tainter } };
}

function withTainter(zones: Zones, zone: string, change: (tainter: Tainter) => Tainter): Zones {
  const tainter = zones.tainters[zone];
  if (tainter === undefined) return zones;
  const changed = change(tainter);
  return changed === tainter ? zones : { ...zones, tainters: { ...zones.tainters, [zone]: changed } };
}

/** RateLimitedTimedQueue.Add: a node not already added is queued, to process now. */
export function queueForTainting(zones: Zones, zone: string, node: string, nowMs: number): Zones {
  return withTainter(zones, zone, (t) => (t.added.includes(node) ? t : {
    ...t, queue: [...t.queue, { node, processAtMs: nowMs }], added: [...t.added, node],
  }));
}

/** RateLimitedTimedQueue.Remove: the node leaves the queue and may be added again. */
export function dropFromTainting(zones: Zones, zone: string, node: string): Zones {
  return withTainter(zones, zone, (t) => (t.added.includes(node) ? {
    ...t, queue: t.queue.filter((q) => q.node !== node), added: t.added.filter((n) => n !== node),
  } : t));
}

/**
 * Try, in every zone: while the bucket gives a token and the head is due, the head is tainted (`taint`
 * says whether that is done; if not, it is processed again a little later). A token is spent even on a
 * head not yet due.
 */
export function tryTainting(zones: Zones, nowMs: number, taint: (node: string) => boolean): Zones {
  let next = zones;
  for (const zone of Object.keys(zones.tainters).sort()) {
    next = withTainter(next, zone, (tainter) => {
      let t = tainter;
      for (let head = t.queue[0]; head !== undefined; head = t.queue[0]) {
        const bucket = tryAccept(t.bucket, nowMs);
        if (bucket === null) break;
        t = { ...t, bucket };
        if (nowMs < head.processAtMs) break;
        const rest = t.queue.slice(1);
        const retry = { node: head.node, processAtMs: nowMs + RETRY_MS };
        t = { ...t, queue: taint(head.node) ? rest : [...rest, retry].sort((a, b) => a.processAtMs - b.processAtMs) };
      }
      return t;
    });
  }
  return next;
}

/** When a tainting pass next has work: the earliest zone whose head is due and bucket has a token; null if none ever. */
export function nextTaintingMs(zones: Zones): number | null {
  let at: number | null = null;
  for (const tainter of Object.values(zones.tainters)) {
    const head = tainter.queue[0];
    const token = tokenAtMs(tainter.bucket);
    if (head === undefined || token === null) continue;
    const due = Math.max(token, head.processAtMs);
    if (at === null || due < at) at = due;
  }
  return at;
}

export type DisruptionMode = 'entered' | 'exited' | null;

/**
 * handleDisruption: each zone's new state from its nodes' Ready conditions; zones without nodes lose
 * their state. When every zone is fully disrupted and was not before, the controller enters master
 * disruption mode: every tainter stops (the caller also untaints every node); when it was and is no
 * more, it exits: each tainter gets its state's rate (the caller resets every node's probe time);
 * otherwise a zone whose state changed gets its new rate.
 */
export function handleDisruption(zones: Zones, zoneReady: ReadonlyMap<string, readonly (NodeCondition | undefined)[]>, nowMs: number): { zones: Zones; mode: DisruptionMode } {
  const newStates = new Map<string, Exclude<ZoneState, 'Initial'>>();
  for (const [zone, ready] of zoneReady) newStates.set(zone, computeZoneState(ready).state);
  const allAreFullyDisrupted = [...newStates.values()].every((s) => s === 'FullDisruption');
  // Upstream deletes the states of empty zones in a loop over a map that stops at the first zone not
  // fully disrupted, so which go depends on Go's map order; here all of them go.
  const states: Record<string, ZoneState> = {};
  for (const zone of zoneReady.keys()) states[zone] = zones.states[zone] ?? 'Initial';
  const allWasFullyDisrupted = Object.values(states).every((s) => s === 'FullDisruption');
  let next: Zones = { ...zones, states };
  if (allAreFullyDisrupted && allWasFullyDisrupted) return { zones: next, mode: null };
  const limit = (zone: string, qps: number) => { next = withTainter(next, zone, (t) => ({ ...t, bucket: swapLimiter(t.bucket, qps, nowMs) })); };
  if (allAreFullyDisrupted) {
    for (const zone of Object.keys(states)) limit(zone, 0);
    return { zones: { ...next, states: Object.fromEntries(Object.keys(states).map((z) => [z, 'FullDisruption'])) }, mode: 'entered' };
  }
  for (const [zone, state] of newStates) {
    if (!allWasFullyDisrupted && states[zone] === state) continue;
    limit(zone, zoneQps(state, zoneReady.get(zone)?.length ?? 0));
  }
  return { zones: { ...next, states: Object.fromEntries(newStates) }, mode: allWasFullyDisrupted ? 'exited' : null };
}
