// Runs every case of a test/k8s-semantics file, each by the runner of its `function`, and checks
// that every case has a runner: a file that grows is covered or fails loudly.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

export interface SampleCase<Input = Record<string, unknown>, Expected = unknown> {
  readonly name: string;
  readonly function: string;
  readonly input: Input;
  readonly expected: Expected;
  readonly note?: string;
}

/** The cases of test/k8s-semantics/<fileName>. */
export function sampleCases<C extends SampleCase<unknown> = SampleCase>(fileName: string): readonly C[] {
  const file = JSON.parse(readFileSync(new URL(`../k8s-semantics/${fileName}`, import.meta.url), 'utf8')) as { cases: C[] };
  return file.cases;
}

/**
 * A test per case, run by `runners[c.function]`, and one that every case of the file has a runner:
 * a case added to the file with a function no runner knows fails here (and in its own test),
 * whichever tests are selected.
 */
export function runEveryCase<C extends SampleCase<unknown>>(fileName: string, runners: Readonly<Record<string, (c: C) => void>>): void {
  const cases = sampleCases<C>(fileName);
  describe(fileName, () => {
    for (const c of cases) {
      it(c.name, () => {
        const runner = runners[c.function];
        if (runner === undefined) throw new Error(`${fileName}: no runner for function ${JSON.stringify(c.function)}`);
        runner(c);
      });
    }

    it(`has a runner for every one of its ${cases.length} cases`, () => {
      expect(cases.length).toBeGreaterThan(0);
      expect(cases.filter((c) => runners[c.function] === undefined).map((c) => `${c.name} (${c.function})`)).toEqual([]);
    });
  });
}
