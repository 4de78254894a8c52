// The one source of nondeterminism: every choice among enabled actions is asked of
// a Chooser. Exploration strategies differ only in their chooser.
import seedrandom from 'seedrandom';

export interface Chooser {
  /** An index in [0, n), or null when this chooser has no more choices to make (the run's exploration ends). */
  pick(n: number): number | null;
}

/** Choices drawn by fast-check: shrinking the array shortens and simplifies the run. */
export function arrayChooser(values: readonly number[]): Chooser {
  let next = 0;
  return { pick: (n) => (next < values.length ? (values[next++] as number) % n : null) };
}

/** A long run from one seed, for campaigns, soaks and benchmarks. */
export function seededChooser(seed: string | number, stepsMax: number): Chooser {
  const rng = seedrandom(String(seed));
  let taken = 0;
  return { pick: (n) => (taken++ < stepsMax ? Math.floor(rng() * n) : null) };
}

export class NondeterminismError extends Error {
  constructor(readonly step: number, enabledCount: number, choice: number) {
    super(`only ${enabledCount} actions are enabled, but the trace chose action ${choice}`);
  }
}

/** The recorded choices of a trace. A choice out of range means the model did not replay the same run. */
export function replayChooser(choices: readonly number[]): Chooser {
  let next = 0;
  return {
    pick(n) {
      if (next >= choices.length) return null;
      const choice = choices[next++] as number;
      if (choice >= n) throw new NondeterminismError(next, n, choice);
      return choice;
    },
  };
}
