// Exploration driven by fast-check: each run is an array of integers (the choices),
// shrinkable and replayable by seed and path. A failure is shrunk, re-run once more
// with labels recorded, and written as a trace file.
import fc from 'fast-check';
import { PROPERTIES } from '../properties/index.ts';
import type { Property } from '../properties/property.ts';
import { TRACE_FORMAT, TRACE_VERSION, type Trace } from '../reports/trace.ts';
import { writeFailure } from '../reports/write-report.ts';
import { buildSystem } from '../scenarios/build.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { arrayChooser } from './chooser.ts';
import { collectCoverage, countAction, emptyCoverage, type CoverageData } from './coverage.ts';
import type { Defect } from './defect.ts';
import { run, type RunConfig, type RunResult } from './run.ts';
import { shrinkSteps } from './shrink-steps.ts';

export interface ExploreOptions {
  readonly runs: number;
  readonly seed: number;
  /** fast-check's counterexample path, to re-run one failing case directly. */
  readonly path?: string;
  readonly defect?: Defect;
  readonly properties?: readonly Property[];
  /** Directory for the failure's trace file; null writes none. */
  readonly outDir: string | null;
  /** Wall-clock budget for the search (not the shrinking): runs past it are skipped. The checker may read the clock; the model never does. */
  readonly timeMs?: number;
  /**
   * Make only the runs whose position among the seed's runs is `index` modulo `count` (0-based);
   * the others are generated and skipped, so the `count` shards of one seed make, between them,
   * exactly the runs one check of it makes: for a CI matrix.
   */
  readonly shard?: { readonly index: number; readonly count: number };
  /**
   * Called after each run the search makes (not per step), and after each run of fast-check's
   * shrink: the runs of the search made so far (shrink runs not counted), the steps of every
   * run so far (as ExploreResult.steps counts them), and whether a failure was found and is
   * being shrunk. Cheap to pass: a progress reporter throttles its own output.
   */
  readonly onProgress?: (runsDone: number, stepsDone: number, shrinking: boolean) => void;
}

export interface ExploreResult {
  readonly scenario: string;
  readonly seed: number;
  readonly runs: number;
  /** Steps of the search's runs (a failure's shrinking re-runs are not counted). */
  readonly steps: number;
  /** For each sometimes-goal, how many runs reached it. */
  readonly reached: ReadonlyMap<string, number>;
  /** The scenario's goals that no run reached: the exploration did not get where it should. */
  readonly missingGoals: readonly string[];
  /** The failure found, shrunk; its trace file and HTML report, when written. */
  readonly failure: { readonly trace: Trace; readonly file: string | null; readonly report: string | null } | null;
  /** The time budget ran out before `runs` runs: too few, perhaps, to reach every goal. */
  readonly cutByTime: boolean;
  /** The states and handlers of the component machines the search's runs exercised, and its actions by kind. */
  readonly coverage: CoverageData;
  /** The failing run's position among the seed's runs (shards count the runs they skip). */
  readonly failedAtRun: number | null;
}

/**
 * fast-check's generator of runs: up to stepsMax choices, each any index (taken modulo the
 * enabled count). fast-check shrinks an array's length by keeping its end, so the array is
 * drawn reversed: a shorter array is then the same run cut short, and the choices a
 * failure never reached (those after its step) go in one shrink instead of one by one.
 */
export function choicesArbitrary(stepsMax: number): fc.Arbitrary<number[]> {
  return fc.array(fc.nat({ max: 1023 }), { maxLength: stepsMax, size: 'max' }).map((drawn) => [...drawn].reverse());
}

export function runConfig(scenario: Scenario, defect: Defect | undefined, properties: readonly Property[], recordLabels: boolean): RunConfig {
  return {
    system: buildSystem(scenario, defect?.machines),
    stepsMax: scenario.stepsMax,
    convergeStepsMax: scenario.convergeStepsMax,
    settleMs: scenario.settleMs,
    faultRarity: scenario.faultRarity,
    properties,
    recordLabels,
  };
}

export function traceOf(scenario: Scenario, config: RunConfig, result: RunResult, defect: Defect | undefined,
  seed: number | null, path: string | null, originalSteps: number): Trace {
  const violation = result.violation!;
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    scenario: scenario.name,
    scenarioFile: scenario.source ? { path: scenario.source.path, skipUnmodelled: scenario.source.skipUnmodelled } : null,
    defect: defect?.name ?? null,
    options: {
      stepsMax: config.stepsMax, convergeStepsMax: config.convergeStepsMax, settleMs: config.settleMs, faultRarity: config.faultRarity,
      properties: config.properties.map((p) => p.name),
      faults: scenario.faults, bounds: scenario.bounds,
    },
    seed,
    path,
    choices: [...result.choices],
    labels: [...result.labels],
    originalSteps,
    violation: { property: violation.property, kind: violation.kind, message: violation.message, step: violation.step },
  };
}

