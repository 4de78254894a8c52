// What the API server's validation rejects for the kinds kubeprop models, with the
// field paths and texts of pkg/apis/core/validation (ValidatePodSpec: volumes, containers,
// their ports and env, the node selector; ValidateService and validateServicePort;
// ValidateConfigMap, ValidateSecret and their 1 MiB; ValidateNode and validateNodeTaints),
// pkg/apis/apps/validation, and apimachinery's name and label validators
// (validation-format.ts, validation-meta.ts). Only rules that can decide an invariant, that
// real manifests trip over, or that keep the model from storing what a real API server would
// refuse are modelled; each is listed in README.md.
import type { Container, ContainerPort, LifecycleHandler, PodSpec, PodTemplateSpec, ServicePort, ServiceSpec, Taint, Toleration, Volume } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { FieldError } from './api-status.ts';
import { deepEqual } from './equal.ts';
import type { FeatureGates } from './feature-gates.ts';
import { selectorIsEmpty, selectorMatches } from './labels.ts';
import { RESOURCES, type KubeObject, type Resource } from './resources.ts';
import { podSpecIn } from './drop-disabled-fields.ts';
import { containerRestartPolicyErrors, restartAllContainersAllowed } from './validation-restart-policy.ts';
import { configMapKeyErrors, dnsNameErrors, envVarNameErrors, labelValueErrors, portNameErrors, portNumErrors, utf8Bytes } from './validation-format.ts';
import { checkAnnotations, checkLabelName, checkLabels, checkLabelSelector, checkObjectMeta } from './validation-meta.ts';

/** MaxSecretSize (pkg/apis/core/types.go): the bytes of a ConfigMap's or a Secret's data, in all. */
const DATA_BYTES_MAX = 1 << 20;

/** ValidateDNS1123Label: each message its own error. */
function checkDnsLabel(value: string, field: string, out: FieldError[]): void {
  for (const detail of dnsNameErrors('dns1123Label', value)) out.push({ field, type: 'Invalid', value, detail });
}

const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** validateContainerPorts: a name is an IANA service name, unique in the container; the port numbers; the protocol. */
function checkContainerPorts(ports: readonly ContainerPort[] | undefined, field: string, out: FieldError[]): void {
  const names = new Set<string>();
  (ports ?? []).forEach((p, i) => {
    const at = `${field}[${i}]`;
    if (p.name) {
      const errors = portNameErrors(p.name);
      for (const detail of errors) out.push({ field: `${at}.name`, type: 'Invalid', value: p.name, detail });
      if (errors.length === 0 && names.has(p.name)) out.push({ field: `${at}.name`, type: 'Duplicate', value: p.name });
      names.add(p.name);
    }
    if (!p.containerPort) out.push({ field: `${at}.containerPort`, type: 'Required' });
    else for (const detail of portNumErrors(p.containerPort)) out.push({ field: `${at}.containerPort`, type: 'Invalid', value: p.containerPort, detail });
    if (p.hostPort) for (const detail of portNumErrors(p.hostPort)) out.push({ field: `${at}.hostPort`, type: 'Invalid', value: p.hostPort, detail });
    if (!p.protocol) out.push({ field: `${at}.protocol`, type: 'Required' });
    else if (!PORT_PROTOCOLS.includes(p.protocol)) out.push({ field: `${at}.protocol`, type: 'NotSupported', value: p.protocol, detail: 'supported values: "SCTP", "TCP", "UDP"' });
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
      checkDnsLabel(c.name, `${field}[${i}].name`, out);
      if (seen.has(c.name)) out.push({ field: `${field}[${i}].name`, type: 'Duplicate', value: c.name });
      seen.add(c.name);
    }
    if (!c.image) out.push({ field: `${field}[${i}].image`, type: 'Required' });
    checkContainerPorts(c.ports, `${field}[${i}].ports`, out);
    // ValidateEnv, under RelaxedEnvironmentVariableValidation (GA, locked on).
    (c.env ?? []).forEach((e, j) => {
      const at = `${field}[${i}].env[${j}].name`;
      if (!e.name) out.push({ field: at, type: 'Required' });
      else for (const detail of envVarNameErrors(e.name)) out.push({ field: at, type: 'Invalid', value: e.name, detail });
    });
  });
}

