// Workload scenarios: controllers turning desired state into pods, through the API server,
// with the scheduler placing the pods and kubelets running them.
import type { KubeObject } from '../model/resources.ts';
import { NO_FAULTS } from '../model/system.ts';
import { nodeRegistered } from './cluster-up.ts';
import type { Scenario } from './scenario.ts';
import { createBound, node, unscheduledPod, wait } from './scheduling.ts';
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
  informers: [], scheduler: true, registry: ['nginx:1.25', 'nginx:1.26', 'nginx:1.12', 'nginx:1.13', 'mysql:5.7', 'wordpress-php:v4.0', 'wordpress-nginx:v1.0'], behaviours: [], settleMs: 360_000, faultRarity: 8,
  bounds: { faultsMax: 3, historyMax: 512, streamQueueMax: 128 },
} as const;

/**
 * The ReplicaSet controller alone: a ReplicaSet of 4 is scaled to 1, then to 3; the controller
 * creates and deletes pods through a lagging, dropping informer and failing writes, and restarts.
 */
export const replicaSetBasics: Scenario = {
  ...BASE,
  name: 'replicaset-basics',
  description: 'A ReplicaSet of 4 scaled to 1 then 3, on two nodes: the controller keeps exactly spec.replicas pods through informer lag, stalls, failed writes and its own restarts.',
  controllers: ['replicaset'],
  nodes: [node('node-1', '2', '4Gi'), node('node-2', '2', '4Gi')],
  users: [{
    name: 'alice',
    script: [
      { op: 'create', resource: 'replicasets', namespace: 'default', object: replicaSet('web', 4) },
      wait(5_000), scale('replicasets', 'web', 1),
      wait(5_000), scale('replicasets', 'web', 3),
    ],
  }],
  // No stale lists: after a restart, a list from a lagging API server replays the ADDED events of
  // older pods, which satisfy the new incarnation's expectations (they count creations, not
  // uids) before its own creations show up, and it creates again, as upstream does: see
  // test/schedules/stale-list-over-creation.json and its test in test/defects-controllers.test.ts.
  faults: { ...NO_FAULTS, controllerManagerRestart: true, requestFailure: ['controller'], watchDrop: true, stall: true },
  stepsMax: 120, convergeStepsMax: 4_000,
  goals: ['replicaSetReadyAfterControllerRestart'],
};

/** A Deployment of `replicas` small pods of `image` (container `nginx`), selecting app=`app`. */
export function deployment(name: string, image: string, replicas: number, app = name): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: {
      replicas, selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app } },
        spec: { containers: [{ name: 'nginx', image, resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
      },
    },
  };
}

/**
 * Two Deployments whose selectors overlap (both app=web), a misconfiguration kubectl does not
 * stop: each ReplicaSet's controllerRef and pod-template-hash keep each Deployment to its own
 * ReplicaSets and pods, so neither scales the other's down.
 */
export const overlappingDeployments: Scenario = {
  ...BASE,
  name: 'overlapping-deployments',
  description: 'Two Deployments selecting the same pods (app=web): controller references keep each to its own ReplicaSet, and both settle with their replicas.',
  controllers: ['deployment', 'replicaset'],
  nodes: [node('node-1', '2', '4Gi')],
  users: [{
    name: 'alice',
    script: [
      { op: 'create', resource: 'deployments', namespace: 'default', object: deployment('blue', 'nginx:1.25', 2, 'web') },
      { op: 'create', resource: 'deployments', namespace: 'default', object: deployment('green', 'nginx:1.26', 2, 'web') },
    ],
  }],
  faults: { ...NO_FAULTS, controllerManagerRestart: true, requestFailure: ['controller'], watchDrop: true },
  stepsMax: 100, convergeStepsMax: 4_000,
  goals: ['podBecomesReady'],
};

/**
 * A Deployment of `replicas` updated twice (nginx:1.25 -> 1.26 -> 1.27) on three nodes that
 * crash and get cut off, with the node lifecycle and taint eviction controllers running: the
 * benchmark's rollout case.
 */
export function rollingUpdateUnderNodeFailures(replicas: number): Scenario {
  return {
    ...BASE,
    name: `rolling-update-${replicas}`,
    description: `A Deployment of ${replicas} updated twice on three nodes that crash and get cut off.`,
    controllers: ['deployment', 'replicaset', 'node-lifecycle', 'taint-eviction'],
    nodes: [node('node-1', '4', '8Gi'), node('node-2', '4', '8Gi'), node('node-3', '4', '8Gi')],
    registry: [...BASE.registry, 'nginx:1.27'],
    users: [{
      name: 'alice',
      script: [
        { op: 'create', resource: 'deployments', namespace: 'default', object: deployment('web', 'nginx:1.25', replicas) },
        wait(20_000), { op: 'setImage', namespace: 'default', name: 'web', container: 'nginx', image: 'nginx:1.26' },
        wait(20_000), { op: 'setImage', namespace: 'default', name: 'web', container: 'nginx', image: 'nginx:1.27' },
      ],
    }],
    faults: { ...NO_FAULTS, nodeCrash: true, nodePartition: true, outagesLastUntilHealed: true },
    stepsMax: 400, convergeStepsMax: 10_000,
    goals: ['rolloutCompletes'],
  };
}

