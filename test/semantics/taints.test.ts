// Every case of taints-tolerations.json (upstream toleration_test.go, helpers_test.go,
// taint_toleration_test.go at 0f7becbc, taint_eviction_test.go) against
// model/semantics/taints.ts, then the upstream rows the sample leaves out. A ToleratesTaint case
// gives the gate TaintTolerationComparisonOperators as comparisonOperatorsEnabled.
import type { Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import {
  compareNumericValues,
  findMatchingUntoleratedTaint,
  getMinTolerationTime,
  taintTolerationFilter,
  taintTolerationScore,
  toleratesTaint,
} from '../../model/semantics/taints.ts';
import { runEveryCase, type SampleCase } from './sample-cases.ts';

type JsonCase = SampleCase;

function pod(tolerations: Toleration[]): Pod {
  return { spec: { containers: [], tolerations } };
}

function node(name: string, taints: Taint[]): Node {
  return { metadata: { name }, spec: { taints } };
}

/** The encoding's taintFilter names; 'all (nil filter)' is no filter at all. */
const TAINT_FILTERS: Record<string, ((taint: Taint) => boolean) | undefined> = {
  all: () => true,
  none: () => false,
  'all (nil filter)': undefined,
  NoExecuteOnly: (taint) => taint.effect === 'NoExecute',
};

function taintFilter(name: unknown): ((taint: Taint) => boolean) | undefined {
  if (!Object.hasOwn(TAINT_FILTERS, String(name))) throw new Error(`unknown taintFilter ${JSON.stringify(name)}`);
  return TAINT_FILTERS[String(name)];
}

/** A runner per function of the file: what it returns must equal the case's expected value. */
const runners: Readonly<Record<string, (input: Record<string, unknown>) => unknown>> = {
  ToleratesTaint: (input) => {
    if (typeof input.comparisonOperatorsEnabled !== 'boolean') throw new Error('comparisonOperatorsEnabled must be true or false');
    return toleratesTaint(input.toleration as Toleration, input.taint as Taint, input.comparisonOperatorsEnabled);
  },
  compareNumericValues: (input) => compareNumericValues(String(input.tolerationValue), String(input.taintValue), String(input.operator)),
  FindMatchingUntoleratedTaint: (input) => {
    const taint = findMatchingUntoleratedTaint(input.taints as Taint[], input.tolerations as Toleration[], taintFilter(input.taintFilter));
    return { allTolerated: taint === undefined };
  },
  'TaintToleration.Filter': (input) => taintTolerationFilter(pod(input.podTolerations as Toleration[]), node('node', input.nodeTaints as Taint[])),
  'TaintToleration.Score': (input) => {
    const nodes = (input.nodes as { name: string; taints: Taint[] }[]).map((n) => node(n.name, n.taints));
    return taintTolerationScore(pod(input.podTolerations as Toleration[]), nodes);
  },
  getMinTolerationTime: (input) => {
    const tolerations = (input.tolerationSeconds as number[]).map((s): Toleration => ({ tolerationSeconds: s }));
    return { seconds: getMinTolerationTime(tolerations) };
  },
};

runEveryCase<JsonCase>(
  'taints-tolerations.json',
  Object.fromEntries(Object.entries(runners).map(([name, run]) => [name, (c: JsonCase) => expect(run(c.input)).toEqual(c.expected)])),
);

// The sample holds no failing Filter; these rows of TestTaintTolerationFilter and
// TestTaintTolerationScore (0f7becbc) pin the failure reason and a partial score.
describe('TaintToleration rows beyond the sample', () => {
  const dedicatedUser1: Taint = { key: 'dedicated', value: 'user1', effect: 'NoSchedule' };

  it("A pod having no tolerations can't be scheduled onto a node with nonempty taints", () => {
    expect(taintTolerationFilter(pod([]), node('nodeA', [dedicatedUser1]))).toEqual({
      schedulable: false,
      status: { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {dedicated: user1}'] },
    });
  });

  it("A pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule", () => {
    const tolerations: Toleration[] = [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }];
    expect(taintTolerationFilter(pod(tolerations), node('nodeA', [dedicatedUser1]))).toEqual({
      schedulable: false,
      status: { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {dedicated: user1}'] },
    });
  });

  it("A pod has a toleration that keys and values match the taint on the node, but (non-empty) effect doesn't match, can't be scheduled onto the node", () => {
    const tolerations: Toleration[] = [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }];
    const taints: Taint[] = [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }];
    expect(taintTolerationFilter(pod(tolerations), node('nodeA', taints))).toEqual({
      schedulable: false,
      status: { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {foo: bar}'] },
    });
  });

  it('the more intolerable taints a node has, the lower score it gets.', () => {
    const tolerations: Toleration[] = [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }];
    const cpu: Taint = { key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' };
    const disk: Taint = { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' };
    const nodes = [node('nodeA', []), node('nodeB', [cpu]), node('nodeC', [cpu, disk])];
    expect(taintTolerationScore(pod(tolerations), nodes)).toEqual([
      { node: 'nodeA', score: 100 },
      { node: 'nodeB', score: 50 },
      { node: 'nodeC', score: 0 },
    ]);
  });

  // README rule: Lt/Gt tolerate nothing with the gate off (the default).
  it('Lt toleration with TaintTolerationComparisonOperators off tolerates nothing', () => {
    const lt: Toleration = { key: 'node.kubernetes.io/sla', operator: 'Lt', value: '950', effect: 'NoSchedule' };
    const taint: Taint = { key: 'node.kubernetes.io/sla', value: '800', effect: 'NoSchedule' };
    expect(toleratesTaint(lt, taint)).toBe(false);
    expect(toleratesTaint(lt, taint, true)).toBe(true);
  });

  // getMinTolerationTime returns 0 as soon as a toleration's seconds are <= 0.
  it('getMinTolerationTime: a non-positive tolerationSeconds evicts at once', () => {
    expect(getMinTolerationTime([{ tolerationSeconds: 5 }, { tolerationSeconds: -3 }])).toBe(0);
    expect(getMinTolerationTime([{ effect: 'NoExecute' }])).toBe(-1);
  });
});
