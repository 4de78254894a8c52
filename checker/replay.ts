// Replaying a trace: the same scenario, machines and properties, driven by the
// recorded choices. Every step's label must match the recorded one; the first that
// does not is reported as nondeterminism, never skipped over.
import { findProperty } from '../properties/index.ts';
import type { Property, TransitionProperty } from '../properties/property.ts';
import type { Action } from '../model/actions.ts';
import type { World } from '../model/world.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { TraceError, type Trace } from '../reports/trace.ts';
import { resolveScenario } from '../scenarios/resolve.ts';
import { NondeterminismError, replayChooser } from './chooser.ts';
import type { Defect } from './defect.ts';
import { runConfig } from './explore.ts';
import { run, type Violation } from './run.ts';

export interface LabelMismatch {
  /** 1-based step number. */
  readonly step: number;
  readonly recorded: string;
  readonly replayed: string;
}

export interface ReplayOutcome {
  readonly steps: number;
  readonly violation: Violation | null;
  /** The same property failed with the same message at the same step. */
  readonly reproduced: boolean;
  readonly mismatch: LabelMismatch | null;
}

/**
 * The first step whose label differs. A replay that goes on past the recorded end is no
 * mismatch: every recorded step happened again, and the violation did not (the model or a
 * property has changed since the trace was written).
 */
function firstMismatch(recorded: readonly string[], replayed: readonly string[]): LabelMismatch | null {
  for (let i = 0; i < recorded.length; i++) {
    if (recorded[i] !== replayed[i]) {
      return { step: i + 1, recorded: recorded[i]!, replayed: replayed[i] ?? '(the replay ended here)' };
    }
  }
  return null;
}

/** The scenario a trace was recorded on: a built-in one by name, or its scenario file read again. */
export function traceScenario(trace: Trace): Scenario {
  const file = trace.scenarioFile;
  const scenario = resolveScenario(file?.path ?? trace.scenario, { skipUnmodelled: file?.skipUnmodelled ?? false })?.scenario;
  if (!scenario) throw new TraceError(`unknown scenario "${trace.scenario}" (kubeprop list shows the built-in ones)`);
  if (scenario.name !== trace.scenario) throw new TraceError(`${file!.path} now holds scenario "${scenario.name}", not "${trace.scenario}"`);
  return scenario;
}

/** Sees every step of a replay: the world before, the action, the world after. */
export type StepObserver = (before: World, action: Action, after: World) => void;

/**
 * Replays `trace`. `defects` resolves the trace's planted defect, if it names one; `observe`, if
 * given, sees every step (a report is built from them), before any property judges it.
 */
export function replay(trace: Trace, defects: readonly Defect[] = [], observe?: StepObserver): ReplayOutcome {
  const scenario = traceScenario(trace);
  const defect = trace.defect === null ? undefined : defects.find((d) => d.name === trace.defect);
  if (trace.defect !== null && !defect) throw new TraceError(`unknown planted defect "${trace.defect}"`);
  const properties = trace.options.properties.map((name): Property => {
    const property = findProperty(name);
    if (!property) throw new TraceError(`unknown property "${name}"`);
    return property;
  });
  const { faults, bounds, ...options } = trace.options;
  const observer: TransitionProperty[] = observe ? [{
    kind: 'transition', name: 'observeStep', description: 'records the step for a report; never fails',
    check: (before, action, after) => (observe(before, action, after), null),
  }] : [];
  const config = runConfig({ ...scenario, ...options, faults: faults ?? scenario.faults, bounds: bounds ?? scenario.bounds }, defect, [...observer, ...properties], true);
  let result;
  try {
    result = run(config, replayChooser(trace.choices));
  } catch (e) {
    if (!(e instanceof NondeterminismError)) throw e;
    return { steps: e.step - 1, violation: null, reproduced: false, mismatch: { step: e.step, recorded: trace.labels[e.step - 1] ?? '(none)', replayed: e.message } };
  }
  const mismatch = firstMismatch(trace.labels, result.labels);
  const v = result.violation;
  const reproduced = mismatch === null && v !== null && v.property === trace.violation.property &&
    v.message === trace.violation.message && v.step === trace.violation.step;
  return { steps: result.steps, violation: v, reproduced, mismatch };
}
