// The volumes of a manifest's pods (a Pod's, or a Deployment's or ReplicaSet's template) as
// loading judges them: a source kubeprop does not model is set apart with its field path and
// reason, and the object is given without it (and without the volumeMounts and volumeDevices
// that name it), for a caller that goes on without what is unmodelled; a removed in-tree
// plugin gets the API server's warning (pkg/api/pod/warnings.go), as `kubectl create` prints it.
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject, Resource } from '../../model/resources.ts';
import { NON_FUNCTIONAL, sourceOf, unmodelledSource } from '../../model/volume-sources.ts';
import { fieldPath } from '../strict-decoding.ts';
import { podSpecPath, valueAt } from './pod-spec-path.ts';
import type { PathSegment } from './yaml-source.ts';

export interface VolumeFinding {
  /** Where, inside the object: ['spec', 'volumes', 0, 'nfs']. */
  readonly path: readonly PathSegment[];
  /** `volume type nfs is not modelled by kubeprop`; for a warning, the API server's whole text. */
  readonly message: string;
}

export interface PodVolumes {
  /** The object without its unmodelled volumes. */
  readonly object: KubeObject;
  /** One per unmodelled volume, at its source's field. */
  readonly unmodelled: readonly VolumeFinding[];
  /** The API server's warnings about the volumes: `spec.volumes[0].glusterfs: deprecated in v1.25, non-functional in v1.26+`. */
  readonly warnings: readonly VolumeFinding[];
}

function withSpecAt(value: unknown, path: readonly PathSegment[], spec: PodSpec): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return spec;
  const parent = value as Record<PathSegment, unknown>;
  return { ...parent, [head]: withSpecAt(parent[head], rest, spec) };
}

function withoutMounts(c: Container, dropped: ReadonlySet<string>): Container {
  return {
    ...c,
    ...(c.volumeMounts ? { volumeMounts: c.volumeMounts.filter((m) => !dropped.has(m.name)) } : {}),
    ...(c.volumeDevices ? { volumeDevices: c.volumeDevices.filter((d) => !dropped.has(d.name)) } : {}),
  };
}

export function podVolumes(resource: Resource, object: KubeObject): PodVolumes {
  const at = podSpecPath(resource);
  const spec = at && (valueAt(object, at) as PodSpec | undefined);
  if (!at || !spec?.volumes) return { object, unmodelled: [], warnings: [] };
  const unmodelled: VolumeFinding[] = [];
  const warnings: VolumeFinding[] = [];
  const dropped = new Set<string>();
  spec.volumes.forEach((volume, i) => {
    const volumePath = [...at, 'volumes', i];
    const removed = NON_FUNCTIONAL[sourceOf(volume)];
    if (removed) warnings.push({ path: [...volumePath, sourceOf(volume)], message: `${fieldPath([...volumePath, removed.field])}: ${removed.warning}` });
    const problem = unmodelledSource(volume);
    if (!problem) return;
    const path = [...volumePath, ...problem.path];
    unmodelled.push({ path, message: problem.reason });
    dropped.add(volume.name);
  });
  if (dropped.size === 0) return { object, unmodelled, warnings };
  const kept: PodSpec = {
    ...spec,
    volumes: spec.volumes.filter((v) => !dropped.has(v.name)),
    containers: spec.containers.map((c) => withoutMounts(c, dropped)),
    ...(spec.initContainers ? { initContainers: spec.initContainers.map((c) => withoutMounts(c, dropped)) } : {}),
  };
  return { object: withSpecAt(object, at, kept) as KubeObject, unmodelled, warnings };
}
