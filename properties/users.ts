// Goals about the scripted users: evidence that optimistic concurrency was exercised.
import type { UserContext } from '../scenarios/user.ts';
import type { SometimesGoal } from './property.ts';

export const writeConflictIsRetried: SometimesGoal = {
  kind: 'sometimes',
  name: 'writeConflictIsRetried',
  description: 'A read-modify-write update loses a race (409 Conflict) and the user reads again and retries.',
  reached(before, action, after) {
    if (action.kind !== 'send' || before.system.clients[action.client]!.kind !== 'user') return false;
    const was = before.clients[action.client]!.context as UserContext;
    const now = after.clients[action.client]!.context as UserContext;
    return now.conflicts > was.conflicts && now.request?.verb === 'get';
  },
};
