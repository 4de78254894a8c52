// The defaults the API server applies to every object it is sent, before validation, in the
// order of the generated defaulters (pkg/apis/core/v1/defaults.go, zz_generated.defaults.go,
// pkg/apis/apps/v1/defaults.go), and the tolerations the DefaultTolerationSeconds admission
// plugin adds to pods. A manifest that leaves a field out means the default, so the model must
// see the default too. A Pod gets SetDefaults_Pod on top of what a pod template gets
// (requests from limits, enableServiceLinks, host ports under hostNetwork): a Deployment's or
// ReplicaSet's template keeps none of those, its pods get them when they are created.
//
// Left out, and why:
// - SetDefaults_ResourceList's rounding up to milli-units, and the API server's canonical
//   spelling of quantities ("0.5" stored as "500m"): quantities are stored as written; the
//   scheduler and kubelet read them through quantity.ts, which rounds up as MilliValue and
//   Value do, so no decision changes.
// - Pod-level resources (defaultPodRequests, defaultPodLimits, defaultHugePagePodLimits):
//   spec.resources is not in the Kubernetes 1.30 API types manifests are decoded with, so no
//   modelled pod has it.
// - Ephemeral containers, PersistentVolumeClaim templates of ephemeral volumes and the volume
//   sources kubeprop refuses at load (iscsi, rbd, azureDisk, image: their own defaults): no
//   modelled pod can carry them.
// - SetDefaults_ConfigMap (data: {}): an empty map is not written out (omitempty), so the
//   stored object looks the same.
// - Kinds the model does not store (ReplicationController, LimitRange, PersistentVolume,
//   Namespace, ...), and Node status defaults: nodes register with their allocatable.
import type {
  Container, HTTPGetAction, PodSpec, Probe, ServicePort, ServiceSpec, Toleration, Volume, VolumeProjection,
} from 'kubernetes-types/core/v1.js';
import { defaultPullPolicy } from './image-ref.ts';
import type { KubeObject, Resource } from './resources.ts';
import { declaredSource } from './volume-sources.ts';

/** DefaultTolerationSeconds: pods tolerate a not-ready or unreachable node for 300 s before eviction. */
export const DEFAULT_TOLERATION_SECONDS = 300;
const NODE_TAINTS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

/** SecretVolumeSourceDefaultMode and its ConfigMap, DownwardAPI and Projected siblings: 0644. */
const VOLUME_DEFAULT_MODE = 0o644;
/** SetDefaults_ServiceAccountTokenProjection: tokens last an hour. */
const TOKEN_EXPIRATION_SECONDS = 3600;
/** DefaultClientIPServiceAffinitySeconds: three hours. */
const CLIENT_IP_AFFINITY_SECONDS = 10_800;

/** SetDefaults_HTTPGetAction: path "/" and scheme HTTP. */
function httpGet(action: HTTPGetAction | undefined): HTTPGetAction | undefined {
  return action && { path: '/', scheme: 'HTTP', ...action };
}

/** SetDefaults_Probe, with its handler's defaults (HTTPGetAction; GRPCAction.service, +default=""). */
function probe(p: Probe): Probe {
  return {
    timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3, ...p,
    ...(p.httpGet ? { httpGet: httpGet(p.httpGet) } : {}),
    ...(p.grpc ? { grpc: { service: '', ...p.grpc } } : {}),
  };
}

/** SetDefaults_ObjectFieldSelector: a fieldRef's apiVersion is v1. */
function withFieldRefDefaults<T extends { fieldRef?: { apiVersion?: string; fieldPath: string } }>(item: T): T {
  return item.fieldRef ? { ...item, fieldRef: { apiVersion: 'v1', ...item.fieldRef } } : item;
}

/** SetDefaults_Container, the ports' protocol, env fieldRefs, probes and lifecycle handlers. */
function container(c: Container): Container {
  const out: Container = {
    terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', ...c,
    imagePullPolicy: c.imagePullPolicy ?? defaultPullPolicy(c.image ?? ''),
    ...(c.ports ? { ports: c.ports.map((p) => ({ protocol: 'TCP', ...p })) } : {}),
    ...(c.env ? { env: c.env.map((e) => (e.valueFrom ? { ...e, valueFrom: withFieldRefDefaults(e.valueFrom) } : e)) } : {}),
  };
  for (const key of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    const p = c[key];
    if (p) out[key] = probe(p);
  }
  const { lifecycle } = c;
  if (lifecycle) {
    out.lifecycle = {
      ...lifecycle,
      ...(lifecycle.postStart ? { postStart: { ...lifecycle.postStart, ...(lifecycle.postStart.httpGet ? { httpGet: httpGet(lifecycle.postStart.httpGet) } : {}) } } : {}),
      ...(lifecycle.preStop ? { preStop: { ...lifecycle.preStop, ...(lifecycle.preStop.httpGet ? { httpGet: httpGet(lifecycle.preStop.httpGet) } : {}) } } : {}),
    };
  }
  return out;
}

