// Shrinking by deleting steps. fast-check shrinks the list of choices, but a choice is an
// index among the actions enabled at its step: deleting one shifts what every later choice
// means, so steps that led nowhere survive its shrinking. This pass deletes one step at a
// time and re-chooses the steps after it by what they did, not by where they stood in the
// list (delta debugging on the schedule). A deletion is kept when the same property still
// fails, no later than before.
import { arrayChooser } from './chooser.ts';
import type { Action } from '../model/actions.ts';
import { enabled } from '../model/enabled.ts';
import { step } from '../model/step.ts';
import { initialWorld } from '../model/world.ts';
import { pickAction, slotOf } from './pick.ts';
import { run, type RunConfig, type Violation } from './run.ts';

/** The same action at another point of a run: the same fields, but a tick (or a stall) may go to another instant, with other clients busy. */
function sameAction(a: Action, b: Action): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'tick' || a.kind === 'stall') return true;
  const fields = a as unknown as Record<string, unknown>;
  const other = b as unknown as Record<string, unknown>;
  for (const key in fields) if (fields[key] !== other[key]) return false;
  return true;
}

/** The actions exploration took for these choices. */
function actionsOf(config: RunConfig, choices: readonly number[]): Action[] {
  const chooser = arrayChooser(choices);
  const taken: Action[] = [];
  let world = initialWorld(config.system);
  for (let i = 0; i < choices.length; i++) {
    const picked = pickAction(chooser, enabled(world, { faults: true }), config.faultRarity);
    if (picked === null) break;
    taken.push(picked.action);
    world = step(world, picked.action);
  }
  return taken;
}

/** Choices that take these actions in order, or null when one of them is not enabled when its turn comes. */
function choicesFor(config: RunConfig, wanted: readonly Action[]): number[] | null {
  const choices: number[] = [];
  let world = initialWorld(config.system);
  for (const action of wanted) {
    const actions = enabled(world, { faults: true });
    const index = actions.findIndex((a) => sameAction(a, action));
    if (index < 0) return null;
    choices.push(slotOf(actions, index, config.faultRarity));
    world = step(world, actions[index]!);
  }
  return choices;
}

export interface StepsShrunk {
  readonly choices: readonly number[];
  readonly violation: Violation;
  /** Candidate runs tried. */
  readonly runs: number;
}

/** Deletes steps from a failing run's exploration while `violation.property` still fails, within `runsMax` candidate runs. */
export function shrinkSteps(config: RunConfig, choices: readonly number[], violation: Violation, runsMax: number): StepsShrunk {
  const safety = violation.kind === 'always' || violation.kind === 'transition';
  let best = { choices, violation, actions: actionsOf(config, choices) };
  let runs = 0;
  let deleted = true;
  while (deleted && runs < runsMax) {
    deleted = false;
    // From the last step back: a late step that led nowhere is the likeliest to go.
    for (let i = best.actions.length - 1; i >= 0 && runs < runsMax; i--) {
      const candidate = choicesFor(config, [...best.actions.slice(0, i), ...best.actions.slice(i + 1)]);
      if (candidate === null) continue;
      runs++;
      const result = run(safety ? { ...config, stepsCut: best.violation.step } : config, arrayChooser(candidate));
      const v = result.violation;
      if (v === null || v.property !== violation.property || v.step > best.violation.step) continue;
      best = { choices: result.choices, violation: v, actions: actionsOf(config, result.choices) };
      deleted = true;
      i = Math.min(i, best.actions.length);
    }
  }
  return { choices: best.choices, violation: best.violation, runs };
}
