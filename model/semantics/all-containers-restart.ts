// Restarting every container of a pod when one exits by a RestartAllContainers rule (alpha gate
// RestartAllContainersOnContainerExits, Kubernetes 1.35): whether the pod could, whether it
// should now, and whether the old containers are gone. Follows kubernetes/kubernetes
// pkg/api/v1/pod/util.go AllContainersCouldRestart and pkg/kubelet/container/helpers.go
// ShouldAllContainersRestart and AllContainersRestartCleanedUp, as their tests and KEP-5532 state
// them (the helpers' source at the sample's commit was not in the stored copy).
import type { ContainerStatus, PodCondition, PodSpec, PodStatus } from 'kubernetes-types/core/v1.js';
import { latestStatus, matchingRestartRule, type ContainerWithRules, type RuntimeContainerStatus } from './restart.ts';

/** The pod condition the kubelet sets while it restarts every container (v1.AllContainersRestarting). */
export const ALL_CONTAINERS_RESTARTING = 'AllContainersRestarting';

function initAndRegular(spec: PodSpec): readonly ContainerWithRules[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
}

/** AllContainersCouldRestart: some init or regular container has a rule whose action is RestartAllContainers. */
export function allContainersCouldRestart(spec: PodSpec): boolean {
  return initAndRegular(spec).some((c) => (c.restartPolicyRules ?? []).some((rule) => rule.action === 'RestartAllContainers'));
}

/** The pod status the kubelet last reported, as ShouldAllContainersRestart reads it. */
export interface PreviousPodStatus {
  readonly conditions: readonly PodCondition[];
  /** Init and regular container statuses together. */
  readonly containerStatuses: readonly ContainerStatus[];
}

/** A pod status as ShouldAllContainersRestart reads it: its conditions, its init and regular container statuses. */
export function previousPodStatus(status: PodStatus): PreviousPodStatus {
  return { conditions: status.conditions ?? [], containerStatuses: [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])] };
}

/**
 * ShouldAllContainersRestart: the last status says AllContainersRestarting is True, or some init
 * or regular container exited (its newest runtime instance, or its last reported status) with an
 * exit code whose first matching rule says RestartAllContainers.
 */
export function shouldAllContainersRestart(
  spec: PodSpec,
  runtimeStatuses: readonly RuntimeContainerStatus[],
  previous: PreviousPodStatus,
): boolean {
  if (previous.conditions.some((c) => c.type === ALL_CONTAINERS_RESTARTING && c.status === 'True')) return true;
  const restartsAll = (c: ContainerWithRules, exitCode: number) => matchingRestartRule(c, exitCode)?.action === 'RestartAllContainers';
  return initAndRegular(spec).some((c) => {
    const latest = latestStatus(c.name, runtimeStatuses);
    if (latest?.state === 'exited' && restartsAll(c, latest.exitCode ?? 0)) return true;
    const reported = previous.containerStatuses.find((s) => s.name === c.name)?.state?.terminated;
    return reported != null && restartsAll(c, reported.exitCode);
  });
}

/** AllContainersRestartCleanedUp: the runtime holds no instance of any init or regular container. */
export function allContainersRestartCleanedUp(spec: PodSpec, runtimeStatuses: readonly RuntimeContainerStatus[]): boolean {
  return initAndRegular(spec).every((c) => latestStatus(c.name, runtimeStatuses) === undefined);
}
