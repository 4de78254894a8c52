// A planted defect: one part of the model swapped for a `machine.provide(...)` variant
// with a guard or action overridden. Defects live beside the tests (test/defects), so
// the model carries no bug switches; a trace names the defect it was recorded with.
import type { Machines } from '../scenarios/build.ts';

export interface Defect {
  readonly name: string;
  readonly description: string;
  readonly machines: Partial<Machines>;
}

/** The planted defects, loaded only when a command names one: they live beside the tests. */
export async function loadDefects(): Promise<readonly Defect[]> {
  const module = await import('../test/defects/index.ts');
  return module.DEFECTS as readonly Defect[];
}
