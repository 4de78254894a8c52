// The kubelet's probe workers as a pure reducer, and how their cached results set a
// container status's started/ready. Follows kubernetes/kubernetes
// pkg/kubelet/prober/worker.go newWorker and (*worker).doProbe (whether a stopped container will
// be restarted: by the pod's policy, or with ContainerRestartRules by the container's own rules),
// prober_manager.go UpdatePodStatus / isContainerStarted, and core/v1 SetDefaults_Probe.

import type { Probe } from 'kubernetes-types/core/v1.js';
import type { PodPhase } from './pod-phase.ts';
import { containerShouldRestart, type PodRestartPolicy, type RestartRulesInput } from './restart.ts';

export type ProbeType = 'liveness' | 'readiness' | 'startup';

/** results.Result. In Go the zero value is Success (Unknown=-1, Success=0, Failure=1). */
export type ProbeResult = 'Unknown' | 'Success' | 'Failure';

/** What one probe run returns: the prober maps Success/Warning to Success and any other
 * outcome to Failure; 'error' is a prober error, whose result is thrown away. */
export type ProberOutcome = 'Success' | 'Failure' | 'error';

// --- Defaults ----------------------------------------------------------------

/** SetDefaults_Probe: applied to a field that is unset or 0. */
export const PROBE_DEFAULTS = {
  initialDelaySeconds: 0,
  timeoutSeconds: 1,
  periodSeconds: 10,
  successThreshold: 1,
  failureThreshold: 3,
} as const;

export type ProbeSettings = { readonly [K in keyof typeof PROBE_DEFAULTS]: number };

export function probeSettings(probe: Probe): ProbeSettings {
  return {
    initialDelaySeconds: probe.initialDelaySeconds ?? PROBE_DEFAULTS.initialDelaySeconds,
    timeoutSeconds: defaultIfZero(probe.timeoutSeconds, PROBE_DEFAULTS.timeoutSeconds),
    periodSeconds: defaultIfZero(probe.periodSeconds, PROBE_DEFAULTS.periodSeconds),
    successThreshold: defaultIfZero(probe.successThreshold, PROBE_DEFAULTS.successThreshold),
    failureThreshold: defaultIfZero(probe.failureThreshold, PROBE_DEFAULTS.failureThreshold),
  };
}

/** Validation: liveness and startup probes must have successThreshold 1 ("must be 1"). */
export function successThresholdAllowed(probeType: ProbeType, successThreshold: number): boolean {
  return probeType === 'readiness' || successThreshold === 1;
}

function defaultIfZero(value: number | undefined, fallback: number): number {
  return value === undefined || value === 0 ? fallback : value;
}

/** newWorker's initialValue: what the cache holds for a new container before any result. */
export const INITIAL_PROBE_RESULTS: Readonly<Record<ProbeType, ProbeResult>> = {
  liveness: 'Success',
  readiness: 'Failure',
  startup: 'Unknown',
};

// --- The worker --------------------------------------------------------------

/** The worker's read-only inputs: its probe, and the parts of the pod it reads. */
export type ProbeWorkerConfig = {
  readonly probeType: ProbeType;
  readonly settings: ProbeSettings;
  readonly podRestartPolicy: PodRestartPolicy;
  /** A restartable (sidecar) init container: restartPolicy Always on an init container. */
  readonly restartableInitContainer: boolean;
  /** The container's and pod's specs and the kubelet's gates, read with ContainerRestartRules; absent: the pod's policy decides. */
  readonly restartRules?: RestartRulesInput;
};

export type ProbeWorkerState = {
  readonly config: ProbeWorkerConfig;
  /** The last container ID seen; '' before the first. */
  readonly containerId: string;
  /** The results manager's cached value for `containerId`; null when it holds none. */
  readonly result: ProbeResult | null;
  readonly lastResult: ProbeResult;
  /** How many probe runs in a row returned `lastResult`. */
  readonly resultRun: number;
  /** Skip probing until a new container ID appears. */
  readonly onHold: boolean;
};

