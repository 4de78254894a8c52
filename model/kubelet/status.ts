// The pod status the kubelet reports, computed from the runtime's ground truth, the probe
// results and the kubelet's own decisions (why a container waits), as kubelet_pods.go
// generateAPIPodStatus, convertStatusToAPIStatus and convertToAPIContainerStatuses do (at
// kubernetes/kubernetes 001a80e9): each container's newest instance gives its state and restart
// count, the one before it its lastState; the phase is getPhase's; the conditions are
// generate.go's; all of them under the kubelet's feature gates. With
// RestartAllContainersOnContainerExits, a container removed to restart every container waits
// with reason RestartingAllContainers and one more restart, and a container the runtime has a
// single instance of takes its lastState from the last status, as the old one is gone.
import type { Container, ContainerState, ContainerStateTerminated, ContainerStatus, PodSpec, PodStatus } from 'kubernetes-types/core/v1.js';
import { timestamp } from '../clock.ts';
import type { FeatureGates } from '../feature-gates.ts';
import type { KubeObject } from '../resources.ts';
import { podInstances, type RuntimeContainer, type RuntimeContext } from '../runtime.ts';
import { previousPodStatus, shouldAllContainersRestart } from '../semantics/all-containers-restart.ts';
import { kubeletPodConditions } from '../semantics/pod-conditions.ts';
import { isSidecar, podPhase, RESTARTING_ALL_CONTAINERS, type PodPhase } from '../semantics/pod-phase.ts';
import { containerStartedAndReady, type ProbeResult, type ProbeType } from '../semantics/probe.ts';
import type { RuntimeContainerStatus } from '../semantics/restart.ts';

/** Why a container is not running, as the last sync decided: ErrImagePull, CrashLoopBackOff, ... */
export interface Waiting {
  readonly reason: string;
  readonly message?: string;
}

/** The probe results cached for a container instance, by probe type; absent types have no worker. */
export type ProbeResults = Partial<Record<ProbeType, { readonly containerId: string; readonly result: ProbeResult | null }>>;

export interface StatusInputs {
  readonly pod: KubeObject;
  readonly runtime: RuntimeContext;
  /** The pod's instances in the runtime, newest attempt first per container name. */
  readonly instances: ReadonlyMap<string, readonly RuntimeContainer[]>;
  readonly waiting: Readonly<Record<string, Waiting>>;
  readonly probes: (container: string) => ProbeResults;
  /** The pod worker has stopped every container of a pod being deleted. */
  readonly podIsTerminal: boolean;
  readonly startedAtMs: number;
  /** A terminal phase the pod already reached: the kubelet never moves a pod out of one. */
  readonly terminalPhase: string | undefined;
  /** getPhase: the phase of the pod from its container statuses. */
  readonly podPhase: typeof podPhase;
  /** The last status reported, for containers the runtime no longer has. */
  readonly previous: PodStatus;
  /** The feature gates the kubelet runs with. */
  readonly gates: FeatureGates;
}

export const TERMINAL_PHASES: readonly string[] = ['Succeeded', 'Failed'];

/** The pod's container instances as the runtime reports them (kubecontainer.PodStatus), newest first. */
export function runtimeStatuses(instances: ReadonlyMap<string, readonly RuntimeContainer[]>): RuntimeContainerStatus[] {
  const all = [...instances.values()].flat().sort((a, b) => (b.startedAtMs ?? b.finishedAtMs ?? 0) - (a.startedAtMs ?? a.finishedAtMs ?? 0) || b.attempt - a.attempt);
  return all.map((c) => ({ name: c.name, state: c.state, ...(c.exitCode !== null ? { exitCode: c.exitCode } : {}) }));
}

