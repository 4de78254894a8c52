// A schedule: a run given as the labels of its steps, as a trace prints them. It pins a
// path through the model that a random search finds only rarely (a bug found once in
// exploration becomes a regression test), independent of how choices map to actions.
import { label } from '../../model/action-labels.ts';
import { enabled } from '../../model/enabled.ts';
import { step } from '../../model/step.ts';
import { initialWorld } from '../../model/world.ts';
import { arrayChooser } from '../../checker/chooser.ts';
import type { Defect } from '../../checker/defect.ts';
import { runConfig } from '../../checker/explore.ts';
import { slotOf } from '../../checker/pick.ts';
import { run, type RunResult } from '../../checker/run.ts';
import type { Property } from '../../properties/property.ts';
import type { Scenario } from '../../scenarios/scenario.ts';

/**
 * The scenario with stalls on, and its fault budget raised by the stalls the schedule takes.
 * The schedules kept from before latency bounds (model/latency.ts) moved the clock past pending
 * work freely; each such move is now an explicit stall, which the scenario must allow.
 */
export function allowingStalls(scenario: Scenario, labels: readonly string[]): Scenario {
  const stalls = labels.filter((l) => l.startsWith('stall: ')).length;
  return { ...scenario, faults: { ...scenario.faults, stall: true }, bounds: { ...scenario.bounds, faultsMax: scenario.bounds.faultsMax + stalls } };
}

/**
 * Runs the scenario through exactly these steps, checking `properties` on each, then as any
 * run goes on (healed, to convergence). Throws when a label names no enabled action.
 */
export function runSchedule(scenario: Scenario, labels: readonly string[], properties: readonly Property[], defect?: Defect): RunResult {
  const config = { ...runConfig({ ...scenario, stepsMax: labels.length }, defect, properties, true) };
  let world = initialWorld(config.system);
  const choices: number[] = [];
  for (const [i, wanted] of labels.entries()) {
    const actions = enabled(world, { faults: true });
    const index = actions.findIndex((a) => label(world, a) === wanted);
    if (index < 0) throw new Error(`step ${i + 1}: "${wanted}" is not enabled; enabled: ${actions.map((a) => label(world, a)).join(' | ')}`);
    choices.push(slotOf(actions, index, config.faultRarity));
    world = step(world, actions[index]!);
  }
  return run(config, arrayChooser(choices));
}
