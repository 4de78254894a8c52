// The kinds of object the API server model stores, and the per-kind rules its
// registry applies: scope, naming, whether spec changes bump metadata.generation,
// whether status is a subresource, whether deletion is graceful.
// Follows the registry strategies in kubernetes/kubernetes pkg/registry/*/strategy.go.
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';

/** Any stored object, shaped as Kubernetes serialises it. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly [field: string]: unknown;
}

export type NameFormat = 'dns1123Subdomain' | 'dns1035Label' | 'dns1123Label';

export interface ResourceInfo {
  readonly kind: string;
  readonly apiVersion: string;
  /** Group-qualified resource name as error messages print it: "deployments.apps". */
  readonly qualified: string;
  /** Group-qualified kind as Invalid errors print it: "Deployment.apps". */
  readonly qualifiedKind: string;
  readonly namespaced: boolean;
  readonly nameFormat: NameFormat;
  /** metadata.generation is set on create and bumped when spec changes. */
  readonly generation: boolean;
  /** status is written only through the /status subresource. */
  readonly statusSubresource: boolean;
  /** DELETE sets deletionTimestamp and waits out a grace period (pods). */
  readonly gracefulDeletion: boolean;
}

function core(kind: string, plural: string, rest: Partial<ResourceInfo>): ResourceInfo {
  return { kind, apiVersion: 'v1', qualified: plural, qualifiedKind: kind, namespaced: true,
    nameFormat: 'dns1123Subdomain', generation: false, statusSubresource: false, gracefulDeletion: false, ...rest };
}
function apps(kind: string, plural: string): ResourceInfo {
  return { kind, apiVersion: 'apps/v1', qualified: `${plural}.apps`, qualifiedKind: `${kind}.apps`, namespaced: true,
    nameFormat: 'dns1123Subdomain', generation: true, statusSubresource: true, gracefulDeletion: false };
}

export const RESOURCES = {
  configmaps: core('ConfigMap', 'configmaps', {}),
  secrets: core('Secret', 'secrets', {}),
  // Pods carry metadata.generation since PodObservedGenerationTracking (beta, on by default in 1.34).
  pods: core('Pod', 'pods', { generation: true, statusSubresource: true, gracefulDeletion: true }),
  services: core('Service', 'services', { nameFormat: 'dns1035Label', statusSubresource: true }),
  endpoints: core('Endpoints', 'endpoints', {}),
  nodes: core('Node', 'nodes', { namespaced: false, statusSubresource: true }),
  namespaces: core('Namespace', 'namespaces', { namespaced: false, nameFormat: 'dns1123Label', statusSubresource: true }),
  leases: {
    kind: 'Lease', apiVersion: 'coordination.k8s.io/v1', qualified: 'leases.coordination.k8s.io', qualifiedKind: 'Lease.coordination.k8s.io',
    namespaced: true, nameFormat: 'dns1123Subdomain', generation: false, statusSubresource: false, gracefulDeletion: false,
  },
  deployments: apps('Deployment', 'deployments'),
  replicasets: apps('ReplicaSet', 'replicasets'),
} as const satisfies Record<string, ResourceInfo>;

export type Resource = keyof typeof RESOURCES;

/** The store's key for an object within its resource: "namespace/name", or "name" when cluster-scoped. */
export function objectKey(resource: Resource, namespace: string, name: string): string {
  return RESOURCES[resource].namespaced ? `${namespace}/${name}` : name;
}

export function keyOf(resource: Resource, object: KubeObject): string {
  return objectKey(resource, object.metadata.namespace ?? '', object.metadata.name ?? '');
}

/** The resource an apiVersion and kind map to (the REST mapping), if the model serves it. */
export function resourceFor(apiVersion: string, kind: string): Resource | undefined {
  return (Object.keys(RESOURCES) as Resource[]).find((r) => RESOURCES[r].kind === kind && RESOURCES[r].apiVersion === apiVersion);
}