/** The pod's container instances in the runtime, grouped by container name, newest first. */
export function instancesOf(runtime: RuntimeContext, podUid: string): Map<string, RuntimeContainer[]> {
  const byName = new Map<string, RuntimeContainer[]>();
  for (const c of podInstances(runtime, podUid)) {
    const list = byName.get(c.name) ?? [];
    list.push(c);
    byName.set(c.name, list);
  }
  for (const list of byName.values()) list.sort((a, b) => b.attempt - a.attempt);
  return byName;
}

function terminated(c: RuntimeContainer): ContainerState {
  return {
    terminated: {
      exitCode: c.exitCode ?? 0, reason: c.reason ?? 'Error', containerID: `containerd://${c.id}`,
      ...(c.startedAtMs !== null ? { startedAt: timestamp(c.startedAtMs) } : {}),
      ...(c.finishedAtMs !== null ? { finishedAt: timestamp(c.finishedAtMs) } : {}),
    },
  };
}

function probeView(c: RuntimeContainer | undefined, probes: ProbeResults, kind: 'regular' | 'init' | 'restartableInit') {
  const state = !c || c.state === 'created' ? { kind: 'waiting' as const }
    : c.state === 'running' ? { kind: 'running' as const, startedAtMs: c.startedAtMs ?? 0 }
    : { kind: 'terminated' as const, exitCode: c.exitCode ?? 0 };
  const resultFor = (type: ProbeType) => {
    const p = probes[type];
    return p && c && p.containerId === c.id ? p.result : null;
  };
  return {
    kind, state,
    startupWorker: probes.startup !== undefined, readinessWorker: probes.readiness !== undefined,
    startupResult: resultFor('startup'), readinessResult: resultFor('readiness'),
  };
}

function waitingState(reason: string, message: string | undefined): ContainerState {
  return { waiting: { reason, ...(message ? { message } : {}) } };
}

const GONE_WHILE_RUNNING: ContainerState = {
  terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was deleted.  The container used to be Running' },
};

/** What a container removed to restart every container reports (kubelet_pods.go convertToAPIContainerStatuses). */
const REMOVED_TO_RESTART_ALL = 'The container is removed because RestartAllContainers in place';

/**
 * A container the runtime has no instance of (a node reboot wiped it, it was never created,
 * or, restarting every container, the kubelet removed it), as convertToAPIContainerStatuses
 * reports it from the previous API status. Restarting every container (`podRestarting`), one
 * that did not already wait waits in RestartingAllContainers, with one more restart and that
 * as its last termination. Otherwise a terminated status is kept as it was; else it waits,
 * keeping its restart count and last state, and if it used to be Running it has stopped, so
 * it gets a lastState of ContainerStatusUnknown and (unless the pod is being deleted) one more
 * restart. Without that, a pod that had run would fall back to Pending (kubernetes/kubernetes#90358).
 */
function statusWithoutInstance(spec: Container, waiting: Waiting | undefined, previous: ContainerStatus | undefined, inputs: StatusInputs, defaultReason: string,
  podRestarting: boolean): ContainerStatus {
  const fresh: ContainerStatus = { name: spec.name, image: spec.image ?? '', imageID: '', ready: false, started: false, restartCount: previous?.restartCount ?? 0 };
  if (podRestarting && previous !== undefined && !previous.state?.waiting) {
    const removed = { reason: RESTARTING_ALL_CONTAINERS, message: REMOVED_TO_RESTART_ALL };
    return {
      ...(previous.state?.terminated ? previous : fresh), state: { waiting: removed },
      lastState: { terminated: { exitCode: 137, ...removed } }, restartCount: previous.restartCount + 1,
    };
  }
  if (previous?.state?.terminated) return previous;
  const reason = waiting?.reason ?? defaultReason;
  const status: ContainerStatus = {
    ...fresh, state: waitingState(reason, waiting?.message),
    ...(previous?.lastState?.terminated ? { lastState: previous.lastState } : {}),
  };
  if (!previous?.state?.running || reason !== defaultReason || status.lastState) return status;
  return { ...status, lastState: GONE_WHILE_RUNNING, restartCount: status.restartCount + (inputs.pod.metadata.deletionTimestamp ? 0 : 1) };
}

