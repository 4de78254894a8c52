// Scheduling scenarios: pods created without a node, a scheduler that places them, and
// kubelets that run them. Each of the first ones drives one filter; scheduling-basics runs
// them together with the scheduler's faults.
import type { PodSpec, Taint } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../model/resources.ts';
import { NO_FAULTS } from '../model/system.ts';
import { nodeRegistered } from './cluster-up.ts';
import type { NodeDefinition, Scenario } from './scenario.ts';
import type { UserOp } from './user.ts';

/** A node of `cpu` cores and `memory`, 110 pods. */
export function node(name: string, cpu: string, memory: string, extra: Partial<NodeDefinition> = {}): NodeDefinition {
  return { name, allocatable: { cpu, memory, pods: 110 }, ...extra };
}

/** A pod for the scheduler (no spec.nodeName), one container `main` requesting `cpu` and `memory`. */
export function unscheduledPod(name: string, cpu: string, memory: string, spec: Partial<PodSpec> = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: name } },
    spec: { containers: [{ name: 'main', image: 'nginx:1.25', resources: { requests: { cpu, memory } } }], ...spec },
  };
}

export const create = (pod: KubeObject): UserOp => ({ op: 'create', resource: 'pods', namespace: 'default', object: pod });
/** A pod bound by hand, bypassing the scheduler: only the kubelet's admission stands between it and an overcommitted node. */
export const createBound = (pod: KubeObject, node: string): UserOp => create({ ...pod, spec: { ...(pod.spec as object), nodeName: node } });
export const remove = (name: string): UserOp => ({ op: 'delete', resource: 'pods', namespace: 'default', name });
export const wait = (ms: number): UserOp => ({ op: 'wait', ms });
export const patchNode = (name: string, patch: unknown): UserOp => ({ op: 'update', resource: 'nodes', namespace: '', name, patch });

const DEDICATED: Taint = { key: 'dedicated', value: 'db', effect: 'NoSchedule' };

/**
 * What scheduling scenarios share: the scheduler on, nothing preloaded, bounds for a few nodes.
 * Six minutes to settle: a pod the scheduler parked as unschedulable is retried at the latest
 * after 5 minutes (flushUnschedulablePodsLeftover), which is when a PodScheduled message written
 * from a stale informer copy gets corrected.
 */
const BASE = {
  informers: [], scheduler: true, registry: ['nginx:1.25'], behaviours: [], settleMs: 360_000, faultRarity: 8,
  bounds: { faultsMax: 3, historyMax: 256, streamQueueMax: 64 },
  stepsMax: 80, convergeStepsMax: 3_000,
} as const;

/**
 * Resource fit: two nodes of 2 cpu take four pods of 1 cpu; the fifth waits as
 * unschedulable ("Insufficient cpu") until a pod is deleted, then takes its place; a pod of
 * 3 cpu fits no node at all.
 */
export const schedulingResources: Scenario = {
  ...BASE,
  name: 'scheduling-resources',
  description: 'Two 2-cpu nodes, five 1-cpu pods: the fifth waits with "Insufficient cpu" until one is deleted; a 3-cpu pod never fits, and one bound by hand is rejected by the kubelet (OutOfcpu).',
  nodes: [node('node-1', '2', '4Gi'), node('node-2', '2', '4Gi')],
  users: [{
    name: 'alice',
    script: [
      ...['a', 'b', 'c', 'd', 'e'].map((n) => create(unscheduledPod(n, '1', '1Gi'))),
      create(unscheduledPod('huge', '3', '1Gi')),
      createBound(unscheduledPod('bypass', '3', '1Gi'), 'node-1'),
      wait(20_000), remove('a'),
    ],
  }],
  faults: { ...NO_FAULTS, schedulerRestart: true, requestFailure: ['scheduler'], staleList: true, watchDrop: true },
  // A refused binding needs a fault at one of a few steps; a scheduler restart, always on offer,
  // takes a share of the budget and then 16 s without scheduling. Five faults over 150 steps
  // refuse a binding that is then retried in about a tenth of the runs (6-12% over seeds 1-4).
  bounds: { ...BASE.bounds, faultsMax: 5 },
  stepsMax: 150,
  goals: ['podScheduledAfterWaiting', 'bindFailureRetried'],
};

/**
 * Taints, tolerations, node selectors, required node affinity and cordons: a database pod
 * that tolerates the dedicated node and selects it by label; web pods that must stay off it;
 * a pod that selects a label no node has until one is labelled; a pod that requires the zone
 * of the cordoned node, until it is uncordoned.
 */
