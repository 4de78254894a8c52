// The scheduler's own rules, on their own: the FitError message (upstream's test strings),
// how many nodes a cycle filters, the queue's backoff, host-port conflicts, one cycle's
// choice among nodes, a Score plugin's error, and the feature gates the scheduler runs with.
import type { Node, Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURE_GATES, type FeatureGates } from '../model/feature-gates.ts';
import { initialSnapshot } from '../model/machine-runner.ts';
import { PMap } from '../model/pmap.ts';
import type { KubeObject } from '../model/resources.ts';
import { setNode } from '../model/scheduler/cache.ts';
import type { SchedulerContext } from '../model/scheduler/context.ts';
import { numFeasibleNodesToFind, scheduleCycle, type Profile } from '../model/scheduler/cycle.ts';
import { fitErrorMessage } from '../model/scheduler/fit-error.ts';
import { DEFAULT_PROFILE, scheduleOne, schedulerMachine } from '../model/scheduler/machine.ts';
import { nodeResourcesFitScorePlugin, type NodeView } from '../model/scheduler/plugins.ts';
import { backoffMs, enqueueActive, newQueuedPod } from '../model/scheduler/queue.ts';
import { portsConflict } from '../model/semantics/node-ports.ts';
import { newNodeInfo } from '../model/semantics/resource-fit.ts';
import { DEFAULT_FEATURES } from '../model/semantics/scheduler-framework.ts';

describe('the FitError message', () => {
  it('counts each reason once per node, sorts the entries as strings, and adds the preemption verdict', () => {
    const message = fitErrorMessage([
      { plugin: 'NodeResourcesFit', code: 'Unschedulable', reasons: ['Insufficient cpu'] },
      { plugin: 'TaintToleration', code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {dedicated: db}'] },
      { plugin: 'TaintToleration', code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {dedicated: db}'] },
      { plugin: 'NodeResourcesFit', code: 'Unschedulable', reasons: ['Insufficient cpu', 'Insufficient memory'] },
    ]);
    // upstream default_preemption_test.go: "preemption: 0/4 nodes are available: 2 Insufficient cpu, 2 Preemption is not helpful for scheduling."
    expect(message).toBe('0/4 nodes are available: 1 Insufficient memory, 2 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: db}. '
      + 'preemption: 0/4 nodes are available: 2 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.');
  });

  it('sorts "10 x" before "2 x", as Go\'s sort.Strings does', () => {
    const rejections = Array.from({ length: 12 }, (_, i) => ({
      plugin: 'NodeResourcesFit', code: 'Unschedulable' as const, reasons: [i < 10 ? 'Too many pods' : 'Insufficient cpu'],
    }));
    expect(fitErrorMessage(rejections)).toBe('0/12 nodes are available: 10 Too many pods, 2 Insufficient cpu. '
      + 'preemption: 0/12 nodes are available: 12 No preemption victims found for incoming pod.');
  });
});

describe('numFeasibleNodesToFind (adaptive percentageOfNodesToScore)', () => {
  it.each([[10, 10], [99, 99], [100, 100], [500, 230], [1000, 420], [5000, 500], [6000, 300]])('%i nodes: %i', (nodes, wanted) => {
    expect(numFeasibleNodesToFind(nodes)).toBe(wanted);
  });
});

describe('the queue\'s backoff', () => {
  it('doubles from 1 s to a 10 s cap, counting consecutive errors after an error, else rejections', () => {
    const pod = newQueuedPod('u', 'default/p', 0);
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffMs({ ...pod, unschedulableCount: n }))).toEqual([0, 1000, 2000, 4000, 8000, 10000]);
    expect(backoffMs({ ...pod, unschedulableCount: 4, consecutiveErrorsCount: 1 })).toBe(1000);
  });
});

describe('host ports', () => {
  const port = (hostIP: string, port = 8080, protocol = 'TCP') => ({ hostIP, protocol, port });
  it('conflict on the same protocol and port when either IP is 0.0.0.0 or both are equal', () => {
    expect(portsConflict(port('0.0.0.0'), port('10.0.0.1'))).toBe(true);
    expect(portsConflict(port('10.0.0.1'), port('10.0.0.1'))).toBe(true);
    expect(portsConflict(port('10.0.0.1'), port('10.0.0.2'))).toBe(false);
    expect(portsConflict(port('0.0.0.0'), port('0.0.0.0', 8080, 'UDP'))).toBe(false);
    expect(portsConflict(port('0.0.0.0'), port('0.0.0.0', 8081))).toBe(false);
  });
});

