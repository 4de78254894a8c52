// Benchmarks: one JSON line per case with the figures measured. Single thread.
// `npm run bench` runs them all; `npm run bench -- <case>` runs one.
import { seededChooser } from '../checker/chooser.ts';
import { runConfig } from '../checker/explore.ts';
import { run } from '../checker/run.ts';
import { PROPERTIES } from '../properties/index.ts';
import type { Property } from '../properties/property.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { nodeWorkload } from '../scenarios/pods.ts';
import { storeAndInformers } from '../scenarios/store-and-informers.ts';

const SECONDS_PER_CASE = 3;

interface Case {
  readonly name: string;
  readonly scenario: Scenario;
  readonly properties: readonly Property[];
}

const CASES: readonly Case[] = [
  // The checker as `npm test` runs it: every property checked after every step.
  { name: 'store-and-informers', scenario: storeAndInformers, properties: PROPERTIES },
  // The model alone: enabled + step, no properties.
  { name: 'store-and-informers/model-only', scenario: storeAndInformers, properties: [] },
  // One node, 20 pods: readiness probes, restarts, crash loops, graceful deletion; every node fault on.
  { name: 'node', scenario: nodeWorkload(14), properties: PROPERTIES },
];

function measure(c: Case): Record<string, unknown> {
  const config = runConfig(c.scenario, undefined, c.properties, false);
  // Warm up the JIT before timing.
  for (let seed = 0; seed < 20; seed++) run(config, seededChooser(seed, c.scenario.stepsMax));
  let steps = 0;
  let runs = 0;
  let violations = 0;
  const started = performance.now();
  let elapsedMs = 0;
  while (elapsedMs < SECONDS_PER_CASE * 1000) {
    const result = run(config, seededChooser(1000 + runs, c.scenario.stepsMax));
    steps += result.steps;
    runs++;
    if (result.violation) violations++;
    elapsedMs = performance.now() - started;
  }
  const seconds = elapsedMs / 1000;
  return {
    case: c.name,
    informers: c.scenario.informers.length,
    nodes: c.scenario.nodes.length,
    objects: c.scenario.users.flatMap((u) => u.script).filter((op) => op.op === 'create').length,
    pods: c.scenario.users.flatMap((u) => u.script).filter((op) => op.op === 'create' && op.resource === 'pods').length,
    faults: Object.entries(c.scenario.faults).filter(([, on]) => on).map(([f]) => f),
    properties: c.properties.length,
    runs,
    steps,
    stepsPerRun: Math.round(steps / runs),
    seconds: Number(seconds.toFixed(2)),
    stepsPerSecond: Math.round(steps / seconds),
    runsPerSecond: Number((runs / seconds).toFixed(1)),
    violations,
  };
}

const only = process.argv[2];
for (const c of CASES) {
  if (only && c.name !== only) continue;
  console.log(JSON.stringify(measure(c)));
}
