// What the node lifecycle controller knows of a node's health (nodeHealthData) and how one
// monitorNodeHealth pass updates it: tryUpdateNodeHealth (pkg/controller/nodelifecycle/
// node_lifecycle_controller.go at master). The controller keeps its own clock: a heartbeat counts from
// when the controller first sees it (a new Ready lastHeartbeatTime, or a Lease renewTime newer than the
// last one seen), not from the time the node wrote in it.
import type { NodeCondition, NodeStatus } from 'kubernetes-types/core/v1.js';
import { parseTimestamp, timestamp } from '../clock.ts';
import { deepEqual } from '../equal.ts';
import type { KubeObject } from '../resources.ts';
import {
  conditionsUnknown, graceExpired, nodeCondition, NODE_MONITOR_GRACE_PERIOD_MS, NODE_STARTUP_GRACE_PERIOD_MS,
} from '../semantics/node-health.ts';

export interface NodeHealth {
  /** When the controller last saw a heartbeat. */
  readonly probeMs: number;
  readonly readyTransitionMs: number;
  readonly status: NodeStatus | undefined;
  /** The renewTime of the node's Lease as last seen, or null. */
  readonly leaseRenewMs: number | null;
}

export interface HealthUpdate {
  readonly health: NodeHealth;
  /** The Ready condition as it was (a stand-in Unknown one from the node's creation if it has none). */
  readonly observed: NodeCondition;
  /** The Ready condition now, after a rewrite to Unknown; undefined if the node still has none. */
  readonly current: NodeCondition | undefined;
  /** The node's status to write (UpdateStatus), or null. */
  readonly statusUpdate: NodeStatus | null;
}

/**
 * tryUpdateNodeHealth: the probe time moves to now when a new Ready heartbeat or a newer Lease renewal
 * is seen; past the grace period (the startup grace for a node that never posted Ready), the conditions
 * go Unknown by a status update, if that changes the Ready condition.
 */
export function tryUpdateNodeHealth(previous: NodeHealth | undefined, node: KubeObject, lease: KubeObject | undefined, nowMs: number): HealthUpdate {
  const status = node.status as NodeStatus | undefined;
  const created = node.metadata.creationTimestamp ?? timestamp(0);
  const current = nodeCondition(status, 'Ready');
  const fresh = (atMs: number): NodeHealth => ({ probeMs: atMs, readyTransitionMs: atMs, status, leaseRenewMs: null });
  let health = previous;
  if (current === undefined) health = health === undefined ? fresh(parseTimestamp(created)) : { ...health, status };
  const observed: NodeCondition = current ?? { type: 'Ready', status: 'Unknown', lastHeartbeatTime: created, lastTransitionTime: created };
  const graceMs = current === undefined ? NODE_STARTUP_GRACE_PERIOD_MS : NODE_MONITOR_GRACE_PERIOD_MS;
  const saved = nodeCondition(health?.status, 'Ready');
  const savedLeaseMs = health?.leaseRenewMs ?? null;
  if (health === undefined || (saved === undefined) !== (current === undefined)) {
    health = fresh(nowMs);
  } else if (saved !== undefined && current !== undefined && saved.lastHeartbeatTime !== current.lastHeartbeatTime) {
    health = { ...fresh(nowMs), readyTransitionMs: saved.lastTransitionTime !== current.lastTransitionTime ? nowMs : health.readyTransitionMs };
  }
  const renewTime = (lease?.spec as { renewTime?: string } | undefined)?.renewTime;
  const renewMs = renewTime === undefined ? null : parseTimestamp(renewTime);
  if (renewMs !== null && (savedLeaseMs === null || savedLeaseMs < renewMs)) health = { ...health, leaseRenewMs: renewMs, probeMs: nowMs };
  if (!graceExpired(health.probeMs, graceMs, nowMs)) return { health, observed, current, statusUpdate: null };

  const unknown: NodeStatus = { ...status, conditions: conditionsUnknown(status, created, nowMs) };
  const rewritten = nodeCondition(unknown, 'Ready');
  if (deepEqual(rewritten, observed)) return { health, observed, current: rewritten, statusUpdate: null };
  return {
    health: { probeMs: health.probeMs, readyTransitionMs: nowMs, status: unknown, leaseRenewMs: renewMs },
    observed, current: rewritten, statusUpdate: unknown,
  };
}