/** ValidateVolumes: each volume's name, unique; the names of the volumes without errors, for the volumeMounts to find. */
function checkVolumes(volumes: readonly Volume[] | undefined, field: string, out: FieldError[]): Set<string> {
  const names = new Set<string>();
  (volumes ?? []).forEach((v, i) => {
    const at = `${field}[${i}].name`;
    const errors: FieldError[] = [];
    if (!v.name) errors.push({ field: at, type: 'Required' });
    else checkDnsLabel(v.name, at, errors);
    if (names.has(v.name)) errors.push({ field: at, type: 'Duplicate', value: v.name });
    if (errors.length === 0) names.add(v.name);
    for (const e of errors) out.push(e);
  });
  return names;
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

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const TAINT_EFFECTS_TEXT = 'supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"';

/**
 * ValidateTolerations: a key is a qualified name (an empty one only with Exists); tolerationSeconds
 * only with NoExecute; an Equal toleration's value is a label value (its messages joined by ";",
 * reported at the operator, sic), an Exists one has none; the effect, if any. With the alpha gate
 * TaintTolerationComparisonOperators the scheduler reads Lt and Gt too: they are taken, their
 * values unchecked (upstream's wording of those checks was not available).
 */
function checkTolerations(tolerations: readonly Toleration[] | undefined, field: string, gates: FeatureGates, out: FieldError[]): void {
  (tolerations ?? []).forEach((t, i) => {
    const at = `${field}[${i}]`;
    const operator = t.operator ?? '';
    if (t.key) checkLabelName(t.key, `${at}.key`, out);
    if (!t.key && operator !== 'Exists') {
      out.push({ field: `${at}.operator`, type: 'Invalid', value: operator, detail: 'operator must be Exists when `key` is empty, which means "match all values and all keys"' });
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      out.push({ field: `${at}.effect`, type: 'Invalid', value: t.effect ?? '', detail: "effect must be 'NoExecute' when `tolerationSeconds` is set" });
    }
    const value = t.value ?? '';
    if (operator === 'Equal' || operator === '') {
      const errors = labelValueErrors(value);
      if (errors.length > 0) out.push({ field: `${at}.operator`, type: 'Invalid', value, detail: errors.join(';') });
    } else if (operator === 'Exists') {
      if (value) out.push({ field: `${at}.operator`, type: 'Invalid', value, detail: "value must be empty when `operator` is 'Exists'" });
    } else if (!(gates.TaintTolerationComparisonOperators && (operator === 'Lt' || operator === 'Gt'))) {
      out.push({ field: `${at}.operator`, type: 'NotSupported', value: operator, detail: 'supported values: "Equal", "Exists"' });
    }
    if (t.effect && !TAINT_EFFECTS.includes(t.effect)) out.push({ field: `${at}.effect`, type: 'NotSupported', value: t.effect, detail: TAINT_EFFECTS_TEXT });
  });
}

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];

/** `allowRestartAll`: a restart rule may ask to restart all containers (RestartAllContainersOnContainerExits, or the object replaced does). */
function checkPodSpec(spec: PodSpec | undefined, field: string, allowRestartAll: boolean, gates: FeatureGates, out: FieldError[]): void {
  if (!spec) {
    out.push({ field: `${field}.containers`, type: 'Required' });
    return;
  }
  const volumes = checkVolumes(spec.volumes, `${field}.volumes`, out);
  checkContainers(spec.initContainers, `${field}.initContainers`, false, out);
  checkContainers(spec.containers, `${field}.containers`, true, out);
  for (const e of containerRestartPolicyErrors(spec.initContainers, `${field}.initContainers`, true, allowRestartAll)) out.push(e);
  for (const e of containerRestartPolicyErrors(spec.containers, `${field}.containers`, false, allowRestartAll)) out.push(e);
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
  checkLabels(spec.nodeSelector, `${field}.nodeSelector`, out);
  checkTolerations(spec.tolerations, `${field}.tolerations`, gates, out);
}

interface WorkloadSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplateSpec;
}

