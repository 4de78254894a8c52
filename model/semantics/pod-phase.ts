// The pod phase as the kubelet computes it from its containers' statuses:
// kubernetes/kubernetes pkg/kubelet/kubelet_pods.go getPhase (commit 001a80e9), with the default
// feature gates (ContainerRestartRules and RestartAllContainersOnContainerExits off).
// Static pods are not modelled, so a terminal pod always gets Succeeded or Failed from its exit codes.
import type { Container, ContainerStatus, PodSpec } from 'kubernetes-types/core/v1.js';

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
  readonly pendingSidecar: number;
  readonly unknown: number;
  readonly running: number;
  readonly waiting: number;
  readonly stopped: number;
  readonly succeeded: number;
}

const noCounts: Counts = {
  pendingRegularInit: 0, failedInit: 0, pendingSidecar: 0,
  unknown: 0, running: 0, waiting: 0, stopped: 0, succeeded: 0,
};

function addCounts(a: Counts, b: Partial<Counts>): Counts {
  return {
    pendingRegularInit: a.pendingRegularInit + (b.pendingRegularInit ?? 0),
    failedInit: a.failedInit + (b.failedInit ?? 0),
    pendingSidecar: a.pendingSidecar + (b.pendingSidecar ?? 0),
    unknown: a.unknown + (b.unknown ?? 0),
    running: a.running + (b.running ?? 0),
    waiting: a.waiting + (b.waiting ?? 0),
    stopped: a.stopped + (b.stopped ?? 0),
    succeeded: a.succeeded + (b.succeeded ?? 0),
  };
}

/** The exit code of the previous run of a container now waiting to restart, if it ran before. */
function lastExitCode(status: ContainerStatus): number | undefined {
  return status.lastState?.terminated?.exitCode;
}

/** A regular init container: missing, running or waiting for its first run keeps the pod pending; a non-zero exit is a failed initialization. */
function regularInitContainerCounts(status: ContainerStatus | undefined): Partial<Counts> {
  const state = status?.state;
  if (status === undefined || state?.running != null) return { pendingRegularInit: 1 };
  if (state?.terminated != null) return state.terminated.exitCode !== 0 ? { failedInit: 1 } : {};
  if (state?.waiting != null) {
    const exitCode = lastExitCode(status);
    if (exitCode === undefined) return { pendingRegularInit: 1 };
    return exitCode !== 0 ? { failedInit: 1 } : {};
  }
  return { pendingRegularInit: 1 };
}

/** A sidecar: running counts as running (and pending until started); a terminated or restarting sidecar is ignored. */
function sidecarCounts(status: ContainerStatus | undefined): Partial<Counts> {
  const state = status?.state;
  if (status === undefined) return { unknown: 1 };
  if (state?.running != null) return status.started === true ? { running: 1 } : { running: 1, pendingSidecar: 1 };
  if (state?.terminated != null) return {};
  if (state?.waiting != null) return lastExitCode(status) === undefined ? { pendingSidecar: 1, waiting: 1 } : {};
  return { pendingSidecar: 1, unknown: 1 };
}

/** A regular container: a crash-looping one (waiting after a previous run) counts as stopped, never as succeeded. */
function regularContainerCounts(status: ContainerStatus | undefined): Partial<Counts> {
  const state = status?.state;
  if (status === undefined) return { unknown: 1 };
  if (state?.running != null) return { running: 1 };
  if (state?.terminated != null) return state.terminated.exitCode === 0 ? { stopped: 1, succeeded: 1 } : { stopped: 1 };
  if (state?.waiting != null) return lastExitCode(status) === undefined ? { waiting: 1 } : { stopped: 1 };
  return { unknown: 1 };
}

function countContainers(spec: PodSpec, statuses: readonly ContainerStatus[]): Counts {
  const initContainers = spec.initContainers ?? [];
  const contributions = [
    ...initContainers.filter((c) => !isSidecar(c)).map((c) => regularInitContainerCounts(statusOf(statuses, c.name))),
    ...initContainers.filter(isSidecar).map((c) => sidecarCounts(statusOf(statuses, c.name))),
    ...(spec.containers ?? []).map((c) => regularContainerCounts(statusOf(statuses, c.name))),
  ];
  return contributions.reduce(addCounts, noCounts);
}

/** Every container has stopped and none is unknown: the pod restart policy decides, unless the pod is terminal. */
function phaseWhenAllStopped(restartPolicy: string | undefined, podIsTerminal: boolean, allSucceeded: boolean): PodPhase {
  if (podIsTerminal) return allSucceeded ? 'Succeeded' : 'Failed';
  if (restartPolicy === 'Always') return 'Running';
  if (allSucceeded) return 'Succeeded';
  if (restartPolicy === 'Never') return 'Failed';
  return 'Running';
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
): PodPhase {
  const counts = countContainers(spec, statuses);
  if (counts.failedInit > 0 && spec.restartPolicy === 'Never') return 'Failed';
  const initializing = counts.pendingRegularInit > 0 || (counts.pendingSidecar > 0 && !podHasInitialized);
  if (initializing || counts.waiting > 0) return 'Pending';
  if (counts.running > 0 && counts.unknown === 0) return 'Running';
  if (counts.running === 0 && counts.stopped > 0 && counts.unknown === 0) {
    return phaseWhenAllStopped(spec.restartPolicy, podIsTerminal, counts.stopped === counts.succeeded);
  }
  return 'Pending';
}
