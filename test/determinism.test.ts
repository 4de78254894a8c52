// Determinism is a feature: the same seed gives the same trace, byte for byte.
import { describe, expect, it } from 'vitest';
import { seededChooser } from '../checker/chooser.ts';
import { runConfig } from '../checker/explore.ts';
import { run } from '../checker/run.ts';
import { PROPERTIES } from '../properties/index.ts';
import { storeAndInformers } from '../scenarios/store-and-informers.ts';

const SEEDS = 200;

function traceText(seed: number): string {
  // A fresh config (and so a fresh System) per run: nothing may leak between runs.
  const config = runConfig(storeAndInformers, undefined, PROPERTIES, true);
  const result = run(config, seededChooser(seed, storeAndInformers.stepsMax));
  return JSON.stringify({ choices: result.choices, labels: result.labels, violation: result.violation, world: result.world.store.context.rv });
}

describe('determinism', () => {
  it(`gives byte-identical traces for the same seed, for ${SEEDS} seeds`, () => {
    let stepsSeen = 0;
    for (let seed = 0; seed < SEEDS; seed++) {
      const first = traceText(seed);
      const second = traceText(seed);
      expect(second).toBe(first);
      stepsSeen += (JSON.parse(first) as { labels: string[] }).labels.length;
    }
    // Runs that go somewhere: this is hundreds of steps per seed, not empty traces compared with each other.
    expect(stepsSeen).toBeGreaterThan(SEEDS * 200);
  });

  it('gives different traces for different seeds', () => {
    expect(traceText(1)).not.toBe(traceText(2));
  });
});