export function newProbeWorker(config: ProbeWorkerConfig): ProbeWorkerState {
  return { config, containerId: '', result: null, lastResult: 'Success', resultRun: 0, onHold: false };
}

export type ProbedContainerState =
  | { readonly kind: 'waiting' }
  | { readonly kind: 'running'; readonly startedAtMs: number }
  | { readonly kind: 'terminated'; readonly exitCode: number };

/** The probed container's status, found in containerStatuses, else initContainerStatuses. */
export type ProbedContainerStatus = {
  /** '' until the runtime has created the container. */
  readonly containerId: string;
  readonly state: ProbedContainerState;
  /** status.started == true. */
  readonly started: boolean;
};


export type ProbeInput = {
  /** The status manager's cached pod status; null when it has none. */
  readonly podStatus: { readonly phase: PodPhase; readonly container: ProbedContainerStatus | null } | null;
  /** The pod has a deletionTimestamp. */
  readonly podDeletionRequested: boolean;
  readonly nowMs: number;
  /** What the probe would return if it is run at this step. */
  readonly proberReturns: ProberOutcome;
  /** ShouldAllContainersRestart of the pod and its cached status (read with RestartAllContainersOnContainerExits); absent: false. */
  readonly allContainersRestarting?: boolean;
};

export type ProbeStep = {
  /** False: the worker stops, and its loop then removes its cached result. */
  readonly continue: boolean;
  readonly state: ProbeWorkerState;
};

/** doProbe: one periodic run of the worker. */
export function doProbe(state: ProbeWorkerState, input: ProbeInput): ProbeStep {
  const { config } = state;
  const status = input.podStatus;
  if (status === null) return keepGoing(state);
  if (status.phase === 'Failed' || status.phase === 'Succeeded') return stop(state);
  const container = status.container;
  if (container === null || container.containerId === '') return keepGoing(state);

  const current = container.containerId === state.containerId ? state : forNewContainer(state, container.containerId);
  if (current.onHold) return keepGoing(current);

  if (container.state.kind !== 'running') {
    const failed = { ...current, result: 'Failure' as const };
    return willBeRestarted(config, container.state, input.allContainersRestarting === true) ? keepGoing(failed) : stop(failed);
  }
  if (input.podDeletionRequested && config.probeType !== 'readiness') {
    // Graceful shutdown: a quiet last result.
    return stop({ ...current, result: 'Success' });
  }
  if (runningForSeconds(container.state.startedAtMs, input.nowMs) < config.settings.initialDelaySeconds) {
    return keepGoing(current);
  }
  if (skippedByStarted(config.probeType, container.started)) return keepGoing(current);
  if (input.proberReturns === 'error') return keepGoing(current);
  return keepGoing(recordResult(current, input.proberReturns));
}

function keepGoing(state: ProbeWorkerState): ProbeStep {
  return { continue: true, state };
}

function stop(state: ProbeWorkerState): ProbeStep {
  return { continue: false, state };
}

/** A new container: the old ID's result is dropped, the cache starts at the initial
 * value and the hold is lifted. lastResult and resultRun carry over. (Kubelet restarts
 * are not modelled: upstream then keeps no initial value for a container that was
 * already running 10 s before the kubelet started.) */
function forNewContainer(state: ProbeWorkerState, containerId: string): ProbeWorkerState {
  return { ...state, containerId, result: INITIAL_PROBE_RESULTS[state.config.probeType], onHold: false };
}

/**
 * A non-running container is probed again unless it terminated for good: restartPolicy Never and
 * not a sidecar; with ContainerRestartRules, unless ContainerShouldRestart says no and (with
 * RestartAllContainersOnContainerExits) the pod is not restarting every container.
 */
