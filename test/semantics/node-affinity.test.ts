// model/semantics/node-affinity.ts against upstream's own cases, each named as upstream
// names it: component-helpers nodeaffinity_test.go (TestPodMatchesNodeSelectorAndAffinityTerms,
// TestNodeSelectorMatch, TestPreferredSchedulingTermsScore) and the NodeAffinity plugin's
// node_affinity_test.go (TestNodeAffinity, TestNodeAffinityPriority).
import type { Affinity, Node, NodeSelectorRequirement, NodeSelectorTerm, Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import {
  nodeAffinityFilter,
  nodeAffinityScore,
  nodeSelectorMatches,
  preferredSchedulingTermsScore,
  requiredNodeAffinityMatches,
} from '../../model/semantics/node-affinity.ts';

type Labels = Record<string, string>;

function node(name: string, labels?: Labels): Node {
  return { metadata: labels === undefined ? { name } : { name, labels } };
}

function podWith(spec: { nodeSelector?: Labels; affinity?: Affinity }): Pod {
  return { spec: { containers: [], ...spec } };
}

/** A pod whose required node affinity has these terms. */
function requiring(...terms: NodeSelectorTerm[]): Pod {
  return podWith({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
}

function expr(key: string, operator: string, values?: string[]): NodeSelectorRequirement {
  return values === undefined ? { key, operator } : { key, operator, values };
}

const nameIn = (name: string): NodeSelectorRequirement => expr('metadata.name', 'In', [name]);

describe('GetRequiredNodeAffinity.Match (TestPodMatchesNodeSelectorAndAffinityTerms)', () => {
  const cases: { name: string; pod: Pod; labels?: Labels; nodeName?: string; want: boolean }[] = [
    { name: 'no selector', pod: podWith({}), want: true },
    { name: 'missing labels', pod: podWith({ nodeSelector: { foo: 'bar' } }), want: false },
    { name: 'same labels', pod: podWith({ nodeSelector: { foo: 'bar' } }), labels: { foo: 'bar' }, want: true },
    {
      name: 'node labels are subset',
      pod: podWith({ nodeSelector: { foo: 'bar', baz: 'blah' } }),
      labels: { foo: 'bar' },
      want: false,
    },
    {
      name: 'Pod with matchExpressions using Gt operator that matches the existing node',
      pod: requiring({ matchExpressions: [expr('kernel-version', 'Gt', ['0204'])] }),
      labels: { 'kernel-version': '0206' },
      want: true,
    },
    {
      name: 'Pod with matchExpressions using NotIn operator that matches the existing node',
      pod: requiring({ matchExpressions: [expr('mem-type', 'NotIn', ['DDR', 'DDR2'])] }),
      labels: { 'mem-type': 'DDR3' },
      want: true,
    },
    {
      name: "Pod with affinity that don't match node's labels won't schedule onto the node",
      pod: requiring({ matchExpressions: [expr('foo', 'In', ['value1', 'value2'])] }),
      labels: { foo: 'bar' },
      want: false,
    },
    {
      name: "Pod with an empty []NodeSelectorTerm in affinity, can't match the node's labels and won't schedule onto the node",
      pod: requiring(),
      labels: { foo: 'bar' },
      want: false,
    },
    {
      name: "Pod with empty MatchExpressions is not a valid value will match no objects and won't schedule onto the node",
      pod: requiring({ matchExpressions: [] }),
      labels: { foo: 'bar' },
      want: false,
    },
    { name: 'Pod with no Affinity will schedule onto a node', pod: podWith({}), labels: { foo: 'bar' }, want: true },
    {
      name: 'Pod with Affinity but nil NodeSelector will schedule onto a node',
      pod: podWith({ affinity: { nodeAffinity: {} } }),
      labels: { foo: 'bar' },
      want: true,
    },
    {
      name: "Pod with multiple matchExpressions ANDed that doesn't match the existing node",
      pod: requiring({ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'In', ['AMD', 'INTER'])] }),
      labels: { GPU: 'NVIDIA-GRID-K1' },
      want: false,
    },
    {
      name: "Pod with multiple NodeSelectorTerms ORed in affinity, matches the node's labels and will schedule onto the node",
      pod: requiring(
        { matchExpressions: [expr('foo', 'In', ['bar', 'value2'])] },
        { matchExpressions: [expr('diffkey', 'In', ['wrong', 'value2'])] },
      ),
      labels: { foo: 'bar' },
      want: true,
    },
    {
      name:
        "Pod with an Affinity matches node's labels but the PodSpec.NodeSelector(the old thing that we are deprecating) " +
        "is not satisfied, won't schedule onto the node",
      pod: podWith({
        nodeSelector: { foo: 'bar' },
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr('foo', 'Exists')] }] },
          },
        },
      }),
      labels: { foo: 'barrrrrr' },
      want: false,
    },
    {
      name: "Pod with an invalid value in Affinity term won't be scheduled onto the node",
      pod: requiring({ matchExpressions: [expr('foo', 'NotIn', ['invalid value: ___@#$%^'])] }),
      labels: { foo: 'bar' },
      want: false,
    },
    {
      name: 'Pod with matchFields using In operator that does not match the existing node',
      pod: requiring({ matchFields: [nameIn('node_1')] }),
      nodeName: 'node_2',
      want: false,
    },
    {
      name: 'Pod with two terms: matchFields does not match, but matchExpressions matches',
      pod: requiring({ matchFields: [nameIn('node_1')] }, { matchExpressions: [expr('foo', 'In', ['bar'])] }),
      nodeName: 'node_2',
      labels: { foo: 'bar' },
      want: true,
    },
    {
      name: 'Pod with one term: matchFields does not match, but matchExpressions matches',
      pod: requiring({ matchFields: [nameIn('node_1')], matchExpressions: [expr('foo', 'In', ['bar'])] }),
      nodeName: 'node_2',
      labels: { foo: 'bar' },
      want: false,
    },
    {
      name: 'Pod with one term: both matchFields and matchExpressions match',
      pod: requiring({ matchFields: [nameIn('node_1')], matchExpressions: [expr('foo', 'In', ['bar'])] }),
      nodeName: 'node_1',
      labels: { foo: 'bar' },
      want: true,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(requiredNodeAffinityMatches(c.pod, node(c.nodeName ?? '', c.labels))).toBe(c.want);
    });
  }
});

