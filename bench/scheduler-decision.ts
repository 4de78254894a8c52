// The cost of one scheduling decision as the cluster grows: a cycle over N nodes that each
// already hold ten pods, timed in isolation from the rest of the model.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { PMap } from '../model/pmap.ts';
import { numFeasibleNodesToFind, scheduleCycle } from '../model/scheduler/cycle.ts';
import { DEFAULT_PROFILE } from '../model/scheduler/machine.ts';
import type { NodeView } from '../model/scheduler/plugins.ts';
import { newNodeInfo } from '../model/semantics/resource-fit.ts';
import { DEFAULT_FEATURES } from '../model/semantics/scheduler-framework.ts';

const PODS_PER_NODE = 10;
const DECISIONS = 400;

const requesting = (cpu: string, memory: string) => ({ containers: [{ name: 'main', resources: { requests: { cpu, memory } } }] });

export function measureDecision(nodeCount: number): Record<string, unknown> {
  const names = Array.from({ length: nodeCount }, (_, i) => `node-${String(i).padStart(5, '0')}`);
  const allocatable = { cpu: '4', memory: '16Gi', pods: '110' };
  // Nodes differ in how full they are, so scores differ and ties are rare.
  const views = names.map((name, i): [string, NodeView] => [name, {
    node: { metadata: { name, labels: {} }, status: { allocatable } },
    info: newNodeInfo(allocatable, Array.from({ length: PODS_PER_NODE }, () => requesting(`${100 + (i % 7) * 10}m`, '128Mi'))),
    ports: [],
  }]);
  const nodes = PMap.from(views);
  const pod: Pod = { metadata: { name: 'p' }, spec: requesting('100m', '128Mi') };
  let start = 0;
  for (let i = 0; i < 50; i++) start = scheduleCycle(DEFAULT_PROFILE, pod, nodes, names, start, DEFAULT_FEATURES).nextStartNodeIndex;
  const rates: number[] = [];
  for (let b = 0; b < 5; b++) {
    const started = performance.now();
    for (let i = 0; i < DECISIONS; i++) start = scheduleCycle(DEFAULT_PROFILE, pod, nodes, names, start, DEFAULT_FEATURES).nextStartNodeIndex;
    rates.push((performance.now() - started) / DECISIONS);
  }
  rates.sort((a, b) => a - b);
  const msPerDecision = rates[2]!;
  return {
    case: `scheduler-decision/${nodeCount}`,
    nodes: nodeCount,
    nodesFiltered: numFeasibleNodesToFind(nodeCount),
    microsecondsPerDecision: Number((msPerDecision * 1000).toFixed(1)),
    microsecondsPerNodeFiltered: Number(((msPerDecision * 1000) / numFeasibleNodesToFind(nodeCount)).toFixed(2)),
    decisionsPerSecond: Math.round(1000 / msPerDecision),
  };
}
