// Runs a scenario with one planted defect and one property, and returns what the
// checker found, written to and replayed from a real trace file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Defect } from '../../checker/defect.ts';
import { explore } from '../../checker/explore.ts';
import { replay, type ReplayOutcome } from '../../checker/replay.ts';
import { findProperty } from '../../properties/index.ts';
import { readTrace, type Trace } from '../../reports/trace.ts';
import type { Scenario } from '../../scenarios/scenario.ts';
import { DEFECTS } from '../defects/index.ts';

export interface Caught {
  readonly trace: Trace;
  /** The labels of the shrunk exploration steps (the part fast-check chose). */
  readonly explored: readonly string[];
  readonly replayed: ReplayOutcome;
}

/**
 * `path` starts fast-check at a counterexample it reported before (with the same seed), so
 * a test need not repeat a long search and shrink; fast-check still tries to shrink it
 * further, so a pinned trace that is no longer minimal shows up as a changed trace.
 */
export function catchDefect(scenario: Scenario, defect: Defect, property: string, seed = 1, runs = 300, path?: string): Caught {
  const outDir = mkdtempSync(join(tmpdir(), 'kubeprop-defect-'));
  const result = explore(scenario, { runs, seed, defect, properties: [findProperty(property)!], outDir, ...(path ? { path } : {}) });
  if (!result.failure) throw new Error(`${property} did not catch ${defect.name} in ${runs} runs (seed ${seed})`);
  const trace = readTrace(result.failure.file!);
  return { trace, explored: trace.labels.slice(0, trace.choices.length), replayed: replay(trace, DEFECTS) };
}
