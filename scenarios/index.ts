// The built-in scenarios, by name.
import type { Scenario } from './scenario.ts';
import { downwardApiPod, livenessPod, nodeWorkload, podBasics, secretVolumePod } from './pods.ts';
import { storeAndInformers } from './store-and-informers.ts';
import { watchBasics } from './watch-basics.ts';

export const SCENARIOS: readonly Scenario[] = [
  watchBasics, storeAndInformers, podBasics, livenessPod, downwardApiPod, secretVolumePod, nodeWorkload(3),
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
