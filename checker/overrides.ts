// What a check may change of its scenarios from the command line: the exploration steps per
// run (--steps-max) and the faults (--faults, --faults-max). A failing run's trace records
// the faults and bounds it ran with, so its replay needs no flags.
import { FAULT_KINDS, faultProfile, NO_FAULTS, REQUEST_FAILURE_CLIENTS, type FaultProfile } from '../model/system.ts';
import type { Scenario } from '../scenarios/scenario.ts';

export interface Overrides {
  readonly stepsMax?: number;
  readonly faults?: FaultProfile;
  readonly faultsMax?: number;
}

/**
 * `--faults none`, or a comma-separated list of fault kinds (`watchDrop,nodeCrash`) and
 * components whose writes may fail (`requestFailure:controller`): the profile that replaces
 * every scenario's. Returns the reason when the value is not one.
 */
export function parseFaults(value: string): FaultProfile | string {
  if (value === 'none') return NO_FAULTS;
  const kinds: string[] = [];
  const failing: FaultProfile['requestFailure'][number][] = [];
  for (const item of value.split(',')) {
    const [kind, client] = item.split(':');
    if (kind === 'requestFailure' && (REQUEST_FAILURE_CLIENTS as readonly string[]).includes(client ?? '')) failing.push(client as FaultProfile['requestFailure'][number]);
    else if ((FAULT_KINDS as readonly string[]).includes(item)) kinds.push(item);
    else return `unknown fault "${item}" (known: none, ${FAULT_KINDS.join(', ')}, ${REQUEST_FAILURE_CLIENTS.map((c) => `requestFailure:${c}`).join(', ')})`;
  }
  return faultProfile(kinds, failing);
}

export function withOverrides(scenario: Scenario, overrides: Overrides): Scenario {
  return {
    ...scenario,
    ...(overrides.stepsMax !== undefined ? { stepsMax: overrides.stepsMax } : {}),
    ...(overrides.faults !== undefined ? { faults: overrides.faults } : {}),
    ...(overrides.faultsMax !== undefined ? { bounds: { ...scenario.bounds, faultsMax: overrides.faultsMax } } : {}),
  };
}
