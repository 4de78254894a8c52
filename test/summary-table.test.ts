// The summary `kubeprop check` prints on stdout, pinned on hand-made results: a row per
// scenario, rows only for what went wrong (or, verbose, for every property), each failure's
// trace and replay command, and one totals line.
import { emptyCoverage } from '../checker/coverage.ts';
import { describe, expect, it } from 'vitest';
import type { ExploreResult } from '../checker/explore.ts';
import { summaryTable } from '../checker/summary-table.ts';
import type { Trace } from '../reports/trace.ts';

const properties = [
  { kind: 'transition', name: 'podBoundAtMostOnce' },
  { kind: 'always', name: 'podHasOneControllerOwner' },
  { kind: 'eventually', name: 'systemSettles' },
  { kind: 'sometimes', name: 'podBecomesReady' },
  { kind: 'sometimes', name: 'rolloutCompletes' },
  { kind: 'sometimes', name: 'goneForcesRelist' },
] as const;

const scenarios = [
  { name: 'watch-basics', goals: ['goneForcesRelist'] },
  { name: 'wordpress', goals: ['podBecomesReady'] },
  { name: 'nginx-deployment', goals: ['podBecomesReady', 'rolloutCompletes'] },
  { name: 'node-drain', goals: ['podBecomesReady'] },
  { name: 'pod-basics', goals: [] },
];

// Only what the summary reads of a trace: the rest is the replay's business.
const trace: Pick<Trace, 'choices' | 'labels' | 'originalSteps' | 'violation'> = {
  choices: [3, 1, 4, 1, 5], labels: Array.from({ length: 23 }, (_, k) => `step ${k + 1}`), originalSteps: 140,
  violation: { property: 'podBoundAtMostOnce', kind: 'transition', message: 'pod default/web bound to node-2, but it was bound to node-1', step: 5 },
};

function result(scenario: string, fields: Partial<ExploreResult>): ExploreResult {
  return { scenario, seed: 7, runs: 1000, steps: 61204, reached: new Map(), missingGoals: [], failure: null, cutByTime: false, failedAtRun: null, coverage: emptyCoverage(), ...fields };
}

const results = [
  // Every property held, every goal reached.
  result('watch-basics', { steps: 32_118, reached: new Map([['goneForcesRelist', 312]]) }),
  // A property violated at run 41 (the goal not reached before it is no story of its own).
  result('wordpress', { runs: 42, steps: 9_020, failure: { trace: trace as Trace, file: 'out/traces/wordpress-podBoundAtMostOnce.json', report: 'out/traces/wordpress-podBoundAtMostOnce.html' }, failedAtRun: 41, missingGoals: ['podBecomesReady'] }),
  // A goal never reached in all the runs.
  result('nginx-deployment', { steps: 1_204_337, reached: new Map([['podBecomesReady', 1000]]), missingGoals: ['rolloutCompletes'] }),
  // Cut short by the time budget, a goal not reached: too few runs to tell.
  result('node-drain', { runs: 12, steps: 3_001, cutByTime: true, missingGoals: ['podBecomesReady'] }),
  // No goals.
  result('pod-basics', { runs: 1000, steps: 812_000 }),
];