/**
 * With RestartAllContainersOnContainerExits, what a container the runtime has an instance of
 * takes from its last status (convertContainerStatus): the higher restart count, one more if it
 * runs again after a termination the count already had, and that termination as its last state
 * when its instance changed (restarting every container removed the old one).
 */
function carriedOver(previous: ContainerStatus | undefined, newest: RuntimeContainer): { restartCount: number; lastTerminated?: ContainerStateTerminated } {
  if (previous === undefined) return { restartCount: newest.attempt };
  const runsAgain = newest.state === 'running' && previous.state?.terminated != null && previous.restartCount >= newest.attempt;
  const restartCount = runsAgain ? previous.restartCount + 1 : Math.max(newest.attempt, previous.restartCount);
  const lastTerminated = previous.containerID !== `containerd://${newest.id}` && previous.state?.terminated ? previous.state.terminated : previous.lastState?.terminated;
  return { restartCount, ...(lastTerminated ? { lastTerminated } : {}) };
}

function containerStatus(spec: Container, kind: 'regular' | 'init' | 'restartableInit', inputs: StatusInputs,
  previous: ContainerStatus | undefined, defaultReason: string, podRestarting: boolean): ContainerStatus {
  // A created, not yet started, instance is not reported: upstream creates and starts a
  // container within one SyncPod, so no status ever shows one in between (it would wait
  // with no previous termination, and a pod that had run would read as Pending).
  const instances = (inputs.instances.get(spec.name) ?? []).filter((i) => i.state !== 'created');
  const newest = instances[0];
  const waiting = inputs.waiting[spec.name];
  if (!newest) return statusWithoutInstance(spec, waiting, previous, inputs, defaultReason, podRestarting);
  // An exited container the kubelet will start again shows as waiting, with the exit as its lastState.
  const restarting = newest.state === 'exited' && waiting !== undefined;
  const state: ContainerState = newest.state === 'running' ? { running: { startedAt: timestamp(newest.startedAtMs ?? 0) } }
    : restarting ? waitingState(waiting.reason, waiting.message) : terminated(newest);
  const last = restarting ? newest : instances[1];
  const carried = inputs.gates.RestartAllContainersOnContainerExits ? carriedOver(previous, newest) : { restartCount: newest.attempt };
  const lastState = last?.state === 'exited' ? terminated(last) : carried.lastTerminated ? { terminated: carried.lastTerminated } : undefined;
  const { started, ready } = containerStartedAndReady(probeView(newest, inputs.probes(spec.name), kind));
  return {
    name: spec.name, image: spec.image ?? '', imageID: '', state, ready, restartCount: carried.restartCount, started,
    ...(lastState ? { lastState } : {}),
    containerID: `containerd://${newest.id}`,
  };
}

