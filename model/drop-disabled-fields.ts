// What the API server drops from a pod spec (a Pod's, or a Deployment's or ReplicaSet's template)
// when the feature gate behind a field is off and the object it replaces does not use the field
// already, before validation: kubernetes/kubernetes pkg/api/pod/util.go dropDisabledFields, called
// by PrepareForCreate and PrepareForUpdate. The one gated field the model reads is a container's
// own restart policy and rules (dropContainerRestartRules, ContainerRestartRules): an init
// container keeps restartPolicy Always, which makes it a sidecar.
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import type { FeatureGates } from './feature-gates.ts';
import type { KubeObject, Resource } from './resources.ts';

type WithRules = Container & { restartPolicyRules?: unknown };

/** containerRestartRulesInUse: an init container's restartPolicy other than Always, or any container's rules, or a regular container's restartPolicy. */
function restartRulesInUse(spec: PodSpec | undefined): boolean {
  if (!spec) return false;
  const rules = (c: WithRules) => c.restartPolicyRules !== undefined && (c.restartPolicyRules as unknown[]).length > 0;
  return (spec.initContainers ?? []).some((c) => (c.restartPolicy !== undefined && c.restartPolicy !== 'Always') || rules(c)) ||
    (spec.containers ?? []).some((c) => c.restartPolicy !== undefined || rules(c));
}

function withoutRestartRules(c: WithRules, keepPolicy: boolean): Container {
  const { restartPolicy, restartPolicyRules: _dropped, ...rest } = c;
  return keepPolicy && restartPolicy !== undefined ? { ...rest, restartPolicy } : rest;
}

function dropContainerRestartRules(spec: PodSpec): PodSpec {
  return {
    ...spec,
    ...(spec.initContainers ? { initContainers: spec.initContainers.map((c) => withoutRestartRules(c, c.restartPolicy === 'Always')) } : {}),
    containers: (spec.containers ?? []).map((c) => withoutRestartRules(c, false)),
  };
}

/** The pod spec the object carries: a Pod's own, a Deployment's or ReplicaSet's template's; undefined for other kinds. */
export function podSpecIn(resource: Resource, object: KubeObject): PodSpec | undefined {
  if (resource === 'pods') return object.spec as PodSpec | undefined;
  if (resource !== 'deployments' && resource !== 'replicasets') return undefined;
  return (object.spec as { template?: { spec?: PodSpec } } | undefined)?.template?.spec;
}

/** The object with `spec` as the pod spec it carries. */
function withPodSpec(resource: Resource, object: KubeObject, spec: PodSpec): KubeObject {
  if (resource === 'pods') return { ...object, spec };
  const workload = object.spec as { template: object };
  return { ...object, spec: { ...workload, template: { ...workload.template, spec } } };
}

/** The object as the API server keeps it once fields of disabled features are dropped; `old` is the object it replaces, if any. */
export function dropDisabledFields(resource: Resource, object: KubeObject, gates: FeatureGates, old?: KubeObject): KubeObject {
  const spec = podSpecIn(resource, object);
  if (spec === undefined || gates.ContainerRestartRules || !restartRulesInUse(spec)) return object;
  if (old !== undefined && restartRulesInUse(podSpecIn(resource, old))) return object;
  return withPodSpec(resource, object, dropContainerRestartRules(spec));
}
