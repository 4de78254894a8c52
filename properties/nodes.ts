// What must hold of every live node once faults stop and the cluster settles, and the
// states exploration of pods must reach.
import type { ContainerStatus, PodStatus } from 'kubernetes-types/core/v1.js';
import { timestamp } from '../model/clock.ts';
import type { KubeletContext } from '../model/kubelet/context.ts';
import { instancesOf } from '../model/kubelet/status.ts';
import type { RuntimeContainer } from '../model/runtime.ts';
import { nodeIsUp } from '../model/world.ts';
import { apiPod, hookRun, nodeIndex, podEvent, specOf, syncOp } from './observe.ts';
import type { EventuallyProperty, SometimesGoal } from './property.ts';
import { actionOnExit, RESTARTED_IN_PLACE, restartPolicyOf } from './restart-rules.ts';

function shown(status: ContainerStatus | undefined): string {
  if (!status?.state) return 'no status';
  if (status.state.running) return 'running';
  if (status.state.terminated) return `terminated (exit ${status.state.terminated.exitCode})`;
  return `waiting (${status.state.waiting?.reason ?? ''})`;
}

/** How the API's status of one container disagrees with the runtime's newest instance, or null. */
function disagreement(status: ContainerStatus | undefined, newest: RuntimeContainer | undefined): string | null {
  if (!newest) return status?.state?.running ? `the API says running, but no instance exists` : null;
  const id = `containerd://${newest.id}`;
  if (status?.restartCount !== newest.attempt) return `restartCount is ${status?.restartCount ?? 'absent'} but the runtime is at attempt ${newest.attempt}`;
  if (newest.state === 'running') return status.state?.running && status.containerID === id ? null : `${newest.id} runs, but the API says ${shown(status)}`;
  if (newest.state === 'created') return status.state?.waiting ? null : `${newest.id} is created, not started, but the API says ${shown(status)}`;
  const exit = status.state?.terminated ?? (status.state?.waiting ? status.lastState?.terminated : undefined);
  return exit && exit.exitCode === newest.exitCode && exit.containerID === id ? null
    : `${newest.id} exited ${newest.exitCode}, but the API says ${shown(status)}`;
}

/**
 * The instance's postStart hook blocks the container's management (the API reference's Lifecycle:
 * "Other management of the container blocks until the hook completes"; on failure "the container
 * is terminated"): while the hook runs, or, once it failed, while the kill it brings is under way
 * (SIGTERM sent, the container not yet exited). A failed hook whose container was never stopped
 * blocks nothing: its status is judged.
 */
function postStartBlocks(c: RuntimeContainer, nowMs: number): boolean {
  const run = hookRun(c, 'postStart');
  if (!run || c.state !== 'running') return false;
  return nowMs < (c.startedAtMs ?? 0) + run.takesMs || (run.fails && c.sigtermAtMs !== null);
}

export const podStatusesReflectRuntime: EventuallyProperty = {
  kind: 'eventually',
  name: 'podStatusesReflectRuntime',
  description: 'Once the cluster settles, the status of every pod on a live node tells what its containers really do (state, exit code, restart count), but for a container its postStart hook still holds.',
  check(world) {
    const problems: string[] = [];
    for (const pod of world.store.context.objects.pods?.values() ?? []) {
      const node = nodeIndex(world, specOf(pod).nodeName);
      if (node < 0 || !nodeIsUp(world.nodes[node]!) || world.nodes[node]!.partitioned) continue;
      const instances = instancesOf(world.nodes[node]!.runtime.context, pod.metadata.uid ?? '');
      const status = (pod.status ?? {}) as PodStatus;
      const statuses = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
      for (const c of [...(specOf(pod).initContainers ?? []), ...specOf(pod).containers]) {
        const newest = instances.get(c.name)?.[0];
        if (newest && postStartBlocks(newest, world.nowMs)) continue;
        const why = disagreement(statuses.find((s) => s.name === c.name), newest);
        if (why) problems.push(`pod ${pod.metadata.namespace}/${pod.metadata.name} on ${specOf(pod).nodeName}, container ${c.name}: ${why}`);
      }
    }
    return problems.length === 0 ? null : problems.join('; ');
  },
};

