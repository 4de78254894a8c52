// The pod status the kubelet reports, computed from the runtime's ground truth, the probe
// results and the kubelet's own decisions (why a container waits), as kubelet_pods.go
// generateAPIPodStatus and convertToAPIContainerStatuses do: each container's newest
// instance gives its state and restart count, the one before it its lastState; the phase
// is getPhase's; the conditions are generate.go's.
import type { Container, ContainerState, ContainerStatus, PodSpec, PodStatus } from 'kubernetes-types/core/v1.js';
import { timestamp } from '../clock.ts';
import type { KubeObject } from '../resources.ts';
import { attemptKey, type RuntimeContainer, type RuntimeContext } from '../runtime.ts';
import { kubeletPodConditions } from '../semantics/pod-conditions.ts';
import { isSidecar, podPhase, type PodPhase } from '../semantics/pod-phase.ts';
import { containerStartedAndReady, type ProbeResult, type ProbeType } from '../semantics/probe.ts';

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
}

export const TERMINAL_PHASES: readonly string[] = ['Succeeded', 'Failed'];

/** The pod's container instances in the runtime, grouped by container name, newest first. */
export function instancesOf(runtime: RuntimeContext, podUid: string): Map<string, RuntimeContainer[]> {
  const byName = new Map<string, RuntimeContainer[]>();
  for (const c of runtime.containers.values()) {
    if (c.podUid !== podUid) continue;
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

function containerStatus(spec: Container, kind: 'regular' | 'init' | 'restartableInit', inputs: StatusInputs, podUid: string): ContainerStatus {
  const instances = inputs.instances.get(spec.name) ?? [];
  const newest = instances[0];
  const waiting = inputs.waiting[spec.name];
  // An exited container the kubelet will start again shows as waiting, with the exit as its lastState.
  const restarting = newest?.state === 'exited' && waiting !== undefined;
  let state: ContainerState;
  if (newest?.state === 'running') state = { running: { startedAt: timestamp(newest.startedAtMs ?? 0) } };
  else if (newest?.state === 'exited' && !restarting) state = terminated(newest);
  else state = { waiting: { reason: waiting?.reason ?? 'ContainerCreating', ...(waiting?.message ? { message: waiting.message } : {}) } };
  const last = restarting ? newest : instances[1];
  const { started, ready } = containerStartedAndReady(probeView(newest, inputs.probes(spec.name), kind));
  // The attempt counter survives container garbage collection and reboots (the log directory).
  const restartCount = newest?.attempt ?? inputs.runtime.attempts.get(attemptKey(podUid, spec.name)) ?? 0;
  return {
    name: spec.name, image: spec.image ?? '', imageID: '', state, ready, restartCount, started,
    ...(last?.state === 'exited' ? { lastState: terminated(last) } : {}),
    ...(newest ? { containerID: `containerd://${newest.id}` } : {}),
  };
}

/** The status the kubelet would write for the pod now. */
export function podStatus(inputs: StatusInputs): PodStatus {
  const { pod } = inputs;
  const spec = pod.spec as PodSpec;
  const uid = pod.metadata.uid ?? '';
  const initStatuses = (spec.initContainers ?? []).map((c) => containerStatus(c, isSidecar(c) ? 'restartableInit' : 'init', inputs, uid));
  const statuses = (spec.containers ?? []).map((c) => containerStatus(c, 'regular', inputs, uid));
  const podHasInitialized = (spec.containers ?? []).some((c) => (inputs.instances.get(c.name) ?? []).some((i) => i.startedAtMs !== null));
  const computed = podPhase(spec, [...initStatuses, ...statuses], inputs.podIsTerminal, podHasInitialized);
  const phase = (inputs.terminalPhase ?? computed) as PodPhase;
  const apiStatus = (pod.status ?? {}) as PodStatus;
  const sandbox = inputs.runtime.sandboxes.get(uid);
  const conditions = kubeletPodConditions({
    spec, phase,
    apiConditions: apiStatus.conditions ?? [],
    previousConditions: apiStatus.conditions ?? [],
    containerStatuses: [...initStatuses, ...statuses],
    sandboxesNewestFirst: sandbox ? [{ state: 'SANDBOX_READY' }] : [],
  });
  return {
    phase, conditions, startTime: timestamp(inputs.startedAtMs),
    ...(initStatuses.length > 0 ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: statuses,
  };
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
