// The pure decisions of the node lifecycle controller (kubernetes/kubernetes
// pkg/controller/nodelifecycle/node_lifecycle_controller.go at master: the flag defaults, tryUpdateNodeHealth's
// grace check and condition rewrite, ComputeZoneState, setLimiterInZone with HealthyQPSFunc and
// ReducedQPSFunc), of its zone queues' rate limiter (nodelifecycle/scheduler/rate_limited_queue.go over
// client-go flowcontrol's token bucket, burst 1), of the zone key (component-helpers node/topology
// GetZoneKey), and podutil.UpdatePodCondition (pkg/api/v1/pod/util.go), which both the node lifecycle and
// the taint-eviction controller write pod conditions with.
import type { NodeCondition, NodeStatus, PodCondition, PodStatus, Taint } from 'kubernetes-types/core/v1.js';
import { timestamp } from '../clock.ts';

/** --node-monitor-period: how often monitorNodeHealth runs. */
export const NODE_MONITOR_PERIOD_MS = 5_000;
/** --node-monitor-grace-period: 50 s since 1.32 (kubernetes#126287; 40 s before). */
export const NODE_MONITOR_GRACE_PERIOD_MS = 50_000;
/** --node-startup-grace-period: the grace of a node that never posted a Ready condition. */
export const NODE_STARTUP_GRACE_PERIOD_MS = 60_000;
/** --node-eviction-rate, --secondary-node-eviction-rate, --large-cluster-size-threshold, --unhealthy-zone-threshold. */
export const EVICTION_LIMITER_QPS = 0.1;
export const SECONDARY_EVICTION_LIMITER_QPS = 0.01;
export const LARGE_CLUSTER_THRESHOLD = 50;
export const UNHEALTHY_ZONE_THRESHOLD = 0.55;

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
/** NotReadyTaintTemplate and UnreachableTaintTemplate: the NoExecute taints the controller adds, rate limited. */
export const NOT_READY_TAINT: Taint = { key: TAINT_NODE_NOT_READY, effect: 'NoExecute' };
export const UNREACHABLE_TAINT: Taint = { key: TAINT_NODE_UNREACHABLE, effect: 'NoExecute' };

/** labelNodeDisruptionExclusion: a node with this label is left out of its zone's health. */
export const LABEL_EXCLUDE_DISRUPTION = 'node.kubernetes.io/exclude-disruption';

export function nodeCondition(status: NodeStatus | undefined, type: string): NodeCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/** tryUpdateNodeHealth: the heartbeat (lease renewal or Ready heartbeat) last seen at `probeMs` is too old. */
export function graceExpired(probeMs: number, graceMs: number, nowMs: number): boolean {
  return nowMs > probeMs + graceMs;
}

/** The conditions tryUpdateNodeHealth sets to Unknown once the grace period passes; NetworkUnavailable is the control plane's own. */
const CONDITIONS_SET_UNKNOWN = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/**
 * tryUpdateNodeHealth past the grace period: each of those conditions that is not Unknown becomes
 * Unknown (NodeStatusUnknown, transition now, heartbeat kept); one the kubelet never posted is appended
 * as NodeStatusNeverUpdated with the node's creation as its heartbeat.
 */
export function conditionsUnknown(status: NodeStatus | undefined, creationTimestamp: string | undefined, nowMs: number): NodeCondition[] {
  const now = timestamp(nowMs);
  const conditions = (status?.conditions ?? []).map((c) =>
    (CONDITIONS_SET_UNKNOWN.includes(c.type) && c.status !== 'Unknown'
      ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: now }
      : c));
  for (const type of CONDITIONS_SET_UNKNOWN) {
    if (conditions.some((c) => c.type === type)) continue;
    conditions.push({
      type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.',
      ...(creationTimestamp !== undefined ? { lastHeartbeatTime: creationTimestamp } : {}), lastTransitionTime: now,
    });
  }
  return conditions;
}

// --- Zones -------------------------------------------------------------------------------

export type ZoneState = 'Initial' | 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** GetZoneKey: region and zone (stable labels, else the beta ones), "" when neither is set. */
export function zoneKey(labels: Readonly<Record<string, string>> | undefined): string {
  const zone = labels?.['topology.kubernetes.io/zone'] ?? labels?.['failure-domain.beta.kubernetes.io/zone'] ?? '';
  const region = labels?.['topology.kubernetes.io/region'] ?? labels?.['failure-domain.beta.kubernetes.io/region'] ?? '';
  return region === '' && zone === '' ? '' : `${region}:\x00:${zone}`;
}

/**
 * ComputeZoneState over the Ready conditions of a zone's nodes (undefined: none): no node Ready is
 * FullDisruption; more than 2 not Ready and at least the threshold of them (float32 arithmetic, as
 * upstream) is PartialDisruption; else Normal.
 */
