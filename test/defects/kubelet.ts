// Planted defects in the kubelet and the container runtime, each a real bug class,
// each one rule or action swapped through machine.provide.
import type { PodStatus } from 'kubernetes-types/core/v1.js';
import { assign } from 'xstate';
import type { Defect } from '../../checker/defect.ts';
import type { KubeletContext } from '../../model/kubelet/context.ts';
import { hookOutcome } from '../../model/kubelet/hooks.ts';
import { kubeletAction, kubeletMachine, runProbe } from '../../model/kubelet/machine.ts';
import { KUBELET_RULES, syncPod, syncTerminatedPod, syncTerminatingPod, type SyncRules } from '../../model/kubelet/sync.ts';
import { PMap } from '../../model/pmap.ts';
import { podPhase } from '../../model/semantics/pod-phase.ts';
import { shouldContainerBeRestarted } from '../../model/semantics/restart.ts';
import { POWER_LOST, runtimeMachine } from '../../model/runtime.ts';
import { storeMachine, updateObject, type StoreContext, type StoreEvent } from '../../model/store.ts';
import { validateUpdate } from '../../model/validation.ts';

type Change = Partial<KubeletContext>;
const SYNCS = { syncPod, syncTerminatingPod, syncTerminatedPod };

/** The kubelet's three sync actions, run with other rules, and each change passed through `then`. */
function syncActionsWith(rules: SyncRules, then: (change: Change, before: KubeletContext) => Change = (change) => change) {
  const actions: Record<string, unknown> = {};
  for (const [name, sync] of Object.entries(SYNCS)) {
    actions[name] = kubeletAction(({ context, event }) => (event.type === 'SYNC_POD' ? then(sync(context, event.uid, event.view, event.nowMs, rules), context) : {}));
  }
  return actions as never;
}

export const kubeletForgetsLostContainers: Defect = {
  name: 'kubeletForgetsLostContainers',
  description: 'a kubelet that reports a container the runtime lost (a reboot) as never started, instead of carrying over its last status (kubernetes/kubernetes#90358)',
  machines: { kubelet: kubeletMachine.provide({ actions: syncActionsWith({ ...KUBELET_RULES, previousStatus: () => ({}) }) }) },
};

export const kubeletReportsUnknownPhase: Defect = {
  name: 'kubeletReportsUnknownPhase',
  description: 'a kubelet that reports phase Unknown while a pod\'s containers are still being created, instead of Pending',
  machines: {
    kubelet: kubeletMachine.provide({
      actions: syncActionsWith({
        ...KUBELET_RULES,
        podPhase: (spec, statuses, podIsTerminal, podHasInitialized) => {
          const phase = podPhase(spec, statuses, podIsTerminal, podHasInitialized);
          return phase === 'Pending' && statuses.some((s) => s.state?.waiting?.reason === 'ContainerCreating') ? 'Unknown' : phase;
        },
      }),
    }),
  },
};

export const kubeletStatusFromInformer: Defect = {
  name: 'kubeletStatusFromInformer',
  description: 'a kubelet that builds each pod status on its informer\'s copy of the pod, which can lag its own last write, instead of the status manager\'s latest',
  machines: { kubelet: kubeletMachine.provide({ actions: syncActionsWith({ ...KUBELET_RULES, previousStatus: (pod) => (pod.status ?? {}) as PodStatus }) }) },
};

export const kubeletRestartsNeverPods: Defect = {
  name: 'kubeletRestartsNeverPods',
  description: 'a kubelet that restarts every exited container, whatever the pod\'s restartPolicy',
  machines: { kubelet: kubeletMachine.provide({ actions: syncActionsWith({ ...KUBELET_RULES, shouldRestart: () => true }) }) },
};

export const kubeletNeverRestarts: Defect = {
  name: 'kubeletNeverRestarts',
  description: 'a kubelet that never starts an exited container again',
  machines: {
    kubelet: kubeletMachine.provide({
      actions: syncActionsWith({
        ...KUBELET_RULES, shouldRestart: (name, _policy, deleted, statuses) => !deleted && !statuses.some((s) => s.name === name), restartsAfterProbeKill: () => false,
      }),
    }),
  },
};

