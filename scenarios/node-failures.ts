// Node failure: nodes crash or are cut off from the API server while a workload runs on them.
// The node lifecycle controller notices the silence (Ready Unknown 50 s after the last heartbeat it
// saw), taints the node NoExecute at its zone's rate, or not at all when every node is down (master
// disruption mode); the taint-eviction controller deletes the pods that tolerate the taint only for
// a while, and the ReplicaSet controller replaces them on the nodes left (upstream
// pkg/controller/nodelifecycle and pkg/controller/tainteviction). The pods tolerate not-ready and
// unreachable for 10 s (users set this to fail over fast, and it keeps a run short); without it
// DefaultTolerationSeconds gives them 300 s. An outage lasts until faults heal: were its recovery
// one more action to choose, it would compete evenly with each 5 s tick, and no node would stay
// silent the 50 s it takes to be noticed.
import type { Toleration } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../model/resources.ts';
import { NO_FAULTS } from '../model/system.ts';
import type { Scenario } from './scenario.ts';
import { createBound, node, unscheduledPod, wait } from './scheduling.ts';
import { replicaSet } from './workloads.ts';

/** How long the pods stay on a not-ready or unreachable node once it is tainted. */
const TOLERATION_SECONDS = 10;

const TOLERATIONS: readonly Toleration[] = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'].map((key) => ({
  key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: TOLERATION_SECONDS,
}));

/** The workload's object with the short tolerations in its pod template. */
function tolerating(object: KubeObject): KubeObject {
  const spec = object.spec as { template: { spec: object } };
  return { ...object, spec: { ...spec, template: { ...spec.template, spec: { ...spec.template.spec, tolerations: TOLERATIONS } } } };
}

/** A Deployment of `replicas` nginx:1.25 pods labelled app=`name`, rolling 1 pod at a time. */
function deployment(name: string, replicas: number): KubeObject {
  const { spec } = replicaSet(name, replicas);
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: { ...(spec as object), strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } },
  };
}

/**
 * What node-failure scenarios share: the node faults, outages that last until healed, and six
 * minutes to settle (a node that comes back is untainted at the controller's next pass; pods
 * evicted from a node cut off stay Terminating until its kubelet can confirm them gone). All
 * nodes are in one zone (no zone label).
 */
const BASE = {
  informers: [], scheduler: true, registry: ['nginx:1.25', 'nginx:1.26'], behaviours: [], settleMs: 360_000, faultRarity: 8,
  faults: { ...NO_FAULTS, nodeCrash: true, nodePartition: true, outagesLastUntilHealed: true },
  bounds: { faultsMax: 3, historyMax: 512, streamQueueMax: 128 },
} as const;

/**
 * A ReplicaSet of 3 on two nodes that may crash or be cut off, and a third whose machine is gone for
 * good (an API object only: it never renews its lease). The pods placed there are evicted once it
 * goes Unknown and replaced on the live nodes; they stay Terminating, as no kubelet is left to
 * confirm their end (upstream, until someone deletes the Node). With both live nodes down every node
 * is, and no pod may be evicted.
 */
export const nodeFailure: Scenario = {
  ...BASE,
  nodes: [node('node-1', '2', '4Gi'), node('node-2', '2', '4Gi'), node('node-3', '2', '4Gi', { kubelet: false })],
  name: 'node-failure',
  description: 'A ReplicaSet of 3 tolerating unreachable for 10 s, on two nodes that crash or are cut off and one gone for good: the node lifecycle controller taints a silent node, its pods are evicted and replaced elsewhere, and no pod is evicted while every node is down.',
  controllers: ['replicaset', 'node-lifecycle', 'taint-eviction'],
  users: [{ name: 'alice', script: [{ op: 'create', resource: 'replicasets', namespace: 'default', object: tolerating(replicaSet('web', 3)) }] }],
  stepsMax: 300, convergeStepsMax: 6_000,
  goals: ['evictionReplacesPod'],
};

/**
 * A Deployment of 3 on three nodes, its image set after 20 s while nodes may crash or be cut off: a
 * new pod bound to a node gone silent holds the rollout (maxUnavailable 0) until it is evicted and
 * replaced, or the node comes back.
 */
export const nodeFailureMidRollout: Scenario = {
  ...BASE,
  nodes: [node('node-1', '2', '4Gi'), node('node-2', '2', '4Gi'), node('node-3', '2', '4Gi')],
  name: 'node-failure-mid-rollout',
  description: 'A Deployment of 3 tolerating unreachable for 10 s is rolled from nginx:1.25 to 1.26 while nodes crash or are cut off: the rollout completes once the failed node\'s pods are replaced.',
  controllers: ['deployment', 'replicaset', 'node-lifecycle', 'taint-eviction'],
  users: [{
    name: 'alice',
    script: [
      { op: 'create', resource: 'deployments', namespace: 'default', object: tolerating(deployment('web', 3)) },
      wait(20_000), { op: 'setImage', namespace: 'default', name: 'web', container: 'nginx', image: 'nginx:1.26' },
    ],
  }],
  stepsMax: 300, convergeStepsMax: 6_000,
  goals: ['nodeFailsMidRolloutAndCompletes'],
};

/**
 * The control plane cut off from every node: two nodes that are API objects only (no kubelet's
 * heartbeat ever reaches the API server), each with a pod bound by hand. Both go Unknown together,
 * so the node lifecycle controller enters master disruption mode and nothing is evicted.
 */
export const nodeFailureEveryNode: Scenario = {
  ...BASE,
  name: 'node-failure-every-node',
  description: 'Two nodes no kubelet heartbeat reaches, each with a pod tolerating unreachable for 10 s: every node goes Unknown, the node lifecycle controller enters master disruption mode, and no pod is evicted.',
  nodes: [node('node-1', '2', '4Gi', { kubelet: false }), node('node-2', '2', '4Gi', { kubelet: false })],
  scheduler: false,
  controllers: ['node-lifecycle', 'taint-eviction'],
  users: [{
    name: 'alice',
    script: ['a', 'b'].map((name, i) => createBound(unscheduledPod(name, '100m', '128Mi', { tolerations: [...TOLERATIONS] }), `node-${i + 1}`)),
  }],
  faults: NO_FAULTS,
  bounds: { ...BASE.bounds, faultsMax: 0 },
  stepsMax: 120, convergeStepsMax: 2_000,
  goals: [],
};
