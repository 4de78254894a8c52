// Builders for the pod scenarios: one node, pods created already bound to it (as a pod
// that bypasses the scheduler is), and the bounds those scenarios share.
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../model/resources.ts';
import { readManifests } from './manifests.ts';
import type { NodeDefinition } from './scenario.ts';
import type { UserOp } from './user.ts';

export const NODE: NodeDefinition = { name: 'node-1', allocatable: { cpu: '4', memory: '8Gi', pods: 110 } };

function onNode(pod: KubeObject, node: string): KubeObject {
  return { ...pod, spec: { ...(pod.spec as object), nodeName: node } };
}

export const createPod = (pod: KubeObject): UserOp => ({ op: 'create', resource: 'pods', namespace: 'default', object: onNode(pod, NODE.name) });
export const createObject = (resource: 'secrets' | 'configmaps', object: KubeObject): UserOp => ({ op: 'create', resource, namespace: 'default', object });
export const deletePod = (name: string): UserOp => ({ op: 'delete', resource: 'pods', namespace: 'default', name });

/** The first object of a seed manifest. */
export function manifest(file: string): KubeObject {
  return readManifests(file)[0]!;
}

/**
 * What every pod scenario shares: no informers of its own, one node, five minutes to
 * settle, and faults rarer than ordinary steps, so a node crash or kubelet restart tends to
 * strike after pods have started rather than before.
 */
export const POD_SCENARIO_BASE = {
  informers: [], nodes: [NODE], settleMs: 300_000, faultRarity: 8,
  bounds: { faultsMax: 2, historyMax: 256, streamQueueMax: 64 },
} as const;

/** A pod with one container, `main`, running `image` unless `containers` says otherwise. */
export function pod(name: string, spec: Partial<PodSpec> & { image?: string }): KubeObject {
  const { image = 'nginx:1.25', ...rest } = spec;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: name } }, spec: { containers: [{ name: 'main', image }], ...rest } };
}

export const READINESS = { readinessProbe: { httpGet: { path: '/healthz', port: 80 }, periodSeconds: 5 } };
