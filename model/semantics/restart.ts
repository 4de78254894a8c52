// The kubelet's decision to (re)start a container of a pod. Follows kubernetes/kubernetes
// pkg/kubelet/container/helpers.go ShouldContainerBeRestarted and pkg/api/v1/pod/util.go
// (ContainerShouldRestart, findMatchingContainerRestartRule, IsContainerRestartable): with
// ContainerRestartRules, a container's own restartPolicy and restartPolicyRules decide before the
// pod's restartPolicy; with RestartAllContainersOnContainerExits, a matching rule whose action is
// RestartAllContainers restarts the container too (with every other one: helpers.go
// ShouldAllContainersRestart, in all-containers-restart.ts). Gates are parameters, defaulting to
// the model's release (model/feature-gates.ts).
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import { DEFAULT_FEATURE_GATES, type FeatureGates } from '../feature-gates.ts';

export type PodRestartPolicy = 'Always' | 'OnFailure' | 'Never';

/** The container runtime's view of one container instance (kubecontainer.Status). */
export type RuntimeContainerStatus = {
  readonly name: string;
  readonly state: 'created' | 'running' | 'exited' | 'unknown';
  /** Absent reads as 0, Go's zero value. */
  readonly exitCode?: number;
};

/** A ContainerRestartRule (API 1.34+, newer than kubernetes-types 1.30). */
export interface ContainerRestartRule {
  readonly action: 'Restart' | 'RestartAllContainers';
  readonly exitCodes?: { readonly operator: 'In' | 'NotIn'; readonly values?: readonly number[] };
}

/** A container with restartPolicyRules. */
export type ContainerWithRules = Container & { readonly restartPolicyRules?: readonly ContainerRestartRule[] };

/** What ShouldContainerBeRestarted reads besides the runtime: the container's spec, the pod's, and the gates. */
export interface RestartRulesInput {
  readonly container: ContainerWithRules;
  readonly podSpec: PodSpec;
  readonly gates: FeatureGates;
}

/**
 * findMatchingContainerRestartRule: the first rule whose exit codes match (In: the code is
 * listed; NotIn: it is not). A rule without exitCodes, or with another operator, matches nothing.
 */
export function matchingRestartRule(container: ContainerWithRules, exitCode: number): ContainerRestartRule | undefined {
  return (container.restartPolicyRules ?? []).find((rule) => {
    if (rule.exitCodes === undefined) return false;
    const listed = (rule.exitCodes.values ?? []).includes(exitCode);
    if (rule.exitCodes.operator === 'In') return listed;
    return rule.exitCodes.operator === 'NotIn' && !listed;
  });
}

/** Always restarts; OnFailure only a non-zero exit; Never nothing. An unknown or empty policy counts as Always. */
function policyRestarts(policy: string | undefined, exitCode: number): boolean {
  switch (policy) {
    case 'Never': return false;
    case 'OnFailure': return exitCode !== 0;
    default: return true;
  }
}

/**
 * ContainerShouldRestart: a container with its own restartPolicy is decided by its first matching
 * rule (Restart restarts; RestartAllContainers too with RestartAllContainersOnContainerExits, as
 * every container restarts then), else by its own policy; a container without one by the pod's.
 */
export function containerShouldRestart(
  container: ContainerWithRules,
  podSpec: PodSpec,
  exitCode: number,
  gates: FeatureGates = DEFAULT_FEATURE_GATES,
): boolean {
  if (container.restartPolicy === undefined) return policyRestarts(podSpec.restartPolicy, exitCode);
  const action = matchingRestartRule(container, exitCode)?.action;
  if (action === 'Restart') return true;
  if (action === 'RestartAllContainers' && gates.RestartAllContainersOnContainerExits) return true;
  return ['Always', 'OnFailure', 'Never'].includes(container.restartPolicy)
    ? policyRestarts(container.restartPolicy, exitCode)
    : policyRestarts(podSpec.restartPolicy, exitCode);
}

/**
 * Whether the kubelet should start `containerName` again. `runtimeStatuses` are all the pod's
 * container instances the runtime still knows, newest first. An exited container is restarted
 * by `podRestartPolicy`, or, with ContainerRestartRules on in `rules.gates`, by
 * ContainerShouldRestart on the container's own spec.
 */
export function shouldContainerBeRestarted(
  containerName: string,
  podRestartPolicy: PodRestartPolicy,
  podDeleted: boolean,
  runtimeStatuses: readonly RuntimeContainerStatus[],
  rules: RestartRulesInput | null = null,
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
      if (rules !== null && rules.gates.ContainerRestartRules) {
        return containerShouldRestart(rules.container, rules.podSpec, latest.exitCode ?? 0, rules.gates);
      }
      return policyRestarts(podRestartPolicy, latest.exitCode ?? 0);
  }
}

/** FindContainerStatusByName: the first match, since the list is newest first. */
export function latestStatus(
  containerName: string,
  runtimeStatuses: readonly RuntimeContainerStatus[],
): RuntimeContainerStatus | undefined {
  return runtimeStatuses.find((s) => s.name === containerName);
}
