// The kubeprop command line: check scenarios, run one and read its outcome, replay a trace, list what exists.
// Exit codes: 0 every property held and every sometimes-goal was reached; 1 a property
// failed or a goal was never reached; 2 bad input (usage, a trace that cannot be read).
import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;
import { PROPERTIES } from '../properties/index.ts';
import { readTrace, TraceError } from '../reports/trace.ts';
import { SCENARIOS, findScenario } from '../scenarios/index.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { Defect } from './defect.ts';
import { explore, type ExploreResult } from './explore.ts';
import { exploreInWorkers } from './workers.ts';
import { runOnce } from './run-once.ts';
import { replay } from './replay.ts';

class UsageError extends Error {}

/** Runs per scenario at most. */
const DEFAULT_RUNS = 1000;
/** Wall-clock seconds for a whole check when --runs is not given, shared evenly by its scenarios: about a minute here. */
const DEFAULT_TIME_S = 60;

const HELP: Record<string, string> = {
  main: `kubeprop: a property-based model checker of Kubernetes control-plane invariants

usage:
  kubeprop check [scenario...] [--runs N] [--time S] [--seed S] [--shard I/N] [--workers N] [--out DIR] [--json]
  kubeprop run <scenario> [--seed S] [--log] [--out DIR]
  kubeprop replay <trace.json>
  kubeprop list

Run 'kubeprop <command> --help' for a command's options.`,
  check: `usage: kubeprop check [scenario...] [--runs N] [--time S] [--seed S] [--shard I/N] [--workers N] [--out DIR] [--json]

Explores each scenario (all built-in ones when none is named) with N random runs
driven by fast-check, checking every property after every step, and prints a summary.
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
  --out DIR   where failing traces are written (default out/traces)
  --json      print the summary as JSON lines instead of a table`,
  run: `usage: kubeprop run <scenario> [--seed S] [--log] [--out DIR]

Runs the scenario once: random choices from the seed (faults included), then faults
healed until it settles, checking every property. Prints the outcome and the pods at
the end as 'kubectl get pods' lists them; a violation is written as a trace.
  --seed S    the run's seed (default: a fresh one, printed); the same seed gives the same run
  --log       print every step
  --out DIR   where a failing trace is written (default out/traces)`,
  replay: `usage: kubeprop replay <trace.json>

Re-runs a trace written by a failing check: the same scenario, choices and properties.
Each step's label must match the recorded one; a mismatch is reported as nondeterminism.
Exit codes: 1 the violation was reproduced (or nondeterminism was found); 3 every recorded
step happened again but the violation did not (the model or the property has changed).`,
  list: 'usage: kubeprop list\n\nLists the built-in scenarios and the properties with their descriptions.',
};

type Values = Record<string, string | boolean | undefined>;

