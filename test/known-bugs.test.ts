// Known upstream bugs are kept apart from the scenarios `npm run check` runs: each of those must
// hold for every seed. The stale-list over-creation needs a restarted ReplicaSet controller and
// lists from a lagging API server; no checked scenario has both.
import { describe, expect, it } from 'vitest';
import { findProperty } from '../properties/index.ts';
import { findScenario, SCENARIOS } from '../scenarios/index.ts';
import { KNOWN_BUG_SCENARIOS, staleListOverCreation } from '../scenarios/known-bugs.ts';

describe('known upstream bugs', () => {
  it('are not among the scenarios npm run check runs, and are found by name', () => {
    for (const s of KNOWN_BUG_SCENARIOS) {
      expect(SCENARIOS.map((c) => c.name)).not.toContain(s.name);
      expect(findScenario(s.name)).toBe(s);
      expect(findProperty(s.knownBug!.property)?.name).toBe(s.knownBug!.property);
    }
    expect(SCENARIOS.filter((s) => s.knownBug !== undefined)).toEqual([]);
  });

  it('no checked scenario can reach the stale-list over-creation: none restarts a ReplicaSet controller with lagging lists on', () => {
    const reaches = SCENARIOS.filter((s) => (s.controllers ?? []).includes('replicaset') && s.faults.controllerManagerRestart && s.faults.staleList);
    expect(reaches.map((s) => s.name)).toEqual([]);
    expect(staleListOverCreation.faults.controllerManagerRestart && staleListOverCreation.faults.staleList).toBe(true);
  });
});
