// What a scenario argument names: a built-in scenario by name, or a scenario file by path
// (anything ending in .yaml or .yml). Used by the command line, its workers and replay alike.
import { findScenario } from './index.ts';
import { loadScenarioFile, type LoadedScenario, type LoadOptions } from './load/scenario-file.ts';

function isScenarioFile(ref: string): boolean {
  return /\.ya?ml$/i.test(ref);
}

/** The scenario `ref` names, or null for an unknown name; a bad scenario file throws InputError. */
export function resolveScenario(ref: string, options: LoadOptions = {}): LoadedScenario | null {
  if (isScenarioFile(ref)) return loadScenarioFile(ref, options);
  const scenario = findScenario(ref);
  return scenario ? { scenario, warnings: [] } : null;
}