function parse(args: string[], options: ParseArgsOptionsConfig): { values: Values; positionals: string[] } {
  try {
    const parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean' } }, allowPositionals: true, strict: true });
    return { values: parsed.values as Values, positionals: parsed.positionals };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function count(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`${flag} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return n;
}

/** Loads the planted defects only when a trace names one: they live beside the tests. */
async function loadDefects(): Promise<readonly Defect[]> {
  const module = await import('../test/defects/index.ts');
  return module.DEFECTS as readonly Defect[];
}

function printSummary(results: readonly ExploreResult[], scenarios: readonly Scenario[], partial: boolean): void {
  for (const r of results) {
    const scenario = scenarios.find((s) => s.name === r.scenario)!;
    const verdict = r.failure ? `FAILED ${r.failure.trace.violation.property}` : goalsFail(r, partial) ? 'GOALS NOT REACHED' : 'ok';
    console.log(`\n${r.scenario}: ${r.runs} runs${r.cutByTime ? ' (time budget)' : ''}, ${r.steps} steps, seed ${r.seed}: ${verdict}`);
    for (const p of PROPERTIES) {
      let status: string;
      if (p.kind === 'sometimes') {
        if (!scenario.goals.includes(p.name)) continue;
        const n = r.reached.get(p.name) ?? 0;
        status = n > 0 ? `reached in ${n} runs` : r.cutByTime ? 'not reached before the time budget ran out' : partial ? 'not reached in this shard' : 'NEVER REACHED';
      } else {
        status = r.failure?.trace.violation.property === p.name ? 'VIOLATED' : 'held';
      }
      console.log(`  ${p.kind.padEnd(10)} ${p.name.padEnd(40)} ${status}`);
    }
    if (r.failure) {
      const t = r.failure.trace;
      console.log(`\n  ${t.violation.property} failed at step ${t.violation.step}: ${t.violation.message}`);
      console.log(`  shrunk to ${t.choices.length} exploration steps (from ${t.originalSteps}); ${t.labels.length} steps in all`);
      if (r.failure.file) console.log(`  trace: ${r.failure.file}\n  replay: npm run replay -- ${r.failure.file}`);
    }
  }
}

async function check(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    runs: { type: 'string' }, time: { type: 'string' }, seed: { type: 'string' }, shard: { type: 'string' }, workers: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' },
  });
  if (values.help) return console.log(HELP.check), 0;
  const scenarios = positionals.length === 0 ? SCENARIOS : positionals.map(scenarioNamed);
  const runs = count(values.runs, '--runs') ?? DEFAULT_RUNS;
  const seed = count(values.seed, '--seed') ?? freshSeed();
  const outDir = (values.out as string | undefined) ?? 'out/traces';
  const timeS = count(values.time, '--time') ?? (values.runs === undefined ? DEFAULT_TIME_S : undefined);
  const timeMs = timeS === undefined ? undefined : (timeS * 1000) / scenarios.length;
  const shard = shardOf(values.shard);
  const workers = count(values.workers, '--workers') ?? 1;
  if (workers < 1) throw new UsageError('--workers must be at least 1');
  const options = { runs, seed, outDir, ...(timeMs === undefined ? {} : { timeMs }), ...(shard ? { shard } : {}) };
  const results = workers === 1 ? scenarios.map((s) => explore(s, options)) : await exploreInWorkers(scenarios, options, workers);
  const partial = shard !== undefined;
  if (values.json) for (const r of results) console.log(JSON.stringify({ ...r, reached: Object.fromEntries(r.reached), failure: r.failure && { file: r.failure.file, violation: r.failure.trace.violation } }));
  else printSummary(results, scenarios, partial);
  return results.every((r) => !r.failure && !goalsFail(r, partial)) ? 0 : 1;
}

/** Goals unreached fail a check that made all its runs; one cut short by its time budget, or one shard of it, cannot tell. */
function goalsFail(r: ExploreResult, partial: boolean): boolean {
  return r.missingGoals.length > 0 && !r.cutByTime && !partial;
}

/** `--shard I/N` (1-based) as explore's 0-based shard. */
function shardOf(value: unknown): { index: number; count: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(String(value));
  const [i, n] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || n < 1 || i < 1 || i > n) throw new UsageError(`--shard must be I/N with 1 <= I <= N, got ${JSON.stringify(value)}`);
  return { index: i - 1, count: n };
}

function scenarioNamed(name: string): Scenario {
  const s = findScenario(name);
  if (!s) throw new UsageError(`unknown scenario "${name}"; known: ${SCENARIOS.map((x) => x.name).join(', ')}`);
  return s;
}

/** The checker, unlike the model, may take a fresh seed from the clock: it is printed so the run can be repeated. */
function freshSeed(): number {
  return Date.now() % 0x7fffffff;
}

function runCommand(args: string[]): number {
  const { values, positionals } = parse(args, { seed: { type: 'string' }, log: { type: 'boolean' }, out: { type: 'string' } });
  if (values.help) return console.log(HELP.run), 0;
  if (positionals.length !== 1) throw new UsageError('run takes exactly one scenario');
  const outcome = runOnce(scenarioNamed(positionals[0]!), {
    seed: count(values.seed, '--seed') ?? freshSeed(), log: values.log === true, outDir: (values.out as string | undefined) ?? 'out/traces',
  });
  for (const line of outcome.lines) console.log(line);
  return outcome.violated ? 1 : 0;
}

async function replayCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {});
  if (values.help) return console.log(HELP.replay), 0;
  if (positionals.length !== 1) throw new UsageError('replay takes exactly one trace file');
  const file = positionals[0]!;
  try {
    const trace = readTrace(file);
    const outcome = replay(trace, trace.defect === null ? [] : await loadDefects());
    if (outcome.mismatch) {
      const m = outcome.mismatch;
      console.log(`NONDETERMINISM: step ${m.step} of ${file} recorded "${m.recorded}" but the replay took "${m.replayed}"`);
      return 1;
    }
    const v = outcome.violation;
    console.log(`replayed ${outcome.steps} steps of ${trace.scenario}${trace.defect ? ` with planted defect ${trace.defect}` : ''}`);
    if (outcome.reproduced) console.log(`reproduced: ${v!.property} failed at step ${v!.step}: ${v!.message}`);
    else if (v) console.log(`a different failure: ${v.property} at step ${v.step}: ${v.message}`);
    else {
      console.log(`not reproduced: every recorded step happened again, but ${trace.violation.property} did not fail at step ${trace.violation.step};` +
        ' the model or the property has changed since the trace was written');
    }
    return outcome.reproduced ? 1 : 3;
  } catch (e) {
    if (e instanceof TraceError) throw new TraceError(`${file}: ${e.message}`);
    throw e;
  }
}

function list(args: string[]): number {
  const { values } = parse(args, {});
  if (values.help) return console.log(HELP.list), 0;
  console.log('scenarios:');
  for (const s of SCENARIOS) console.log(`  ${s.name.padEnd(24)} ${s.description}`);
  console.log('\nproperties:');
  for (const p of PROPERTIES) console.log(`  ${p.kind.padEnd(10)} ${p.name.padEnd(40)} ${p.description}`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check': return await check(rest);
      case 'run': return runCommand(rest);
      case 'replay': return await replayCommand(rest);
      case 'list': return list(rest);
      case undefined: case '--help': case '-h': case 'help': console.log(HELP.main); return command === undefined ? 2 : 0;
      default: throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`kubeprop: ${e.message}\nRun 'kubeprop --help' for usage.`);
      return 2;
    }
    if (e instanceof TraceError) {
      console.error(`kubeprop: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
