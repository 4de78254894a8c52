// `kubeprop check --workers N`: each scenario's runs split over N worker threads, each making
// one shard of the seed's runs (explore's `shard`), merged so that the verdicts are those of
// one worker: the same runs, the same goals reached as often, and, when runs fail, the failure
// of the run one worker would have reached first, shrunk the same way.
import { Worker } from 'node:worker_threads';
import { writeTrace } from '../reports/trace.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { ExploreOptions, ExploreResult } from './explore.ts';

function runWorker(names: readonly string[], options: ExploreOptions): Promise<ExploreResult[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: { names, options } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => { if (code !== 0) reject(new Error(`kubeprop: a worker exited with code ${code}`)); });
  });
}

/** The shards' results as one check's. */
function merge(parts: readonly ExploreResult[], outDir: string | null): ExploreResult {
  const reached = new Map<string, number>();
  for (const part of parts) for (const [goal, n] of part.reached) reached.set(goal, (reached.get(goal) ?? 0) + n);
  const failed = parts.filter((p) => p.failure !== null).sort((a, b) => a.failedAtRun! - b.failedAtRun!)[0];
  const failure = failed?.failure ? { trace: failed.failure.trace, file: outDir === null ? null : writeTrace(outDir, failed.failure.trace) } : null;
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
  };
}

/** Each worker takes every `workers`-th run of the options' shard (of all runs, when it has none). */
export async function exploreInWorkers(scenarios: readonly Scenario[], options: ExploreOptions, workers: number): Promise<ExploreResult[]> {
  const names = scenarios.map((s) => s.name);
  const { index, count } = options.shard ?? { index: 0, count: 1 };
  const shards = await Promise.all(Array.from({ length: workers }, (_, w) => runWorker(names, { ...options, shard: { index: index + w * count, count: count * workers } })));
  return names.map((_, i) => merge(shards.map((results) => results[i]!), options.outDir));
}