/** The Deployment with the Recreate strategy. */
const recreate = (d: KubeObject): KubeObject => ({ ...d, spec: { ...(d.spec as object), strategy: { type: 'Recreate' } } });
const setImage = (name: string, image: string): UserOp => ({ op: 'setImage', namespace: 'default', name, container: 'nginx', image });
const setPaused = (name: string, paused: boolean): UserOp => ({ op: 'update', resource: 'deployments', namespace: 'default', name, patch: { spec: { paused } } });

/**
 * What else a user does to Deployments: `kubectl scale` in the middle of a rollout (the
 * controller spreads the change over the old and new ReplicaSets in proportion), `kubectl
 * rollout pause`, a new image while paused (nothing rolls out), `kubectl rollout resume`; and a
 * Recreate Deployment updated (every old pod gone before a new one starts).
 */
export const deploymentOperations: Scenario = {
  ...BASE,
  name: 'deployment-operations',
  description: 'A Deployment scaled mid-rollout (proportional scaling), paused, updated while paused, resumed; and a Recreate Deployment updated.',
  controllers: ['deployment', 'replicaset'],
  nodes: [node('node-1', '2', '4Gi'), node('node-2', '2', '4Gi')],
  registry: [...BASE.registry, 'nginx:1.27'],
  users: [
    {
      name: 'alice',
      script: [
        { op: 'create', resource: 'deployments', namespace: 'default', object: deployment('web', 'nginx:1.25', 4) },
        wait(20_000), setImage('web', 'nginx:1.26'), scale('deployments', 'web', 6),
        wait(30_000), setPaused('web', true), setImage('web', 'nginx:1.27'),
        wait(20_000), setPaused('web', false),
      ],
    },
    {
      name: 'bob',
      script: [
        { op: 'create', resource: 'deployments', namespace: 'default', object: recreate(deployment('db', 'nginx:1.25', 1)) },
        wait(20_000), setImage('db', 'nginx:1.26'),
      ],
    },
  ],
  // Stalls too: a controller-manager whose pods watch waits past the ReplicaSet controller's
  // 5-minute expectations is where upstream's expired expectations miscount (kept as a schedule).
  faults: { ...NO_FAULTS, controllerManagerRestart: true, requestFailure: ['controller'], watchDrop: true, stall: true },
  stepsMax: 200, convergeStepsMax: 8_000,
  goals: ['rolloutCompletes', 'proportionalScalingHappens'],
};

/**
 * `kubectl drain node-1`: refused while a pod no controller manages runs there (kubectl's
 * "cannot delete Pods that declare no controller"), then `--force`: the node is cordoned, its
 * pods deleted, and the ReplicaSet's are replaced on node-2 while the controller-manager
 * restarts and its writes fail.
 */
export const nodeDrain: Scenario = {
  ...BASE,
  name: 'node-drain',
  description: 'kubectl drain refused for an unmanaged pod, then forced: the node is cordoned and emptied, and the ReplicaSet\'s pods come back on the other node.',
  controllers: ['replicaset'],
  nodes: [node('node-1', '2', '4Gi'), node('node-2', '2', '4Gi')],
  users: [{
    name: 'alice',
    script: [
      { op: 'create', resource: 'replicasets', namespace: 'default', object: replicaSet('web', 3) },
      createBound(unscheduledPod('standalone', '100m', '64Mi'), 'node-1'),
      // kubectl wait --for=create before the drain: node-1's kubelet may not have registered it yet.
      wait(20_000), nodeRegistered('node-1'), { op: 'drain', node: 'node-1', force: false },
      wait(5_000), { op: 'drain', node: 'node-1', force: true },
    ],
  }],
  faults: { ...NO_FAULTS, controllerManagerRestart: true, requestFailure: ['controller'], watchDrop: true },
  stepsMax: 120, convergeStepsMax: 4_000,
  goals: ['drainEvictsManagedPods'],
};

/**
 * A watch-drop storm on the controller-manager: its informers' watches drop, fail and outlive
 * the store's compaction, again and again, while a Deployment behind a Service rolls out; every
 * informer relists (410 Gone after compaction), and the Deployment, its ReplicaSet and the
 * Service's Endpoints still converge.
 */
export const watchStorm: Scenario = {
  ...BASE,
  name: 'watch-storm',
  description: 'Watches of the controller-manager drop, fail and hit 410 Gone again and again while a Deployment behind a Service rolls out: everything relists and converges.',
  controllers: ['deployment', 'replicaset', 'endpoints'],
  nodes: [node('node-1', '2', '4Gi')],
  users: [{
    name: 'alice',
    script: [
      { op: 'create', resource: 'deployments', namespace: 'default', object: deployment('web', 'nginx:1.25', 3) },
      {
        op: 'create', resource: 'services', namespace: 'default',
        object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
      },
      wait(10_000), setImage('web', 'nginx:1.26'),
    ],
  }],
  faults: { ...NO_FAULTS, watchDrop: true, watchError: true, compaction: true },
  faultRarity: 2,
  bounds: { ...BASE.bounds, faultsMax: 10, historyMax: 64 },
  stepsMax: 150, convergeStepsMax: 6_000,
  goals: ['watchDropLeadsToRelist', 'goneForcesRelist', 'rolloutCompletes'],
};
