// Controllers that disagree, or one that undoes its own work, show up as an object created and
// deleted, scaled up and down, or passed between controllers, again and again. Once faults have healed, converging may
// take back one stale decision (a pod too many, made from a cache that lagged); going back and
// forth twice is a cycle, and no amount of waiting ends it. The ghost keeps each ReplicaSet's
// and Endpoints' latest changes (world.ts CHURN_KEPT) for this.
import type { Churn } from '../model/world.ts';
import type { EventuallyProperty } from './property.ts';

/** How often an object may change direction after healing before it counts as flapping. */
const REVERSALS_MAX = 1;

function describeChange({ change }: Churn): string {
  if (typeof change === 'number') return `scaled to ${change}`;
  if (typeof change === 'string') return change;
  return change.controller === null ? 'released' : `controlled by ${change.controller}`;
}

/**
 * The number of times the changes go back on the ones before: deleted after created and the
 * other way, down after up and the other way, back to a controller it had before.
 */
function reversals(changes: readonly Churn[]): number {
  let count = 0;
  let direction = 0;
  let replicas: number | null = null;
  const controllers: (string | null)[] = [];
  for (const { change } of changes) {
    if (typeof change === 'object') {
      if (controllers.includes(change.controller)) count++;
      controllers.push(change.controller);
      continue;
    }
    let next = 0;
    if (change === 'created') next = 1;
    else if (change === 'deleted') next = -1;
    else {
      next = replicas === null ? 0 : Math.sign(change - replicas);
      replicas = change;
    }
    if (next !== 0 && direction !== 0 && next !== direction) count++;
    if (next !== 0) direction = next;
  }
  return count;
}

export const noFlappingWhileConverging: EventuallyProperty = {
  kind: 'eventually',
  name: 'noFlappingWhileConverging',
  description: 'Once faults have healed, no ReplicaSet or Endpoints is created and deleted, scaled up and down, or passed between controllers, back and forth more than once.',
  check(world, settlement) {
    for (const [key, history] of world.ghost.churn.entries()) {
      const since = history.filter((c) => c.rv > settlement.healedAtRv);
      if (reversals(since) <= REVERSALS_MAX) continue;
      return `${key} flapped after faults healed: ${since.map((c) => `${describeChange(c)} at rv ${c.rv}`).join(', ')}. ` +
        'Something keeps undoing what something else does: two controllers disagree, or one acts on a view it never corrects.';
    }
    return null;
  },
};
