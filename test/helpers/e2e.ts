// End to end: built-in scenarios explored with fast-check, every property checked after every
// step, every sometimes-goal required. The seed is fresh each run and printed;
// KUBEPROP_SEED=<seed> repeats it. A failure writes its trace and says how to replay it. The
// scenarios are split over two test files so that vitest's two workers share them.
import { describe, expect, it } from 'vitest';
import { explore } from '../../checker/explore.ts';
import type { Scenario } from '../../scenarios/scenario.ts';

const seed = process.env.KUBEPROP_SEED ? Number(process.env.KUBEPROP_SEED) : Date.now() % 0x7fffffff;

/**
 * Runs per scenario: a node's scenarios take tens of times more steps per run than the API-only
 * ones, and a controller's scenario (a whole cluster settling) more again. Each reaches its rarest
 * goal in one run in twenty or more (measured over seeds 1-4, 101 and 202; the rarest,
 * bindFailureRetried in scheduling-resources, in 4.5-11.5% of runs): missing one in its runs is a
 * chance of about one in ten thousand.
 */
const runsFor = (scenario: Scenario) => {
  if ((scenario.controllers ?? []).length > 0) return 100;
  return scenario.nodes.length > 0 ? 200 : 1000;
};

export function exploreEndToEnd(title: string, scenarios: readonly Scenario[]): void {
  describe(`${title} (seed ${seed})`, () => {
    console.log(`kubeprop e2e: seed ${seed}; repeat with KUBEPROP_SEED=${seed} npm test`);
    for (const scenario of scenarios) {
      const runs = runsFor(scenario);
      it(`${scenario.name}: every property holds and every goal is reached in ${runs} runs`, () => {
        const result = explore(scenario, { runs, seed, outDir: 'out/traces' });
        if (result.failure) {
          const t = result.failure.trace;
          expect.fail(`${t.violation.property} failed at step ${t.violation.step}: ${t.violation.message}\n` +
            `shrunk to ${t.choices.length} steps; report: ${result.failure.report}; replay with: npm run replay -- ${result.failure.file}`);
        }
        expect(result.missingGoals).toEqual([]);
        expect(result.runs).toBe(runs);
      });
    }
  });
}
