// Three informers watch 50 ConfigMaps while two users create, update (read-modify-write,
// so they conflict) and delete them. History is short, so compaction and slow-watcher
// termination happen on their own as well as by fault. This is also the benchmark case.
import type { UserOp } from './user.ts';
import { NO_FAULTS } from '../model/system.ts';
import type { Scenario } from './scenario.ts';
import { create, remove, update, wait } from './fixtures.ts';

const OBJECTS = 50;
const half = OBJECTS / 2;

function aliceScript(): UserOp[] {
  const ops: UserOp[] = [];
  for (let i = 0; i < half; i++) {
    ops.push(create(`cm-${i}`));
    if (i % 5 === 4) ops.push(update(`cm-${i - 2}`, { data: { v: `a${i}` } }));
    if (i % 10 === 9) ops.push(wait(1000));
  }
  ops.push(create('held', { v: '0' }, ['example.com/hold']), remove('held'));
  for (let i = 3; i < 8; i++) ops.push(remove(`cm-${i}`));
  ops.push(update('held', { metadata: { finalizers: null } }));
  return ops;
}

function bobScript(): UserOp[] {
  const ops: UserOp[] = [];
  for (let i = half; i < OBJECTS; i++) {
    ops.push(create(`cm-${i}`));
    // Bob edits Alice's objects while she does: read-modify-write races end in Conflict and a retry.
    if (i % 3 === 0) ops.push(update(`cm-${(i - half) % 10}`, { data: { v: `b${i}` } }));
  }
  for (let i = half + 5; i < half + 11; i++) ops.push(remove(`cm-${i}`));
  ops.push(wait(2000), update('cm-0', { data: { owner: 'bob' } }));
  return ops;
}

export const storeAndInformers: Scenario = {
  name: 'store-and-informers',
  description: 'Three ConfigMap informers, two users writing 50 objects with conflicting updates; drops, errors, compaction and lagging lists on.',
  informers: [
    { resource: 'configmaps', client: 'reader-1' },
    { resource: 'configmaps', client: 'reader-2' },
    { resource: 'configmaps', client: 'reader-3' },
  ],
  users: [{ name: 'alice', script: aliceScript() }, { name: 'bob', script: bobScript() }],
  nodes: [],
  registry: [],
  behaviours: [],
  faults: { ...NO_FAULTS, watchDrop: true, watchError: true, compaction: true, staleList: true },
  bounds: { faultsMax: 8, historyMax: 48, streamQueueMax: 24 },
  stepsMax: 600,
  settleMs: 0,
  // Watch faults are what these scenarios are about: as likely as any other action.
  faultRarity: 1,
  convergeStepsMax: 5000,
  goals: ['watchDropLeadsToRelist', 'goneForcesRelist', 'writeConflictIsRetried'],
};
