// Node failure: what the node lifecycle and taint-eviction controllers must do when nodes fall
// silent, and the goals that show exploration got there. Follows kubernetes/kubernetes
// pkg/controller/nodelifecycle/node_lifecycle_controller.go (handleDisruption, ComputeZoneState: when
// every zone is fully disrupted, the controller untaints every node and stops its tainters, as the
// fault is then likelier the control plane's than every node's) and pkg/controller/tainteviction.
import type { Deployment, DeploymentStatus } from 'kubernetes-types/apps/v1.js';
import type { NodeCondition, NodeSpec, NodeStatus, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { parseTimestamp } from '../model/clock.ts';
import { controllerOf } from '../model/controllers/controller.ts';
import type { NodeHealth } from '../model/controllers/node-lifecycle-health.ts';
import type { NodeLifecycleContext } from '../model/controllers/node-lifecycle.ts';
import { getMatchingTolerations } from '../model/controllers/taint-eviction.ts';
import type { KubeObject } from '../model/resources.ts';
import { deploymentComplete } from '../model/semantics/deployment.ts';
import {
  computeZoneState, graceExpired, LABEL_EXCLUDE_DISRUPTION, nodeCondition, NODE_MONITOR_GRACE_PERIOD_MS, NOT_READY_TAINT, TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE, UNREACHABLE_TAINT, zoneKey, zoneQps,
} from '../model/semantics/node-health.ts';
import { getMinTolerationTime } from '../model/semantics/taints.ts';
import { isPodActive } from '../model/semantics/replicaset.ts';
import type { World } from '../model/world.ts';
import { committedEvent, controllerClient, keyOfPod, podEvent, reconcileOf, specOf, type Reconcile } from './observe.ts';
import type { EventuallyProperty, SometimesGoal, TransitionProperty } from './property.ts';

const NODE_TAINT_KEYS = [TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE];

/** The node's not-ready / unreachable NoExecute taints: the node lifecycle controller's. */
function noExecuteTaints(node: KubeObject | undefined): Taint[] {
  return ((node?.spec as NodeSpec | undefined)?.taints ?? []).filter((t) => t.effect === 'NoExecute' && NODE_TAINT_KEYS.includes(t.key));
}

const noExecuteKeys = (node: KubeObject | undefined): string[] => noExecuteTaints(node).map((t) => t.key);
const readyOf = (status: unknown): string => nodeCondition(status as NodeStatus | undefined, 'Ready')?.status ?? 'none';
const nodesOf = (world: World): KubeObject[] => [...(world.store.context.objects.nodes?.values() ?? [])];
const excluded = (node: KubeObject): boolean => LABEL_EXCLUDE_DISRUPTION in (node.metadata.labels ?? {});

// --- noEvictionWhenEveryNodeIsDown ------------------------------------------------------------

/**
 * The nodes the node lifecycle controller tainted NoExecute in this reconcile, with the keys added:
 * each node as its last write of this reconcile leaves it, against the store. A swap (the taint of
 * one Ready status for the other's, on a node its cache shows with the other) is left out: upstream
 * processTaintBaseEviction swaps at once, whatever the zones' state, before handleDisruption runs.
 */
function taintsAdded(before: World, { client, caches, writes }: Reconcile): { node: string; keys: string[] }[] {
  const last = new Map<string, KubeObject>();
  for (const r of writes) {
    if (r.verb === 'update' && r.resource === 'nodes' && r.subresource === undefined) last.set(r.object.metadata.name ?? '', r.object);
  }
  const cached = caches.nodes;
  const added: { node: string; keys: string[] }[] = [];
  for (const [name, written] of last) {
    const stored = noExecuteKeys(before.store.context.objects.nodes?.get(name));
    const keys = noExecuteKeys(written).filter((k) => !stored.includes(k));
    const swapped = noExecuteKeys(cached?.get(name)).length > 0;
    if (keys.length > 0 && !swapped) added.push({ node: name, keys });
  }
  return added;
}

/**
 * Whether the controller's last monitor pass found every node it has known silent past the grace
 * period: it then saw each Unknown, whatever its cache said, and every zone fully disrupted. A node
 * heard from within the grace it may have seen Ready, as its cache showed it (a stale cache can show a
 * node Ready that the controller itself has since marked Unknown): then it could not know every node
 * was down. The pass's time is not kept, but every probe and transition time the controller records
 * was stamped at a pass (or is a node's creation), so the latest of them is no later than the last pass.
 */
function lastPassFoundEveryNodeSilent(health: ReadonlyMap<string, NodeHealth>): boolean {
  const records = [...health.values()];
  const lastPassMs = Math.max(...records.map((h) => Math.max(h.probeMs, h.readyTransitionMs)));
  return records.length > 0 && records.every((h) => graceExpired(h.probeMs, NODE_MONITOR_GRACE_PERIOD_MS, lastPassMs));
}

export const noEvictionWhenEveryNodeIsDown: TransitionProperty = {
  kind: 'transition',
  name: 'noEvictionWhenEveryNodeIsDown',
  description: 'The node lifecycle controller never taints a node NoExecute (which evicts its pods) while every node is not Ready, as the store says, and its last pass had heard from none within the grace period (every zone fully disrupted): it must untaint them all and stop (master disruption mode).',
  check(before, action, after) {
    const reconcile = reconcileOf('node-lifecycle', before, action, after);
    if (reconcile === null) return null;
    // Judged on the store's nodes, and on what the controller could know: its health records.
    const added = taintsAdded(before, reconcile);
    if (added.length === 0) return null;
    const counted = nodesOf(before).filter((n) => !excluded(n));
    if (counted.length === 0 || counted.some((n) => readyOf(n.status) === 'True')) return null;
    if (!lastPassFoundEveryNodeSilent((after.clients[reconcile.client]!.context as NodeLifecycleContext).health)) return null;
    const states = counted.map((n) => `${n.metadata.name} ${readyOf(n.status)}`).join(', ');
    const taints = added.map((a) => `${a.node} ${a.keys.map((k) => `${k}:NoExecute`).join(' and ')}`).join('; ');
    return `the node lifecycle controller tainted ${taints} while every node was not Ready (${states}) and its last pass had heard from none within the grace period: ` +
      'with every zone fully disrupted it must untaint every node and stop tainting (master disruption mode), since a failure of every node ' +
      'at once is likelier the control plane\'s own, and evicting every pod would make it worse.';
  },
};

// --- podsOfFailedNodesAreReplaced -------------------------------------------------------------

/**
 * Whether the node lifecycle controller taints the zone's silent nodes once settled (setLimiterInZone,
 * handleDisruption): not when every zone is fully disrupted, nor in a partially disrupted zone of up
 * to 50 nodes. A zone of excluded nodes only keeps the tainter's first, normal rate.
 */
function zonesThatTaint(nodes: readonly KubeObject[]): (zone: string) => boolean {
  const ready = new Map<string, (NodeCondition | undefined)[]>();
  for (const n of nodes.filter((n) => !excluded(n))) ready.set(zoneKey(n.metadata.labels), [...(ready.get(zoneKey(n.metadata.labels)) ?? []), nodeCondition(n.status as NodeStatus | undefined, 'Ready')]);
  const states = new Map([...ready].map(([zone, conditions]) => [zone, computeZoneState(conditions).state]));
  const everyZoneDown = [...states.values()].every((s) => s === 'FullDisruption');
  return (zone) => {
    const state = states.get(zone);
    return state === undefined || (!everyZoneDown && zoneQps(state, ready.get(zone)!.length) > 0);
  };
}

/**
 * The NoExecute taints the node has, or, untainted and not Ready where its zone is tainted, the one
 * its Ready status calls for (not-ready for False, unreachable for Unknown or none).
 */
function evictingTaints(node: KubeObject, zoneTaints: (zone: string) => boolean): Taint[] {
  const tainted = noExecuteTaints(node);
  const ready = readyOf(node.status);
  if (tainted.length > 0 || ready === 'True' || !zoneTaints(zoneKey(node.metadata.labels))) return tainted;
  return [ready === 'False' ? NOT_READY_TAINT : UNREACHABLE_TAINT];
}

export const podsOfFailedNodesAreReplaced: EventuallyProperty = {
  kind: 'eventually',
  name: 'podsOfFailedNodesAreReplaced',
  description: 'Once faults are healed and the cluster settles, no active pod of a ReplicaSet is left on a node still failed (tainted NoExecute, or not Ready where its zone is tainted) whose taint it tolerates only for a while: it was evicted and replaced (that the ReplicaSet then has its replicas is replicaSetsOwnTheirReplicas\' claim).',
  check(world, settlement) {
    const nodes = nodesOf(world);
    const zoneTaints = zonesThatTaint(nodes);
    const stranded: string[] = [];
    for (const pod of world.store.context.objects.pods?.values() ?? []) {
      const node = world.store.context.objects.nodes?.get(specOf(pod).nodeName ?? '');
      if (node === undefined || controllerOf(pod)?.kind !== 'ReplicaSet' || !isPodActive(pod as unknown as Pod)) continue;
      const taints = evictingTaints(node, zoneTaints);
      const { allTolerated, used } = getMatchingTolerations(taints, specOf(pod).tolerations ?? [], world.system.featureGates.TaintTolerationComparisonOperators);
      const seconds = allTolerated ? getMinTolerationTime(used) : 0;
      if (taints.length === 0 || seconds < 0) continue;
      const tolerated = allTolerated ? `tolerates that for ${seconds} s only` : 'does not tolerate that';
      stranded.push(`${keyOfPod(pod)} is still on ${node.metadata.name}, which is Ready ${readyOf(node.status)} (${taints.map((t) => `${t.key}:NoExecute`).join(', ')}) ` +
        `and ${tolerated}: it should have been evicted and replaced`);
    }
    if (stranded.length === 0) return null;
    const unsettled = settlement.quiet ? '' : ` (the system had not settled after ${settlement.stepsTaken} converge steps)`;
    return `${stranded.join('; ')}${unsettled}`;
  },
};

// --- Goals -----------------------------------------------------------------------------------

/** When the taint-eviction controller's deletion of the pod was asked for (deletionTimestamp less the grace), if it made one. */
function evictedAtMs(world: World, pod: KubeObject, evictor: number): number | null {
  const by = world.ghost.deletedBy.get(pod.metadata.uid ?? '');
  if (by === undefined || !by.startsWith(`${evictor}@`) || pod.metadata.deletionTimestamp === undefined) return null;
  return parseTimestamp(pod.metadata.deletionTimestamp) - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
}

export const evictionReplacesPod: SometimesGoal = {
  kind: 'sometimes',
  name: 'evictionReplacesPod',
  description: 'A pod evicted from a failed node by the taint-eviction controller is replaced: a pod of the same owner, created after the eviction, is bound to another node.',
  reached(before, _action, after) {
    const event = podEvent(before, after);
    const nodeName = event?.type === 'MODIFIED' ? specOf(event.object).nodeName : undefined;
    if (event === null || !nodeName || specOf(event.previous!).nodeName) return false;
    const owner = controllerOf(event.object)?.uid;
    const createdMs = parseTimestamp(event.object.metadata.creationTimestamp ?? '');
    const evictor = controllerClient(after, 'taint-eviction');
    if (owner === undefined || evictor === null) return false;
    return [...(after.store.context.objects.pods?.values() ?? [])].some((p) => {
      if (controllerOf(p)?.uid !== owner || specOf(p).nodeName === nodeName) return false;
      const atMs = evictedAtMs(after, p, evictor);
      return atMs !== null && createdMs >= atMs;
    });
  },
};

/** The Deployment whose status now shows its rollout complete (DeploymentComplete), after a change of its spec (generation 2 or more). */
function completedRollout(before: World, after: World): KubeObject | null {
  const event = committedEvent(before, after);
  if (event?.resource !== 'deployments' || event.type !== 'MODIFIED' || event.previous === null) return null;
  const d = event.object as unknown as Deployment;
  if ((d.metadata?.generation ?? 0) < 2) return null;
  const complete = (status: DeploymentStatus | undefined) => deploymentComplete(d, status ?? {});
  return complete(d.status) && !complete((event.previous as unknown as Deployment).status) ? event.object : null;
}

/** When the Deployment's newest ReplicaSet (the one its rollout creates) was created. */
function rolloutStartMs(world: World, deployment: KubeObject): number | null {
  const owned = [...(world.store.context.objects.replicasets?.values() ?? [])].filter((rs) => controllerOf(rs)?.uid === deployment.metadata.uid);
  const created = owned.map((rs) => parseTimestamp(rs.metadata.creationTimestamp ?? ''));
  return created.length === 0 ? null : Math.max(...created);
}

export const nodeFailsMidRolloutAndCompletes: SometimesGoal = {
  kind: 'sometimes',
  name: 'nodeFailsMidRolloutAndCompletes',
  description: 'A Deployment\'s rollout completes (updated, total and available replicas equal spec.replicas, the generation observed) though a node was not Ready while it ran: a node\'s Ready condition changed since the rollout created its ReplicaSet.',
  reached(before, _action, after) {
    const deployment = completedRollout(before, after);
    if (deployment === null) return false;
    const startMs = rolloutStartMs(after, deployment);
    if (startMs === null) return false;
    // The API keeps only a condition's last transition: a node not Ready now went down after the
    // rollout began; one Ready now came back after it began, so it was down while the rollout ran.
    return nodesOf(after).some((n) => {
      const ready = nodeCondition(n.status as NodeStatus | undefined, 'Ready');
      return ready?.lastTransitionTime !== undefined && parseTimestamp(ready.lastTransitionTime) >= startMs;
    });
  },
};
