// Small builders for the objects and operations the built-in scenarios script.
import type { KubeObject } from '../model/resources.ts';
import type { UserOp } from './user.ts';

export function configMap(name: string, data: Record<string, string>, finalizers?: string[]): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(finalizers ? { finalizers } : {}) }, data };
}

export const create = (name: string, data: Record<string, string> = { v: '0' }, finalizers?: string[]): UserOp =>
  ({ op: 'create', resource: 'configmaps', namespace: 'default', object: configMap(name, data, finalizers) });
export const update = (name: string, patch: unknown): UserOp =>
  ({ op: 'update', resource: 'configmaps', namespace: 'default', name, patch });
export const remove = (name: string): UserOp => ({ op: 'delete', resource: 'configmaps', namespace: 'default', name });
export const wait = (ms: number): UserOp => ({ op: 'wait', ms });