export const kubeletSyncsTerminalPods: Defect = {
  name: 'kubeletSyncsTerminalPods',
  description: 'a kubelet that keeps syncing pods that reached Succeeded or Failed as if they were running',
  machines: {
    kubelet: kubeletMachine.provide({
      guards: { podIsTerminal: () => false },
      actions: syncActionsWith({ ...KUBELET_RULES, stopsAt: () => false }),
    }),
  },
};

export const kubeletKillsWithoutGrace: Defect = {
  name: 'kubeletKillsWithoutGrace',
  description: 'a kubelet that sends SIGKILL on the sync after SIGTERM, without waiting for the grace period',
  machines: { kubelet: kubeletMachine.provide({ actions: syncActionsWith({ ...KUBELET_RULES, mayKill: () => true }) }) },
};

export const kubeletWithoutMinimumGrace: Defect = {
  name: 'kubeletWithoutMinimumGrace',
  description: 'a kubelet that gives SIGTERM only what its preStop hook left of the grace period, without the 2 s minimum: a hook that outlasts the grace period leaves none',
  machines: { kubelet: kubeletMachine.provide({ actions: syncActionsWith({ ...KUBELET_RULES, sigtermGraceMs: (graceMs, preStopMs) => graceMs - Math.floor(preStopMs / 1000) * 1000 }) }) },
};

export const kubeletSkipsPreStop: Defect = {
  name: 'kubeletSkipsPreStop',
  description: 'a kubelet that accepts preStop hooks and never runs them: a container is sent SIGTERM at once',
  machines: { kubelet: kubeletMachine.provide({ actions: syncActionsWith({ ...KUBELET_RULES, runHook: (c, hook, ...rest) => (hook === 'preStop' ? null : hookOutcome(c, hook, ...rest)) }) }) },
};

export const kubeletReadyWithoutProbing: Defect = {
  name: 'kubeletReadyWithoutProbing',
  description: 'a kubelet whose prober records every probe as passed',
  machines: {
    kubelet: kubeletMachine.provide({
      actions: { probe: kubeletAction(({ context, event }) => (event.type === 'PROBE' ? { ...runProbe(context, { ...event, passed: true }), op: null } : {})) as never },
    }),
  },
};

export const kubeletMissesContainerExits: Defect = {
  name: 'kubeletMissesContainerExits',
  description: 'a kubelet deaf to its pod lifecycle event generator: a container that exits does not make its pod sync',
  machines: { kubelet: kubeletMachine.provide({ actions: { handlePleg: kubeletAction(() => ({})) as never } }) },
};

export const kubeletNeverDeletesPods: Defect = {
  name: 'kubeletNeverDeletesPods',
  description: 'a kubelet whose status manager never sends the final delete of a terminated pod',
  machines: { kubelet: kubeletMachine.provide({ actions: syncActionsWith(KUBELET_RULES, ({ deletePending: _dropped, ...change }) => change) }) },
};

export const runtimeLosesLogsOnCrash: Defect = {
  name: 'runtimeLosesLogsOnCrash',
  description: 'a node whose pod log directories are lost in a crash, so restart counts start again from 0',
  machines: {
    runtime: runtimeMachine.provide({
      actions: { crash: assign({ ...POWER_LOST, attempts: PMap.empty() }) as never },
    }),
  },
};

export const storeLetsPodsMove: Defect = {
  name: 'storeLetsPodsMove',
  description: 'an API server that lets an update change a pod\'s spec (and so its spec.nodeName)',
  machines: {
    store: storeMachine.provide({
      actions: {
        update: assign(({ context, event }: { context: StoreContext; event: StoreEvent }) => (event.type !== 'update' ? {} : updateObject(context, event.request,
          (resource, object, old, gates) => validateUpdate(resource, object, old, gates).filter((e) => !(resource === 'pods' && e.field === 'spec'))))) as never,
      },
    }),
  },
};

export const kubeletAdmitsEverything: Defect = {
  name: 'kubeletAdmitsEverything',
  description: 'a kubelet whose admission lets in every pod bound to it, whatever its requests and host ports',
  machines: { kubelet: kubeletMachine.provide({ actions: syncActionsWith({ ...KUBELET_RULES, admit: () => ({ admitted: true }) }) }) },
};

// Defects that take a sometimes-goal's state away: with them, exploration never gets there.

