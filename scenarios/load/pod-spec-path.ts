// Where a manifest's pod spec is: a Pod's own, or the template of a Deployment or ReplicaSet
// (the kinds the model stores that carry one).
import type { KubeObject, Resource } from '../../model/resources.ts';
import type { PathSegment } from './yaml-source.ts';

/** The path of the object's pod spec, or null for a kind without one. */
export function podSpecPath(resource: Resource): readonly PathSegment[] | null {
  if (resource === 'pods') return ['spec'];
  return resource === 'deployments' || resource === 'replicasets' ? ['spec', 'template', 'spec'] : null;
}

/** The value at `path` in the object, or undefined where the path leaves it. */
export function valueAt(object: KubeObject | Record<string, unknown>, path: readonly PathSegment[]): unknown {
  let value: unknown = object;
  for (const segment of path) value = typeof value === 'object' && value !== null ? (value as Record<PathSegment, unknown>)[segment] : undefined;
  return value;
}
