// --shard I/N splits one seed's runs across machines: the shards make, between them, exactly
// the runs one check makes, so they reach the same goals the same number of times.
import { describe, expect, it } from 'vitest';
import { explore } from '../checker/explore.ts';
import { watchBasics } from '../scenarios/watch-basics.ts';
import { kubeprop } from './helpers/cli.ts';

describe('sharding a check', () => {
  it('three shards of a seed make the runs of one check, and reach each goal as often', () => {
    const whole = explore(watchBasics, { runs: 300, seed: 3, outDir: null });
    const shards = [0, 1, 2].map((index) => explore(watchBasics, { runs: 300, seed: 3, outDir: null, shard: { index, count: 3 } }));
    expect(shards.map((s) => s.runs)).toEqual([100, 100, 100]);
    expect(shards.reduce((n, s) => n + s.steps, 0)).toBe(whole.steps);
    for (const [goal, count] of whole.reached) expect(shards.reduce((n, s) => n + (s.reached.get(goal) ?? 0), 0)).toBe(count);
  });

  it('takes --shard on the command line, 1-based, and rejects one out of range with exit code 2', () => {
    const ran = kubeprop('check', 'watch-basics', '--runs', '40', '--seed', '3', '--shard', '2/4', '--json');
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout)).toMatchObject({ scenario: 'watch-basics', runs: 10, failure: null });
    expect(kubeprop('check', 'watch-basics', '--shard', '5/4')).toMatchObject({
      code: 2, stderr: "kubeprop: --shard must be I/N with 1 <= I <= N, got \"5/4\"\nRun 'kubeprop --help' for usage.\n",
    });
  });
});

describe('worker threads', () => {
  it('--workers 2 gives the verdicts, run and step counts and goal counts of one worker for the same seed', () => {
    const summary = (...extra: string[]) => {
      const ran = kubeprop('check', 'watch-basics', 'pod-deletion', '--runs', '100', '--seed', '3', '--json', ...extra);
      expect(ran.code).toBe(0);
      return ran.stdout.trim().split('\n').map((line) => {
        const { scenario, runs, steps, reached, missingGoals, failure } = JSON.parse(line) as Record<string, unknown>;
        return { scenario, runs, steps, reached, missingGoals, failure };
      });
    };
    const one = summary();
    expect(one.map((r) => r.runs)).toEqual([100, 100]);
    expect(summary('--workers', '2')).toEqual(one);
  });
});
