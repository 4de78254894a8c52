// The node lifecycle controller's writes of a node's taints: pkg/util/taints/taints.go (MatchTaint,
// TaintExists, AddOrUpdateTaint, RemoveTaint, TaintSetDiff), pkg/controller/controller_utils.go
// (AddOrUpdateTaintOnNode, RemoveTaintOffNode, PatchNodeTaints), util/node SwapNodeControllerTaint, and
// doNoScheduleTaintingPass (node_lifecycle_controller.go), which mirrors node conditions in NoSchedule taints.
// PatchNodeTaints sends the node's whole taint list with the resourceVersion of the node it read, so a
// write here is an update of the node at that resourceVersion.
import type { NodeSpec, NodeStatus, Taint } from 'kubernetes-types/core/v1.js';
import { timestamp } from '../clock.ts';
import type { Request } from '../requests.ts';
import type { KubeObject } from '../resources.ts';
import { TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE } from '../semantics/node-health.ts';
import { send, type ControllerContext } from './controller.ts';

/** MatchTaint: the same key and effect (value and timeAdded aside). */
function matchTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect;
}

export function taintExists(taints: readonly Taint[] | undefined, taint: Taint): boolean {
  return (taints ?? []).some((t) => matchTaint(t, taint));
}

export function taintsOf(node: KubeObject): readonly Taint[] {
  return (node.spec as NodeSpec | undefined)?.taints ?? [];
}

/** AddOrUpdateTaint: the taint replaces the one it matches (unless equal), else is appended; null when unchanged. */
function addOrUpdateTaint(taints: readonly Taint[], taint: Taint): Taint[] | null {
  const at = taints.findIndex((t) => matchTaint(t, taint));
  if (at === -1) return [...taints, taint];
  const old = taints[at] as Taint;
  if ((old.value ?? '') === (taint.value ?? '') && old.timeAdded === taint.timeAdded) return null;
  return taints.map((t, i) => (i === at ? taint : t));
}

/**
 * The node as this reconcile's earlier taint writes leave it: upstream each write reads the node afresh,
 * and a reconcile's writes go out before the next read, each at the resourceVersion the one before returned.
 */
function latestNode(ctx: ControllerContext, node: KubeObject): KubeObject {
  const pending = [ctx.request, ...ctx.outbox].filter((r): r is Extract<Request, { verb: 'update' }> =>
    r?.verb === 'update' && r.resource === 'nodes' && r.subresource === undefined && r.object.metadata.name === node.metadata.name);
  return pending.at(-1)?.object ?? node;
}

function taintsWrite<C extends ControllerContext>(ctx: C, base: KubeObject, taints: readonly Taint[]): C {
  const { taints: _old, ...spec } = (base.spec as NodeSpec | undefined) ?? {};
  return send(ctx, { verb: 'update', resource: 'nodes', object: { ...base, spec: taints.length > 0 ? { ...spec, taints } : spec } });
}

/** AddOrUpdateTaintOnNode: one write adding or updating the taints, none if that changes nothing. */
export function addTaints<C extends ControllerContext>(ctx: C, node: KubeObject, add: readonly Taint[]): C {
  const base = latestNode(ctx, node);
  let taints: readonly Taint[] = taintsOf(base);
  let updated = false;
  for (const taint of add) {
    const next = addOrUpdateTaint(taints, taint);
    if (next !== null) [taints, updated] = [next, true];
  }
  return updated ? taintsWrite(ctx, base, taints) : ctx;
}

/**
 * RemoveTaintOffNode: nothing to do if `node` (the caller's view of it) has none of the taints; else one
 * write removing them, none if the node as read has none left.
 */
export function removeTaints<C extends ControllerContext>(ctx: C, node: KubeObject, remove: readonly Taint[]): C {
  if (!remove.some((taint) => taintExists(taintsOf(node), taint))) return ctx;
  const base = latestNode(ctx, node);
  const kept = taintsOf(base).filter((t) => !remove.some((taint) => matchTaint(t, taint)));
  return kept.length === taintsOf(base).length ? ctx : taintsWrite(ctx, base, kept);
}

/** SwapNodeControllerTaint: the taints to add, stamped with timeAdded now, then the taints to remove. */
export function swapTaints<C extends ControllerContext>(ctx: C, node: KubeObject, add: readonly Taint[], remove: readonly Taint[], nowMs: number): C {
  const stamped = add.map((taint) => ({ ...taint, timeAdded: timestamp(nowMs) }));
  return removeTaints(addTaints(ctx, node, stamped), node, remove);
}

// --- doNoScheduleTaintingPass ------------------------------------------------------------------

/** nodeConditionToTaintKeyStatusMap: the NoSchedule taint each condition status calls for. */
const CONDITION_TAINTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Ready: { False: TAINT_NODE_NOT_READY, Unknown: TAINT_NODE_UNREACHABLE },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
};
const CONDITION_TAINT_KEYS = new Set(Object.values(CONDITION_TAINTS).flatMap((byStatus) => Object.values(byStatus)));
const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/**
 * doNoScheduleTaintingPass: the NoSchedule taints the node's conditions and cordon call for, against the
 * condition and unschedulable NoSchedule taints it has (TaintSetDiff), swapped in.
 */
export function noScheduleTaintingPass<C extends ControllerContext>(ctx: C, node: KubeObject, nowMs: number): C {
  const wanted: Taint[] = [];
  for (const condition of (node.status as NodeStatus | undefined)?.conditions ?? []) {
    const key = CONDITION_TAINTS[condition.type]?.[condition.status];
    if (key !== undefined) wanted.push({ key, effect: 'NoSchedule' });
  }
  if ((node.spec as NodeSpec | undefined)?.unschedulable) wanted.push({ key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' });
  const owned = taintsOf(node).filter((t) => t.effect === 'NoSchedule' && (t.key === TAINT_NODE_UNSCHEDULABLE || CONDITION_TAINT_KEYS.has(t.key)));
  const add = wanted.filter((t) => !taintExists(owned, t));
  const remove = owned.filter((t) => !taintExists(wanted, t));
  return add.length === 0 && remove.length === 0 ? ctx : swapTaints(ctx, node, add, remove, nowMs);
}
