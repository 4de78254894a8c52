// The pod conditions the kubelet reports: kubernetes/kubernetes pkg/kubelet/status/generate.go
// (GenerateContainersReadyCondition, GeneratePodReadyCondition, GeneratePodInitializedCondition,
// GeneratePodReadyToStartContainersCondition, GenerateAllContainersRestartingCondition), assembled
// as kubelet_pods.go generateAPIPodStatus does, with status_manager.go's terminal-phase override
// and pkg/kubelet/types PodConditionByKubelet. Gates (PodReadyToStartContainersCondition,
// RestartAllContainersOnContainerExits) are parameters, defaulting to the model's release;
// observedGeneration and lastTransitionTime are not modelled.
import type { ContainerStatus, PodCondition, PodSpec } from 'kubernetes-types/core/v1.js';
import { DEFAULT_FEATURE_GATES, type FeatureGates } from '../feature-gates.ts';
import {
  ALL_CONTAINERS_RESTARTING, allContainersCouldRestart, allContainersRestartCleanedUp, shouldAllContainersRestart, type PreviousPodStatus,
} from './all-containers-restart.ts';
import { isSidecar, statusOf, type PodPhase } from './pod-phase.ts';
import type { RuntimeContainerStatus } from './restart.ts';

/** A runtime (CRI) pod sandbox status, as PodSandboxChanged reads it. */
export interface PodSandboxStatus {
  readonly state: 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
  /** The sandbox's network namespace mode; absent reads as POD, CRI's zero value. */
  readonly networkNamespaceMode?: 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';
  /** CRI PodSandboxNetworkStatus; absent when the runtime reports none (then the IP is not checked). */
  readonly network?: { readonly ip: string };
}

/** The reason and messages of a False PodReadyToStartContainers (pkg/kubelet/types constants). */
export const podSandboxNotReadyReason = 'PodSandboxNotReady';
export const podSandboxNotReadyMessages = {
  noPodSandbox: 'no pod sandbox exists',
  // Upstream wording of the next three was not available; these say the same thing.
  multipleSandboxes: 'multiple pod sandboxes are ready',
  sandboxNotReady: 'pod sandbox is not ready',
  networkNamespaceMode: 'pod sandbox network namespace mode changed',
  noIPAddress: 'pod sandbox has no IP address',
} as const;

/**
 * Condition types the kubelet owns and rewrites on every sync (types.PodConditionByKubelet):
 * PodConditionsByKubelet, with PodReadyToStartContainers and AllContainersRestarting under their gates.
 */
export function kubeletOwnedConditions(gates: FeatureGates): readonly string[] {
  return [
    'PodScheduled', 'Ready', 'Initialized', 'ContainersReady', 'PodResizeInProgress', 'PodResizePending',
    ...(gates.PodReadyToStartContainersCondition ? ['PodReadyToStartContainers'] : []),
    ...(gates.RestartAllContainersOnContainerExits ? [ALL_CONTAINERS_RESTARTING] : []),
  ];
}

function condition(type: string, status: 'True' | 'False', reason = '', message = ''): PodCondition {
  return { type, status, ...(reason !== '' && { reason }), ...(message !== '' && { message }) };
}

/** Go's %s of a []string: "[a b]". */
function goStringList(names: readonly string[]): string {
  return `[${names.join(' ')}]`;
}

/** "containers with <what> status: [..]" for each non-empty group, joined with ", ". */
function containersMessage(groups: readonly (readonly [what: string, names: readonly string[]])[]): string {
  return groups
    .filter(([, names]) => names.length > 0)
    .map(([what, names]) => `containers with ${what} status: ${goStringList(names)}`)
    .join(', ');
}

function findCondition(conditions: readonly PodCondition[], type: string): PodCondition | undefined {
  return conditions.find((c) => c.type === type);
}

