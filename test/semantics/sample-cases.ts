// Runs every case of a test/k8s-semantics file, each by the runner of its `function`, and checks
// that every case ran: a case whose function has no runner fails, and the count of cases run must
// be the file's count, so a file that grows is covered or fails loudly.
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

/** A test per case, run by `runners[c.function]`, then one that every case of the file ran. */
export function runEveryCase<C extends SampleCase<unknown>>(fileName: string, runners: Readonly<Record<string, (c: C) => void>>): void {
  const cases = sampleCases<C>(fileName);
  describe(fileName, () => {
    let ran = 0;
    for (const c of cases) {
      it(c.name, () => {
        const runner = runners[c.function];
        if (runner === undefined) throw new Error(`${fileName}: no runner for function ${JSON.stringify(c.function)}`);
        runner(c);
        ran++;
      });
    }

    it(`ran all ${cases.length} cases of the file`, () => {
      expect(cases.length).toBeGreaterThan(0);
      expect(ran).toBe(cases.length);
    });
  });
}
