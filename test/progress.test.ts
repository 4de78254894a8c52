// The progress of a check on stderr: plain lines where stderr is not a terminal, a bar redrawn
// in place (at most every 100 ms) where it is; explore's onProgress that feeds it.
import { emptyCoverage } from '../checker/coverage.ts';
import { describe, expect, it, vi } from 'vitest';
import { explore, type ExploreResult } from '../checker/explore.ts';
import { CheckProgress, runsPlanned, type CheckPlan } from '../checker/progress.ts';
import { watchBasics } from '../scenarios/watch-basics.ts';

function output(isTTY: boolean) {
  const written: string[] = [];
  return { written, out: { isTTY, columns: 100, write: (text: string) => written.push(text) } };
}

function clock() {
  let t = 1_000;
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

const plan: CheckPlan = { scenarios: ['watch-basics', 'wordpress'], runs: 50, seed: 1, workers: 1, partial: false };
const ok = (scenario: string, runs: number, steps: number): ExploreResult =>
  ({ scenario, seed: 1, runs, steps, reached: new Map(), missingGoals: [], failure: null, cutByTime: false, failedAtRun: null, coverage: emptyCoverage() });

describe('check progress', () => {
  it('prints a plain line when the check and each scenario start and end, nothing per run, no carriage return', () => {
    const { written, out } = output(false);
    const t = clock();
    const progress = new CheckProgress({ ...plan, timeMs: 30_000, shard: { index: 2, count: 4 }, partial: true }, out, t.now);
    progress.begin();
    progress.start(0);
    for (let run = 1; run <= 50; run++) { t.advance(10); progress.progress(0, 0, run, run * 30, false); }
    progress.done(0, ok('watch-basics', 50, 1_500));
    progress.start(1);
    t.advance(9_812);
    progress.done(1, { ...ok('wordpress', 312, 61_204), missingGoals: ['podBecomesReady'] });
    progress.close();
    expect(written.join('')).toBe([
      'checking 2 scenarios with seed 1: up to 50 runs each, 60.0 s in all, shard 2/4',
      'watch-basics: started (1 of 2)',
      'watch-basics: 50 runs, 1,500 steps, 0.5 s: ok',
      'wordpress: started (2 of 2)',
      'wordpress: 312 runs, 61,204 steps, 9.8 s: ok',
      '',
    ].join('\n'));
    // In a shard a goal not reached fails nothing; in a whole check it fails the scenario.
    const whole = output(false);
    new CheckProgress(plan, whole.out, t.now).done(1, { ...ok('wordpress', 312, 61_204), missingGoals: ['podBecomesReady'] });
    expect(whole.written).toEqual(['wordpress: 312 runs, 61,204 steps, 0.0 s: GOALS NOT REACHED (podBecomesReady)\n']);
  });

  it("with workers, holds a scenario's start line until the one before it has ended", () => {
    const { written, out } = output(false);
    const progress = new CheckProgress({ ...plan, workers: 2 }, out, clock().now);
    progress.progress(0, 0, 0, 0, false);
    progress.progress(0, 1, 0, 0, false);
    progress.progress(0, 1, 25, 900, false);
    progress.progress(1, 1, 0, 0, false);
    expect(written).toEqual(['watch-basics: started (1 of 2)\n']);
    progress.done(0, ok('watch-basics', 50, 1_800));
    progress.done(1, ok('wordpress', 50, 9_000));
    expect(written.slice(1)).toEqual([
      'watch-basics: 50 runs, 1,800 steps, 0.0 s: ok\n',
      'wordpress: started (2 of 2)\n',
      'wordpress: 50 runs, 9,000 steps, 0.0 s: ok\n',
    ]);
  });

  it('draws one bar on a terminal, at most every 100 ms, and clears it', () => {
    vi.stubEnv('TERM', 'xterm');
    const { written, out } = output(true);
    const t = clock();
    const progress = new CheckProgress({ ...plan, timeMs: 10_000 }, out, t.now);
    progress.begin();
    progress.start(0);
    for (let run = 1; run <= 20; run++) { t.advance(10); progress.progress(0, 0, run, run * 30, run >= 15); }
    progress.close();
    vi.unstubAllEnvs();
    expect(written).toEqual([
      'checking 2 scenarios with seed 1: up to 50 runs each, 20.0 s in all\n',
      '\rwatch-basics 1/2 [....................] 0/50 runs  0.0 s (0% of 20.0 s)  0 failures\x1b[K',
      '\rwatch-basics 1/2 [####................] 10/50 runs  0.1 s (1% of 20.0 s)  0 failures\x1b[K',
      '\rwatch-basics 1/2 [########............] 20/50 runs  0.2 s (1% of 20.0 s)  1 failure (shrinking)\x1b[K',
      '\r\x1b[K',
    ]);
  });

  it('sums the workers on the first scenario not done, though some have gone on to the next', () => {
    vi.stubEnv('TERM', 'xterm');
    const progress = new CheckProgress({ ...plan, workers: 2 }, output(true).out, clock().now);
    progress.begin();
    progress.progress(0, 0, 0, 0, false);
    progress.progress(0, 1, 0, 0, false);
    progress.progress(0, 1, 25, 900, false);
    progress.progress(1, 1, 3, 400, false);
    progress.progress(0, 0, 20, 700, false);
    vi.unstubAllEnvs();
    expect(progress.bar()).toBe('watch-basics 1/2 [##################..] 45/50 runs  0.0 s  0 failures');
    progress.done(0, ok('watch-basics', 50, 1_800));
    expect(progress.bar()).toBe('wordpress 2/2 [#...................] 3/50 runs  0.0 s  0 failures');
  });

  it('plans the runs a shard makes, as explore counts them, and explore reports each run', () => {
    expect([0, 1, 2].map((index) => runsPlanned(10, { index, count: 3 }))).toEqual([4, 3, 3]);
    expect(runsPlanned(40, { index: 1, count: 4 })).toBe(10);
    expect(runsPlanned(2, { index: 3, count: 4 })).toBe(0);
    const calls: [number, number, boolean][] = [];
    const result = explore(watchBasics, { runs: 10, seed: 3, outDir: null, shard: { index: 1, count: 3 }, onProgress: (r, s, f) => calls.push([r, s, f]) });
    expect(result.runs).toBe(runsPlanned(10, { index: 1, count: 3 }));
    expect(calls.map(([r]) => r)).toEqual([1, 2, 3]);
    expect(calls.at(-1)).toEqual([result.runs, result.steps, false]);
  });
});