function projection(source: VolumeProjection): VolumeProjection {
  return {
    ...source,
    ...(source.downwardAPI ? { downwardAPI: { ...source.downwardAPI, ...(source.downwardAPI.items ? { items: source.downwardAPI.items.map(withFieldRefDefaults) } : {}) } } : {}),
    ...(source.serviceAccountToken ? { serviceAccountToken: { expirationSeconds: TOKEN_EXPIRATION_SECONDS, ...source.serviceAccountToken } } : {}),
  };
}

/** SetDefaults_Volume (a volume with no source is an emptyDir) and its source's defaults. */
function volume(v: Volume): Volume {
  if (declaredSource(v) === null) return { ...v, emptyDir: {} };
  const mode = { defaultMode: VOLUME_DEFAULT_MODE };
  return {
    ...v,
    ...(v.hostPath ? { hostPath: { type: '', ...v.hostPath } } : {}),
    ...(v.secret ? { secret: { ...mode, ...v.secret } } : {}),
    ...(v.configMap ? { configMap: { ...mode, ...v.configMap } } : {}),
    ...(v.downwardAPI ? { downwardAPI: { ...mode, ...v.downwardAPI, ...(v.downwardAPI.items ? { items: v.downwardAPI.items.map(withFieldRefDefaults) } : {}) } } : {}),
    ...(v.projected ? { projected: { ...mode, ...v.projected, ...(v.projected.sources ? { sources: v.projected.sources.map(projection) } : {}) } } : {}),
    // A removed plugin's volume is still stored (and never mounted): ScaleIOVolumeSource's +default markers.
    ...(v.scaleIO ? { scaleIO: { storageMode: 'ThinProvisioned', fsType: 'xfs', ...v.scaleIO } } : {}),
  };
}

/**
 * The DefaultTolerationSeconds admission plugin (plugin/pkg/admission/defaulttolerationseconds): a pod
 * with no toleration of a node taint's key (or an empty key) and NoExecute effect (or an empty effect)
 * gets one, Exists, for 300 s. It judges the list as sent, so it adds both or either.
 */
function tolerations(list: readonly Toleration[] | undefined): Toleration[] {
  const sent = list ?? [];
  const out = [...sent];
  for (const key of NODE_TAINTS) {
    const tolerated = sent.some((t) => (!t.key || t.key === key) && (!t.effect || t.effect === 'NoExecute'));
    if (!tolerated) out.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
  }
  return out;
}

/** SetDefaults_PodSpec and everything nested in it: what a pod template gets. */
function podSpecDefaults(spec: PodSpec): PodSpec {
  return {
    dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler',
    securityContext: {}, ...spec,
    ...(spec.volumes ? { volumes: spec.volumes.map(volume) } : {}),
    containers: (spec.containers ?? []).map(container),
    ...(spec.initContainers ? { initContainers: spec.initContainers.map(container) } : {}),
  };
}

/** SetDefaults_Pod: a container's limit stands in for a request it omits (containers and init containers alike). */
function requestsFromLimits(c: Container): Container {
  const limits = c.resources?.limits;
  if (!limits) return c;
  return { ...c, resources: { ...c.resources, requests: { ...limits, ...c.resources?.requests } } };
}

/** SetDefaults_Pod's defaultHostNetworkPorts: under hostNetwork a container port is its host port too. */
function hostNetworkPorts(c: Container): Container {
  return c.ports ? { ...c, ports: c.ports.map((p) => (p.hostPort ? p : { ...p, hostPort: p.containerPort })) } : c;
}

