// Benchmarks: one JSON line per case with the figures measured. Single thread.
// `npm run bench` runs them all; `npm run bench -- <case>` runs one.
import { seededChooser } from '../checker/chooser.ts';
import { runConfig } from '../checker/explore.ts';
import { run } from '../checker/run.ts';
import { calibrate } from './calibration.ts';
import { PROPERTIES } from '../properties/index.ts';
import type { Property } from '../properties/property.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { nodeWorkload } from '../scenarios/pods.ts';
import { schedulingAtScale } from '../scenarios/scheduling.ts';
import { storeAndInformers } from '../scenarios/store-and-informers.ts';
import { rollingUpdateUnderNodeFailures } from '../scenarios/workloads.ts';
import { measureDecision } from './scheduler-decision.ts';

/** Repetitions of each case's batch of runs. This machine's speed wanders by a fifth from minute to minute; the median and the best of several batches say more than one long mean. */
const BATCHES = 9;

interface Case {
  readonly name: string;
  readonly scenario: Scenario;
  readonly properties: readonly Property[];
  /** Runs in one batch, from the same seeds every time: about half a second here. */
  readonly runsPerBatch: number;
}

const CASES: readonly Case[] = [
  // The checker as `npm test` runs it: every property checked after every step.
  { name: 'store-and-informers', scenario: storeAndInformers, properties: PROPERTIES, runsPerBatch: 60 },
  // The model alone: enabled + step, no properties.
  { name: 'store-and-informers/model-only', scenario: storeAndInformers, properties: [], runsPerBatch: 60 },
  // One node, 20 pods: readiness probes, restarts, crash loops, graceful deletion; every node fault on.
  { name: 'node', scenario: nodeWorkload(14), properties: PROPERTIES, runsPerBatch: 10 },
  { name: 'node/model-only', scenario: nodeWorkload(14), properties: [], runsPerBatch: 10 },
  // 100 API-only nodes, 1,000 pods arriving, the scheduler placing them: every property checked.
  { name: 'scheduler', scenario: schedulingAtScale(100, 1000), properties: PROPERTIES, runsPerBatch: 1 },
  // 3 nodes that crash and get cut off, a Deployment of 10 updated twice: every controller property checked.
  { name: 'rollout', scenario: rollingUpdateUnderNodeFailures(10), properties: PROPERTIES, runsPerBatch: 3 },
  { name: 'rollout/model-only', scenario: rollingUpdateUnderNodeFailures(10), properties: [], runsPerBatch: 3 },
];

/** The cost of one scheduling decision, alone, as the cluster grows. */
const DECISION_NODE_COUNTS = [10, 100, 1000];

function measure(c: Case): Record<string, unknown> {
  const config = runConfig(c.scenario, undefined, c.properties, false);
  const runBatch = (firstSeed: number, runs: number) => {
    let steps = 0;
    let violations = 0;
    let bound = 0;
    for (let seed = firstSeed; seed < firstSeed + runs; seed++) {
      const result = run(config, seededChooser(seed, c.scenario.stepsMax));
      steps += result.steps;
      if (result.violation) violations++;
      for (const pod of result.world.store.context.objects.pods?.values() ?? []) if ((pod.spec as { nodeName?: string }).nodeName) bound++;
    }
    return { steps, violations, bound };
  };
  // Warm up the JIT.
  runBatch(0, c.runsPerBatch);
  const { runsPerBatch } = c;
  const rates: number[] = [];
  let steps = 0;
  let violations = 0;
  let bound = 0;
  let seconds = 0;
  for (let b = 0; b < BATCHES; b++) {
    const started = performance.now();
    // The same seeds in every batch: each batch does the same work.
    const batch = runBatch(1000, runsPerBatch);
    const elapsed = (performance.now() - started) / 1000;
    rates.push(batch.steps / elapsed);
    steps = batch.steps;
    violations = batch.violations;
    bound = batch.bound;
    seconds += elapsed;
  }
  rates.sort((a, b) => a - b);
  return {
    case: c.name,
    informers: c.scenario.informers.length,
    nodes: c.scenario.nodes.length,
    objects: c.scenario.users.flatMap((u) => u.script).filter((op) => op.op === 'create').length,
    pods: c.scenario.users.flatMap((u) => u.script).filter((op) => op.op === 'create' && op.resource === 'pods').length,
    faults: Object.entries(c.scenario.faults).filter(([, on]) => (Array.isArray(on) ? on.length > 0 : on)).map(([f]) => f),
    properties: c.properties.length,
    runsPerBatch,
    stepsPerBatch: steps,
    stepsPerRun: Math.round(steps / runsPerBatch),
    batches: BATCHES,
    seconds: Number(seconds.toFixed(2)),
    stepsPerSecond: Math.round(rates[Math.floor(BATCHES / 2)]!),
    stepsPerSecondBest: Math.round(rates[BATCHES - 1]!),
    runsPerSecond: Number(((rates[Math.floor(BATCHES / 2)]! / steps) * runsPerBatch).toFixed(1)),
    violations,
    ...(c.scenario.scheduler ? { podsBoundPerBatch: bound, podsScheduledPerSecond: Math.round((bound * rates[Math.floor(BATCHES / 2)]!) / steps) } : {}),
  };
}

const only = process.argv[2];
for (const c of CASES) {
  if (only && c.name !== only) continue;
  console.log(JSON.stringify({ ...measure(c), ...calibrate() }));
}
for (const n of DECISION_NODE_COUNTS) {
  if (only && `scheduler-decision/${n}` !== only) continue;
  console.log(JSON.stringify({ ...measureDecision(n), ...calibrate() }));
}
