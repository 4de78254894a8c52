// What a pod's life may and may not look like, judged on the API server's record and on
// what really runs (the runtime), step by step.
import type { ContainerStatus, PodStatus } from 'kubernetes-types/core/v1.js';
import { deepEqual } from '../model/equal.ts';
import { isTerminalPhase } from '../model/kubelet/sync.ts';
import { attemptKey, podInstances, probePassed } from '../model/runtime.ts';
import { apiPod, keyOfPod, nodeIndex, phaseOf, podEvent, specOf, syncOp } from './observe.ts';
import type { KubeObject } from '../model/resources.ts';
import type { TransitionProperty } from './property.ts';
import { actionOnExit, exitRestartingAll, hasRestartAllRule, RESTARTED_IN_PLACE, restartPolicyOf } from './restart-rules.ts';

/** Phases a pod may move to from each phase (Unknown is for a node that cannot report). */
const LEGAL_NEXT: Readonly<Record<string, readonly string[]>> = {
  Pending: ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'],
  Running: ['Running', 'Succeeded', 'Failed', 'Unknown'],
  Unknown: ['Unknown', 'Running', 'Succeeded', 'Failed'],
  Succeeded: ['Succeeded'],
  Failed: ['Failed'],
};

/**
 * The pod restarts all of its containers in place and runs its init containers again, which it
 * does Pending ("Restart All Containers": the pod begins the standard startup process; "Init
 * Containers": a pod is Pending while they run): an init container reports that restart.
 */
function reinitializing(pod: KubeObject): boolean {
  return ((pod.status as PodStatus | undefined)?.initContainerStatuses ?? []).some((s) =>
    s.state?.waiting?.reason === RESTARTED_IN_PLACE || s.lastState?.terminated?.reason === RESTARTED_IN_PLACE);
}

export const podPhaseTransitionsAreLegal: TransitionProperty = {
  kind: 'transition',
  name: 'podPhaseTransitionsAreLegal',
  description: 'A pod\'s phase moves only along legal edges: Succeeded and Failed are final, nothing goes back to Pending once it has run (but a pod that restarts all its containers in place and runs its init containers again), and Unknown is never what a kubelet reports.',
  check(before, action, after) {
    const event = podEvent(before, after);
    if (!event || event.type !== 'MODIFIED' || !event.previous) return null;
    const was = phaseOf(event.previous) ?? 'Pending';
    const now = phaseOf(event.object) ?? 'Pending';
    const writer = action.kind === 'send' ? after.system.clients[action.client]! : null;
    if (now === 'Unknown' && was !== 'Unknown' && writer?.kind === 'kubelet') {
      return `the kubelet of ${after.system.nodes[writer.node!]!.name} reported pod ${event.key} in phase Unknown: ` +
        'Unknown is for a node that cannot report, and a kubelet that reports knows its pods\' phases.';
    }
    if ((LEGAL_NEXT[was] ?? []).includes(now) || (now === 'Pending' && !isTerminalPhase(was) && reinitializing(event.object))) return null;
    const why = isTerminalPhase(was) ? `${was} is a terminal phase: a pod never leaves it` : `a pod that has run never goes back to ${now}`;
    return `pod ${event.key} went from ${was} to ${now}: ${why}.`;
  },
};

export const nodeNameNeverChanges: TransitionProperty = {
  kind: 'transition',
  name: 'nodeNameNeverChanges',
  description: 'A pod\'s spec.nodeName, once set, never changes: a pod is bound once and never moves.',
  check(before, _action, after) {
    const event = podEvent(before, after);
    if (!event || event.type !== 'MODIFIED' || !event.previous) return null;
    const was = specOf(event.previous).nodeName;
    const now = specOf(event.object).nodeName;
    if (!was || was === now) return null;
    return `pod ${event.key} moved from node ${was} to ${now ?? '(none)'}: spec.nodeName must never change once set.`;
  },
};

function restartCounts(status: PodStatus | undefined): Map<string, number> {
  const all: ContainerStatus[] = [...(status?.initContainerStatuses ?? []), ...(status?.containerStatuses ?? [])];
  return new Map(all.map((s) => [s.name, s.restartCount]));
}

export const restartCountNeverDecreases: TransitionProperty = {
  kind: 'transition',
  name: 'restartCountNeverDecreases',
  description: 'A container\'s restartCount in the pod\'s status never decreases, across kubelet restarts and node reboots.',
  check(before, _action, after) {
    const event = podEvent(before, after);
    if (!event || event.type !== 'MODIFIED' || !event.previous) return null;
    const was = restartCounts(event.previous.status as PodStatus | undefined);
    for (const [name, count] of restartCounts(event.object.status as PodStatus | undefined)) {
      const previous = was.get(name);
      if (previous !== undefined && count < previous) {
        return `container ${name} of pod ${event.key} had restartCount ${previous} and now reports ${count}: a restart count never goes down.`;
      }
    }
    return null;
  },
};

