// The summary of `kubeprop check` for stdout, as text lines: one table with a row per scenario
// (runs, steps, goals reached, verdict) and, under it, a row per property violated and per goal
// not reached; with `verbose`, a row per property checked. Then each failure's story (where its
// trace is and how to replay it), and one line of totals. Pure: the caller prints.
import { PROPERTIES } from '../properties/index.ts';
import type { Property } from '../properties/property.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { replayCommand } from '../reports/replay-command.ts';
import type { ExploreResult } from './explore.ts';

export interface SummaryOptions {
  /** The check was one shard of the seed's runs (--shard): a goal it did not reach is not a failure. */
  readonly partial: boolean;
  /** Wall-clock time of the whole check, for the totals line. */
  readonly wallMs: number;
  /** A row for every property checked, not only for those violated and the goals not reached. */
  readonly verbose?: boolean;
  /** The properties checked (default: every property, as explore checks by default). */
  readonly properties?: readonly Pick<Property, 'kind' | 'name'>[];
}

/** Goals unreached fail a check that made all its runs; one cut short by its time budget, or one shard of it, cannot tell (as cli.ts's exit code says). */
export function goalsFail(r: ExploreResult, partial: boolean): boolean {
  return r.missingGoals.length > 0 && !r.cutByTime && !partial;
}

/** One scenario's verdict: `ok`, `ok (time budget)`, `FAILED` (a property violated) or `GOALS NOT REACHED`. */
export function scenarioVerdict(r: ExploreResult, partial: boolean): string {
  if (r.failure) return 'FAILED';
  if (goalsFail(r, partial)) return 'GOALS NOT REACHED';
  return r.cutByTime ? 'ok (time budget)' : 'ok';
}

/** 1234567 as `1,234,567`. */
export const count = (n: number): string => n.toLocaleString('en-US');

const plural = (n: number, one: string, many: string): string => `${count(n)} ${n === 1 ? one : many}`;

/** A sometimes-goal's verdict in one scenario. */
function goalVerdict(r: ExploreResult, goal: string, partial: boolean): string {
  const n = r.reached.get(goal) ?? 0;
  if (n > 0) return `reached in ${plural(n, 'run', 'runs')}`;
  // A failure ends the search: the goals it had not reached yet were not given their runs.
  if (r.failure) return 'not reached before the failure';
  if (r.cutByTime) return 'not reached (time budget)';
  return partial ? 'not reached in this shard' : 'NEVER REACHED';
}

interface Row {
  /** The scenario's name, or a property's kind and name (indented under its scenario). */
  readonly name: string;
  readonly runs: string;
  readonly steps: string;
  readonly goals: string;
  readonly verdict: string;
  readonly property: boolean;
}

export function summaryTable(results: readonly ExploreResult[], scenarios: readonly Pick<Scenario, 'name' | 'goals'>[], options: SummaryOptions): string[] {
  const properties = options.properties ?? PROPERTIES;
  const sometimes = new Set(properties.filter((p) => p.kind === 'sometimes').map((p) => p.name));
  const rows: Row[] = [];
  const propertyRow = (p: Pick<Property, 'kind' | 'name'>, verdict: string): Row =>
    ({ name: `  ${p.kind.padEnd(10)} ${p.name}`, runs: '', steps: '', goals: '', verdict, property: true });

  for (const r of results) {
    const scenario = scenarios.find((s) => s.name === r.scenario);
    if (!scenario) throw new Error(`kubeprop: no scenario ${r.scenario} for its result`);
    const goals = scenario.goals.filter((g) => sometimes.has(g));
    const reached = goals.filter((g) => r.reached.has(g)).length;
    rows.push({
      name: r.scenario, runs: count(r.runs), steps: count(r.steps), goals: goals.length === 0 ? '-' : `${reached}/${goals.length}`,
      verdict: scenarioVerdict(r, options.partial), property: false,
    });
    const violated = r.failure?.trace.violation.property;
    for (const p of properties) {
      if (p.kind === 'sometimes') {
        if (!goals.includes(p.name)) continue;
        const missed = !r.reached.has(p.name);
        // By default a goal's row is shown when it was missed, except in a failed scenario: there the failure is the story.
        if (options.verbose || (missed && !r.failure)) rows.push(propertyRow(p, goalVerdict(r, p.name, options.partial)));
      } else if (p.name === violated) {
        rows.push(propertyRow(p, 'VIOLATED'));
      } else if (options.verbose) {
        rows.push(propertyRow(p, 'held'));
      }
    }
  }

  const header: Row = { name: 'scenario', runs: 'runs', steps: 'steps', goals: 'goals', verdict: 'verdict', property: false };
  const width = (key: 'runs' | 'steps' | 'goals') => Math.max(...[header, ...rows].map((row) => row[key].length));
  const [runsW, stepsW, goalsW] = [width('runs'), width('steps'), width('goals')];
  // A property's name spans the scenario, runs, steps and goals columns, so that its verdict lines up with the scenarios'.
  const numbersW = 2 + runsW + 2 + stepsW + 2 + goalsW;
  const nameW = Math.max(...[header, ...rows].map((row) => row.property ? row.name.length - numbersW : row.name.length));
  const line = (row: Row) => (row.property
    ? `${row.name.padEnd(nameW + numbersW)}  ${row.verdict}`
    : `${row.name.padEnd(nameW)}  ${row.runs.padStart(runsW)}  ${row.steps.padStart(stepsW)}  ${row.goals.padStart(goalsW)}  ${row.verdict}`).trimEnd();
  const lines = [header, ...rows].map(line);

  for (const r of results) {
    if (!r.failure) continue;
    const t = r.failure.trace;
    lines.push('', `${r.scenario}: ${t.violation.property} failed at step ${t.violation.step}: ${t.violation.message}`);
    lines.push(`  shrunk to ${t.choices.length} exploration steps (from ${t.originalSteps}); ${t.labels.length} steps in all`);
    if (r.failure.file) lines.push(`  trace: ${r.failure.file}`, ...(r.failure.report ? [`  report: ${r.failure.report}`] : []), `  replay: ${replayCommand(r.failure.file)}`);
  }

  const failed = results.filter((r) => r.failure);
  const violated = new Set(failed.map((r) => r.failure!.trace.violation.property)).size;
  const missed = (which: (r: ExploreResult) => boolean) =>
    results.filter((r) => !r.failure && which(r)).reduce((n, r) => n + r.missingGoals.length, 0);
  const verdicts = [violated === 0 ? 'all properties held'
    : `${plural(violated, 'property', 'properties')} violated${failed.length > 1 ? ` in ${failed.length} scenarios` : ''}`];
  const never = missed((r) => goalsFail(r, options.partial));
  const byTime = missed((r) => r.cutByTime);
  const inShard = missed((r) => !r.cutByTime && options.partial);
  if (never > 0) verdicts.push(`${plural(never, 'goal', 'goals')} never reached`);
  if (byTime > 0) verdicts.push(`${plural(byTime, 'goal', 'goals')} not reached (time budget)`);
  if (inShard > 0) verdicts.push(`${plural(inShard, 'goal', 'goals')} not reached in this shard`);
  const seed = results[0] ? `, seed ${results[0].seed}` : '';
  lines.push('', `${plural(results.length, 'scenario', 'scenarios')}, ${plural(results.reduce((n, r) => n + r.runs, 0), 'run', 'runs')}, ` +
    `${count(results.reduce((n, r) => n + r.steps, 0))} steps, ${(options.wallMs / 1000).toFixed(1)} s${seed}${options.partial ? ' (one shard)' : ''}: ${verdicts.join(', ')}`);
  return lines;
}