describe('one scheduling cycle', () => {
  const node = (name: string, cpu: string, extra: Partial<Node> = {}): NodeView => ({
    node: { metadata: { name, labels: {} }, status: { allocatable: { cpu, memory: '8Gi', pods: '110' } }, ...extra },
    info: newNodeInfo({ cpu, memory: '8Gi', pods: '110' }, []),
    ports: [],
  });
  const pod: Pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'main', resources: { requests: { cpu: '1', memory: '1Gi' } } }] } };
  const run = (views: NodeView[]) => scheduleCycle(DEFAULT_PROFILE, pod, PMap.from(views.map((v) => [v.node.metadata!.name!, v] as const)), views.map((v) => v.node.metadata!.name!), 0, DEFAULT_FEATURES);

  it('takes the only feasible node without scoring it', () => {
    expect(run([node('a', '500m'), node('b', '4')])).toEqual({ kind: 'feasible', best: ['b'], score: 0, nextStartNodeIndex: 0 });
  });

  it('prefers the emptier node (LeastAllocated, BalancedAllocation) and leaves ties to the pick', () => {
    expect(run([node('a', '2'), node('b', '4'), node('c', '4')])).toMatchObject({ kind: 'feasible', best: ['b', 'c'] });
  });

  it('keeps off a node whose NoSchedule taint the pod does not tolerate, and says so when none is left', () => {
    const tainted = node('a', '4', { spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } });
    expect(run([tainted, node('b', '500m')])).toEqual({
      kind: 'unschedulable', rejectedBy: ['TaintToleration', 'NodeResourcesFit'], nextStartNodeIndex: 0,
      // b's 500m is less than the pod asks of an empty node: unresolvable, so preemption would not help there either.
      message: '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: db}. '
        + 'preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    });
  });
});

describe('the scheduler\'s feature gates and a failing Score plugin', () => {
  const nodeObject = (name: string, extra: Partial<Node> = {}): KubeObject =>
    ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: {} }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } }, ...extra } as KubeObject);
  const podObject = (spec: Partial<PodSpec> = {}): KubeObject => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'uid-p' },
    spec: { containers: [{ name: 'main', resources: { requests: { cpu: '1', memory: '1Gi' } } }], ...spec },
  });

  /** A scheduler started with `gates`, its cache holding `nodes`, the pod queued. */
  function schedulerWith(gates: FeatureGates, nodes: readonly KubeObject[]): SchedulerContext {
    let ctx = initialSnapshot(schedulerMachine, { featureGates: gates }).context as SchedulerContext;
    for (const n of nodes) ctx = { ...ctx, ...setNode(ctx, n) };
    return { ...ctx, ...enqueueActive(ctx, newQueuedPod('uid-p', 'default/p', 0)) };
  }
  const viewOf = (pod: KubeObject) => ({ pods: new Map([['default/p', pod]]) });

  /** NodeResourcesFit configured with no scoring resources (NodeResourcesFitArgs' scoringStrategy.resources empty). */
  const noScoringResources: Profile = {
    ...DEFAULT_PROFILE,
    scores: DEFAULT_PROFILE.scores.map((p) => (p.name === 'NodeResourcesFit' ? nodeResourcesFitScorePlugin({ type: 'LeastAllocated', resources: [] }) : p)),
  };
  const ERROR = 'running Score plugins: plugin "NodeResourcesFit" failed with: resources not found';

  it('a Score plugin\'s Error fails the cycle with the framework\'s wording, once more than one node is feasible', () => {
    const views = (names: string[]) => PMap.from(names.map((n) => [n, setNode({ nodes: PMap.empty(), nodeOrder: [], pods: PMap.empty(), features: DEFAULT_FEATURES }, nodeObject(n)).nodes!.get(n)!] as const));
    const pod = podObject() as Pod;
    expect(scheduleCycle(noScoringResources, pod, views(['a', 'b']), ['a', 'b'], 0, DEFAULT_FEATURES)).toEqual({ kind: 'error', message: ERROR, nextStartNodeIndex: 0 });
    // A single feasible node is taken without scoring.
    expect(scheduleCycle(noScoringResources, pod, views(['a']), ['a'], 0, DEFAULT_FEATURES)).toMatchObject({ kind: 'feasible', best: ['a'] });
  });

  it('the pod then says SchedulerError with that message and waits out the error backoff (handleSchedulingFailure)', () => {
    const next = scheduleOne(noScoringResources, schedulerWith(DEFAULT_FEATURE_GATES, [nodeObject('a'), nodeObject('b')]), viewOf(podObject()), 1000);
    expect(next.outbox).toEqual([{
      verb: 'patch', resource: 'pods', namespace: 'default', name: 'p', subresource: 'status',
      patch: { status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulerError', message: ERROR }] } },
    }]);
    expect(next.errorBackoffQ.map((p) => [p.uid, p.consecutiveErrorsCount, p.timestampMs])).toEqual([['uid-p', 1, 1000]]);
    expect([next.activeQ.length, next.unschedulable.size, next.picking]).toEqual([0, 0, null]);
  });

  it('the scheduler reads its gates from its input: a Gt toleration counts only with TaintTolerationComparisonOperators', () => {
    const tainted = nodeObject('a', { spec: { taints: [{ key: 'tier', value: '5', effect: 'NoSchedule' }] } });
    const pod = podObject({ tolerations: [{ key: 'tier', operator: 'Gt', value: '3', effect: 'NoSchedule' }] });
    const on = { ...DEFAULT_FEATURE_GATES, TaintTolerationComparisonOperators: true };
    expect(schedulerWith(on, []).features.taintTolerationComparisonOperators).toBe(true);
    const bound = scheduleOne(DEFAULT_PROFILE, schedulerWith(on, [tainted]), viewOf(pod), 1000);
    expect(bound.outbox.map((r) => r.verb)).toEqual(['bind']);
    const rejected = scheduleOne(DEFAULT_PROFILE, schedulerWith(DEFAULT_FEATURE_GATES, [tainted]), viewOf(pod), 1000);
    expect(rejected.outbox.map((r) => r.verb === 'patch' && (r.patch as { status: { conditions: { reason: string }[] } }).status.conditions[0]!.reason)).toEqual(['Unschedulable']);
  });
});