/**
 * Runs fast-check may spend shrinking one failure. Each shrink candidate is a whole run, and a
 * pod scenario's run is thousands of steps, so an unbounded shrink of a long counterexample
 * can take longer than the search that found it; past the budget, the shortest failure so far
 * is the counterexample.
 */
export const SHRINK_RUNS_MAX = 2_000;

/** Candidate runs the step-deletion pass (shrink-steps.ts) may try after fast-check's shrink. */
export const STEP_DELETIONS_MAX = 500;

/**
 * How much longer than the shortest failure so far a shrink candidate may run. A safety
 * violation happens at a step, so a candidate need not run to convergence: one that has not
 * failed by then is not a smaller instance. Not 1: a candidate with fewer choices (a plainer
 * run) may fail a few steps later and is still the simpler story.
 */
const SHRINK_STEPS_FACTOR = 2;

/** Violations of these kinds happen at a step; eventually-properties are judged only at the end of a run. */
const isSafety = (kind: Property['kind']) => kind === 'always' || kind === 'transition';

export function explore(scenario: Scenario, options: ExploreOptions): ExploreResult {
  const properties = options.properties ?? PROPERTIES;
  const config = runConfig(scenario, options.defect, properties, false);
  const reached = new Map<string, number>();
  let steps = 0;
  let mainRuns = 0;
  /** The first failure found: shrinking looks for shorter runs that break the same property. */
  let first: { property: string; explorationSteps: number; run: number } | null = null;
  let shrinkRuns = 0;
  let stepsCut: number | undefined;
  const deadline = options.timeMs === undefined ? Infinity : performance.now() + options.timeMs;
  let cutByTime = false;
  let position = 0;
  const shard = options.shard ?? { index: 0, count: 1 };
  const coverage = emptyCoverage();
  const measured: RunConfig = { ...config, onAction: (action) => countAction(coverage, action) };

  /** Counts a run made and says whether it held (false: it fails, or fails the same way as the failure being shrunk). */
  const judge = (result: RunResult): boolean => {
    const v = result.violation;
    if (first === null) {
      mainRuns++;
      for (const goal of result.reached) reached.set(goal, (reached.get(goal) ?? 0) + 1);
      if (v === null) return true;
      first = { property: v.property, explorationSteps: result.explorationSteps, run: position - 1 };
    } else if (v === null || v.property !== first.property) {
      // Another property's failure is not a smaller instance of this one.
      return true;
    }
    if (isSafety(v.kind)) stepsCut = SHRINK_STEPS_FACTOR * v.step;
    return false;
  };

  const details = fc.check(
    fc.property(choicesArbitrary(scenario.stepsMax), (choices) => {
      if (first !== null && shrinkRuns++ >= SHRINK_RUNS_MAX) return true;
      if (first === null && position++ % shard.count !== shard.index) return true;
      if (first === null && mainRuns > 0 && performance.now() > deadline) return (cutByTime = true);
      // The search's runs are measured for coverage; shrinking's re-runs are not more exploration.
      const result = first === null
        ? collectCoverage(coverage, () => run(measured, arrayChooser(choices)))
        : run(stepsCut === undefined ? config : { ...config, stepsCut }, arrayChooser(choices));
      // The search's steps, as its runs count them; shrinking's re-runs are not more exploration.
      if (first === null) steps += result.steps;
      const held = judge(result);
      options.onProgress?.(mainRuns, steps, first !== null);
      return held;
    }),
    { numRuns: options.runs, seed: options.seed, ...(options.path ? { path: options.path } : {}) },
  );

  const goalNames = new Set(properties.filter((p) => p.kind === 'sometimes').map((p) => p.name));
  const missingGoals = scenario.goals.filter((g) => goalNames.has(g) && !reached.has(g));
  let failure: ExploreResult['failure'] = null;
  if (details.failed && details.counterexample) {
    const found = run(config, arrayChooser(details.counterexample[0]));
    if (!found.violation) throw new Error(`kubeprop: the shrunk counterexample of ${scenario.name} did not fail again; the model is nondeterministic`);
    const shrunk = shrinkSteps(config, found.choices, found.violation, STEP_DELETIONS_MAX);
    const recorded = { ...config, recordLabels: true };
    const result = run(recorded, arrayChooser(shrunk.choices));
    if (!result.violation) throw new Error(`kubeprop: the step-shrunk counterexample of ${scenario.name} did not fail again; the model is nondeterministic`);
    const original = (first as { explorationSteps: number } | null)?.explorationSteps ?? result.explorationSteps;
    const trace = traceOf(scenario, recorded, result, options.defect, details.seed, details.counterexamplePath, original);
    failure = { trace, ...(options.outDir === null ? { file: null, report: null } : writeFailure(options.outDir, trace, options.defect)) };
  } else if (details.failed) {
    throw details.errorInstance ?? new Error(`kubeprop: exploring ${scenario.name} failed without a counterexample`);
  }
  const failedAtRun = failure === null ? null : (first as { run: number } | null)?.run ?? null;
  return { scenario: scenario.name, seed: details.seed, runs: mainRuns, steps, reached, missingGoals, failure, cutByTime, failedAtRun, coverage };
}
