// `kubeprop check --workers N`: each scenario's runs split over N worker threads, each making
// one shard of the seed's runs (explore's `shard`), merged so that the verdicts are those of
// one worker: the same runs, the same goals reached as often, and, when runs fail, the failure
// of the run one worker would have reached first, shrunk the same way.
//
// Each worker explores the scenarios in order and posts, per scenario, a progress message when
// it starts it, at most one every PROGRESS_INTERVAL_MS while it runs, and a result message when
// it is done; a scenario's merged result is ready once every worker has posted its result, so
// workers may be on different scenarios at once.
import { Worker } from 'node:worker_threads';
import { writeFailure } from '../reports/write-report.ts';
import { mergeCoverage } from './coverage.ts';
import type { Defect } from './defect.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { ExploreOptions, ExploreResult } from './explore.ts';

/** The least time between two progress messages of one worker. */
export const PROGRESS_INTERVAL_MS = 100;

/** What a worker posts to the main thread. */
export type WorkerMessage =
  /** Runs and steps of its shard of the scenario (the index in the scenarios given) so far. */
  | { readonly kind: 'progress'; readonly scenario: number; readonly runs: number; readonly steps: number; readonly shrinking: boolean }
  /** Its shard's result of the scenario: its last message about that scenario. */
  | { readonly kind: 'result'; readonly scenario: number; readonly result: ExploreResult };

/** What the main thread hears of a check in workers, for a progress reporter. */
export interface WorkerEvents {
  /** A worker's progress on one scenario (runs and steps of its shard so far); its first one says it started the scenario. */
  progress(scenario: number, worker: number, runs: number, steps: number, shrinking: boolean): void;
  /** Every worker is done with the scenario: its merged result. Called in the scenarios' order. */
  done(scenario: number, result: ExploreResult): void;
}

/**
 * What a worker is given: the scenarios themselves (plain data, as loaded and overridden by the
 * command line), the options, and the planted defect by name (its machines do not cross to a thread).
 */
export interface WorkerInput {
  readonly scenarios: readonly Scenario[];
  readonly options: Omit<ExploreOptions, 'onProgress' | 'defect'>;
  readonly defect: string | null;
}

function runWorker(input: WorkerInput, onMessage: (message: WorkerMessage) => void): Promise<void> {
  const names = input.scenarios;
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: input });
    let results = 0;
    worker.on('message', (message: WorkerMessage) => {
      try {
        onMessage(message);
      } catch (e) {
        reject(e);
        void worker.terminate();
        return;
      }
      if (message.kind === 'result' && ++results === names.length) resolve();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`kubeprop: a worker exited with code ${code}`));
      else if (results < names.length) reject(new Error(`kubeprop: a worker exited with ${names.length - results} scenarios unexplored`));
    });
  });
}

/** The shards' results as one check's. */
function merge(parts: readonly ExploreResult[], outDir: string | null, defect: Defect | undefined): ExploreResult {
  const reached = new Map<string, number>();
  for (const part of parts) for (const [goal, n] of part.reached) reached.set(goal, (reached.get(goal) ?? 0) + n);
  const failed = parts.filter((p) => p.failure !== null).sort((a, b) => a.failedAtRun! - b.failedAtRun!)[0];
  const failure = failed?.failure
    ? { trace: failed.failure.trace, ...(outDir === null ? { file: null, report: null } : writeFailure(outDir, failed.failure.trace, defect)) }
    : null;
  return {
    scenario: parts[0]!.scenario,
    seed: parts[0]!.seed,
    runs: parts.reduce((n, p) => n + p.runs, 0),
    steps: parts.reduce((n, p) => n + p.steps, 0),
    reached,
    missingGoals: parts[0]!.missingGoals.filter((goal) => !reached.has(goal)),
    failure,
    cutByTime: parts.some((p) => p.cutByTime),
    failedAtRun: failed?.failedAtRun ?? null,
    coverage: mergeCoverage(parts.map((p) => p.coverage)),
  };
}

/**
 * Each worker takes every `workers`-th run of the options' shard (of all runs, when it has none).
 * The options' onProgress is not called (a function does not cross to a thread): pass `events`.
 * A planted defect is found again by name in each worker (test/defects).
 */
export async function exploreInWorkers(scenarios: readonly Scenario[], options: ExploreOptions, workers: number, events?: WorkerEvents): Promise<ExploreResult[]> {
  const names = scenarios.map((s) => s.name);
  const { onProgress: _, defect, ...plain } = options;
  const { index, count } = options.shard ?? { index: 0, count: 1 };
  const parts: ExploreResult[][] = names.map(() => []);
  const merged: ExploreResult[] = [];
  const onMessage = (w: number) => (message: WorkerMessage) => {
    if (message.kind === 'progress') return events?.progress(message.scenario, w, message.runs, message.steps, message.shrinking);
    const { scenario, result } = message;
    events?.progress(scenario, w, result.runs, result.steps, result.failure !== null);
    parts[scenario]![w] = result;
    // A worker finishes its scenarios in order, so the last one to finish scenario i has finished every earlier one.
    while (merged.length < names.length && parts[merged.length]!.filter(Boolean).length === workers) {
      const i = merged.length;
      merged.push(merge(parts[i]!, options.outDir, options.defect));
      events?.done(i, merged[i]!);
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, w) =>
    runWorker({ scenarios, options: { ...plain, shard: { index: index + w * count, count: count * workers } }, defect: defect?.name ?? null }, onMessage(w))));
  return merged;
}