/** A Pod as stored: SetDefaults_Pod, then what a template gets, then the DefaultTolerationSeconds admission. */
function podDefaults(spec: PodSpec): PodSpec {
  const perContainer = (c: Container) => (spec.hostNetwork ? hostNetworkPorts(requestsFromLimits(c)) : requestsFromLimits(c));
  const pod: PodSpec = {
    ...spec,
    enableServiceLinks: spec.enableServiceLinks ?? true,
    containers: (spec.containers ?? []).map(perContainer),
    ...(spec.initContainers ? { initContainers: spec.initContainers.map(perContainer) } : {}),
  };
  return { ...podSpecDefaults(pod), tolerations: tolerations(spec.tolerations) };
}

function withTemplateDefaults(spec: Record<string, unknown>): Record<string, unknown> {
  const template = spec.template as { spec?: PodSpec } | undefined;
  return template?.spec ? { ...spec, template: { ...template, spec: podSpecDefaults(template.spec) } } : spec;
}

/** SetDefaults_Service. */
function serviceSpec(spec: ServiceSpec): ServiceSpec {
  const type = spec.type ?? 'ClusterIP';
  const sessionAffinity = spec.sessionAffinity ?? 'None';
  const { sessionAffinityConfig, ...rest } = spec;
  const clientIPTimeout = sessionAffinityConfig?.clientIP?.timeoutSeconds;
  const externallyAccessible = type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && (spec.externalIPs ?? []).length > 0);
  return {
    ...rest, type, sessionAffinity,
    // None drops a sessionAffinityConfig; ClientIP gets one with a timeout when it has none.
    ...(sessionAffinity === 'ClientIP'
      ? { sessionAffinityConfig: clientIPTimeout === undefined ? { clientIP: { timeoutSeconds: CLIENT_IP_AFFINITY_SECONDS } } : sessionAffinityConfig }
      : sessionAffinity === 'None' || sessionAffinityConfig === undefined ? {} : { sessionAffinityConfig }),
    ...(spec.ports ? { ports: spec.ports.map((p: ServicePort) => ({ ...p, protocol: p.protocol ?? 'TCP', targetPort: p.targetPort || p.port })) } : {}),
    ...(externallyAccessible && !spec.externalTrafficPolicy ? { externalTrafficPolicy: 'Cluster' } : {}),
    ...(spec.internalTrafficPolicy === undefined && type !== 'ExternalName' ? { internalTrafficPolicy: 'Cluster' } : {}),
    ...(type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined ? { allocateLoadBalancerNodePorts: true } : {}),
  };
}

/** SetDefaults_Deployment: 1 replica, RollingUpdate 25% / 25%, 10 old ReplicaSets kept, a 600 s progress deadline. */
function deploymentSpec(spec: Record<string, unknown>): Record<string, unknown> {
  const strategy = (spec.strategy as { type?: string; rollingUpdate?: object } | undefined) ?? {};
  const type = strategy.type ?? 'RollingUpdate';
  return withTemplateDefaults({
    replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, ...spec,
    strategy: type === 'RollingUpdate' ? { ...strategy, type, rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%', ...strategy.rollingUpdate } } : { ...strategy, type },
  });
}

/**
 * A Secret as stored: its stringData merged into data, base64-encoded, a key in both taking
 * stringData's value (the v1 conversion, Convert_v1_Secret_To_core_Secret: stringData is
 * write-only and never stored); and SetDefaults_Secret: a Secret of no type is Opaque.
 */
function secret(object: KubeObject): KubeObject {
  const { stringData, ...rest } = object as KubeObject & { stringData?: Record<string, string> };
  const data = stringData === undefined ? rest.data
    : { ...(rest.data as Record<string, string> | undefined), ...Object.fromEntries(Object.entries(stringData).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')])) };
  return { ...rest, ...(data !== undefined ? { data } : {}), type: (object.type as string | undefined) || 'Opaque' };
}

/** The object as the API server stores it: with every field the manifest left out defaulted. */
export function withDefaults(resource: Resource, object: KubeObject): KubeObject {
  if (resource === 'secrets') return secret(object);
  const spec = object.spec as Record<string, unknown> | undefined;
  if (!spec) return object;
  switch (resource) {
    case 'pods': return { ...object, spec: podDefaults(spec as unknown as PodSpec) };
    case 'deployments': return { ...object, spec: deploymentSpec(spec) };
    case 'replicasets': return { ...object, spec: withTemplateDefaults({ replicas: 1, ...spec }) };
    case 'services': return { ...object, spec: serviceSpec(spec as ServiceSpec) };
    default: return object;
  }
}
