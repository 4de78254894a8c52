// What the scheduler must and must not do, judged on the API server's record (what was
// bound, and when), on the scheduler's own view when it decided, and on what the kubelets
// admitted.
import type { NodeStatus, Pod, PodCondition, PodSpec, PodStatus } from 'kubernetes-types/core/v1.js';
import type { Action } from '../model/actions.ts';
import type { KubeletContext } from '../model/kubelet/context.ts';
import { admittedPods, registeredAllocatable } from '../model/kubelet/sync.ts';
import type { KubeObject } from '../model/resources.ts';
import type { CachedPod, SchedulerContext } from '../model/scheduler/context.ts';
import { firstRejection, podView } from '../model/scheduler/cycle.ts';
import { fitErrorMessage, NO_NODES_AVAILABLE, type Rejection } from '../model/scheduler/fit-error.ts';
import { DEFAULT_PROFILE } from '../model/scheduler/machine.ts';
import { head } from '../model/scheduler/queue.ts';
import type { NodeView } from '../model/scheduler/plugins.ts';
import { portsConflict, podHostPorts, type HostPort } from '../model/semantics/node-ports.ts';
import { newNodeInfo, type NodeInfo } from '../model/semantics/resource-fit.ts';
import { schedulerFeatures } from '../model/semantics/scheduler-framework.ts';
import { kubeletView } from '../model/view.ts';
import type { World } from '../model/world.ts';
import { apiNodeViews, boundNode, isTerminalPod, podsByNode } from './api-nodes.ts';
import { keyOfPod, podEvent } from './observe.ts';
import type { EventuallyProperty, SometimesGoal, TransitionProperty } from './property.ts';

/** The binding this step committed: the pod as it was and as it is, once bound. */
function committedBinding(before: World, after: World): { pod: KubeObject; previous: KubeObject; node: string } | null {
  const event = podEvent(before, after);
  if (event?.type !== 'MODIFIED' || !event.previous || boundNode(event.previous) !== undefined) return null;
  const node = boundNode(event.object);
  return node === undefined ? null : { pod: event.object, previous: event.previous, node };
}

/** The resources the pods take beyond what the node allows, as "cpu 3000 of 2000", or []. */
function overcommitted(info: NodeInfo): string[] {
  const over: string[] = [];
  if (info.podCount > (info.allocatable.pods ?? 0)) over.push(`pods ${info.podCount} of ${info.allocatable.pods ?? 0}`);
  for (const [resource, requested] of Object.entries(info.requested)) {
    if (resource !== 'pods' && requested > (info.allocatable[resource] ?? 0)) over.push(`${resource} ${requested} of ${info.allocatable[resource] ?? 0}`);
  }
  return over;
}

const names = (pods: readonly KubeObject[]) => pods.map((p) => p.metadata.name).join(', ');

/**
 * A pod the scheduler could not know was on `node`: not counted there in its cache, and either
 * its binding committed though the reply was lost (so the scheduler forgot it, and may since
 * have assumed it elsewhere: handleBindingCycleError),
 * or an earlier incarnation of the scheduler bound it and the informer, listing after a
 * restart (perhaps from a lagging API server), has not shown it yet. Upstream's scheduler
 * double-books a node until it hears of such a pod, and the kubelet's admission then turns
 * one away: not a mistake of the scheduler's. A pod this incarnation bound and was told of, it
 * must count.
 */
function unknownToScheduler(scheduler: Pick<SchedulerContext, 'pods'>, world: World, pod: KubeObject, node: string): boolean {
  const uid = pod.metadata.uid ?? '';
  if (scheduler.pods.get(uid)?.nodeName === node) return false;
  const { ghost } = world;
  return ghost.repliesLost.has(uid) || ghost.boundBy.get(uid) !== ghost.schedulerIncarnation;
}

/**
 * The pod the scheduler placed in this step (assumed on a node), with the pods that node then
 * holds: every non-terminal pod the API server has bound there, and every pod the scheduler
 * has assumed there, but for pods it could not know of. What a correct scheduler counts.
 */