describe('the summary table', () => {
  it('has a row per scenario and rows only for the property violated and the goals not reached', () => {
    expect(summaryTable(results, scenarios, { partial: false, wallMs: 9_812, properties })).toEqual([
      'scenario           runs      steps  goals  verdict',
      'watch-basics      1,000     32,118    1/1  ok',
      'wordpress            42      9,020    0/1  FAILED',
      '  transition podBoundAtMostOnce            VIOLATED',
      'nginx-deployment  1,000  1,204,337    1/2  GOALS NOT REACHED',
      '  sometimes  rolloutCompletes              NEVER REACHED',
      'node-drain           12      3,001    0/1  ok (time budget)',
      '  sometimes  podBecomesReady               not reached (time budget)',
      'pod-basics        1,000    812,000      -  ok',
      '',
      'wordpress: podBoundAtMostOnce failed at step 5: pod default/web bound to node-2, but it was bound to node-1',
      '  shrunk to 5 exploration steps (from 140); 23 steps in all',
      '  trace: out/traces/wordpress-podBoundAtMostOnce.json',
      '  report: out/traces/wordpress-podBoundAtMostOnce.html',
      '  replay: npm run replay -- out/traces/wordpress-podBoundAtMostOnce.json',
      '',
      '5 scenarios, 3,054 runs, 2,060,476 steps, 9.8 s, seed 7: 1 property violated, 1 goal never reached, 1 goal not reached (time budget)',
    ]);
  });

  it('lists every property checked with --verbose', () => {
    expect(summaryTable(results.slice(0, 2), scenarios, { partial: false, verbose: true, wallMs: 1_050, properties })).toEqual([
      'scenario          runs   steps  goals  verdict',
      'watch-basics     1,000  32,118    1/1  ok',
      '  transition podBoundAtMostOnce        held',
      '  always     podHasOneControllerOwner  held',
      '  eventually systemSettles             held',
      '  sometimes  goneForcesRelist          reached in 312 runs',
      'wordpress           42   9,020    0/1  FAILED',
      '  transition podBoundAtMostOnce        VIOLATED',
      '  always     podHasOneControllerOwner  held',
      '  eventually systemSettles             held',
      '  sometimes  podBecomesReady           not reached before the failure',
      '',
      'wordpress: podBoundAtMostOnce failed at step 5: pod default/web bound to node-2, but it was bound to node-1',
      '  shrunk to 5 exploration steps (from 140); 23 steps in all',
      '  trace: out/traces/wordpress-podBoundAtMostOnce.json',
      '  report: out/traces/wordpress-podBoundAtMostOnce.html',
      '  replay: npm run replay -- out/traces/wordpress-podBoundAtMostOnce.json',
      '',
      '2 scenarios, 1,042 runs, 41,138 steps, 1.1 s, seed 7: 1 property violated',
    ]);
  });

  it('does not fail a shard on the goals it did not reach', () => {
    const shard = [
      result('watch-basics', { runs: 250, steps: 8_030, reached: new Map([['goneForcesRelist', 1]]) }),
      result('nginx-deployment', { runs: 250, steps: 301_100, reached: new Map([['podBecomesReady', 250]]), missingGoals: ['rolloutCompletes'] }),
    ];
    expect(summaryTable(shard, scenarios, { partial: true, wallMs: 30_000, properties })).toEqual([
      'scenario          runs    steps  goals  verdict',
      'watch-basics       250    8,030    1/1  ok',
      'nginx-deployment   250  301,100    1/2  ok',
      '  sometimes  rolloutCompletes           not reached in this shard',
      '',
      '2 scenarios, 500 runs, 309,130 steps, 30.0 s, seed 7 (one shard): all properties held, 1 goal not reached in this shard',
    ]);
  });

  it('counts a property violated in two scenarios once, saying in how many', () => {
    const again = result('nginx-deployment', { runs: 7, steps: 700, reached: new Map([['podBecomesReady', 7], ['rolloutCompletes', 2]]), failure: { trace: trace as Trace, file: null, report: null }, failedAtRun: 6 });
    const lines = summaryTable([results[1]!, again], scenarios, { partial: false, wallMs: 2_000, properties });
    expect(lines.slice(0, 5)).toEqual([
      'scenario          runs  steps  goals  verdict',
      'wordpress           42  9,020    0/1  FAILED',
      '  transition podBoundAtMostOnce       VIOLATED',
      'nginx-deployment     7    700    2/2  FAILED',
      '  transition podBoundAtMostOnce       VIOLATED',
    ]);
    // A failure with no trace file written (--out none) has no trace or replay line.
    expect(lines.slice(-4)).toEqual([
      'nginx-deployment: podBoundAtMostOnce failed at step 5: pod default/web bound to node-2, but it was bound to node-1',
      '  shrunk to 5 exploration steps (from 140); 23 steps in all',
      '',
      '2 scenarios, 49 runs, 9,720 steps, 2.0 s, seed 7: 1 property violated in 2 scenarios',
    ]);
  });

  it('says reached in 1 run, and lists with the default properties every one but the goals the scenario does not declare', () => {
    const lines = summaryTable([result('watch-basics', { runs: 1, steps: 30, reached: new Map([['goneForcesRelist', 1], ['podBecomesReady', 1]]) })], scenarios, { partial: false, verbose: true, wallMs: 10 });
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}sometimes {2}goneForcesRelist +reached in 1 run$/));
    expect(lines.some((l) => l.includes('podBecomesReady'))).toBe(false);
    expect(lines.at(-1)).toBe('1 scenario, 1 run, 30 steps, 0.0 s, seed 7: all properties held');
  });
});
