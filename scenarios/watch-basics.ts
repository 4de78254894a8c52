// Two informers watch ConfigMaps while one user creates, updates, finalizes and deletes
// a handful. Small enough that a failing run shrinks to a trace a person reads in a minute.
import { NO_FAULTS } from '../model/system.ts';
import type { Scenario } from './scenario.ts';
import { create, remove, update, wait } from './fixtures.ts';

export const watchBasics: Scenario = {
  name: 'watch-basics',
  description: 'Two ConfigMap informers, one user writing four objects (one held by a finalizer); every watch fault on.',
  informers: [
    { resource: 'configmaps', client: 'reader-1' },
    { resource: 'configmaps', client: 'reader-2' },
  ],
  users: [{
    name: 'alice',
    script: [
      create('a'), create('b'), update('a', { data: { v: '1' } }), create('held', { v: '0' }, ['example.com/hold']),
      wait(5000), remove('b'), remove('held'), update('a', { data: { v: '2' } }),
      update('held', { metadata: { finalizers: null } }), create('c'),
    ],
  }],
  nodes: [],
  registry: [],
  behaviours: [],
  faults: { ...NO_FAULTS, watchDrop: true, watchError: true, compaction: true, staleList: true },
  bounds: { faultsMax: 4, historyMax: 64, streamQueueMax: 16 },
  stepsMax: 60,
  settleMs: 0,
  // Watch faults are what these scenarios are about: as likely as any other action.
  faultRarity: 1,
  convergeStepsMax: 500,
  goals: ['watchDropLeadsToRelist', 'goneForcesRelist'],
};