/** The status the kubelet would write for the pod now. */
export function podStatus(inputs: StatusInputs): PodStatus {
  const { pod, gates } = inputs;
  const spec = pod.spec as PodSpec;
  const uid = pod.metadata.uid ?? '';
  const previous = (list: readonly ContainerStatus[] | undefined, name: string) => list?.find((s) => s.name === name);
  const last = previousPodStatus(inputs.previous);
  // The runtime's instances, which only restarting every container reads.
  const instances = gates.RestartAllContainersOnContainerExits ? runtimeStatuses(inputs.instances) : [];
  const podRestarting = gates.RestartAllContainersOnContainerExits && shouldAllContainersRestart(spec, instances, last);
  // Containers not yet created wait in ContainerCreating, or PodInitializing while the pod has init containers.
  const defaultReason = (spec.initContainers ?? []).length > 0 ? 'PodInitializing' : 'ContainerCreating';
  const initStatuses = (spec.initContainers ?? []).map((c) =>
    containerStatus(c, isSidecar(c) ? 'restartableInit' : 'init', inputs, previous(inputs.previous.initContainerStatuses, c.name), defaultReason, podRestarting));
  const statuses = (spec.containers ?? []).map((c) =>
    containerStatus(c, 'regular', inputs, previous(inputs.previous.containerStatuses, c.name), defaultReason, podRestarting));
  const podHasInitialized = (spec.containers ?? []).some((c) => (inputs.instances.get(c.name) ?? []).some((i) => i.startedAtMs !== null));
  const computed = inputs.podPhase(spec, [...initStatuses, ...statuses], inputs.podIsTerminal, podHasInitialized, gates);
  const phase = (inputs.terminalPhase ?? computed) as PodPhase;
  const sandbox = inputs.runtime.sandboxes.get(uid);
  const conditions = kubeletPodConditions({
    spec, phase,
    apiConditions: (pod.status as PodStatus | undefined)?.conditions ?? [],
    previousConditions: last.conditions,
    containerStatuses: [...initStatuses, ...statuses],
    sandboxesNewestFirst: sandbox ? [{ state: 'SANDBOX_READY' }] : [],
    gates, runtimeStatuses: instances, previousContainerStatuses: last.containerStatuses,
  });
  // The sandbox's IP; once the sandbox is gone, the IPs last reported are kept (generateAPIPodStatus).
  const ip = sandbox?.ip ?? inputs.previous.podIP;
  return {
    phase, conditions, ...(ip !== undefined ? { podIP: ip, podIPs: [{ ip }] } : {}), startTime: timestamp(inputs.startedAtMs),
    ...(initStatuses.length > 0 ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: statuses,
  };
}

/** The condition types whose lastTransitionTime the status manager maintains (updateStatusInternal). */
const TRANSITION_TIMED: readonly string[] = ['ContainersReady', 'Ready', 'Initialized', 'PodReadyToStartContainers', 'PodScheduled'];

/**
 * The status manager's updateLastTransitionTime: a condition keeps the time of the condition it
 * replaces while its status holds, and is stamped now when its status changes (or it is new).
 * The old status is the status manager's latest, else the API server's.
 */
export function withTransitionTimes(status: PodStatus, old: PodStatus | undefined, nowMs: number): PodStatus {
  if (!status.conditions) return status;
  const conditions = status.conditions.map((c) => {
    if (!TRANSITION_TIMED.includes(c.type)) return c;
    const was = old?.conditions?.find((o) => o.type === c.type);
    const lastTransitionTime = was !== undefined && was.status === c.status ? was.lastTransitionTime : timestamp(nowMs);
    return lastTransitionTime === undefined ? c : { ...c, lastTransitionTime };
  });
  return { ...status, conditions };
}

const UNKNOWN_AT_TERMINATION: ContainerState = {
  terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated' },
};

/**
 * The status manager's TerminatePod (status/status_manager.go): at the end of a pod's
 * life every container not known to have terminated is reported terminated with
 * ContainerStatusUnknown (exit 137), so a pod is never wrongly reported successful;
 * regular containers are left waiting if init containers never let them start; and a
 * Pending or Running phase becomes Failed, so the pod can be deleted.
 */
export function terminatedPodStatus(status: PodStatus): PodStatus {
  const settle = (s: ContainerStatus): ContainerStatus => (s.state?.terminated ? s : { ...s, state: UNKNOWN_AT_TERMINATION, ready: false, started: false });
  const initialized = (status.initContainerStatuses ?? []).every((s) => s.state?.terminated?.exitCode === 0);
  return {
    ...status,
    phase: status.phase === 'Succeeded' || status.phase === 'Failed' ? status.phase : 'Failed',
    ...(status.initContainerStatuses ? { initContainerStatuses: status.initContainerStatuses.map(settle) } : {}),
    ...(status.containerStatuses ? { containerStatuses: initialized ? status.containerStatuses.map(settle) : status.containerStatuses } : {}),
  };
}
