// What the API server's validation says of a container's own restartPolicy and restartPolicyRules
// (ContainerRestartRules, KEP-5307; the RestartAllContainers action, KEP-5532), after
// drop-disabled-fields.ts has dropped them where the gate is off and the object does not use
// them already, so that what is left is allowed. Follows pkg/apis/core/validation/validation.go
// (its container restart-policy checks, with PodValidationOptions' AllowRestartAllContainers) as
// the API server words it: a regular or init container takes Always, Never or OnFailure; rules
// need the container's own restartPolicy, at most 20 of them, each an action (Restart, and
// RestartAllContainers with its gate or in use already) and exitCodes with an operator (In,
// NotIn) and at most 255 values. Rules on a sidecar come only with RestartAllContainers
// (GetValidationOptionsFromPodSpecAndMeta: "This also allows restart rules on sidecar
// containers"); upstream's wording of that refusal was not available, so ours says it plainly.
import type { Container } from 'kubernetes-types/core/v1.js';
import type { FieldError } from './api-status.ts';
import type { FeatureGates } from './feature-gates.ts';

const CONTAINER_RESTART_POLICIES = ['Always', 'Never', 'OnFailure'];
const OPERATORS = ['In', 'NotIn'];
const RULES_MAX = 20;
const VALUES_MAX = 255;

type Rule = { readonly action?: string; readonly exitCodes?: { readonly operator?: string; readonly values?: readonly number[] } };
type WithRules = Container & { readonly restartPolicyRules?: readonly Rule[] };

const quoted = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ');

/** The RestartAllContainers action is allowed: its gate is on, or the object it replaces uses it (restartAllContainersActionInUse). */
export function restartAllContainersAllowed(gates: FeatureGates, old: readonly Container[] = []): boolean {
  return gates.RestartAllContainersOnContainerExits || old.some((c) => ((c as WithRules).restartPolicyRules ?? []).some((r) => r.action === 'RestartAllContainers'));
}

function ruleErrors(c: WithRules, path: string, allowAll: boolean): FieldError[] {
  const rules = c.restartPolicyRules ?? [];
  if (rules.length === 0) return [];
  const out: FieldError[] = [];
  if (c.restartPolicy === undefined) out.push({ field: `${path}.restartPolicy`, type: 'Required', detail: 'must specify restartPolicy when restart rules are used' });
  if (rules.length > RULES_MAX) out.push({ field: `${path}.restartPolicyRules`, type: 'TooMany', value: rules.length, detail: `must have at most ${RULES_MAX} items` });
  const actions = allowAll ? ['Restart', 'RestartAllContainers'] : ['Restart'];
  rules.forEach((rule, i) => {
    const at = `${path}.restartPolicyRules[${i}]`;
    if (!actions.includes(rule.action ?? '')) out.push({ field: `${at}.action`, type: 'NotSupported', value: rule.action ?? '', detail: `supported values: ${quoted(actions)}` });
    if (rule.exitCodes === undefined) {
      out.push({ field: `${at}.exitCodes`, type: 'Required', detail: 'must be specified' });
      return;
    }
    if (!OPERATORS.includes(rule.exitCodes.operator ?? '')) {
      out.push({ field: `${at}.exitCodes.operator`, type: 'NotSupported', value: rule.exitCodes.operator ?? '', detail: `supported values: ${quoted(OPERATORS)}` });
    }
    const values = rule.exitCodes.values ?? [];
    if (values.length > VALUES_MAX) out.push({ field: `${at}.exitCodes.values`, type: 'TooMany', value: values.length, detail: `must have at most ${VALUES_MAX} items` });
  });
  return out;
}

function policyError(c: Container, path: string): FieldError[] {
  if (c.restartPolicy === undefined || CONTAINER_RESTART_POLICIES.includes(c.restartPolicy)) return [];
  return [{ field: `${path}.restartPolicy`, type: 'NotSupported', value: c.restartPolicy, detail: `supported values: ${quoted(CONTAINER_RESTART_POLICIES)}` }];
}

/** The errors of the restart policies and rules of `containers` (init containers if `init`), under `field` (spec.containers, spec.template.spec.initContainers). */
export function containerRestartPolicyErrors(containers: readonly Container[] | undefined, field: string, init: boolean, allowAll: boolean): FieldError[] {
  return (containers ?? []).flatMap((c: WithRules, i): FieldError[] => {
    const path = `${field}[${i}]`;
    const sidecarRules = init && c.restartPolicy === 'Always' && (c.restartPolicyRules ?? []).length > 0 && !allowAll;
    if (sidecarRules) return [{ field: `${path}.restartPolicyRules`, type: 'Forbidden', detail: 'may not be set for a restartable init container without RestartAllContainersOnContainerExits' }];
    return [...policyError(c, path), ...ruleErrors(c, path, allowAll)];
  });
}
