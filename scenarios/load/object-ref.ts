// `kind/name` as kubectl takes it on its command line: `deployment/web`, `po/web-0`, `node/node-1`.
import { RESOURCES, type Resource } from '../../model/resources.ts';
import type { ObjectRef } from '../wait-condition.ts';
import type { Field } from './field.ts';

/** kubectl's names for each resource the model stores: plural, singular and short names. */
const ALIASES: Readonly<Record<string, Resource>> = {
  pod: 'pods', pods: 'pods', po: 'pods',
  deployment: 'deployments', deployments: 'deployments', deploy: 'deployments',
  replicaset: 'replicasets', replicasets: 'replicasets', rs: 'replicasets',
  service: 'services', services: 'services', svc: 'services',
  configmap: 'configmaps', configmaps: 'configmaps', cm: 'configmaps',
  secret: 'secrets', secrets: 'secrets',
  node: 'nodes', nodes: 'nodes', no: 'nodes',
  namespace: 'namespaces', namespaces: 'namespaces', ns: 'namespaces',
  endpoints: 'endpoints', ep: 'endpoints',
  lease: 'leases', leases: 'leases',
};

/** The object `field` names, in `namespace` unless the resource is cluster-scoped; `only` limits the kinds. */
export function objectRef(field: Field, namespace: string, only?: readonly Resource[]): ObjectRef | undefined {
  const text = field.string();
  if (text === undefined) return undefined;
  const m = /^([a-z]+)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(text);
  const resource = m ? ALIASES[m[1]!] : undefined;
  if (!m || resource === undefined) {
    return field.problem(`must name an object as kind/name (pod/web-0, deployment/web, node/node-1), got ${JSON.stringify(text)}`);
  }
  if (only && !only.includes(resource)) return field.problem(`must name a ${only.map((r) => RESOURCES[r].kind).join(' or ')}, got ${JSON.stringify(text)}`);
  return { resource, namespace: RESOURCES[resource].namespaced ? namespace : '', name: m[2]! };
}