/** Deployment and ReplicaSet: apps/validation ValidateDeploymentSpec / ValidateReplicaSetSpec. */
function checkWorkloadSpec(resource: Resource, spec: WorkloadSpec | undefined, allowRestartAll: boolean, gates: FeatureGates, out: FieldError[]): void {
  const s = spec ?? {};
  if (s.replicas !== undefined && s.replicas < 0) {
    out.push({ field: 'spec.replicas', type: 'Invalid', value: s.replicas, detail: 'must be greater than or equal to 0' });
  }
  if (!s.selector) out.push({ field: 'spec.selector', type: 'Required' });
  else {
    const selectorErrors: FieldError[] = [];
    checkLabelSelector(s.selector, 'spec.selector', selectorErrors);
    for (const e of selectorErrors) out.push(e);
    if (selectorIsEmpty(s.selector)) out.push({ field: 'spec.selector', type: 'Invalid', value: s.selector, detail: `empty selector is invalid for ${RESOURCES[resource].kind.toLowerCase()}` });
    // What ValidateLabelSelector refuses, LabelSelectorAsSelector cannot convert: the template is then not checked.
    if (selectorErrors.length > 0) return void out.push({ field: 'spec.selector', type: 'Invalid', value: s.selector, detail: 'invalid label selector' });
  }
  if (!s.template) {
    out.push({ field: 'spec.template', type: 'Required' });
    return;
  }
  const labels = s.template.metadata?.labels;
  if (s.selector && !selectorIsEmpty(s.selector) && !selectorMatches(s.selector, labels)) {
    out.push({ field: 'spec.template.metadata.labels', type: 'Invalid', value: labels ?? {}, detail: '`selector` does not match template `labels`' });
  }
  // ValidatePodTemplateSpec reports the template's labels and annotations at spec.template.labels, not .metadata.labels.
  checkLabels(labels, 'spec.template.labels', out);
  checkAnnotations(s.template.metadata?.annotations, 'spec.template.annotations', out);
  checkPodSpec(s.template.spec, 'spec.template.spec', allowRestartAll, gates, out);
  const policy = s.template.spec?.restartPolicy;
  if (policy !== undefined && policy !== 'Always') {
    out.push({ field: 'spec.template.spec.restartPolicy', type: 'NotSupported', value: policy, detail: 'supported values: "Always"' });
  }
}

type StringMap = Readonly<Record<string, string>> | undefined;

/** The bytes a base64 text decodes to (a []byte field: Secret data, ConfigMap binaryData). */
const base64Bytes = (text: string) => Math.floor((text.length * 3) / 4) - (text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0);

/** ValidateConfigMap: keys (at `data[key]`), no key in both maps, 1 MiB of data in all (reported at the path "[]": the whole object). */
function checkConfigMap(object: KubeObject, out: FieldError[]): void {
  const data = object.data as StringMap;
  const binaryData = object.binaryData as StringMap;
  let bytes = 0;
  for (const [key, value] of Object.entries(data ?? {})) {
    for (const detail of configMapKeyErrors(key)) out.push({ field: `data[${key}]`, type: 'Invalid', value: key, detail });
    if (binaryData && Object.hasOwn(binaryData, key)) out.push({ field: `data[${key}]`, type: 'Invalid', value: key, detail: 'duplicate of key present in binaryData' });
    bytes += utf8Bytes(value);
  }
  for (const [key, value] of Object.entries(binaryData ?? {})) {
    for (const detail of configMapKeyErrors(key)) out.push({ field: `binaryData[${key}]`, type: 'Invalid', value: key, detail });
    bytes += base64Bytes(value);
  }
  if (bytes > DATA_BYTES_MAX) out.push({ field: '[]', type: 'TooLong', detail: `may not be more than ${DATA_BYTES_MAX} bytes` });
}

/** ValidateSecret: keys (at `data[key]`) and 1 MiB of data in all. */
function checkSecret(object: KubeObject, out: FieldError[]): void {
  let bytes = 0;
  for (const [key, value] of Object.entries((object.data as StringMap) ?? {})) {
    for (const detail of configMapKeyErrors(key)) out.push({ field: `data[${key}]`, type: 'Invalid', value: key, detail });
    bytes += base64Bytes(value);
  }
  if (bytes > DATA_BYTES_MAX) out.push({ field: 'data', type: 'TooLong', detail: `may not be more than ${DATA_BYTES_MAX} bytes` });
}

