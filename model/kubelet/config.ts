// What a container needs before the kubelet can create it, with the kubelet's words
// for what is missing: ConfigMap and Secret volumes (volume manager: the pod waits in
// ContainerCreating), env and envFrom references (kuberuntime makeEnvironmentVariables:
// CreateContainerConfigError), a parseable image reference (InvalidImageName), and the
// image pull policy the API server defaulted from the tag.
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import { defaultPullPolicy } from '../image-ref.ts';
import type { KubeObject } from '../resources.ts';

/** ConfigMaps and Secrets as the kubelet's informers see them, by "namespace/name". */
export interface ConfigSources {
  readonly configmaps: ReadonlyMap<string, KubeObject>;
  readonly secrets: ReadonlyMap<string, KubeObject>;
}

type SourceKind = 'configmap' | 'secret';

function lookup(sources: ConfigSources, kind: SourceKind, namespace: string, name: string): KubeObject | undefined {
  return (kind === 'configmap' ? sources.configmaps : sources.secrets).get(`${namespace}/${name}`);
}

function hasKey(object: KubeObject, key: string): boolean {
  return Object.hasOwn((object.data as object | undefined) ?? {}, key) || Object.hasOwn((object.binaryData as object | undefined) ?? {}, key);
}

interface Reference { readonly kind: SourceKind; readonly name: string; readonly optional: boolean; readonly keys: readonly string[] }

function volumeReferences(spec: PodSpec): { volume: string; ref: Reference }[] {
  const out: { volume: string; ref: Reference }[] = [];
  for (const v of spec.volumes ?? []) {
    const keys = (items?: { key: string }[]) => (items ?? []).map((i) => i.key);
    if (v.configMap) out.push({ volume: v.name, ref: { kind: 'configmap', name: v.configMap.name ?? '', optional: !!v.configMap.optional, keys: keys(v.configMap.items) } });
    if (v.secret) out.push({ volume: v.name, ref: { kind: 'secret', name: v.secret.secretName ?? '', optional: !!v.secret.optional, keys: keys(v.secret.items) } });
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap) out.push({ volume: v.name, ref: { kind: 'configmap', name: s.configMap.name ?? '', optional: !!s.configMap.optional, keys: keys(s.configMap.items) } });
      if (s.secret) out.push({ volume: v.name, ref: { kind: 'secret', name: s.secret.name ?? '', optional: !!s.secret.optional, keys: keys(s.secret.items) } });
    }
  }
  return out;
}

/** Why the pod's volumes cannot be set up yet, as the kubelet's FailedMount event says it; null when they can. */
export function volumeMountProblem(spec: PodSpec, namespace: string, sources: ConfigSources): string | null {
  for (const { volume, ref } of volumeReferences(spec)) {
    const object = lookup(sources, ref.kind, namespace, ref.name);
    if (!object) {
      if (ref.optional) continue;
      return `MountVolume.SetUp failed for volume "${volume}" : ${ref.kind} "${ref.name}" not found`;
    }
    const missing = ref.keys.find((k) => !hasKey(object, k));
    if (missing !== undefined && !ref.optional) {
      return `MountVolume.SetUp failed for volume "${volume}" : ${ref.kind} references non-existent config key: ${missing}`;
    }
  }
  return null;
}

const KIND_NAME: Record<SourceKind, string> = { configmap: 'ConfigMap', secret: 'Secret' };

/** The CreateContainerConfigError message for the container's env, or null when every reference resolves. */
export function containerConfigProblem(container: Container, namespace: string, sources: ConfigSources): string | null {
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ? { kind: 'configmap' as const, ...from.configMapRef } : from.secretRef ? { kind: 'secret' as const, ...from.secretRef } : null;
    if (ref && !ref.optional && !lookup(sources, ref.kind, namespace, ref.name ?? '')) return `${ref.kind} "${ref.name}" not found`;
  }
  for (const env of container.env ?? []) {
    const from = env.valueFrom;
    const ref = from?.configMapKeyRef ? { kind: 'configmap' as const, ...from.configMapKeyRef } : from?.secretKeyRef ? { kind: 'secret' as const, ...from.secretKeyRef } : null;
    if (!ref || ref.optional) continue;
    const object = lookup(sources, ref.kind, namespace, ref.name ?? '');
    if (!object) return `${ref.kind} "${ref.name}" not found`;
    if (!hasKey(object, ref.key)) return `couldn't find key ${ref.key} in ${KIND_NAME[ref.kind]} ${namespace}/${ref.name}`;
  }
  return null;
}

/** The container's imagePullPolicy (the API server has defaulted it from the tag). */
export function pullPolicy(container: Container): 'Always' | 'IfNotPresent' | 'Never' {
  return (container.imagePullPolicy ?? defaultPullPolicy(container.image ?? '')) as 'Always' | 'IfNotPresent' | 'Never';
}