function placement(before: World, action: Action, after: World): { pod: CachedPod; node: NodeView; holds: KubeObject[] } | null {
  if ((action.kind !== 'schedule' && action.kind !== 'pickNode') || after.system.scheduler === null) return null;
  const client = after.system.scheduler.client;
  const was = before.clients[client]!.context as SchedulerContext;
  const now = after.clients[client]!.context as SchedulerContext;
  // The pod the cycle was for: the head of the queue, or the one whose host is being picked.
  const uid = action.kind === 'pickNode' ? was.picking?.queued.uid : head(was)?.uid;
  const pod = uid === undefined || was.pods.has(uid) ? undefined : now.pods.get(uid);
  // A pick completes the cycle that started earlier, on the snapshot taken then.
  const decided = action.kind === 'pickNode' && was.picking ? was.picking.snapshot : was;
  const node = pod && decided.nodes.get(pod.nodeName);
  if (!pod || !node) return null;
  const holds = new Map<string, KubeObject>();
  for (const bound of podsByNode(after).get(pod.nodeName) ?? []) if (!unknownToScheduler(decided, after, bound, pod.nodeName)) holds.set(bound.metadata.uid ?? '', bound);
  for (const assumed of now.pods.values()) if (assumed.assumed && assumed.nodeName === pod.nodeName) holds.set(assumed.uid, assumed.pod);
  return { pod, node, holds: [...holds.values()] };
}

export const nodesNeverOvercommitted: TransitionProperty = {
  kind: 'transition',
  name: 'nodesNeverOvercommitted',
  description: 'No node holds pods whose requests exceed its allocatable: not when the scheduler places a pod there (counting what the API server has bound there and what it assumed), nor among the pods its kubelet admitted.',
  check(before, action, after) {
    const placed = placement(before, action, after);
    if (placed) {
      const allocatable = (placed.node.node.status as NodeStatus | undefined)?.allocatable ?? {};
      const over = overcommitted(newNodeInfo(allocatable, placed.holds.map((p) => p.spec as PodSpec)));
      if (over.length === 0) return null;
      return `the scheduler placed ${placed.pod.key} on ${placed.pod.nodeName}, taking the node past its allocatable (${over.join(', ')}, in millicores and bytes) ` +
        `with pods ${names(placed.holds)}: it must count every pod bound or assumed there.`;
    }
    const admission = newAdmission(before, action, after);
    if (!admission) return null;
    const over = overcommitted(newNodeInfo(registeredAllocatable(admission.kubelet), admission.admitted.map((p) => p.spec as PodSpec)));
    if (over.length === 0) return null;
    return `the kubelet of ${admission.kubelet.node} admitted pods beyond its allocatable (${over.join(', ')}): ${names(admission.admitted)}.`;
  },
};

/** The kubelet admission this step made, with every pod its kubelet now counts as admitted. */
function newAdmission(before: World, action: Action, after: World): { kubelet: KubeletContext; pod: string; admitted: KubeObject[] } | null {
  if (action.kind !== 'sync') return null;
  const client = after.system.nodes[action.node]!.kubelet;
  const was = (before.clients[client]!.context as KubeletContext).workers.get(action.uid)?.admission;
  const kubelet = after.clients[client]!.context as KubeletContext;
  const worker = kubelet.workers.get(action.uid);
  if (was !== null || worker?.admission !== 'admitted') return null;
  return { kubelet, pod: worker.key, admitted: admittedPods(kubelet, kubeletView(after, action.node)) };
}

/** The first host port two of these pods both take, with the pods, or null. */
function sharedPort(pod: KubeObject, others: readonly KubeObject[]): { port: HostPort; holder: KubeObject } | null {
  const wanted = podHostPorts(pod.spec as PodSpec);
  for (const other of others) {
    if (other.metadata.uid === pod.metadata.uid) continue;
    const port = wanted.find((w) => podHostPorts(other.spec as PodSpec).some((u) => portsConflict(w, u)));
    if (port) return { port, holder: other };
  }
  return null;
}