/** utilpod.ReplaceOrAppendPodCondition / podutil.UpdatePodCondition without the transition time. */
function replaceOrAppendCondition(conditions: readonly PodCondition[], replacement: PodCondition): PodCondition[] {
  const index = conditions.findIndex((c) => c.type === replacement.type);
  return index === -1 ? [...conditions, replacement] : conditions.map((c, i) => (i === index ? replacement : c));
}

function isTerminal(phase: PodPhase): phase is 'Succeeded' | 'Failed' {
  return phase === 'Succeeded' || phase === 'Failed';
}

function terminalReason(phase: 'Succeeded' | 'Failed'): string {
  return phase === 'Failed' ? 'PodFailed' : 'PodCompleted';
}

/** ContainersReady: every sidecar and regular container has a status and is ready. Plain init containers do not count. */
export function containersReadyCondition(
  spec: PodSpec,
  containerStatuses: readonly ContainerStatus[] | null,
  phase: PodPhase,
): PodCondition {
  if (containerStatuses === null) return condition('ContainersReady', 'False', 'UnknownContainerStatuses');
  const watched = [...(spec.initContainers ?? []).filter(isSidecar), ...(spec.containers ?? [])];
  const unknown = watched.filter((c) => statusOf(containerStatuses, c.name) === undefined).map((c) => c.name);
  const unready = watched
    .filter((c) => {
      const status = statusOf(containerStatuses, c.name);
      return status !== undefined && !status.ready;
    })
    .map((c) => c.name);
  if ((phase === 'Succeeded' && unknown.length === 0) || phase === 'Failed') {
    return condition('ContainersReady', 'False', terminalReason(phase));
  }
  const message = containersMessage([['unknown', unknown], ['unready', unready]]);
  if (message !== '') return condition('ContainersReady', 'False', 'ContainersNotReady', message);
  return condition('ContainersReady', 'True');
}

/** Why a readiness gate is not satisfied by `conditions`, or undefined when it is. */
function readinessGateProblem(conditions: readonly PodCondition[], gate: string): string | undefined {
  const found = findCondition(conditions, gate);
  if (found === undefined) return `corresponding condition of pod readiness gate "${gate}" does not exist.`;
  if (found.status !== 'True') return `the status of pod readiness gate "${gate}" is not "True", but ${found.status}`;
  return undefined;
}

/** Ready: ContainersReady is True and every readiness gate's condition exists and is True. */
export function podReadyCondition(
  spec: PodSpec,
  conditions: readonly PodCondition[] | null,
  containerStatuses: readonly ContainerStatus[] | null,
  phase: PodPhase,
): PodCondition {
  const containersReady = containersReadyCondition(spec, containerStatuses, phase);
  if (containersReady.status !== 'True') {
    return { ...containersReady, type: 'Ready' };
  }
  const problems = (spec.readinessGates ?? [])
    .map((gate) => readinessGateProblem(conditions ?? [], gate.conditionType))
    .filter((problem) => problem !== undefined);
  if (problems.length > 0) return condition('Ready', 'False', 'ReadinessGatesNotReady', problems.join(', '));
  return condition('Ready', 'True');
}

/** A plain init container is done when ready (exited 0); a sidecar when started. */
function isInitContainerInitialized(sidecar: boolean, status: ContainerStatus): boolean {
  return sidecar ? status.started === true : status.ready === true;
}

/** kubecontainer.HasAnyRegularContainerStarted: some regular container's status is running or terminated. */
function hasAnyRegularContainerStarted(spec: PodSpec, statuses: readonly ContainerStatus[]): boolean {
  const regularNames = new Set((spec.containers ?? []).map((c) => c.name));
  return statuses.some((s) => regularNames.has(s.name) && (s.state?.running != null || s.state?.terminated != null));
}

/**
 * Initialized: every init container is done, or a regular container has already run. With
 * RestartAllContainersOnContainerExits a pod once initialized stays so (`previousConditions`
 * say Initialized True) while its init containers run again.
 */
