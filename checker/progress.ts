// The progress of `kubeprop check`, on stderr (stdout is the summary's, so that --json stays
// parseable). On a terminal, one bar redrawn in place at most every REDRAW_MS:
//
//   store-and-informers 2/2 [########............] 23/50 runs  1.4 s  0 failures
//
// (with a time budget, the elapsed time says its share of it, and the bar fills with the
// scenario's share of its budget when that is ahead of its runs). Elsewhere (a pipe, CI, a
// test), plain lines: one when the check starts, one when each scenario starts and one when it
// ends; nothing per run, no carriage return. The checker may read the wall clock; the model never does.
import type { ExploreResult } from './explore.ts';
import { count, scenarioVerdict } from './summary-table.ts';
import type { WorkerEvents } from './workers.ts';

/** The least time between two redraws of the bar. */
export const REDRAW_MS = 100;
const BAR_WIDTH = 20;

export interface CheckPlan {
  readonly scenarios: readonly string[];
  /** Runs each scenario is to make (in this shard): see runsPlanned. */
  readonly runs: number;
  readonly seed: number;
  /** Each scenario's wall-clock budget, when one is set. */
  readonly timeMs?: number;
  /** 1-based, as --shard says it. */
  readonly shard?: { readonly index: number; readonly count: number };
  readonly workers: number;
  /** The check is one shard: goals it does not reach fail nothing. */
  readonly partial: boolean;
}

/** Where the reporter writes: process.stderr, or a test's stand-in. */
export interface ProgressOutput {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

/** The runs of `runs` that shard `index` (0-based) of `count` makes: the positions equal to index modulo count (explore's shard). */
export function runsPlanned(runs: number, shard?: { readonly index: number; readonly count: number }): number {
  const { index, count: n } = shard ?? { index: 0, count: 1 };
  return runs > index ? Math.floor((runs - index - 1) / n) + 1 : 0;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

interface ScenarioProgress {
  readonly startedAt: number;
  /** Runs and steps so far, by worker. */
  readonly runs: number[];
  readonly steps: number[];
  /** A run failed: the failure is being shrunk, or was found. */
  failing: boolean;
  done: boolean;
  /** Its plain start line was printed. */
  announced: boolean;
}

export class CheckProgress implements WorkerEvents {
  private readonly tty: boolean;
  private readonly scenarios: (ScenarioProgress | undefined)[] = [];
  private startedAt = 0;
  /** When the bar was last drawn; undefined: not drawn (or cleared) since. */
  private drawnAt: number | undefined;

  constructor(
    private readonly plan: CheckPlan,
    private readonly out: ProgressOutput = process.stderr,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tty = out.isTTY === true && process.env.TERM !== 'dumb';
  }

  /** The check starts: says what it is about to do, with its seed (so that a check stopped halfway can be repeated). */
  begin(): void {
    this.startedAt = this.now();
    const { plan } = this;
    const parts = [`checking ${plan.scenarios.length === 1 ? '1 scenario' : `${plan.scenarios.length} scenarios`} with seed ${plan.seed}: up to ${count(plan.runs)} runs each`];
    if (plan.timeMs !== undefined) parts.push(`${seconds(plan.timeMs * plan.scenarios.length)} in all`);
    if (plan.shard) parts.push(`shard ${plan.shard.index}/${plan.shard.count}`);
    if (plan.workers > 1) parts.push(`${plan.workers} workers`);
    this.out.write(`${parts.join(', ')}\n`);
  }

  /** Scenario `scenario` (its index in the plan) starts in this thread. */
  start(scenario: number): void {
    this.progress(scenario, 0, 0, 0, false);
  }

  progress(scenario: number, worker: number, runs: number, steps: number, shrinking: boolean): void {
    let s = this.scenarios[scenario];
    if (!s) {
      s = { startedAt: this.now(), runs: [], steps: [], failing: false, done: false, announced: false };
      this.scenarios[scenario] = s;
      this.announce();
    }
    s.runs[worker] = runs;
    s.steps[worker] = steps;
    s.failing ||= shrinking;
    this.draw();
  }

  done(scenario: number, result: ExploreResult): void {
    const s = this.scenarios[scenario] ?? { startedAt: this.now(), runs: [], steps: [], failing: false, done: false, announced: true };
    this.scenarios[scenario] = s;
    s.runs.splice(0, s.runs.length, result.runs);
    s.steps.splice(0, s.steps.length, result.steps);
    s.failing = result.failure !== null;
    s.done = true;
    if (this.tty) return this.draw();
    let verdict = scenarioVerdict(result, this.plan.partial);
    if (result.failure) verdict += ` (${result.failure.trace.violation.property} violated)`;
    else if (verdict === 'GOALS NOT REACHED') verdict += ` (${result.missingGoals.join(', ')})`;
    this.out.write(`${result.scenario}: ${count(result.runs)} ${result.runs === 1 ? 'run' : 'runs'}, ${count(result.steps)} steps, ` +
      `${seconds(this.now() - s.startedAt)}: ${verdict}\n`);
    this.announce();
  }

  /** The first scenario started and not done: workers may be on later ones too. */
  private current(): number {
    return this.scenarios.findIndex((s) => s !== undefined && !s.done);
  }

  /**
   * Prints the plain start line of the current scenario, if not yet printed: with workers a later
   * scenario may start before the current one ends, and its line waits, so that each scenario's
   * end line follows its start line.
   */
  private announce(): void {
    const i = this.current();
    const s = this.scenarios[i];
    if (this.tty || !s || s.announced) return;
    s.announced = true;
    this.out.write(`${this.plan.scenarios[i]}: started (${i + 1} of ${this.plan.scenarios.length})\n`);
  }

  /** Clears the bar, before the summary is printed. */
  close(): void {
    if (this.drawnAt !== undefined) this.out.write('\r\x1b[K');
    this.drawnAt = undefined;
  }

  /** The bar's text now, about the current scenario; null when none is under way. */
  bar(): string | null {
    const i = this.current();
    const s = this.scenarios[i];
    if (!s) return null;
    const { plan } = this;
    const now = this.now();
    const runs = s.runs.reduce((n, r) => n + (r ?? 0), 0);
    let share = plan.runs === 0 ? 1 : runs / plan.runs;
    if (plan.timeMs !== undefined && plan.timeMs > 0) share = Math.max(share, (now - s.startedAt) / plan.timeMs);
    const filled = Math.round(Math.min(1, share) * BAR_WIDTH);
    let elapsed = seconds(now - this.startedAt);
    if (plan.timeMs !== undefined) {
      const budget = plan.timeMs * plan.scenarios.length;
      elapsed += ` (${Math.round(((now - this.startedAt) / budget) * 100)}% of ${seconds(budget)})`;
    }
    const failures = this.scenarios.filter((x) => x?.failing).length;
    return `${plan.scenarios[i]} ${i + 1}/${plan.scenarios.length} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ` +
      `${count(runs)}/${count(plan.runs)} runs  ${elapsed}  ${failures === 1 ? '1 failure' : `${failures} failures`}${s.failing ? ' (shrinking)' : ''}`;
  }

  private draw(): void {
    if (!this.tty) return;
    const now = this.now();
    if (this.drawnAt !== undefined && now - this.drawnAt < REDRAW_MS) return;
    const text = this.bar();
    if (text === null) return;
    // Wider than the terminal, the line would wrap and \r would redraw only its last part.
    const width = Math.max(20, (this.out.columns || 80) - 1);
    this.out.write(`\r${text.length > width ? text.slice(0, width) : text}\x1b[K`);
    this.drawnAt = now;
  }
}