export const kubeletIgnoresMissingVolumes: Defect = {
  name: 'kubeletIgnoresMissingVolumes',
  description: 'a kubelet that starts a pod\'s containers without waiting for the ConfigMaps and Secrets its volumes need',
  machines: { kubelet: kubeletMachine.provide({ actions: syncActionsWith({ ...KUBELET_RULES, mountProblem: () => null }) }) },
};

export const kubeletForgetsPullBackoff: Defect = {
  name: 'kubeletForgetsPullBackoff',
  description: 'a kubelet that forgets its image pull back-off after every sync, so a failed pull is retried at once, for ever',
  machines: { kubelet: kubeletMachine.provide({ actions: syncActionsWith(KUBELET_RULES, (change, before) => ({ ...change, imageBackoff: before.imageBackoff })) }) },
};

export const kubeletKillsAtOnce: Defect = {
  name: 'kubeletKillsAtOnce',
  description: 'a kubelet that stops a deleted pod\'s containers with SIGKILL straight away, as if every deletion were forced',
  machines: {
    kubelet: kubeletMachine.provide({
      actions: syncActionsWith(KUBELET_RULES, (change) =>
        (change.op?.type === 'STOP_CONTAINER' ? { ...change, op: { type: 'KILL_CONTAINER', id: change.op.id, nowMs: change.op.nowMs } } : change)),
    }),
  },
};

export const kubeletSkipsPostStart: Defect = {
  name: 'kubeletSkipsPostStart',
  description: 'a kubelet that accepts postStart hooks and never runs them: a failing hook never stops its container',
  machines: { kubelet: kubeletMachine.provide({ actions: syncActionsWith({ ...KUBELET_RULES, runHook: (c, hook, ...rest) => (hook === 'postStart' ? null : hookOutcome(c, hook, ...rest)) }) }) },
};

export const kubeletStatusManagerStuck: Defect = {
  name: 'kubeletStatusManagerStuck',
  description: 'a kubelet whose status manager never queues a new status: the API server never hears how its pods are',
  machines: { kubelet: kubeletMachine.provide({ actions: syncActionsWith(KUBELET_RULES, (change, before) => ({ ...change, statusPending: before.statusPending })) }) },
};

export const kubeletIgnoresRestartRules: Defect = {
  name: 'kubeletIgnoresRestartRules',
  description: 'a kubelet that restarts a container by its pod\'s restartPolicy alone, ignoring the container\'s own restartPolicy and restartPolicyRules',
  machines: {
    kubelet: kubeletMachine.provide({
      actions: syncActionsWith({ ...KUBELET_RULES, shouldRestart: (name, policy, deleted, statuses) => shouldContainerBeRestarted(name, policy, deleted, statuses) }),
    }),
  },
};

export const kubeletNeverRestartsAll: Defect = {
  name: 'kubeletNeverRestartsAll',
  description: 'a kubelet that reports AllContainersRestarting but never restarts all of a pod\'s containers: each is restarted, or not, by its own policy',
  machines: { kubelet: kubeletMachine.provide({ actions: syncActionsWith({ ...KUBELET_RULES, restartsAllContainers: () => false }) }) },
};

export const kubeletRestartsAllOnAnyExit: Defect = {
  name: 'kubeletRestartsAllOnAnyExit',
  description: 'a kubelet that restarts all of a pod\'s containers in place whenever one of them has exited, whatever its restart rules say',
  machines: {
    kubelet: kubeletMachine.provide({
      actions: syncActionsWith({
        ...KUBELET_RULES,
        restartsAllContainers: (gates, status) => gates.RestartAllContainersOnContainerExits &&
          [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])].some((c) => c.state?.terminated != null),
      }),
    }),
  },
};

export const kubeletPhaseIgnoresRestartPolicy: Defect = {
  name: 'kubeletPhaseIgnoresRestartPolicy',
  description: 'a kubelet whose pod phase takes every pod for restartPolicy Always: a pod whose containers have all exited stays Running, never Succeeded or Failed',
  machines: {
    kubelet: kubeletMachine.provide({
      actions: syncActionsWith({ ...KUBELET_RULES, podPhase: (spec, ...rest) => podPhase({ ...spec, restartPolicy: 'Always' }, ...rest) }),
    }),
  },
};
