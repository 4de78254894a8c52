// The kubelet's decision to (re)start a container of a pod, with default feature
// gates (no container-level restart rules). Follows kubernetes/kubernetes
// pkg/kubelet/container/helpers.go ShouldContainerBeRestarted.

export type PodRestartPolicy = 'Always' | 'OnFailure' | 'Never';

/** The container runtime's view of one container instance (kubecontainer.Status). */
export type RuntimeContainerStatus = {
  readonly name: string;
  readonly state: 'created' | 'running' | 'exited' | 'unknown';
  /** Absent reads as 0, Go's zero value. */
  readonly exitCode?: number;
};

/**
 * Whether the kubelet should start `containerName` again. `runtimeStatuses` are all
 * the pod's container instances the runtime still knows, newest first.
 */
export function shouldContainerBeRestarted(
  containerName: string,
  podRestartPolicy: PodRestartPolicy,
  podDeleted: boolean,
  runtimeStatuses: readonly RuntimeContainerStatus[],
): boolean {
  if (podDeleted) return false;
  const latest = latestStatus(containerName, runtimeStatuses);
  // Never started, or every earlier instance was garbage-collected.
  if (latest === undefined) return true;
  switch (latest.state) {
    case 'running':
      return false;
    case 'created':
    case 'unknown':
      return true;
    case 'exited':
      return exitedContainerRestarts(podRestartPolicy, latest.exitCode ?? 0);
  }
}

/** FindContainerStatusByName: the first match, since the list is newest first. */
function latestStatus(
  containerName: string,
  runtimeStatuses: readonly RuntimeContainerStatus[],
): RuntimeContainerStatus | undefined {
  return runtimeStatuses.find((s) => s.name === containerName);
}

function exitedContainerRestarts(podRestartPolicy: PodRestartPolicy, exitCode: number): boolean {
  switch (podRestartPolicy) {
    case 'Never':
      return false;
    case 'OnFailure':
      return exitCode !== 0;
    case 'Always':
      return true;
  }
}