function willBeRestarted(config: ProbeWorkerConfig, state: ProbedContainerState, allContainersRestarting: boolean): boolean {
  const rules = config.restartRules;
  if (rules !== undefined && rules.gates.ContainerRestartRules) {
    if (state.kind !== 'terminated') return true;
    return containerShouldRestart(rules.container, rules.podSpec, state.exitCode, rules.gates) ||
      (rules.gates.RestartAllContainersOnContainerExits && allContainersRestarting);
  }
  return state.kind !== 'terminated' || config.podRestartPolicy !== 'Never' || config.restartableInitContainer;
}

/** int32(time.Since(startedAt).Seconds()): truncated toward zero. */
function runningForSeconds(startedAtMs: number, nowMs: number): number {
  return Math.trunc((nowMs - startedAtMs) / 1000);
}

/** Once started, the startup probe is skipped; until then, liveness and readiness are. */
function skippedByStarted(probeType: ProbeType, started: boolean): boolean {
  return started ? probeType === 'startup' : probeType !== 'startup';
}

/** Count the run of identical results; set the cache once the run reaches its threshold;
 * a liveness Failure or any startup result that is set puts the worker on hold. */
function recordResult(state: ProbeWorkerState, result: 'Success' | 'Failure'): ProbeWorkerState {
  const counted =
    result === state.lastResult
      ? { ...state, resultRun: state.resultRun + 1 }
      : { ...state, lastResult: result, resultRun: 1 };
  if (counted.resultRun < threshold(counted.config.settings, result)) return counted;
  const set = { ...counted, result };
  return holdsAfter(counted.config.probeType, result) ? { ...set, onHold: true, resultRun: 0 } : set;
}

function threshold(settings: ProbeSettings, result: 'Success' | 'Failure'): number {
  return result === 'Success' ? settings.successThreshold : settings.failureThreshold;
}

function holdsAfter(probeType: ProbeType, result: 'Success' | 'Failure'): boolean {
  return (probeType === 'liveness' && result === 'Failure') || probeType === 'startup';
}

// --- UpdatePodStatus ---------------------------------------------------------

export type ProbedContainerKind = 'regular' | 'init' | 'restartableInit';

export type ContainerProbeView = {
  readonly kind: ProbedContainerKind;
  readonly state: ProbedContainerState;
  /** A startup / readiness worker exists for this container. */
  readonly startupWorker: boolean;
  readonly readinessWorker: boolean;
  /** The cached results for the container's ID; null when there are none. */
  readonly startupResult: ProbeResult | null;
  readonly readinessResult: ProbeResult | null;
};

/**
 * The started and ready fields UpdatePodStatus writes into a fresh container status.
 * Where upstream leaves ready untouched (not started; a plain init container that has
 * not succeeded) the fresh status's false is returned.
 */
export function containerStartedAndReady(c: ContainerProbeView): { started: boolean; ready: boolean } {
  const started = isContainerStarted(c);
  if (c.kind === 'init') return { started, ready: succeeded(c.state) };
  return { started, ready: started && isContainerReady(c) };
}

/** isContainerStarted: a startup result decides; with none, a startup worker that has
 * not yet run means not started. (Upstream also keeps status.started = true carried
 * over a kubelet restart; kubelet restarts are not modelled.) */
function isContainerStarted(c: ContainerProbeView): boolean {
  if (c.state.kind !== 'running') return false;
  return c.startupResult !== null ? c.startupResult === 'Success' : !c.startupWorker;
}

/** No readiness probe: always ready. (A readiness worker without Success gets a manual run.) */
function isContainerReady(c: ContainerProbeView): boolean {
  if (c.state.kind !== 'running') return false;
  return c.readinessResult === 'Success' || !c.readinessWorker;
}

/** A plain init container is ready once it has exited with code 0. */
function succeeded(state: ProbedContainerState): boolean {
  return state.kind === 'terminated' && state.exitCode === 0;
}
