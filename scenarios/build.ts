// Builds the System a scenario runs on, from the machines that play each part.
// Planted defects (test/defects) swap one machine for a `machine.provide(...)` variant.
import { informerMachine, type InformerMachine } from '../model/informer.ts';
import { storeMachine, type StoreMachine } from '../model/store.ts';
import type { ClientSpec, System } from '../model/system.ts';
import type { Scenario } from './scenario.ts';
import { userMachine, type UserMachine } from './user.ts';

export interface Machines {
  readonly store: StoreMachine;
  readonly informer: InformerMachine;
  readonly user: UserMachine;
}

export const DEFAULT_MACHINES: Machines = { store: storeMachine, informer: informerMachine, user: userMachine };

export function buildSystem(scenario: Scenario, overrides: Partial<Machines> = {}): System {
  const machines = { ...DEFAULT_MACHINES, ...overrides };
  const clients: ClientSpec[] = [
    ...scenario.informers.map((i): ClientSpec => ({
      id: `${i.resource} -> ${i.client}`, kind: 'informer', machine: machines.informer, input: { resource: i.resource }, resource: i.resource,
    })),
    ...scenario.users.map((u): ClientSpec => ({
      id: `user ${u.name}`, kind: 'user', machine: machines.user, input: { script: u.script },
    })),
  ];
  return { store: machines.store, clients, faults: scenario.faults, bounds: scenario.bounds };
}
