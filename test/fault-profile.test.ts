// A fault profile is obeyed: a kind of fault the profile leaves out is never offered, and
// `--faults none` means none. The walk checks every action enabled at every step (not only
// those taken), over the built-in scenarios, for every kind of fault and every component whose
// writes may fail. Each kind is first shown to be offered with everything on, so that "never
// offered without it" is not vacuous.
import { describe, expect, it } from 'vitest';
import { seededChooser } from '../checker/chooser.ts';
import { pickAction } from '../checker/pick.ts';
import { isFault, type Action } from '../model/actions.ts';
import { enabled } from '../model/enabled.ts';
import { step } from '../model/step.ts';
import { FAULT_KINDS, faultProfile, NO_FAULTS, REQUEST_FAILURE_CLIENTS, type FaultProfile, type System } from '../model/system.ts';
import { initialWorld } from '../model/world.ts';
import { buildSystem } from '../scenarios/build.ts';
import { SCENARIOS } from '../scenarios/index.ts';
import type { Scenario } from '../scenarios/scenario.ts';

/** The profile switch that allows a fault action: the test's own reading of FaultProfile's comments. */
function switchOf(system: System, action: Action): string {
  switch (action.kind) {
    case 'dropWatch': return 'watchDrop';
    case 'failWatch': return 'watchError';
    case 'compact': return 'compaction';
    case 'send': return 'staleList';
    case 'crashNode': return 'nodeCrash';
    case 'partitionNode': return 'nodePartition';
    case 'restartKubelet': return 'kubeletRestart';
    case 'registryDown': return 'registryDown';
    case 'probe': return 'probeFailure';
    case 'exit': return 'containerCrash';
    case 'restartScheduler': return 'schedulerRestart';
    case 'restartControllerManager': return 'controllerManagerRestart';
    case 'stall': return 'stall';
    case 'refuseRequest': case 'loseReply': return `requestFailure:${system.clients[action.client]!.kind}`;
    default: throw new Error(`${action.kind} is a fault the test does not know`);
  }
}

const SWITCHES = [...FAULT_KINDS, ...REQUEST_FAILURE_CLIENTS.map((c) => `requestFailure:${c}`)];

function profileWith(switches: readonly string[]): FaultProfile {
  const kinds = switches.filter((s) => !s.startsWith('requestFailure:'));
  const failing = switches.filter((s) => s.startsWith('requestFailure:')).map((s) => s.slice('requestFailure:'.length)) as FaultProfile['requestFailure'][number][];
  return faultProfile(kinds, failing);
}

/** Every fault switch some enabled action needed, over `runs` walks of `stepsMax` steps chosen as exploration chooses (faults rarer than the rest), with an unbounded fault budget. */
function switchesOffered(scenario: Scenario, profile: FaultProfile, runs: number, stepsMax: number): Set<string> {
  const system = buildSystem({ ...scenario, faults: profile, bounds: { ...scenario.bounds, faultsMax: Number.MAX_SAFE_INTEGER } });
  const offered = new Set<string>();
  for (let run = 0; run < runs; run++) {
    const chooser = seededChooser(`${scenario.name}-${run}`, stepsMax);
    let world = initialWorld(system);
    for (;;) {
      const actions = enabled(world, { faults: true });
      for (const a of actions) if (isFault(a)) offered.add(switchOf(system, a));
      const picked = actions.length > 0 ? pickAction(chooser, actions, scenario.faultRarity) : null;
      if (picked === null) break;
      world = step(world, picked.action);
    }
  }
  return offered;
}

const RUNS = 3;
const STEPS_MAX = 150;

describe('fault profiles', () => {
  // With every fault on, which scenario offers each kind first (in the built-in order).
  const everything = profileWith(SWITCHES);
  const firstOffering = new Map<string, Scenario>();
  for (const scenario of SCENARIOS) {
    for (const s of switchesOffered(scenario, everything, 1, STEPS_MAX)) if (!firstOffering.has(s)) firstOffering.set(s, scenario);
  }

  it('every kind of fault is offered by some built-in scenario when the profile allows everything', () => {
    expect(SWITCHES.filter((s) => !firstOffering.has(s))).toEqual([]);
  });

  for (const left of SWITCHES) {
    it(`a profile without ${left} never offers it`, () => {
      const scenario = firstOffering.get(left)!;
      const offered = switchesOffered(scenario, profileWith(SWITCHES.filter((s) => s !== left)), RUNS, STEPS_MAX);
      expect(offered.has(left)).toBe(false);
      // The walk still met other faults: the scenario was not simply quiet.
      expect(offered.size).toBeGreaterThan(0);
    });
  }

  it('--faults none offers no fault at all, in any built-in scenario', () => {
    for (const scenario of SCENARIOS) expect([...switchesOffered(scenario, NO_FAULTS, 1, STEPS_MAX)], scenario.name).toEqual([]);
  });
});