export function computeZoneState(ready: readonly (NodeCondition | undefined)[]): { readonly notReady: number; readonly state: Exclude<ZoneState, 'Initial'> } {
  const readyNodes = ready.filter((c) => c?.status === 'True').length;
  const notReady = ready.length - readyNodes;
  if (readyNodes === 0 && notReady > 0) return { notReady, state: 'FullDisruption' };
  if (notReady > 2 && Math.fround(notReady / ready.length) >= Math.fround(UNHEALTHY_ZONE_THRESHOLD)) return { notReady, state: 'PartialDisruption' };
  return { notReady, state: 'Normal' };
}

/**
 * setLimiterInZone: the tainting rate for a zone's new state. A fully disrupted zone (while another is
 * not) taints at the normal rate; a partially disrupted one at the secondary rate if the zone is larger
 * than the large-cluster threshold, else not at all. Initial is never set by a state change.
 */
export function zoneQps(state: Exclude<ZoneState, 'Initial'>, zoneSize: number): number {
  if (state === 'PartialDisruption') return zoneSize > LARGE_CLUSTER_THRESHOLD ? SECONDARY_EVICTION_LIMITER_QPS : 0;
  return EVICTION_LIMITER_QPS;
}

// --- The zone's rate limiter --------------------------------------------------------------

/**
 * A token bucket with burst 1 (flowcontrol.NewTokenBucketRateLimiter(qps, EvictionRateLimiterBurst)):
 * it holds at most one token, so its whole state is when that token is (or was) full again. It starts
 * full. qps 0 is the limiter that never accepts (NewFakeNeverRateLimiter, during master disruption).
 */
export interface TokenBucket {
  readonly qps: number;
  readonly fullAtMs: number;
}

/**
 * The wait for one token, in whole milliseconds: the flags are float32, so 0.1 refills in 9.99999985 s
 * (the first millisecond with a token is 10 000 ms later) and 0.01 in 100.0000022 s (100 001 ms).
 */
export function refillMs(qps: number): number {
  return Math.ceil(1000 / Math.fround(qps));
}

export function newTokenBucket(qps: number, nowMs: number): TokenBucket {
  return { qps, fullAtMs: nowMs };
}

/** TryAccept: the bucket with its token taken, or null when it has none (taking nothing). */
export function tryAccept(bucket: TokenBucket, nowMs: number): TokenBucket | null {
  if (bucket.qps <= 0 || nowMs < bucket.fullAtMs) return null;
  return { qps: bucket.qps, fullAtMs: nowMs + refillMs(bucket.qps) };
}

/** When the bucket next has a token, or null for the never-accepting limiter. */
export function tokenAtMs(bucket: TokenBucket): number | null {
  return bucket.qps <= 0 ? null : bucket.fullAtMs;
}

/**
 * SwapLimiter: a new bucket when the rate changes. It starts full, unless the old one had no token to
 * give (a failed TryAccept; a successful one spends the old bucket's token), then it starts drained.
 */
export function swapLimiter(bucket: TokenBucket, qps: number, nowMs: number): TokenBucket {
  if (Math.fround(bucket.qps) === Math.fround(qps)) return bucket;
  if (qps <= 0) return { qps: 0, fullAtMs: nowMs };
  const fresh = newTokenBucket(qps, nowMs);
  return tryAccept(bucket, nowMs) === null ? (tryAccept(fresh, nowMs) as TokenBucket) : fresh;
}

// --- Pod conditions ------------------------------------------------------------------------

/**
 * podutil.UpdatePodCondition: the status with `condition` set (its lastTransitionTime now if its status
 * changed, else kept), or null when that changes nothing.
 */
export function updatePodCondition(status: PodStatus | undefined, condition: PodCondition, nowMs: number): PodStatus | null {
  const conditions = status?.conditions ?? [];
  const at = conditions.findIndex((c) => c.type === condition.type);
  const stamped: PodCondition = { ...condition, lastTransitionTime: timestamp(nowMs) };
  if (at === -1) return { ...status, conditions: [...conditions, stamped] };
  const old = conditions[at] as PodCondition;
  const { lastTransitionTime: _now, ...unstamped } = stamped;
  const kept: PodCondition = old.lastTransitionTime === undefined ? unstamped : { ...unstamped, lastTransitionTime: old.lastTransitionTime };
  const next = old.status === condition.status ? kept : stamped;
  const unchanged = next.status === old.status && (next.reason ?? '') === (old.reason ?? '') && (next.message ?? '') === (old.message ?? '') &&
    next.lastProbeTime === old.lastProbeTime && next.lastTransitionTime === old.lastTransitionTime;
  return unchanged ? null : { ...status, conditions: conditions.map((c, i) => (i === at ? next : c)) };
}
