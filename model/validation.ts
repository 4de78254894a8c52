// What the API server's validation rejects for the kinds kubeprop models, with the
// field paths and texts of pkg/apis/core/validation, pkg/apis/apps/validation and
// apimachinery's name and label validators. Only rules that can decide an invariant
// (or that real manifests trip over) are modelled; each is listed in README.md.
import type { Container, LifecycleHandler, PodSpec, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { LabelSelector, ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { FieldError } from './api-status.ts';
import { deepEqual } from './equal.ts';
import type { FeatureGates } from './feature-gates.ts';
import { selectorIsEmpty, selectorMatches } from './labels.ts';
import { RESOURCES, type KubeObject, type NameFormat, type Resource } from './resources.ts';
import { podSpecIn } from './drop-disabled-fields.ts';
import { containerRestartPolicyErrors, restartAllContainersAllowed } from './validation-restart-policy.ts';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

const NAME_RULES: Record<NameFormat, { re: RegExp; max: number; text: string }> = {
  dns1123Subdomain: { re: DNS1123_SUBDOMAIN, max: 253, text: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')" },
  dns1123Label: { re: DNS1123_LABEL, max: 63, text: "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')" },
  dns1035Label: { re: DNS1035_LABEL, max: 63, text: "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')" },
};

function checkName(format: NameFormat, value: string, field: string, out: FieldError[]): void {
  const rule = NAME_RULES[format];
  if (value.length > rule.max) out.push({ field, type: 'Invalid', value, detail: `must be no more than ${rule.max} characters` });
  if (!rule.re.test(value)) out.push({ field, type: 'Invalid', value, detail: rule.text });
}

function checkMeta(resource: Resource, meta: ObjectMeta, out: FieldError[]): void {
  const info = RESOURCES[resource];
  if (!meta.name) out.push({ field: 'metadata.name', type: 'Required', detail: 'name or generateName is required' });
  else checkName(info.nameFormat, meta.name, 'metadata.name', out);
  if (info.namespaced) {
    if (!meta.namespace) out.push({ field: 'metadata.namespace', type: 'Required' });
    else checkName('dns1123Label', meta.namespace, 'metadata.namespace', out);
  }
  for (const [key, value] of Object.entries(meta.labels ?? {})) {
    if (value.length > 63 || !LABEL_VALUE.test(value)) {
      out.push({ field: `metadata.labels`, type: 'Invalid', value, detail: "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')" });
    }
    if (key.length === 0) out.push({ field: 'metadata.labels', type: 'Invalid', value: key, detail: 'name part must be non-empty' });
  }
  const controllers = (meta.ownerReferences ?? []).filter((r) => r.controller === true);
  if (controllers.length > 1) {
    out.push({ field: 'metadata.ownerReferences', type: 'Invalid', value: meta.ownerReferences,
      detail: `Only one reference can have Controller set to true. Found "true" in references for ${controllers.map((r) => `${r.kind}/${r.name}`).join(' and ')}` });
  }
  (meta.ownerReferences ?? []).forEach((r, i) => {
    if (!r.uid) out.push({ field: `metadata.ownerReferences[${i}].uid`, type: 'Invalid', value: '', detail: 'uid must not be empty' });
  });
}

function checkContainers(list: readonly Container[] | undefined, field: string, required: boolean, out: FieldError[]): void {
  if (!list || list.length === 0) {
    if (required) out.push({ field, type: 'Required' });
    return;
  }
  const seen = new Set<string>();
  list.forEach((c, i) => {
    if (!c.name) out.push({ field: `${field}[${i}].name`, type: 'Required' });
    else {
      checkName('dns1123Label', c.name, `${field}[${i}].name`, out);
      if (seen.has(c.name)) out.push({ field: `${field}[${i}].name`, type: 'Duplicate', value: c.name });
      seen.add(c.name);
    }
    if (!c.image) out.push({ field: `${field}[${i}].image`, type: 'Required' });
  });
}

/**
 * validateLifecycle's validateHandler: exactly one action, an exec command, and a sleep within the
 * grace period (with PodLifecycleSleepActionAllowZero, on by default since 1.33: 0 is allowed).
 */
function checkLifecycleHandler(handler: LifecycleHandler, field: string, graceSeconds: number, out: FieldError[]): void {
  let actions = 0;
  for (const action of ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const) {
    if (handler[action] === undefined) continue;
    if (actions++ > 0) {
      out.push({ field: `${field}.${action}`, type: 'Forbidden', detail: 'may not specify more than 1 handler type' });
      continue;
    }
    if (action === 'exec' && (handler.exec!.command ?? []).length === 0) out.push({ field: `${field}.exec.command`, type: 'Required' });
    const seconds = handler.sleep?.seconds;
    if (action === 'sleep' && seconds !== undefined && (seconds < 0 || seconds > graceSeconds)) {
      out.push({ field: `${field}.sleep`, type: 'Invalid', value: seconds, detail: `must be non-negative and less than terminationGracePeriodSeconds (${graceSeconds})` });
    }
  }
  if (actions === 0) out.push({ field, type: 'Required', detail: 'must specify a handler type' });
}

/** What decides how a container is stopped: its lifecycle handlers, and its probes' terminationGracePeriodSeconds (validateProbe: above 0). */
function checkStopping(list: readonly Container[] | undefined, field: string, graceSeconds: number, out: FieldError[]): void {
  (list ?? []).forEach((c, i) => {
    for (const hook of ['postStart', 'preStop'] as const) {
      const handler = c.lifecycle?.[hook];
      if (handler) checkLifecycleHandler(handler, `${field}[${i}].lifecycle.${hook}`, graceSeconds, out);
    }
    for (const probe of ['livenessProbe', 'startupProbe'] as const) {
      const seconds = c[probe]?.terminationGracePeriodSeconds;
      if (seconds !== undefined && seconds <= 0) out.push({ field: `${field}[${i}].${probe}.terminationGracePeriodSeconds`, type: 'Invalid', value: seconds, detail: 'must be greater than 0' });
    }
  });
}

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];

/** `allowRestartAll`: a restart rule may ask to restart all containers (RestartAllContainersOnContainerExits, or the object replaced does). */
function checkPodSpec(spec: PodSpec | undefined, field: string, allowRestartAll: boolean, out: FieldError[]): void {
  if (!spec) {
    out.push({ field: `${field}.containers`, type: 'Required' });
    return;
  }
  checkContainers(spec.initContainers, `${field}.initContainers`, false, out);
  checkContainers(spec.containers, `${field}.containers`, true, out);
  for (const e of containerRestartPolicyErrors(spec.initContainers, `${field}.initContainers`, true, allowRestartAll)) out.push(e);
  for (const e of containerRestartPolicyErrors(spec.containers, `${field}.containers`, false, allowRestartAll)) out.push(e);
  const volumes = new Set((spec.volumes ?? []).map((v) => v.name));
  for (const [list, path] of [[spec.initContainers, 'initContainers'], [spec.containers, 'containers']] as const) {
    (list ?? []).forEach((c, i) => (c.volumeMounts ?? []).forEach((m, j) => {
      if (!volumes.has(m.name)) out.push({ field: `${field}.${path}[${i}].volumeMounts[${j}].name`, type: 'NotFound', value: m.name });
    }));
  }
  if (spec.restartPolicy !== undefined && !RESTART_POLICIES.includes(spec.restartPolicy)) {
    out.push({ field: `${field}.restartPolicy`, type: 'NotSupported', value: spec.restartPolicy, detail: 'supported values: "Always", "OnFailure", "Never"' });
  }
  const grace = spec.terminationGracePeriodSeconds;
  if (grace !== undefined && grace < 0) {
    out.push({ field: `${field}.terminationGracePeriodSeconds`, type: 'Invalid', value: grace, detail: 'must be greater than or equal to 0' });
  }
  checkStopping(spec.initContainers, `${field}.initContainers`, grace ?? 30, out);
  checkStopping(spec.containers, `${field}.containers`, grace ?? 30, out);
}

interface WorkloadSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplateSpec;
}

/** Deployment and ReplicaSet: apps/validation ValidateDeploymentSpec / ValidateReplicaSetSpec. */
function checkWorkloadSpec(resource: Resource, spec: WorkloadSpec | undefined, allowRestartAll: boolean, out: FieldError[]): void {
  const s = spec ?? {};
  if (s.replicas !== undefined && s.replicas < 0) {
    out.push({ field: 'spec.replicas', type: 'Invalid', value: s.replicas, detail: 'must be greater than or equal to 0' });
  }
  if (!s.selector) out.push({ field: 'spec.selector', type: 'Required' });
  else if (selectorIsEmpty(s.selector)) {
    out.push({ field: 'spec.selector', type: 'Invalid', value: s.selector, detail: `empty selector is invalid for ${RESOURCES[resource].kind.toLowerCase()}` });
  }
  if (!s.template) {
    out.push({ field: 'spec.template', type: 'Required' });
    return;
  }
  const labels = s.template.metadata?.labels;
  if (s.selector && !selectorIsEmpty(s.selector) && !selectorMatches(s.selector, labels)) {
    out.push({ field: 'spec.template.metadata.labels', type: 'Invalid', value: labels ?? {}, detail: '`selector` does not match template `labels`' });
  }
  checkPodSpec(s.template.spec, 'spec.template.spec', allowRestartAll, out);
  const policy = s.template.spec?.restartPolicy;
  if (policy !== undefined && policy !== 'Always') {
    out.push({ field: 'spec.template.spec.restartPolicy', type: 'NotSupported', value: policy, detail: 'supported values: "Always"' });
  }
}

function checkData(data: unknown, out: FieldError[]): void {
  for (const key of Object.keys((data as Record<string, unknown> | undefined) ?? {})) {
    if (!CONFIG_KEY.test(key) || key.length > 253) {
      out.push({ field: 'data', type: 'Invalid', value: key, detail: "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')" });
    }
  }
}

/** Field errors for a new object (or one replacing `old`), under the API server's feature gates; empty when it would accept it. */
export function validateCreate(resource: Resource, object: KubeObject, gates: FeatureGates, old?: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  checkMeta(resource, object.metadata, out);
  const oldSpec = old && podSpecIn(resource, old);
  const allowRestartAll = restartAllContainersAllowed(gates, [...(oldSpec?.initContainers ?? []), ...(oldSpec?.containers ?? [])]);
  switch (resource) {
    case 'pods': checkPodSpec(object.spec as PodSpec | undefined, 'spec', allowRestartAll, out); break;
    case 'deployments':
    case 'replicasets': checkWorkloadSpec(resource, object.spec as WorkloadSpec | undefined, allowRestartAll, out); break;
    case 'configmaps':
    case 'secrets': checkData(object.data, out); break;
    case 'services': {
      const ports = (object.spec as { ports?: unknown[]; type?: string } | undefined)?.ports;
      const type = (object.spec as { type?: string } | undefined)?.type;
      if (type !== 'ExternalName' && (!ports || ports.length === 0)) out.push({ field: 'spec.ports', type: 'Required' });
      break;
    }
    default: break;
  }
  return out;
}

// Pod spec fields an update may change (pkg/apis/core/validation ValidatePodUpdate).
const POD_UPDATE_FORBIDDEN = 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function podSpecMutableView(spec: PodSpec | undefined): unknown {
  if (!spec) return spec;
  const strip = (cs: readonly Container[] | undefined) => cs?.map(({ image: _image, ...rest }) => rest);
  const { activeDeadlineSeconds: _a, tolerations: _t, ...rest } = spec;
  return { ...rest, containers: strip(spec.containers), initContainers: strip(spec.initContainers) };
}

/** Field errors for replacing `old` by `object`: the create rules plus immutability. */
export function validateUpdate(resource: Resource, object: KubeObject, old: KubeObject, gates: FeatureGates): FieldError[] {
  const out = validateCreate(resource, object, gates, old);
  const newFinalizers = (object.metadata.finalizers ?? []).filter((f) => !(old.metadata.finalizers ?? []).includes(f));
  if (old.metadata.deletionTimestamp && newFinalizers.length > 0) {
    out.push({ field: 'metadata.finalizers', type: 'Forbidden', detail: `no new finalizers can be added if the object is being deleted, found new finalizers []string{${newFinalizers.map((f) => JSON.stringify(f)).join(', ')}}` });
  }
  if (resource === 'deployments' || resource === 'replicasets') {
    const selector = (object.spec as WorkloadSpec | undefined)?.selector;
    const oldSelector = (old.spec as WorkloadSpec | undefined)?.selector;
    if (!deepEqual(selector, oldSelector)) out.push({ field: 'spec.selector', type: 'Invalid', value: selector ?? null, detail: 'field is immutable' });
  }
  if (resource === 'pods') {
    const spec = object.spec as PodSpec | undefined;
    const oldSpec = old.spec as PodSpec | undefined;
    if (!deepEqual(podSpecMutableView(spec), podSpecMutableView(oldSpec))) {
      out.push({ field: 'spec', type: 'Forbidden', detail: POD_UPDATE_FORBIDDEN });
    }
  }
  return out;
}