export const schedulingPlacement: Scenario = {
  ...BASE,
  name: 'scheduling-placement',
  description: 'A tainted dedicated node, a labelled one, a cordoned one in another zone: pods land where their tolerations, selectors, required affinity and the cordon allow.',
  nodes: [
    node('node-1', '4', '8Gi', { labels: { 'topology.kubernetes.io/zone': 'zone-a' } }),
    node('node-2', '4', '8Gi', { labels: { disktype: 'ssd', 'topology.kubernetes.io/zone': 'zone-a' }, taints: [DEDICATED] }),
    node('node-3', '4', '8Gi', { labels: { 'topology.kubernetes.io/zone': 'zone-b' }, unschedulable: true }),
  ],
  users: [{
    name: 'alice',
    script: [
      create(unscheduledPod('db', '1', '1Gi', { nodeSelector: { disktype: 'ssd' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] })),
      create(unscheduledPod('web-1', '1', '1Gi')),
      create(unscheduledPod('web-2', '1', '1Gi')),
      create(unscheduledPod('gpu', '1', '1Gi', { nodeSelector: { accelerator: 'gpu' } })),
      create(unscheduledPod('zonal', '1', '1Gi', {
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-b'] }] }] } } },
      })),
      // kubectl wait --for=create before touching a node: its kubelet may not have registered it yet.
      wait(10_000), nodeRegistered('node-3'), patchNode('node-3', { spec: { unschedulable: null } }),
      nodeRegistered('node-1'), patchNode('node-1', { metadata: { labels: { accelerator: 'gpu' } } }),
    ],
  }],
  faults: { ...NO_FAULTS, schedulerRestart: true },
  goals: ['podScheduledAfterWaiting'],
};

/**
 * Nodes come and go: a cluster too small for its pods until a node joins; a node tainted
 * NoSchedule mid-run, which keeps new pods off it but leaves its pods running (no NoExecute);
 * a node deleted from the API server, whose pods the scheduler then no longer counts; and
 * a node cordoned, which keeps its pods too.
 */
export const schedulingNodeChurn: Scenario = {
  ...BASE,
  name: 'scheduling-node-churn',
  description: 'A 2-cpu node is full until node-2 joins; node-1 is then tainted NoSchedule, an API-only node-3 deleted and node-2 cordoned: pods follow the nodes.',
  nodes: [
    node('node-1', '2', '4Gi'),
    node('node-2', '2', '4Gi', { startsDown: true }),
    node('node-3', '1', '2Gi', { kubelet: false }),
  ],
  users: [{
    name: 'alice',
    script: [
      ...['a', 'b', 'c', 'd'].map((n) => create(unscheduledPod(n, '1', '1Gi'))),
      // kubectl wait --for=create before touching a node: node-1's kubelet may not have registered it yet, and node-2 joins later.
      wait(10_000), nodeRegistered('node-1'), patchNode('node-1', { spec: { taints: [{ key: 'maintenance', value: 'true', effect: 'NoSchedule' }] } }),
      create(unscheduledPod('e', '500m', '512Mi')),
      { op: 'delete', resource: 'nodes', namespace: '', name: 'node-3' },
      create(unscheduledPod('f', '500m', '512Mi')),
      nodeRegistered('node-2'), patchNode('node-2', { spec: { unschedulable: true } }),
    ],
  }],
  faults: { ...NO_FAULTS, schedulerRestart: true, requestFailure: ['scheduler'] },
  goals: ['podScheduledAfterWaiting'],
};

const webOnPort8080 = (name: string) => unscheduledPod(name, '100m', '128Mi', {
  containers: [{ name: 'main', image: 'nginx:1.25', ports: [{ containerPort: 80, hostPort: 8080 }] }],
});

/** Host ports: two pods want port 8080 on the only node; one waits until the other is deleted. */
export const schedulingHostPorts: Scenario = {
  ...BASE,
  name: 'scheduling-host-ports',
  description: 'Two pods want host port 8080 on one node: the second waits ("didn\'t have free ports") until the first is deleted; one bound there by hand is rejected by the kubelet (NodePorts) if the port is taken.',
  nodes: [node('node-1', '4', '8Gi')],
  users: [{
    name: 'alice',
    script: [
      ...['first', 'second'].map((n) => create(webOnPort8080(n))),
      createBound(webOnPort8080('squatter'), 'node-1'),
      wait(15_000), remove('first'),
    ],
  }],
  faults: { ...NO_FAULTS, schedulerRestart: true, requestFailure: ['scheduler'] },
  goals: ['podScheduledAfterWaiting'],
};

/**
 * Scheduling at scale, for the benchmark: `nodeCount` API-only nodes (4 cpu, 16 GiB, 110 pods
 * each, as scheduler_perf's fake nodes are), and `podCount` pods of 100m / 128 MiB arriving.
 */
export function schedulingAtScale(nodeCount: number, podCount: number): Scenario {
  return {
    ...BASE,
    name: `scheduling-at-scale-${nodeCount}x${podCount}`,
    description: `${podCount} pods arriving at ${nodeCount} nodes that exist only in the API server.`,
    nodes: Array.from({ length: nodeCount }, (_, i) => node(`node-${String(i).padStart(4, '0')}`, '4', '16Gi', { kubelet: false })),
    users: [{ name: 'alice', script: Array.from({ length: podCount }, (_, i) => create(unscheduledPod(`pod-${i}`, '100m', '128Mi'))) }],
    faults: NO_FAULTS,
    bounds: { faultsMax: 0, historyMax: 4 * podCount, streamQueueMax: 4 * podCount },
    stepsMax: 0,
    convergeStepsMax: 20 * podCount,
    settleMs: 0,
    goals: [],
  };
}