export const deletedPodsAreGone: EventuallyProperty = {
  kind: 'eventually',
  name: 'deletedPodsAreGone',
  description: 'Once the cluster settles, no pod on a live node is left terminating: every deleted pod is gone from the API server.',
  check(world) {
    const stuck: string[] = [];
    for (const pod of world.store.context.objects.pods?.values() ?? []) {
      if (!pod.metadata.deletionTimestamp) continue;
      const node = nodeIndex(world, specOf(pod).nodeName);
      // No kubelet can confirm the end on a node down or cut off, or on an API-only node (a machine gone for good).
      if (node < 0 ? !!specOf(pod).nodeName : !nodeIsUp(world.nodes[node]!) || world.nodes[node]!.partitioned) continue;
      // deletionTimestamp is when the grace period ends, not when the deletion was asked for.
      stuck.push(`${pod.metadata.namespace}/${pod.metadata.name} (grace ${pod.metadata.deletionGracePeriodSeconds}s, ended ${pod.metadata.deletionTimestamp}, on ${specOf(pod).nodeName ?? 'no node'})`);
    }
    return stuck.length === 0 ? null : `pods still terminating at ${timestamp(world.nowMs)} with their grace periods over: ${stuck.join(', ')}`;
  },
};

function waitingReasonReached(reason: string): SometimesGoal['reached'] {
  return (before, _action, after) => {
    const event = podEvent(before, after);
    const statuses = (event?.object.status as PodStatus | undefined)?.containerStatuses ?? [];
    return statuses.some((s) => s.state?.waiting?.reason === reason);
  };
}

export const crashLoopBackOffReached: SometimesGoal = {
  kind: 'sometimes',
  name: 'crashLoopBackOffReached',
  description: 'A pod reports a container waiting in CrashLoopBackOff.',
  reached: waitingReasonReached('CrashLoopBackOff'),
};

export const imagePullBackOffReached: SometimesGoal = {
  kind: 'sometimes',
  name: 'imagePullBackOffReached',
  description: 'A pod reports a container waiting in ImagePullBackOff.',
  reached: waitingReasonReached('ImagePullBackOff'),
};

export const postStartHookFailed: SometimesGoal = {
  kind: 'sometimes',
  name: 'postStartHookFailed',
  description: 'A pod reports a container waiting in PostStartHookError: its postStart hook failed, and it was killed to be started again.',
  reached: waitingReasonReached('PostStartHookError'),
};

export const livenessRestartHappens: SometimesGoal = {
  kind: 'sometimes',
  name: 'livenessRestartHappens',
  description: 'A container stopped because its liveness probe failed is started again.',
  reached(_before, action, after) {
    const op = syncOp(action, after);
    if (action.kind !== 'sync' || op?.type !== 'START_CONTAINER') return false;
    const runtime = after.nodes[action.node]!.runtime.context;
    const c = runtime.containers.get(op.id);
    if (!c || c.attempt === 0) return false;
    const previous = instancesOf(runtime, c.podUid).get(c.name)?.find((i) => i.attempt === c.attempt - 1);
    // Stopped, and its liveness probe's last result (the prober has not yet seen the new instance) failed it.
    const kubelet = after.clients[after.system.nodes[action.node]!.kubelet]!.context as KubeletContext;
    const liveness = kubelet.probes.get(`${c.podUid}/${c.name}/liveness`)?.worker;
    return previous !== undefined && previous.sigtermAtMs !== null && liveness?.containerId === previous.id && liveness.result === 'Failure';
  },
};

export const gracefulTerminationCompletes: SometimesGoal = {
  kind: 'sometimes',
  name: 'gracefulTerminationCompletes',
  description: 'A pod deleted with a grace period has every container stop on SIGTERM, and is then removed.',
  reached(before, _action, after) {
    const event = podEvent(before, after);
    // The final delete has grace 0; the grace period the pod was deleted with is on the state before it.
    if (event?.type !== 'DELETED' || !event.previous?.metadata.deletionGracePeriodSeconds) return false;
    const node = nodeIndex(after, specOf(event.object).nodeName);
    if (node < 0) return false;
    const instances = [...instancesOf(after.nodes[node]!.runtime.context, event.object.metadata.uid ?? '').values()].flat();
    return instances.some((c) => c.sigtermAtMs !== null) && instances.every((c) => !c.sigkilled);
  },
};

