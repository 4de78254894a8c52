// The pod phase as the kubelet computes it from its containers' statuses:
// kubernetes/kubernetes pkg/kubelet/kubelet_pods.go getPhase (commit 001a80e9). With
// ContainerRestartRules a failed init container fails the pod only if it will not be restarted,
// and stopped containers leave the pod Running while one of them will be; with
// RestartAllContainersOnContainerExits a container terminated by a RestartAllContainers rule
// (reason RestartingAllContainers) counts as one that will be. Gates are a parameter, defaulting
// to the model's release. Static pods are not modelled, so a terminal pod always gets Succeeded or
// Failed from its exit codes.
import type { Container, ContainerStateTerminated, ContainerStatus, PodSpec } from 'kubernetes-types/core/v1.js';
import { DEFAULT_FEATURE_GATES, type FeatureGates } from '../feature-gates.ts';
import { containerShouldRestart } from './restart.ts';

/** The API's pod phases. getPhase never answers Unknown: that is what others say of a node that cannot report. */
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

/** A sidecar is an init container with restartPolicy Always (podutil.IsRestartableInitContainer). */
export function isSidecar(container: Container): boolean {
  return container.restartPolicy === 'Always';
}

/** The first status with the container's name (podutil.GetContainerStatus). */
export function statusOf(statuses: readonly ContainerStatus[], name: string): ContainerStatus | undefined {
  return statuses.find((status) => status.name === name);
}

/** What getPhase counts; each container adds to some of these. */
interface Counts {
  readonly pendingRegularInit: number;
  readonly failedInit: number;
  /** Failed init containers that will not be restarted (read with ContainerRestartRules). */
  readonly failedInitNotRestartable: number;
  readonly pendingSidecar: number;
  readonly unknown: number;
  readonly running: number;
  readonly waiting: number;
  readonly stopped: number;
  /** Stopped containers that will not be restarted (read with ContainerRestartRules). */
  readonly stoppedNotRestartable: number;
  readonly succeeded: number;
}

const noCounts: Counts = {
  pendingRegularInit: 0, failedInit: 0, failedInitNotRestartable: 0, pendingSidecar: 0,
  unknown: 0, running: 0, waiting: 0, stopped: 0, stoppedNotRestartable: 0, succeeded: 0,
};

function addCounts(a: Counts, b: Partial<Counts>): Counts {
  return {
    pendingRegularInit: a.pendingRegularInit + (b.pendingRegularInit ?? 0),
    failedInit: a.failedInit + (b.failedInit ?? 0),
    failedInitNotRestartable: a.failedInitNotRestartable + (b.failedInitNotRestartable ?? 0),
    pendingSidecar: a.pendingSidecar + (b.pendingSidecar ?? 0),
    unknown: a.unknown + (b.unknown ?? 0),
    running: a.running + (b.running ?? 0),
    waiting: a.waiting + (b.waiting ?? 0),
    stopped: a.stopped + (b.stopped ?? 0),
    stoppedNotRestartable: a.stoppedNotRestartable + (b.stoppedNotRestartable ?? 0),
    succeeded: a.succeeded + (b.succeeded ?? 0),
  };
}

/** The RestartingAllContainers reason a container killed to restart every container terminates with (kubelet_pods.go). */
export const RESTARTING_ALL_CONTAINERS = 'RestartingAllContainers';

/** What getPhase asks of a termination with ContainerRestartRules: whether the container will be restarted after it. */
type Restartable = (container: Container, terminated: ContainerStateTerminated) => boolean;

/**
 * With ContainerRestartRules: ContainerShouldRestart, or (RestartAllContainersOnContainerExits) a
 * termination by RestartAllContainers. Null without the gate, where getPhase does not ask.
 */
function restartableWith(spec: PodSpec, gates: FeatureGates): Restartable | null {
  if (!gates.ContainerRestartRules) return null;
  return (container, terminated) =>
    containerShouldRestart(container, spec, terminated.exitCode, gates) ||
    (gates.RestartAllContainersOnContainerExits && terminated.reason === RESTARTING_ALL_CONTAINERS);
}

/** Counted as not restartable: asked (the gate on) and the container will not be restarted. */
function notRestartable(restartable: Restartable | null, container: Container, terminated: ContainerStateTerminated): boolean {
  return restartable !== null && !restartable(container, terminated);
}

/** The previous run of a container now waiting to restart, if it ran before. */
function lastTerminated(status: ContainerStatus): ContainerStateTerminated | undefined {
  return status.lastState?.terminated ?? undefined;
}

/** A failed init container's counts: failed, and not restartable unless it will be restarted. */
function failedInitCounts(container: Container, terminated: ContainerStateTerminated, restartable: Restartable | null): Partial<Counts> {
  return notRestartable(restartable, container, terminated) ? { failedInit: 1, failedInitNotRestartable: 1 } : { failedInit: 1 };
}