describe('NodeSelector.Match (TestNodeSelectorMatch)', () => {
  // Upstream expects NewNodeSelector to fail; LazyErrorNodeSelector, which the scheduler
  // uses for a pod, matches nothing through the terms that do not parse.
  it('invalid field selector and label selector', () => {
    const selector = {
      nodeSelectorTerms: [
        { matchFields: [expr('metadata.name', 'In', ['host_1', 'host_2'])] },
        { matchExpressions: [expr('invalid key', 'In', ['label_value'])] },
      ],
    };
    expect(nodeSelectorMatches(selector, node('host_1', { 'invalid key': 'label_value' }))).toBe(false);
  });

  it('second term matches', () => {
    const selector = {
      nodeSelectorTerms: [{ matchExpressions: [expr('label_1', 'In', ['label_1_val'])] }, { matchFields: [nameIn('host_1')] }],
    };
    expect(nodeSelectorMatches(selector, node('host_1'))).toBe(true);
  });
});

describe('PreferredSchedulingTerms.Score (TestPreferredSchedulingTermsScore)', () => {
  it('invalid field selector and label selector', () => {
    const terms = [
      { weight: 1, preference: { matchFields: [expr('metadata.name', 'In', ['host_1', 'host_2'])] } },
      { weight: 1, preference: { matchExpressions: [expr('invalid key', 'In', ['label_value'])] } },
    ];
    expect(preferredSchedulingTermsScore(terms, node('host_1'))).toBeUndefined();
  });

  it('invalid field selector but no weight, error not reported', () => {
    const terms = [{ weight: 0, preference: { matchFields: [expr('metadata.name', 'In', ['host_1', 'host_2'])] } }];
    expect(preferredSchedulingTermsScore(terms, node('host_1'))).toBe(0);
  });

  it('first and third term match', () => {
    const terms = [
      { weight: 5, preference: { matchFields: [nameIn('host_1')] } },
      { weight: 7, preference: { matchExpressions: [expr('unknown_label', 'In', ['unknown_label_val'])] } },
      { weight: 11, preference: { matchExpressions: [expr('label_1', 'In', ['label_1_val'])] } },
    ];
    expect(preferredSchedulingTermsScore(terms, node('host_1', { label_1: 'label_1_val' }))).toBe(16);
  });
});

describe('NodeAffinity.Filter (TestNodeAffinity)', () => {
  const unmatched = {
    schedulable: false,
    status: { code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match Pod's node affinity/selector"] },
  };

  it('missing labels', () => {
    expect(nodeAffinityFilter(podWith({ nodeSelector: { foo: 'bar' } }), node(''))).toEqual(unmatched);
  });

  it('Pod with matchExpressions using In operator that matches the existing node', () => {
    const pod = requiring({ matchExpressions: [expr('foo', 'In', ['bar', 'value2'])] });
    expect(nodeAffinityFilter(pod, node('', { foo: 'bar' }))).toEqual({ schedulable: true });
  });

  it('Pod with matchFields using In operator that does not match the existing node', () => {
    expect(nodeAffinityFilter(requiring({ matchFields: [nameIn('node1')] }), node('node2'))).toEqual(unmatched);
  });
});

describe('NodeAffinity.Score (TestNodeAffinityPriority)', () => {
  const label1 = { foo: 'bar' };
  const label2 = { key: 'value' };
  const label3 = { az: 'az1' };
  const label5 = { foo: 'bar', key: 'value', az: 'az1' };
  const fooBar = expr('foo', 'In', ['bar']);
  const keyValue = expr('key', 'In', ['value']);
  const affinity1: Affinity = {
    nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 2, preference: { matchExpressions: [fooBar] } }] },
  };
  const affinity2: Affinity = {
    nodeAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 2, preference: { matchExpressions: [fooBar] } },
        { weight: 4, preference: { matchExpressions: [keyValue] } },
        { weight: 5, preference: { matchExpressions: [fooBar, keyValue, expr('az', 'In', ['az1'])] } },
      ],
    },
  };

  it('all nodes are same priority as NodeAffinity is nil', () => {
    const nodes = [node('node1', label1), node('node2', label2), node('node3', label3)];
    expect(nodeAffinityScore(podWith({}), nodes)).toEqual([
      { node: 'node1', score: 0 },
      { node: 'node2', score: 0 },
      { node: 'node3', score: 0 },
    ]);
  });

  it('only node1 matches the preferred scheduling requirements of pod', () => {
    const nodes = [node('node1', label1), node('node2', label2), node('node3', label3)];
    expect(nodeAffinityScore(podWith({ affinity: affinity1 }), nodes)).toEqual([
      { node: 'node1', score: 100 },
      { node: 'node2', score: 0 },
      { node: 'node3', score: 0 },
    ]);
  });

  it('all nodes matches the preferred scheduling requirements of pod but with different priorities ', () => {
    const nodes = [node('node1', label1), node('node5', label5), node('node2', label2)];
    expect(nodeAffinityScore(podWith({ affinity: affinity2 }), nodes)).toEqual([
      { node: 'node1', score: 18 },
      { node: 'node5', score: 100 },
      { node: 'node2', score: 36 },
    ]);
  });
});