export function podInitializedCondition(
  spec: PodSpec,
  containerStatuses: readonly ContainerStatus[] | null,
  phase: PodPhase,
  previousConditions: readonly PodCondition[] = [],
  gates: FeatureGates = DEFAULT_FEATURE_GATES,
): PodCondition {
  const initContainers = spec.initContainers ?? [];
  if (containerStatuses === null && initContainers.length > 0) {
    return condition('Initialized', 'False', 'UnknownContainerStatuses');
  }
  const statuses = containerStatuses ?? [];
  const unknown = initContainers.filter((c) => statusOf(statuses, c.name) === undefined).map((c) => c.name);
  const incomplete = initContainers
    .filter((c) => {
      const status = statusOf(statuses, c.name);
      return status !== undefined && !isInitContainerInitialized(isSidecar(c), status);
    })
    .map((c) => c.name);
  if (phase === 'Succeeded' && unknown.length === 0) return condition('Initialized', 'True', 'PodCompleted');
  if (hasAnyRegularContainerStarted(spec, statuses)) return condition('Initialized', 'True');
  const message = containersMessage([['unknown', unknown], ['incomplete', incomplete]]);
  if (message === '') return condition('Initialized', 'True');
  const wasInitialized = findCondition(previousConditions, 'Initialized')?.status === 'True';
  if (gates.RestartAllContainersOnContainerExits && wasInitialized) return condition('Initialized', 'True');
  return condition('Initialized', 'False', 'ContainersNotInitialized', message);
}

/** runtimeutil.PodSandboxChanged: why the kubelet needs a new sandbox, or undefined when the newest one can be used. */
function newSandboxNeededBecause(spec: PodSpec, sandboxesNewestFirst: readonly PodSandboxStatus[]): string | undefined {
  const newest = sandboxesNewestFirst[0];
  if (newest === undefined) return podSandboxNotReadyMessages.noPodSandbox;
  if (sandboxesNewestFirst.filter((s) => s.state === 'SANDBOX_READY').length > 1) {
    return podSandboxNotReadyMessages.multipleSandboxes;
  }
  if (newest.state !== 'SANDBOX_READY') return podSandboxNotReadyMessages.sandboxNotReady;
  const wantedMode = spec.hostNetwork === true ? 'NODE' : 'POD';
  if ((newest.networkNamespaceMode ?? 'POD') !== wantedMode) return podSandboxNotReadyMessages.networkNamespaceMode;
  if (spec.hostNetwork !== true && newest.network !== undefined && newest.network.ip === '') {
    return podSandboxNotReadyMessages.noIPAddress;
  }
  return undefined;
}

/** PodReadyToStartContainers: the newest sandbox is ready with its network set up. Sandboxes are listed newest first. */
export function podReadyToStartContainersCondition(
  spec: PodSpec,
  sandboxesNewestFirst: readonly PodSandboxStatus[],
): PodCondition {
  const problem = newSandboxNeededBecause(spec, sandboxesNewestFirst);
  if (problem === undefined) return condition('PodReadyToStartContainers', 'True');
  return condition('PodReadyToStartContainers', 'False', podSandboxNotReadyReason, problem);
}

/**
 * AllContainersRestarting: False with PodCompleted or PodFailed in a terminal phase; True while the
 * pod should restart every container (shouldAllContainersRestart) and old ones are still in the
 * runtime; else False.
 */
export function allContainersRestartingCondition(
  spec: PodSpec,
  runtimeStatuses: readonly RuntimeContainerStatus[],
  previous: PreviousPodStatus,
  phase: PodPhase,
): PodCondition {
  if (isTerminal(phase)) return condition(ALL_CONTAINERS_RESTARTING, 'False', terminalReason(phase));
  if (!shouldAllContainersRestart(spec, runtimeStatuses, previous) || allContainersRestartCleanedUp(spec, runtimeStatuses)) {
    return condition(ALL_CONTAINERS_RESTARTING, 'False');
  }
  return condition(ALL_CONTAINERS_RESTARTING, 'True', 'RestartAllContainersStarted', 'container exited with restart policy rule');
}

