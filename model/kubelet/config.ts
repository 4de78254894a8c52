// What a container needs before the kubelet can create it, with the kubelet's words
// for what is missing: the pod's volumes (volume manager: the pod waits in
// ContainerCreating), env and envFrom references (kuberuntime makeEnvironmentVariables:
// CreateContainerConfigError), a parseable image reference (InvalidImageName), and the
// image pull policy the API server defaulted from the tag. The volume manager sets up only
// the volumes a container mounts (desired_state_of_world_populator.go processPodVolumes skips
// the others); one it cannot even process (a missing PersistentVolumeClaim, a removed in-tree
// plugin) fails WaitForAttachAndMount (volume_manager.go), which SyncPod reports as a
// FailedMount event (kubelet.go); a ConfigMap or Secret it cannot find fails the mount itself
// (MountVolume.SetUp failed).
import type { Container, PodSpec, Volume } from 'kubernetes-types/core/v1.js';
import { defaultPullPolicy } from '../image-ref.ts';
import type { KubeObject } from '../resources.ts';
import { NON_FUNCTIONAL, sourceOf } from '../volume-sources.ts';

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

function volumeReferences(volumes: readonly Volume[]): { volume: string; ref: Reference }[] {
  const out: { volume: string; ref: Reference }[] = [];
  for (const v of volumes) {
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

/** util.GetPodVolumeNames: the volumes some container mounts (volumeMounts) or maps as a device (volumeDevices). */
function usedVolumes(spec: PodSpec): Volume[] {
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  const used = new Set(containers.flatMap((c) => [...(c.volumeMounts ?? []), ...(c.volumeDevices ?? [])].map((m) => m.name)));
  return (spec.volumes ?? []).filter((v) => used.has(v.name));
}

/** The volumes whose SetUp fails, each with the operation executor's FailedMount message. */
function setUpFailures(volumes: readonly Volume[], namespace: string, sources: ConfigSources): { volume: string; message: string }[] {
  const failures: { volume: string; message: string }[] = [];
  for (const { volume, ref } of volumeReferences(volumes)) {
    if (failures.some((f) => f.volume === volume)) continue;
    const object = lookup(sources, ref.kind, namespace, ref.name);
    if (!object) {
      if (!ref.optional) failures.push({ volume, message: `MountVolume.SetUp failed for volume "${volume}" : ${ref.kind} "${ref.name}" not found` });
      continue;
    }
    const missing = ref.keys.find((k) => !hasKey(object, k));
    if (missing !== undefined && !ref.optional) {
      failures.push({ volume, message: `MountVolume.SetUp failed for volume "${volume}" : ${ref.kind} references non-existent config key: ${missing}` });
    }
  }
  return failures;
}

/**
 * Why the desired state of world populator cannot take the volume, as its error says it: a
 * claim the API server does not have (every claim, until PersistentVolumeClaims are modelled),
 * or a source no volume plugin supports (an in-tree plugin Kubernetes removed). Null when it can.
 */
function processingError(volume: Volume, namespace: string): string | null {
  const claim = volume.persistentVolumeClaim?.claimName;
  if (claim !== undefined) {
    return `error processing PVC ${namespace}/${claim}: failed to fetch PVC from API server: persistentvolumeclaims "${claim}" not found`;
  }
  if (sourceOf(volume) in NON_FUNCTIONAL) return `failed to get Plugin from volumeSpec for volume "${volume.name}" err=no volume plugin matched`;
  return null;
}

/** Why the pod's volumes cannot be set up yet, as the kubelet's FailedMount event says it; null when they can. */
export function volumeMountProblem(spec: PodSpec, namespace: string, sources: ConfigSources): string | null {
  const volumes = usedVolumes(spec);
  const unprocessed = volumes.flatMap((v) => {
    const error = processingError(v, namespace);
    return error === null ? [] : [{ volume: v.name, error }];
  });
  const setUp = setUpFailures(volumes, namespace, sources);
  if (unprocessed.length === 0) return setUp[0]?.message ?? null;
  // WaitForAttachAndMount gives up at once on the populator's errors (PopPodErrors, sorted, joined by "; "),
  // naming the volumes not mounted, those not attached (none: nothing modelled attaches) and those not processed.
  const sorted = (names: readonly string[]) => [...names].sort().join(' ');
  const unmounted = [...unprocessed, ...setUp].map((u) => u.volume);
  return `Unable to attach or mount volumes: unmounted volumes=[${sorted(unmounted)}], unattached volumes=[], `
    + `failed to process volumes=[${sorted(unprocessed.map((u) => u.volume))}]: ${unprocessed.map((u) => u.error).sort().join('; ')}`;
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