export const hostPortsNeverCollide: TransitionProperty = {
  kind: 'transition',
  name: 'hostPortsNeverCollide',
  description: 'No two pods on one node take the same host port (protocol, port, and an overlapping host IP): not when the scheduler places one there, nor among the pods its kubelet admitted.',
  check(before, action, after) {
    const placed = placement(before, action, after);
    if (placed) {
      const shared = sharedPort(placed.pod.pod, placed.holds);
      if (!shared) return null;
      return `the scheduler placed ${placed.pod.key} on ${placed.pod.nodeName}, where ${keyOfPod(shared.holder)} already holds host port ${shared.port.protocol}/${shared.port.port}.`;
    }
    const admission = newAdmission(before, action, after);
    if (!admission) return null;
    const pod = admission.admitted.find((p) => keyOfPod(p) === admission.pod);
    const shared = pod && sharedPort(pod, admission.admitted);
    if (!shared) return null;
    return `the kubelet of ${admission.kubelet.node} admitted ${admission.pod} with host port ${shared.port.protocol}/${shared.port.port}, which ${keyOfPod(shared.holder)} already holds there.`;
  },
};

export const podBoundAtMostOnce: TransitionProperty = {
  kind: 'transition',
  name: 'podBoundAtMostOnce',
  description: 'A pod is bound once: a binding never lands on a pod that already has a node.',
  check(before, action, after) {
    if (action.kind !== 'send' && action.kind !== 'loseReply') return null;
    const request = before.clients[action.client]!.context.request;
    if (request?.verb !== 'bind' || podEvent(before, after) === null) return null;
    const was = before.store.context.objects.pods?.get(`${request.namespace}/${request.name}`);
    const node = was && boundNode(was);
    if (node === undefined) return null;
    return `pod ${request.namespace}/${request.name} was bound to ${request.nodeName} though it was already bound to ${node}: a pod is bound once.`;
  },
};

/** The placement filters a binding must pass, whatever the node's resources: cordon, taints, selector and affinity. */
const PLACEMENT = DEFAULT_PROFILE.filters.filter((f) => ['NodeUnschedulable', 'TaintToleration', 'NodeAffinity'].includes(f.name));

export const bindingsRespectPlacement: TransitionProperty = {
  kind: 'transition',
  name: 'bindingsRespectPlacement',
  description: 'The scheduler never places a pod on a node whose NoSchedule or NoExecute taints it does not tolerate, whose labels fail its node selector or required affinity, or that is cordoned, as it saw the node when it decided.',
  check(before, action, after) {
    const placed = placement(before, action, after);
    if (!placed) return null;
    const features = schedulerFeatures(before.system.featureGates);
    const pod = podView(placed.pod.pod as Pod, features);
    for (const filter of PLACEMENT) {
      const result = filter.filter(pod, placed.node, features);
      if (!result.schedulable) {
        return `the scheduler placed ${placed.pod.key} on ${placed.pod.nodeName}, though as it saw the node: ${result.status.reasons.join(', ')} (${filter.name}).`;
      }
    }
    return null;
  },
};

function podScheduledCondition(pod: KubeObject): PodCondition | undefined {
  return ((pod.status as PodStatus | undefined)?.conditions ?? []).find((c) => c.type === 'PodScheduled');
}

/**
 * The first PersistentVolumeClaim the pod names that the API server does not have: the scheduler
 * then rejects the pod before looking at any node ("persistentvolumeclaim "data" not found"), and
 * preemption cannot help, since no node was the problem.
 */
function missingClaim(world: World, pod: KubeObject): string | undefined {
  const claims = ((pod.spec as PodSpec).volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));
  const stored = (world.store.context.objects as Partial<Record<string, ReadonlyMap<string, KubeObject>>>).persistentvolumeclaims;
  return claims.find((name) => !stored?.has(`${pod.metadata.namespace}/${name}`));
}

/**
 * The pods waiting for the scheduler (unbound, not terminal, not being deleted), each with a
 * node that could take it now, or else every node's rejection, or the claim it names that does
 * not exist: judged by the default profile against the API server's nodes and bound pods.
 */
