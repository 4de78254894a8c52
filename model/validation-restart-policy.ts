// What the API server's validation says of a regular container's own restartPolicy (and
// restartPolicyRules): refused unless ContainerRestartRules is on, as
// kubernetes/kubernetes pkg/apis/core/validation/validation.go validateContainers refuses it
// ("may not be set for non-init containers"); with the gate, the policy must be one of the three.
// The rules' own checks (actions, exit codes) are not modelled: strict decoding already refuses
// restartPolicyRules, which kubernetes-types 1.30 does not have.
import type { Container } from 'kubernetes-types/core/v1.js';
import type { FieldError } from './api-status.ts';
import type { FeatureGates } from './feature-gates.ts';

const CONTAINER_RESTART_POLICIES = ['Always', 'Never', 'OnFailure'];

/** The errors of `containers`' restartPolicy fields, under `field` (spec.containers, spec.template.spec.containers). */
export function regularContainerRestartPolicyErrors(containers: readonly Container[] | undefined, field: string, gates: FeatureGates): FieldError[] {
  return (containers ?? []).flatMap((c, i): FieldError[] => {
    if (c.restartPolicy === undefined) return [];
    const path = `${field}[${i}].restartPolicy`;
    if (!gates.ContainerRestartRules) return [{ field: path, type: 'Forbidden', detail: 'may not be set for non-init containers' }];
    if (CONTAINER_RESTART_POLICIES.includes(c.restartPolicy)) return [];
    return [{ field: path, type: 'NotSupported', value: c.restartPolicy, detail: `supported values: ${CONTAINER_RESTART_POLICIES.map((p) => `"${p}"`).join(', ')}` }];
  });
}