/** Go's %#v of the core.ServicePort key validateService compares ports by: protocol and port, every other field zero. */
const servicePortKey = (p: ServicePort) =>
  `core.ServicePort{Name:"", Protocol:${JSON.stringify(p.protocol ?? '')}, AppProtocol:(*string)(nil), Port:${p.port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;

/** ValidateService: ports (validateServicePort, then no two alike by protocol and port) and the selector. */
function checkService(spec: ServiceSpec | undefined, out: FieldError[]): void {
  const ports = spec?.ports ?? [];
  if (ports.length === 0 && spec?.clusterIP !== 'None' && spec?.type !== 'ExternalName') out.push({ field: 'spec.ports', type: 'Required' });
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const at = `spec.ports[${i}]`;
    // A name is required only when there are several ports, so that endpoints can tell them apart.
    if (ports.length > 1 && !p.name) out.push({ field: `${at}.name`, type: 'Required' });
    else if (p.name) {
      checkDnsLabel(p.name, `${at}.name`, out);
      if (names.has(p.name)) out.push({ field: `${at}.name`, type: 'Duplicate', value: p.name });
      names.add(p.name);
    }
    for (const detail of portNumErrors(p.port)) out.push({ field: `${at}.port`, type: 'Invalid', value: p.port, detail });
    if (!p.protocol) out.push({ field: `${at}.protocol`, type: 'Required' });
    else if (!PORT_PROTOCOLS.includes(p.protocol)) out.push({ field: `${at}.protocol`, type: 'NotSupported', value: p.protocol, detail: 'supported values: "SCTP", "TCP", "UDP"' });
    // ValidatePortNumOrName: a number is a port, a string a port's name.
    const target = p.targetPort;
    if (typeof target === 'number') for (const detail of portNumErrors(target)) out.push({ field: `${at}.targetPort`, type: 'Invalid', value: target, detail });
    else if (typeof target === 'string') for (const detail of portNameErrors(target)) out.push({ field: `${at}.targetPort`, type: 'Invalid', value: target, detail });
  });
  checkLabels(spec?.selector, 'spec.selector', out);
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const key = servicePortKey(p);
    if (seen.has(key)) out.push({ field: `spec.ports[${i}]`, type: 'Duplicate', shown: key });
    seen.add(key);
  });
}

/**
 * validateNodeTaints, which ValidateNode calls at metadata.taints (sic): each key a qualified
 * name, each value a label value (its messages joined by ";"), an effect, and no two taints
 * with the same key and effect. The duplicate is printed as Go's %#v of the internal
 * core.Taint; a taint's timeAdded, a pointer, prints as its address there, which no model can
 * give, so the time is shown instead.
 */
function checkNodeTaints(taints: readonly Taint[] | undefined, out: FieldError[]): void {
  const seen = new Set<string>();
  (taints ?? []).forEach((t, i) => {
    const at = `metadata.taints[${i}]`;
    checkLabelName(t.key ?? '', `${at}.key`, out);
    const valueErrors = labelValueErrors(t.value ?? '');
    if (valueErrors.length > 0) out.push({ field: `${at}.value`, type: 'Invalid', value: t.value ?? '', detail: valueErrors.join(';') });
    if (!t.effect) out.push({ field: `${at}.effect`, type: 'Required' });
    else if (!TAINT_EFFECTS.includes(t.effect)) out.push({ field: `${at}.effect`, type: 'NotSupported', value: t.effect, detail: TAINT_EFFECTS_TEXT });
    const key = JSON.stringify([t.key ?? '', t.effect ?? '']);
    if (seen.has(key)) {
      const added = t.timeAdded === undefined ? '(*v1.Time)(nil)' : JSON.stringify(t.timeAdded);
      const shown = `core.Taint{Key:${JSON.stringify(t.key ?? '')}, Value:${JSON.stringify(t.value ?? '')}, Effect:${JSON.stringify(t.effect ?? '')}, TimeAdded:${added}}`;
      out.push({ field: at, type: 'Duplicate', shown, detail: 'taints must be unique by key and effect pair' });
      return;
    }
    seen.add(key);
  });
}

/** Field errors for a new object (or one replacing `old`), under the API server's feature gates; empty when it would accept it. */
export function validateCreate(resource: Resource, object: KubeObject, gates: FeatureGates, old?: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  checkObjectMeta(resource, object.metadata, out);
  const oldSpec = old && podSpecIn(resource, old);
  const allowRestartAll = restartAllContainersAllowed(gates, [...(oldSpec?.initContainers ?? []), ...(oldSpec?.containers ?? [])]);
  switch (resource) {
    case 'pods': {
      const spec = object.spec as PodSpec | undefined;
      checkPodSpec(spec, 'spec', allowRestartAll, gates, out);
      // validateContainersOnlyForPod: a Pod's images (not a template's) without surrounding whitespace.
      for (const [list, path] of [[spec?.containers, 'containers'], [spec?.initContainers, 'initContainers']] as const) {
        (list ?? []).forEach((c, i) => {
          if (c.image && c.image !== c.image.trim()) out.push({ field: `spec.${path}[${i}].image`, type: 'Invalid', value: c.image, detail: 'must not have leading or trailing whitespace' });
        });
      }
      break;
    }
    case 'deployments':
    case 'replicasets': checkWorkloadSpec(resource, object.spec as WorkloadSpec | undefined, allowRestartAll, gates, out); break;
    case 'configmaps': checkConfigMap(object, out); break;
    case 'secrets': checkSecret(object, out); break;
    case 'services': checkService(object.spec as ServiceSpec | undefined, out); break;
    case 'nodes': checkNodeTaints((object.spec as { taints?: Taint[] } | undefined)?.taints, out); break;
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