function pendingVerdicts(world: World): { pod: KubeObject; fits: NodeView | undefined; missingClaim: string | undefined; rejections: Rejection[] }[] {
  const nodes = apiNodeViews(world);
  const features = schedulerFeatures(world.system.featureGates);
  return [...(world.store.context.objects.pods?.values() ?? [])]
    .filter((p) => boundNode(p) === undefined && !isTerminalPod(p) && !p.metadata.deletionTimestamp)
    .map((pod) => {
      const claim = missingClaim(world, pod);
      if (claim !== undefined) return { pod, fits: undefined, missingClaim: claim, rejections: [] };
      const view = podView(pod as Pod, features);
      const rejections: Rejection[] = [];
      for (const node of nodes) {
        const rejection = firstRejection(DEFAULT_PROFILE, view, node, features);
        if (rejection === null) return { pod, fits: node, missingClaim: undefined, rejections: [] };
        rejections.push(rejection);
      }
      return { pod, fits: undefined, missingClaim: undefined, rejections };
    });
}

export const schedulablePodsAreBound: EventuallyProperty = {
  kind: 'eventually',
  name: 'schedulablePodsAreBound',
  description: 'Once the cluster settles, every pending pod that some node could take (by every filter, against the API server\'s nodes and bound pods) is bound.',
  check(world) {
    if (world.system.scheduler === null) return null;
    const stuck = pendingVerdicts(world).flatMap(({ pod, fits }) => (fits ? [`${keyOfPod(pod)} fits ${fits.node.metadata?.name}`] : []));
    return stuck.length === 0 ? null : `pods still pending though a node could take them: ${stuck.join('; ')}.`;
  },
};

export const unschedulablePodsSayWhy: EventuallyProperty = {
  kind: 'eventually',
  name: 'unschedulablePodsSayWhy',
  description: 'Once the cluster settles, every pending pod no node can take carries PodScheduled=False, reason Unschedulable, with every node\'s reason in the message, as kubectl describe shows it.',
  check(world) {
    if (world.system.scheduler === null) return null;
    const wrong: string[] = [];
    const nodeCount = apiNodeViews(world).length;
    for (const { pod, fits, missingClaim: claim, rejections } of pendingVerdicts(world)) {
      if (fits) continue;
      const expected = nodeCount === 0 ? NO_NODES_AVAILABLE
        : claim !== undefined ? `0/${nodeCount} nodes are available: persistentvolumeclaim "${claim}" not found. preemption: 0/${nodeCount} nodes are available: ${nodeCount} Preemption is not helpful for scheduling.`
          : fitErrorMessage(rejections);
      const condition = podScheduledCondition(pod);
      if (condition?.status === 'False' && condition.reason === 'Unschedulable' && condition.message === expected) continue;
      const shown = condition ? `PodScheduled=${condition.status}${condition.reason ? ` (${condition.reason}: ${condition.message})` : ''}` : 'no PodScheduled condition';
      wrong.push(`${keyOfPod(pod)} says ${shown}, but should say Unschedulable: ${expected}`);
    }
    return wrong.length === 0 ? null : wrong.join('; ');
  },
};

export const podScheduledAfterWaiting: SometimesGoal = {
  kind: 'sometimes',
  name: 'podScheduledAfterWaiting',
  description: 'A pod that waited as Unschedulable is bound once something changed (a pod deleted, a node uncordoned or labelled).',
  reached(before, _action, after) {
    const binding = committedBinding(before, after);
    return binding !== null && podScheduledCondition(binding.previous)?.reason === 'Unschedulable';
  },
};

export const bindFailureRetried: SometimesGoal = {
  kind: 'sometimes',
  name: 'bindFailureRetried',
  description: 'A pod whose binding the API server refused is bound on a later attempt by the same scheduler (not one restarted since, which relists every pending pod anyway); the ghost record of refused bindings tells, as the SchedulerError condition the scheduler writes may land after the retry.',
  reached(before, _action, after) {
    const binding = committedBinding(before, after);
    const uid = binding?.pod.metadata.uid ?? '';
    const refusedBy = after.ghost.bindingsRefused.get(uid);
    return refusedBy !== undefined && refusedBy === after.ghost.boundBy.get(uid);
  },
};
