// Node failure under exploration (scenarios/node-failures.ts): a node lifecycle controller that
// taints when every node is down is caught by noEvictionWhenEveryNodeIsDown, and a taint-eviction
// controller whose timed deletions never fire by podsOfFailedNodesAreReplaced, each with a short
// shrunk trace that replays; the goals are reached on the correct model (and eviction's not without
// eviction); the correct controllers evict nothing when every node is down; and the scenarios hold
// every property.
import type { NodeSpec } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { arrayChooser } from '../checker/chooser.ts';
import { explore, runConfig } from '../checker/explore.ts';
import { run } from '../checker/run.ts';
import { findProperty } from '../properties/index.ts';
import { nodeFailure, nodeFailureEveryNode, nodeFailureMidRollout } from '../scenarios/node-failures.ts';
import { nodeLifecycleEvictsWhenEveryNodeIsDown, taintEvictionNeverEvictsTolerating } from './defects/node-lifecycle.ts';
import { catchDefect } from './helpers/caught.ts';

describe('node failure properties catch planted defects, with short replayable traces', () => {
  it('noEvictionWhenEveryNodeIsDown catches a node lifecycle controller that taints in master disruption mode', () => {
    const { trace, explored, replayed } = catchDefect(nodeFailureEveryNode, nodeLifecycleEvictsWhenEveryNodeIsDown, 'noEvictionWhenEveryNodeIsDown', 1, 100);
    // Fair scheduling alone gets there: both nodes go Unknown in one pass at 55 s (master disruption
    // mode), the defect restarts the stopped tainter at the next wake, and its token comes 10 s later.
    expect(explored).toEqual([]);
    expect(trace.originalSteps).toBe(57);
    expect(trace.labels).toHaveLength(54);
    expect(trace.labels.slice(-6)).toEqual([
      'tick to 60000ms',
      'node-lifecycle controller: reconcile monitor',
      'tick to 65000ms',
      'node-lifecycle controller: reconcile monitor',
      'tick to 70000ms',
      'node-lifecycle controller: reconcile no-execute-tainting',
    ]);
    expect(trace.violation).toEqual({
      property: 'noEvictionWhenEveryNodeIsDown', kind: 'transition', step: 54,
      message: 'the node lifecycle controller tainted node-1 node.kubernetes.io/unreachable:NoExecute while every node was not Ready (node-1 Unknown, '
        + 'node-2 Unknown) and its last pass had heard from none within the grace period: with every zone fully disrupted it must untaint every '
        + 'node and stop tainting (master disruption mode), since a failure of every node at once is likelier the control plane\'s own, and '
        + 'evicting every pod would make it worse.',
    });
    expect(replayed).toMatchObject({ reproduced: true, mismatch: null, steps: 54 });
  });

  it('noEvictionWhenEveryNodeIsDown does not blame a controller whose last pass heard from a node its stale cache showed Ready', () => {
    // Run 192 of seed 1: a tick jumps 570 s, every node goes Unknown in the store, but the controller's
    // pass had just seen node-3's lease renewed while its cache still showed node-3 Ready (its own
    // Unknown write undelivered), so its zone stayed Normal and it tainted node-1, as upstream would.
    const result = explore(nodeFailureMidRollout, { runs: 1, seed: 1, path: '191', properties: [findProperty('noEvictionWhenEveryNodeIsDown')!], outDir: null });
    expect(result.failure).toBeNull();
  });

  it('podsOfFailedNodesAreReplaced catches a taint-eviction controller whose timed deletions never fire', () => {
    const { trace, explored, replayed } = catchDefect(nodeFailure, taintEvictionNeverEvictsTolerating, 'podsOfFailedNodesAreReplaced', 1, 100);
    // The first pod lands on node-3, whose machine is gone: it is tainted unreachable at 55 s and never evicted.
    expect(explored).toEqual([]);
    expect(trace.originalSteps).toBe(133);
    expect(trace.labels).toHaveLength(442);
    expect(trace.violation.message).toBe(
      'default/web-bbbbb is still on node-3, which is Ready Unknown (node.kubernetes.io/unreachable:NoExecute) and tolerates that for 10 s only: '
      + 'it should have been evicted and replaced');
    expect(replayed).toMatchObject({ reproduced: true, mismatch: null });
  });
});

describe('node failure goals', () => {
  const goal = (name: string) => [findProperty(name)!];

  it('evictionReplacesPod is reached in every run, and never when tolerating pods are not evicted', () => {
    const result = explore(nodeFailure, { runs: 40, seed: 1, properties: goal('evictionReplacesPod'), outDir: null });
    expect(result.reached.get('evictionReplacesPod')).toBe(40);
    const broken = explore(nodeFailure, { runs: 40, seed: 1, defect: taintEvictionNeverEvictsTolerating, properties: goal('evictionReplacesPod'), outDir: null });
    expect(broken.missingGoals).toEqual(['evictionReplacesPod']);
  });

  it('nodeFailsMidRolloutAndCompletes is reached: a node goes down during the rollout, which completes', () => {
    const result = explore(nodeFailureMidRollout, { runs: 40, seed: 1, properties: goal('nodeFailsMidRolloutAndCompletes'), outDir: null });
    expect(result.missingGoals).toEqual([]);
    expect(result.reached.get('nodeFailsMidRolloutAndCompletes')).toBe(11);
  });
});

describe('the correct controllers', () => {
  it('evict nothing when every node is down: master disruption mode leaves the nodes untainted NoExecute and the pods in place', () => {
    const { world, violation } = run(runConfig(nodeFailureEveryNode, undefined, [], false), arrayChooser([]));
    expect(violation).toBeNull();
    const noExecute = [...world.store.context.objects.nodes!.values()].map((n) =>
      ((n.spec as NodeSpec | undefined)?.taints ?? []).filter((t) => t.effect === 'NoExecute').map((t) => t.key));
    expect(noExecute).toEqual([[], []]);
    expect([...world.store.context.objects.pods!.values()].map((p) => [p.metadata.name, p.metadata.deletionTimestamp ?? null])).toEqual([['a', null], ['b', null]]);
  });

  it.each([
    [nodeFailure.name, 100, nodeFailure],
    [nodeFailureMidRollout.name, 40, nodeFailureMidRollout],
    [nodeFailureEveryNode.name, 100, nodeFailureEveryNode],
  ] as const)('%s holds every property in %i runs', (_name, runs, scenario) => {
    const result = explore(scenario, { runs, seed: 1, outDir: null });
    expect(result.failure?.trace.violation ?? null).toBeNull();
    expect(result.missingGoals).toEqual([]);
  });
});
