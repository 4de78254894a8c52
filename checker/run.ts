// One run: explore with the chooser (faults on, within the fault budget) for at most
// stepsMax steps, checking safety after every step; then heal (no more faults) and let
// a fair scheduler run the system until it is quiet or convergeStepsMax runs out;
// then judge the eventually-properties.
import { actionKey, type Action } from '../model/actions.ts';
import { pickAction } from './pick.ts';
import { label } from '../model/action-labels.ts';
import { enabled } from '../model/enabled.ts';
import { step } from '../model/step.ts';
import type { System } from '../model/system.ts';
import { initialWorld, type World } from '../model/world.ts';
import type { AlwaysProperty, EventuallyProperty, Property, Settlement, SometimesGoal, TransitionProperty } from '../properties/property.ts';
import { usersFinished } from '../scenarios/user.ts';
import type { Chooser } from './chooser.ts';

export interface RunConfig {
  readonly system: System;
  readonly stepsMax: number;
  readonly convergeStepsMax: number;
  /**
   * Logical time after healing (or after the users' last operation, if later) within which the system must settle. A cluster never goes
   * quiet (leases renew, probes run, a crash-looping pod cycles), so "settled" means:
   * nothing is left to do at this instant, and the clock's next deadline lies beyond the window.
   */
  readonly settleMs: number;
  /**
   * How many times likelier each ordinary action is to be explored than each fault. With
   * every action equally likely, faults cluster in a run's first steps and its fault budget
   * is spent before anything has happened (a node crashes before its pods ever ran).
   */
  readonly faultRarity: number;
  readonly properties: readonly Property[];
  /** Record each step's label, for traces. Off in the hot loop: labels cost string building. */
  readonly recordLabels: boolean;
  /**
   * Steps in all (exploration and convergence) after which the run stops unjudged. Shrinking
   * sets it to the step at which the counterexample so far broke a safety property: a
   * candidate that breaks it no sooner is no shorter, so it need not run to convergence.
   */
  readonly stepsCut?: number;
  /** Told of every action taken (a check counts them by kind). */
  readonly onAction?: (action: Action) => void;
}

export interface Violation {
  readonly property: string;
  readonly kind: Property['kind'];
  readonly message: string;
  /** Steps taken when it was detected (the step that broke a safety property is this one). */
  readonly step: number;
}

export interface RunResult {
  /** The index chosen at each exploration step. */
  readonly choices: readonly number[];
  /** The label of every step, exploration then convergence (empty unless recorded). */
  readonly labels: readonly string[];
  readonly explorationSteps: number;
  readonly steps: number;
  /** How convergence ended; null when a violation came first or the run was cut (stepsCut). */
  readonly settlement: Settlement | null;
  readonly violation: Violation | null;
  readonly reached: ReadonlySet<string>;
  readonly world: World;
}

const STILL_ENABLED_SHOWN = 5;

export function run(config: RunConfig, chooser: Chooser): RunResult {
  const always = config.properties.filter((p): p is AlwaysProperty => p.kind === 'always');
  const transitions = config.properties.filter((p): p is TransitionProperty => p.kind === 'transition');
  const eventually = config.properties.filter((p): p is EventuallyProperty => p.kind === 'eventually');
  const goals = config.properties.filter((p): p is SometimesGoal => p.kind === 'sometimes');

  let world = initialWorld(config.system);
  const choices: number[] = [];
  const labels: string[] = [];
  const reached = new Set<string>();
  let steps = 0;
  let violation: Violation | null = null;

  const fail = (p: Property, message: string): void => {
    violation = { property: p.name, kind: p.kind, message, step: steps };
  };
  const checkAlways = (): void => {
    for (const p of always) {
      const message = p.check(world);
      if (message !== null) return fail(p, message);
    }
  };
  const take = (action: Action): void => {
    config.onAction?.(action);
    if (config.recordLabels) labels.push(label(world, action));
    let next: World;
    try {
      next = step(world, action);
    } catch (e) {
      // A model that throws has a bug of its own; report it as a violation with a trace, not a crash.
      steps++;
      violation = { property: 'modelStepSucceeds', kind: 'always', message: `step threw ${(e as Error).stack ?? String(e)}`, step: steps };
      return;
    }
    steps++;
    for (const p of transitions) {
      const message = p.check(world, action, next);
      if (message !== null) {
        world = next;
        return fail(p, message);
      }
    }
    for (const g of goals) if (!reached.has(g.name) && g.reached(world, action, next)) reached.add(g.name);
    world = next;
    checkAlways();
  };

  const stepsCut = config.stepsCut ?? Infinity;
  checkAlways();
  while (violation === null && steps < config.stepsMax && steps < stepsCut) {
    const actions = enabled(world, { faults: true });
    if (actions.length === 0) break;
    const picked = pickAction(chooser, actions, config.faultRarity);
    if (picked === null) break;
    choices.push(picked.slot);
    take(picked.action);
  }
  const explorationSteps = steps;

  let settlement: Settlement | null = null;
  if (violation === null && steps < stepsCut) {
    // Heal: no more faults (recoveries are ordinary actions). Fair scheduling: always take the
    // enabled action that has waited longest since it was last taken (never taken: first),
    // and let the clock move only when nothing else is left to do at this instant.
    // The settle window runs from the later of healing and the users' last operation: the
    // system gets settleMs after the last change anyone made to it, and a user still in the
    // middle of its script (waiting, or polling for a condition) keeps the run going.
    let windowEndMs = world.nowMs + config.settleMs;
    let usersDone = usersFinished(world);
    const healedAtRv = world.store.context.rv;
    const settled = (actions: readonly Action[]) =>
      actions.length === 0 || (usersDone && actions.length === 1 && actions[0]!.kind === 'tick' && actions[0]!.toMs > windowEndMs);
    const lastTaken = new Map<string, number>();
    const fairest = (actions: readonly Action[]): Action => {
      let best = actions[0]!;
      let bestAt = Infinity;
      for (const a of actions) {
        // Maximal progress: the clock moves only once everything due at this instant is done.
        if (a.kind === 'tick' && actions.length > 1) continue;
        const at = lastTaken.get(actionKey(a)) ?? -1;
        if (at < bestAt) {
          best = a;
          bestAt = at;
        }
      }
      return best;
    };
    let taken = 0;
    let actions = enabled(world, { faults: false });
    while (violation === null && !settled(actions) && taken < config.convergeStepsMax && steps < stepsCut) {
      const action = fairest(actions);
      lastTaken.set(actionKey(action), taken);
      take(action);
      taken++;
      if (!usersDone && usersFinished(world)) {
        usersDone = true;
        windowEndMs = Math.max(windowEndMs, world.nowMs + config.settleMs);
      }
      actions = enabled(world, { faults: false });
    }
    // A cut run is not judged: it stopped before the system had its chance to settle.
    if (steps >= stepsCut) return { choices, labels, explorationSteps, steps, settlement, violation, reached, world };
    settlement = {
      quiet: settled(actions),
      stepsTaken: taken,
      stillEnabled: actions.slice(0, STILL_ENABLED_SHOWN).map((a) => label(world, a)),
      healedAtRv,
    };
    for (const p of eventually) {
      if (violation !== null) break;
      const message = p.check(world, settlement);
      if (message !== null) fail(p, message);
    }
  }
  return { choices, labels, explorationSteps, steps, settlement, violation, reached, world };
}