/** A regular init container: missing, running or waiting for its first run keeps the pod pending; a non-zero exit is a failed initialization. */
function regularInitContainerCounts(container: Container, status: ContainerStatus | undefined, restartable: Restartable | null): Partial<Counts> {
  const state = status?.state;
  if (status === undefined || state?.running != null) return { pendingRegularInit: 1 };
  const terminated = state?.terminated ?? (state?.waiting != null ? lastTerminated(status) : undefined);
  if (terminated === undefined) return { pendingRegularInit: 1 };
  return terminated.exitCode !== 0 ? failedInitCounts(container, terminated, restartable) : {};
}

/** A sidecar: running counts as running (and pending until started); a terminated or restarting sidecar is ignored. */
function sidecarCounts(status: ContainerStatus | undefined): Partial<Counts> {
  const state = status?.state;
  if (status === undefined) return { unknown: 1 };
  if (state?.running != null) return status.started === true ? { running: 1 } : { running: 1, pendingSidecar: 1 };
  if (state?.terminated != null) return {};
  if (state?.waiting != null) return lastTerminated(status) === undefined ? { pendingSidecar: 1, waiting: 1 } : {};
  return { pendingSidecar: 1, unknown: 1 };
}

/** A stopped regular container's counts: stopped, succeeded on exit code 0, and not restartable unless it will be restarted. */
function stoppedCounts(container: Container, terminated: ContainerStateTerminated, succeeded: boolean, restartable: Restartable | null): Partial<Counts> {
  return {
    stopped: 1,
    ...(succeeded ? { succeeded: 1 } : {}),
    ...(notRestartable(restartable, container, terminated) ? { stoppedNotRestartable: 1 } : {}),
  };
}

/** A regular container: a crash-looping one (waiting after a previous run) counts as stopped, never as succeeded. */
function regularContainerCounts(container: Container, status: ContainerStatus | undefined, restartable: Restartable | null): Partial<Counts> {
  const state = status?.state;
  if (status === undefined) return { unknown: 1 };
  if (state?.running != null) return { running: 1 };
  if (state?.terminated != null) return stoppedCounts(container, state.terminated, state.terminated.exitCode === 0, restartable);
  if (state?.waiting != null) {
    const last = lastTerminated(status);
    return last === undefined ? { waiting: 1 } : stoppedCounts(container, last, false, restartable);
  }
  return { unknown: 1 };
}

function countContainers(spec: PodSpec, statuses: readonly ContainerStatus[], restartable: Restartable | null): Counts {
  const initContainers = spec.initContainers ?? [];
  const contributions = [
    ...initContainers.filter((c) => !isSidecar(c)).map((c) => regularInitContainerCounts(c, statusOf(statuses, c.name), restartable)),
    ...initContainers.filter(isSidecar).map((c) => sidecarCounts(statusOf(statuses, c.name))),
    ...(spec.containers ?? []).map((c) => regularContainerCounts(c, statusOf(statuses, c.name), restartable)),
  ];
  return contributions.reduce(addCounts, noCounts);
}

/**
 * Every container has stopped and none is unknown. A terminal pod is Succeeded or Failed by its
 * exit codes; otherwise, with ContainerRestartRules, it is Running while one will be restarted;
 * without, the pod restart policy decides.
 */
function phaseWhenAllStopped(spec: PodSpec, podIsTerminal: boolean, counts: Counts, gates: FeatureGates): PodPhase {
  const allSucceeded = counts.stopped === counts.succeeded;
  if (podIsTerminal) return allSucceeded ? 'Succeeded' : 'Failed';
  if (gates.ContainerRestartRules) {
    if (counts.stopped !== counts.stoppedNotRestartable) return 'Running';
    return allSucceeded ? 'Succeeded' : 'Failed';
  }
  if (spec.restartPolicy === 'Always') return 'Running';
  if (allSucceeded) return 'Succeeded';
  if (spec.restartPolicy === 'Never') return 'Failed';
  return 'Running';
}

/** A failed init container fails the pod: one that will not be restarted (ContainerRestartRules), or any under restartPolicy Never. */
function initializationFailed(spec: PodSpec, counts: Counts, gates: FeatureGates): boolean {
  return gates.ContainerRestartRules ? counts.failedInitNotRestartable > 0 : counts.failedInit > 0 && spec.restartPolicy === 'Never';
}

/**
 * getPhase. `statuses` holds init and regular container statuses together, searched by name.
 * `podHasInitialized`: some regular container of the current sandbox has started.
 */
export function podPhase(
  spec: PodSpec,
  statuses: readonly ContainerStatus[],
  podIsTerminal: boolean,
  podHasInitialized: boolean,
  gates: FeatureGates = DEFAULT_FEATURE_GATES,
): PodPhase {
  const counts = countContainers(spec, statuses, restartableWith(spec, gates));
  if (initializationFailed(spec, counts, gates)) return 'Failed';
  const initializing = counts.pendingRegularInit > 0 || (counts.pendingSidecar > 0 && !podHasInitialized);
  if (initializing || counts.waiting > 0) return 'Pending';
  if (counts.running > 0 && counts.unknown === 0) return 'Running';
  if (counts.running === 0 && counts.stopped > 0 && counts.unknown === 0) return phaseWhenAllStopped(spec, podIsTerminal, counts, gates);
  return 'Pending';
}