export const neverPolicyNeverRestarts: TransitionProperty = {
  kind: 'transition',
  name: 'neverPolicyNeverRestarts',
  description: 'A container whose restart policy is Never (its own, else its pod\'s) is started at most once (by the runtime\'s record, across kubelet restarts), '
    + 'unless its last run exited with a code its first matching restart rule restarts it for, or was removed to restart all of the pod\'s containers in place.',
  check(before, action, after) {
    const op = syncOp(action, after);
    if (op?.type !== 'START_CONTAINER' || action.kind !== 'sync') return null;
    const runtime = after.nodes[action.node]!.runtime.context;
    const c = runtime.containers.get(op.id);
    if (!c) return null;
    const pod = apiPod(before, c.podKey, c.podUid);
    if (!pod || restartPolicyOf(c.spec, specOf(pod).restartPolicy) !== 'Never') return null;
    const starts = runtime.startsSinceBoot.get(attemptKey(c.podUid, c.name)) ?? 0;
    if (starts <= 1) return null;
    const last = podInstances(before.nodes[action.node]!.runtime.context, c.podUid).find((i) => i.name === c.name && i.id !== c.id);
    // Its last run is gone while the node kept the pod's sandbox: the kubelet removed it, which only restarting all containers does.
    if (last === undefined ? hasRestartAllRule(specOf(pod)) : ['Restart', 'RestartAllContainers'].includes(actionOnExit(c.spec, last.exitCode ?? 0) ?? '')) return null;
    return `container ${c.name} of pod ${c.podKey} (restartPolicy Never) was started ${starts} times on ${after.system.nodes[action.node]!.name}: `
      + 'a Never container runs at most once, unless a restart rule names the code it exited with or all the pod\'s containers restart in place.';
  },
};

export const containersRemovedOnlyToRestartAll: TransitionProperty = {
  kind: 'transition',
  name: 'containersRemovedOnlyToRestartAll',
  description: 'The kubelet removes a container of a pod whose sandbox it keeps only to restart all of the pod\'s containers in place: '
    + 'some container of the pod has exited with a code its first matching rule answers with RestartAllContainers.',
  check(before, action, after) {
    const op = syncOp(action, after);
    if (op?.type !== 'REMOVE_CONTAINER' || action.kind !== 'sync') return null;
    const runtime = before.nodes[action.node]!.runtime.context;
    const c = runtime.containers.get(op.id);
    if (!c || exitRestartingAll(runtime, c.podUid)) return null;
    return `the kubelet of ${after.system.nodes[action.node]!.name} removed container ${c.name} of pod ${c.podKey}, but no container of the pod exited with a code `
      + 'a RestartAllContainers rule names: a running pod\'s containers are removed only to restart them all in place.';
  },
};

export const terminalPodsStartNoContainers: TransitionProperty = {
  kind: 'transition',
  name: 'terminalPodsStartNoContainers',
  description: 'Once a pod is Succeeded or Failed, no container of it is created or started again.',
  check(before, action, after) {
    const op = syncOp(action, after);
    if (action.kind !== 'sync' || (op?.type !== 'CREATE_CONTAINER' && op?.type !== 'START_CONTAINER')) return null;
    const runtime = before.nodes[action.node]!.runtime.context;
    const target = op.type === 'CREATE_CONTAINER' ? { podKey: op.podKey, podUid: op.podUid, name: op.name } : runtime.containers.get(op.id);
    if (!target) return null;
    const phase = phaseOf(apiPod(before, target.podKey, target.podUid));
    if (!isTerminalPhase(phase)) return null;
    const verb = op.type === 'CREATE_CONTAINER' ? 'created' : 'started';
    return `the kubelet ${verb} container ${target.name} of pod ${target.podKey}, which is ${phase}: a terminal pod never gets a new container.`;
  },
};

export const readyOnlyAfterReadinessPassed: TransitionProperty = {
  kind: 'transition',
  name: 'readyOnlyAfterReadinessPassed',
  description: 'A container is reported ready only if its readiness probe (and startup probe) passed against that very container since it started.',
  check(before, _action, after) {
    const event = podEvent(before, after);
    if (!event || event.type === 'DELETED') return null;
    // A claim is judged when it is made: a write that leaves the status as it was (a user's
    // delete after the node crashed, say) repeats an old claim about a container now gone.
    if (event.previous && deepEqual(event.previous.status, event.object.status)) return null;
    const pod = event.object;
    const node = nodeIndex(after, specOf(pod).nodeName);
    if (node < 0) return null;
    const runtime = after.nodes[node]!.runtime.context;
    for (const status of (pod.status as PodStatus | undefined)?.containerStatuses ?? []) {
      if (!status.ready) continue;
      const spec = specOf(pod).containers.find((c) => c.name === status.name);
      const id = status.containerID?.replace(/^containerd:\/\//, '') ?? '';
      for (const probe of ['readiness', 'startup'] as const) {
        if (spec?.[`${probe}Probe`] && !probePassed(runtime, id, probe)) {
          return `pod ${keyOfPod(pod)} reports container ${status.name} ready, but its ${probe} probe never passed against container ${id || '(none)'}.`;
        }
      }
    }
    return null;
  },
};
