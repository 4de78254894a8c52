// Workload scenarios: controllers turning desired state into pods, through the API server,
// with the scheduler placing the pods and kubelets running them.
import type { KubeObject } from '../model/resources.ts';
import { NO_FAULTS } from '../model/system.ts';
import type { Scenario } from './scenario.ts';
import { node, wait } from './scheduling.ts';
import type { UserOp } from './user.ts';

/** A ReplicaSet of `replicas` nginx pods labelled app=`name`. */
export function replicaSet(name: string, replicas: number): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name },
    spec: {
      replicas, selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
      },
    },
  };
}

const scale = (resource: 'replicasets' | 'deployments', name: string, replicas: number): UserOp =>
  ({ op: 'update', resource, namespace: 'default', name, patch: { spec: { replicas } } });

/** What workload scenarios share: scheduler and kubelets on, six minutes to settle (see scheduling.ts BASE). */
const BASE = {
  informers: [], scheduler: true, registry: ['nginx:1.25', 'nginx:1.26'], behaviours: [], settleMs: 360_000, faultRarity: 8,
  bounds: { faultsMax: 3, historyMax: 512, streamQueueMax: 128 },
} as const;

/**
 * The ReplicaSet controller alone: a ReplicaSet of 3 is scaled to 5, then to 1, while a pod
 * of it is deleted by hand; the controller re-creates and deletes pods through a lagging,
 * dropping informer and failing writes, and restarts.
 */
export const replicaSetBasics: Scenario = {
  ...BASE,
  name: 'replicaset-basics',
  description: 'A ReplicaSet of 3 scaled to 5 then 1, on two nodes: the controller keeps exactly spec.replicas pods through informer lag, failed writes and its own restarts.',
  controllers: ['replicaset'],
  nodes: [node('node-1', '2', '4Gi'), node('node-2', '2', '4Gi')],
  users: [{
    name: 'alice',
    script: [
      { op: 'create', resource: 'replicasets', namespace: 'default', object: replicaSet('web', 3) },
      wait(5_000), scale('replicasets', 'web', 5),
      wait(5_000), scale('replicasets', 'web', 1),
    ],
  }],
  faults: { ...NO_FAULTS, controllerManagerRestart: true, requestFailure: ['controller'], watchDrop: true, staleList: true },
  stepsMax: 120, convergeStepsMax: 4_000,
  goals: [],
};
