// Container restart rules as the documentation states them (Pod Lifecycle: "Individual container
// restart policy and rules", "Restart All Containers"): when a container exits, its
// restartPolicyRules are evaluated in order and the first whose exit codes match applies
// (Restart: the container is restarted; RestartAllContainers: every container of the pod is,
// in place); if none matches, the container's own restartPolicy applies, and without one the
// pod's. The properties judge the kubelet by this formulation, on the runtime's record of each
// container (its spec as it was created, its exit code).
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import type { RuntimeContainer, RuntimeContext } from '../model/runtime.ts';

type Rule = { readonly action?: string; readonly exitCodes?: { readonly operator?: string; readonly values?: readonly number[] } };

function rulesOf(container: Container): readonly Rule[] {
  return (container as { restartPolicyRules?: readonly Rule[] }).restartPolicyRules ?? [];
}

/** The reason a container removed to restart all of its pod's containers reports, waiting and as its last termination (kubelet_pods.go). */
export const RESTARTED_IN_PLACE = 'RestartingAllContainers';

/** Some init or regular container of the pod has a rule whose action is RestartAllContainers. */
export function hasRestartAllRule(spec: PodSpec): boolean {
  return [...(spec.initContainers ?? []), ...spec.containers].some((c) => rulesOf(c).some((r) => r.action === 'RestartAllContainers'));
}

/** The action of the first rule of the container whose exit codes match `exitCode` (In: listed; NotIn: not listed), if any. */
export function actionOnExit(container: Container, exitCode: number): string | undefined {
  return rulesOf(container).find((rule) => {
    const listed = (rule.exitCodes?.values ?? []).includes(exitCode);
    return rule.exitCodes?.operator === 'In' ? listed : rule.exitCodes?.operator === 'NotIn' && !listed;
  })?.action;
}

/** The container's restart policy: its own, else the pod's (Always when the pod's is unset). */
export function restartPolicyOf(container: Container, podPolicy: string | undefined): string {
  return container.restartPolicy ?? podPolicy ?? 'Always';
}

/** An exited instance of the pod's containers, on the node, whose exit asked to restart every container of the pod, if there is one. */
export function exitRestartingAll(runtime: RuntimeContext, podUid: string): RuntimeContainer | undefined {
  for (const id of runtime.podContainers.get(podUid) ?? []) {
    const c = runtime.containers.get(id)!;
    if (c.state === 'exited' && actionOnExit(c.spec, c.exitCode ?? 0) === 'RestartAllContainers') return c;
  }
  return undefined;
}
