// The defaults the API server applies to every object it is sent, before validation
// (pkg/apis/core/v1/defaults.go, pkg/apis/apps/v1/defaults.go), and the tolerations the
// DefaultTolerationSeconds admission plugin adds to pods. A manifest that leaves a field
// out means the default, so the model must see the default too.
import type { Container, HTTPGetAction, Lifecycle, LifecycleHandler, PodSpec, Probe, ServicePort, ServiceSpec, Toleration } from 'kubernetes-types/core/v1.js';
import { defaultPullPolicy } from './image-ref.ts';
import type { KubeObject, Resource } from './resources.ts';

/** DefaultTolerationSeconds: pods tolerate a not-ready or unreachable node for 300 s before eviction. */
export const DEFAULT_TOLERATION_SECONDS = 300;
const NODE_TAINTS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

/** SetDefaults_HTTPGetAction, for probes and lifecycle hooks alike. */
function httpGet<T extends { httpGet?: HTTPGetAction }>(handler: T): T {
  return handler.httpGet ? { ...handler, httpGet: { path: '/', scheme: 'HTTP', ...handler.httpGet } } : handler;
}

function probe(p: Probe | undefined): Probe | undefined {
  return p && httpGet({ timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3, ...p });
}

function lifecycle(l: Lifecycle): Lifecycle {
  const out: Lifecycle = { ...l };
  for (const hook of ['postStart', 'preStop'] as const) {
    const handler: LifecycleHandler | undefined = l[hook];
    if (handler) out[hook] = httpGet(handler);
  }
  return out;
}

function container(c: Container): Container {
  const out: Container = {
    terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', ...c,
    imagePullPolicy: c.imagePullPolicy ?? defaultPullPolicy(c.image ?? ''),
    ...(c.ports ? { ports: c.ports.map((p) => ({ protocol: 'TCP', ...p })) } : {}),
  };
  for (const key of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    if (c[key]) out[key] = probe(c[key]);
  }
  if (c.lifecycle) out.lifecycle = lifecycle(c.lifecycle);
  return out;
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

export function podSpecDefaults(spec: PodSpec, admission: boolean): PodSpec {
  return {
    dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler',
    enableServiceLinks: true, securityContext: {}, ...spec,
    containers: (spec.containers ?? []).map(container),
    ...(spec.initContainers ? { initContainers: spec.initContainers.map(container) } : {}),
    ...(admission ? { tolerations: tolerations(spec.tolerations) } : {}),
  };
}

function withTemplateDefaults(spec: Record<string, unknown>): Record<string, unknown> {
  const template = spec.template as { spec?: PodSpec } | undefined;
  return template?.spec ? { ...spec, template: { ...template, spec: podSpecDefaults(template.spec, false) } } : spec;
}

function serviceSpec(spec: ServiceSpec): ServiceSpec {
  return {
    type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ...spec,
    ...(spec.ports ? { ports: spec.ports.map((p: ServicePort) => ({ protocol: 'TCP', targetPort: p.port, ...p })) } : {}),
  };
}

/** The object as the API server stores it: with every field the manifest left out defaulted. */
export function withDefaults(resource: Resource, object: KubeObject): KubeObject {
  const spec = object.spec as Record<string, unknown> | undefined;
  if (!spec) return object;
  switch (resource) {
    case 'pods': return { ...object, spec: podSpecDefaults(spec as unknown as PodSpec, true) };
    case 'deployments': {
      const strategy = (spec.strategy as { type?: string; rollingUpdate?: object } | undefined) ?? {};
      const type = strategy.type ?? 'RollingUpdate';
      return {
        ...object,
        spec: withTemplateDefaults({
          replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, ...spec,
          strategy: type === 'RollingUpdate' ? { ...strategy, type, rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%', ...strategy.rollingUpdate } } : { ...strategy, type },
        }),
      };
    }
    case 'replicasets': return { ...object, spec: withTemplateDefaults({ replicas: 1, ...spec }) };
    case 'services': return { ...object, spec: serviceSpec(spec as ServiceSpec) };
    default: return object;
  }
}
