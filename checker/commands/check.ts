// `kubeprop check`: explores scenarios with fast-check and prints a summary table.
import { PROPERTIES } from '../../properties/index.ts';
import { writeSummary } from '../../reports/write-report.ts';
import { COMPONENT_MACHINES } from '../../scenarios/build.ts';
import type { Scenario } from '../../scenarios/scenario.ts';
import { explore, type ExploreResult } from '../explore.ts';
import { CheckProgress, runsPlanned } from '../progress.ts';
import { goalsFail, summaryTable } from '../summary-table.ts';
import { exploreInWorkers } from '../workers.ts';
import { count, freshSeed, OUT_DIR_DEFAULT, parse, SCENARIO_FLAGS, SCENARIO_FLAGS_HELP, scenariosOf, UsageError } from './args.ts';

/** Runs per scenario at most. */
const DEFAULT_RUNS = 1000;
/** Wall-clock seconds for a whole check when --runs is not given, shared evenly by its scenarios: about a minute here. */
const DEFAULT_TIME_S = 60;

export const CHECK_HELP = `usage: kubeprop check [scenario...] [options]

Explores each scenario (every built-in one when none is named; a name, or a scenario
file ending in .yaml) with random runs driven by fast-check, checking every property
after every step, and prints a summary: a row per scenario (runs, steps, goals reached,
verdict), a row per property violated and per goal not reached, each failure's trace
and how to replay it, and the totals. Progress goes to stderr: a bar on a terminal,
else a line as each scenario starts and ends.
Exit codes: 0 every property held and every goal was reached; 1 a property failed or a
goal was never reached; 2 bad input.
  --runs N    runs per scenario (default ${DEFAULT_RUNS}, within the time budget)
  --time S    seconds for the whole check, shared evenly by the scenarios (default
              ${DEFAULT_TIME_S} unless --runs is given); a scenario cut short by it may leave
              goals unreached without failing: too few runs to tell
  --seed S    fast-check seed (default: a fresh one, printed)
  --shard I/N make the I-th of N shares of the seed's runs (1-based): the N shards of
              one seed make between them exactly the runs one check makes, for a CI
              matrix; a shard alone does not fail on goals it did not reach
  --workers N worker threads sharing each scenario's runs (default 1); the verdicts are
              those of one worker for the same seed
  --out DIR   where failing traces and their HTML reports are written, and the check's
              summary page, summary.html (default ${OUT_DIR_DEFAULT})
  --json      print the summary as JSON lines instead of a table
  --verbose   a row in the table for every property of every scenario
${SCENARIO_FLAGS_HELP}`;

/** `--shard I/N` (1-based) as explore's 0-based shard. */
function shardOf(value: unknown): { index: number; count: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(String(value));
  const [i, n] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || n < 1 || i < 1 || i > n) throw new UsageError(`--shard must be I/N with 1 <= I <= N, got ${JSON.stringify(value)}`);
  return { index: i - 1, count: n };
}

function json(r: ExploreResult): string {
  return JSON.stringify({ ...r, reached: Object.fromEntries(r.reached), failure: r.failure && { file: r.failure.file, report: r.failure.report, violation: r.failure.trace.violation } });
}

export async function check(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    runs: { type: 'string' }, time: { type: 'string' }, seed: { type: 'string' }, shard: { type: 'string' }, workers: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' },
    verbose: { type: 'boolean' }, ...SCENARIO_FLAGS,
  });
  if (values.help) return console.log(CHECK_HELP), 0;
  const { scenarios, defect } = await scenariosOf(positionals, values);
  const runs = count(values.runs, '--runs') ?? DEFAULT_RUNS;
  const seed = count(values.seed, '--seed') ?? freshSeed();
  const outDir = (values.out as string | undefined) ?? OUT_DIR_DEFAULT;
  const timeS = count(values.time, '--time') ?? (values.runs === undefined ? DEFAULT_TIME_S : undefined);
  const timeMs = timeS === undefined ? undefined : (timeS * 1000) / scenarios.length;
  const shard = shardOf(values.shard);
  const workers = count(values.workers, '--workers') ?? 1;
  if (workers < 1) throw new UsageError('--workers must be at least 1');
  const options = { runs, seed, outDir, ...(timeMs === undefined ? {} : { timeMs }), ...(shard ? { shard } : {}), ...(defect ? { defect } : {}) };
  const partial = shard !== undefined;
  const startedAt = performance.now();
  const progress = new CheckProgress({
    scenarios: scenarios.map((s) => s.name), runs: runsPlanned(runs, shard), seed, workers, partial,
    ...(timeMs === undefined ? {} : { timeMs }), ...(shard ? { shard: { index: shard.index + 1, count: shard.count } } : {}),
  });
  progress.begin();
  let results: ExploreResult[];
  try {
    results = workers === 1
      ? scenarios.map((s: Scenario, i) => {
        progress.start(i);
        const result = explore(s, { ...options, onProgress: (done, steps, shrinking) => progress.progress(i, 0, done, steps, shrinking) });
        progress.done(i, result);
        return result;
      })
      : await exploreInWorkers(scenarios, options, workers, progress);
  } finally {
    progress.close();
  }
  const wallMs = performance.now() - startedAt;
  const summary = writeSummary(outDir, { results, scenarios, properties: PROPERTIES, machines: COMPONENT_MACHINES, partial, wallMs });
  if (values.json) for (const r of results) console.log(json(r));
  else for (const line of [...summaryTable(results, scenarios, { partial, verbose: values.verbose === true, wallMs }), `summary: ${summary}`]) console.log(line);
  return results.every((r) => !r.failure && !goalsFail(r, partial)) ? 0 : 1;
}
