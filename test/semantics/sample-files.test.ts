// Every file of test/k8s-semantics is run, case by case, by some test here: a file added to the
// directory without a runner fails this test rather than going untested.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const DIR = new URL('../k8s-semantics/', import.meta.url);
const HERE = new URL('./', import.meta.url);

describe('test/k8s-semantics', () => {
  it('every JSON file is run through runEveryCase by one test file', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
    const runners = readdirSync(HERE).filter((f) => f.endsWith('.test.ts'))
      .flatMap((f) => [...readFileSync(new URL(f, HERE), 'utf8').matchAll(/runEveryCase<[^>]*>\(\s*'([^']+\.json)'/g)].map((m) => m[1]));
    expect(files.length).toBeGreaterThan(0);
    expect([...runners].sort()).toEqual(files);
  });
});