export const podRunsToCompletion: SometimesGoal = {
  kind: 'sometimes',
  name: 'podRunsToCompletion',
  description: 'A pod runs to completion: not being deleted, it is Succeeded, each of its containers (and init containers, sidecars aside) terminated with exit code 0.',
  reached(before, _action, after) {
    const event = podEvent(before, after);
    // A pod deleted gracefully whose containers exit 0 on SIGTERM is Succeeded too; it was stopped, it did not complete.
    if (!event || event.type === 'DELETED' || event.object.metadata.deletionTimestamp) return false;
    const status = event.object.status as PodStatus | undefined;
    if (status?.phase !== 'Succeeded') return false;
    const spec = specOf(event.object);
    const statuses = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
    // A sidecar (an init container that restarts Always) is stopped once the others are done: its exit code does not count.
    const containers = [...(spec.initContainers ?? []).filter((c) => c.restartPolicy !== 'Always'), ...spec.containers];
    return containers.every((c) => statuses.find((s) => s.name === c.name)?.state?.terminated?.exitCode === 0);
  },
};

export const containerRestartedByRule: SometimesGoal = {
  kind: 'sometimes',
  name: 'containerRestartedByRule',
  description: 'A container whose restart policy is Never is started again because the code it exited with matches a Restart rule of its restartPolicyRules.',
  reached(before, action, after) {
    const op = syncOp(action, after);
    if (action.kind !== 'sync' || op?.type !== 'START_CONTAINER') return false;
    const runtime = before.nodes[action.node]!.runtime.context;
    const c = runtime.containers.get(op.id);
    const pod = c && apiPod(before, c.podKey, c.podUid);
    if (!c || !pod || restartPolicyOf(c.spec, specOf(pod).restartPolicy) !== 'Never') return false;
    const last = instancesOf(runtime, c.podUid).get(c.name)?.find((i) => i.id !== c.id && i.state === 'exited');
    return last !== undefined && actionOnExit(c.spec, last.exitCode ?? 0) === 'Restart';
  },
};

export const allContainersRestarted: SometimesGoal = {
  kind: 'sometimes',
  name: 'allContainersRestarted',
  description: 'A pod restarts all of its containers in place and runs again: each init container ran again to completion, and every other container runs again, each reporting the restart in place as its last termination.',
  reached(before, _action, after) {
    const event = podEvent(before, after);
    if (!event || event.type === 'DELETED') return false;
    const status = event.object.status as PodStatus | undefined;
    if (status?.phase !== 'Running') return false;
    const spec = specOf(event.object);
    const statuses = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
    return [...(spec.initContainers ?? []), ...spec.containers].every((c) => {
      const s = statuses.find((x) => x.name === c.name);
      if (s?.lastState?.terminated?.reason !== RESTARTED_IN_PLACE) return false;
      const runOnce = (spec.initContainers ?? []).includes(c) && c.restartPolicy !== 'Always';
      return runOnce ? s.state?.terminated?.exitCode === 0 : s.state?.running != null;
    });
  },
};

export const podBecomesReady: SometimesGoal = {
  kind: 'sometimes',
  name: 'podBecomesReady',
  description: 'A pod reports Ready=True.',
  reached(before, _action, after) {
    const event = podEvent(before, after);
    return (event?.object.status as PodStatus | undefined)?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  },
};

export const podWaitsForVolume: SometimesGoal = {
  kind: 'sometimes',
  name: 'podWaitsForVolume',
  description: 'A kubelet holds a pod back because a ConfigMap or Secret its volumes need is missing.',
  reached(before, action, after) {
    if (action.kind !== 'sync') return false;
    const kubelet = after.system.nodes[action.node]!.kubelet;
    const worker = (after.clients[kubelet]!.context as KubeletContext).workers.get(action.uid);
    return worker?.mountProblem != null && (before.clients[kubelet]!.context as KubeletContext).workers.get(action.uid)?.mountProblem == null;
  },
};

export const containerConfigErrorReported: SometimesGoal = {
  kind: 'sometimes',
  name: 'containerConfigErrorReported',
  description: 'A kubelet reports a container waiting in CreateContainerConfigError: its env names a ConfigMap or Secret (or a key) that does not exist.',
  reached(before, _action, after) {
    const event = podEvent(before, after);
    return (event?.object.status as PodStatus | undefined)?.containerStatuses?.some((s) => s.state?.waiting?.reason === 'CreateContainerConfigError') ?? false;
  },
};