/**
 * status_manager.go mergePodStatus: a terminal pod is never reported Ready. If Ready or ContainersReady
 * is True in a terminal phase, both become False with reason PodFailed or PodCompleted.
 */
export function withTerminalPhaseReadiness(conditions: readonly PodCondition[], phase: PodPhase): PodCondition[] {
  const anyReady = ['Ready', 'ContainersReady'].some((type) => findCondition(conditions, type)?.status === 'True');
  if (!isTerminal(phase) || !anyReady) return [...conditions];
  const reason = terminalReason(phase);
  return replaceOrAppendCondition(
    replaceOrAppendCondition(conditions, condition('ContainersReady', 'False', reason)),
    condition('Ready', 'False', reason),
  );
}

export interface KubeletConditionInputs {
  readonly spec: PodSpec;
  /** The phase the kubelet reports (pod-phase.ts, already kept terminal once terminal). */
  readonly phase: PodPhase;
  /** pod.status.conditions as the kubelet last read them from the API server. */
  readonly apiConditions: readonly PodCondition[];
  /** The status manager's last status for the pod (upstream oldPodStatus; the API status when it has none). */
  readonly previousConditions: readonly PodCondition[];
  /** Init then regular container statuses after the probe manager set ready/started; null when none are known. */
  readonly containerStatuses: readonly ContainerStatus[] | null;
  readonly sandboxesNewestFirst: readonly PodSandboxStatus[];
  /** The gates the kubelet runs with (the model's defaults when absent). */
  readonly gates?: FeatureGates;
  /** With RestartAllContainersOnContainerExits: the runtime's container instances, newest first. */
  readonly runtimeStatuses?: readonly RuntimeContainerStatus[];
  /** With RestartAllContainersOnContainerExits: the init and regular container statuses the status manager last had. */
  readonly previousContainerStatuses?: readonly ContainerStatus[];
}

/**
 * generateAPIPodStatus's conditions, then the status manager's terminal override: keep the conditions
 * the kubelet does not own, copy DisruptionTarget from the previous status, then append
 * PodReadyToStartContainers (its gate on), Initialized, Ready (which sees the conditions so far),
 * ContainersReady, PodScheduled=True, and AllContainersRestarting for a pod that could restart
 * every container (RestartAllContainersOnContainerExits on).
 */
export function kubeletPodConditions(inputs: KubeletConditionInputs): PodCondition[] {
  const { spec, phase, containerStatuses } = inputs;
  const gates = inputs.gates ?? DEFAULT_FEATURE_GATES;
  const owned = kubeletOwnedConditions(gates);
  const notOwned = inputs.apiConditions.filter((c) => !owned.includes(c.type));
  const disruptionTarget = findCondition(inputs.previousConditions, 'DisruptionTarget');
  const kept = disruptionTarget === undefined ? notOwned : replaceOrAppendCondition(notOwned, disruptionTarget);
  const beforeReady = [
    ...kept,
    ...(gates.PodReadyToStartContainersCondition ? [podReadyToStartContainersCondition(spec, inputs.sandboxesNewestFirst)] : []),
    podInitializedCondition(spec, containerStatuses, phase, inputs.previousConditions, gates),
  ];
  const previous: PreviousPodStatus = { conditions: inputs.previousConditions, containerStatuses: inputs.previousContainerStatuses ?? [] };
  const generated = [
    ...beforeReady,
    podReadyCondition(spec, beforeReady, containerStatuses, phase),
    containersReadyCondition(spec, containerStatuses, phase),
    condition('PodScheduled', 'True'),
    ...(gates.RestartAllContainersOnContainerExits && allContainersCouldRestart(spec)
      ? [allContainersRestartingCondition(spec, inputs.runtimeStatuses ?? [], previous, phase)]
      : []),
  ];
  return withTerminalPhaseReadiness(generated, phase);
}
