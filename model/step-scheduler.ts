// Steps of the scheduler: a scheduling cycle, the random pick among nodes tied for the best
// score, and the scheduler's restart (its cache, queue and informers start afresh).
import { afterRestart } from './leader-election.ts';
import type { InformerContext } from './informer.ts';
import type { SchedulerContext, SchedulerView } from './scheduler/context.ts';
import { restartClients, sendTo } from './step-api.ts';
import type { World } from './world.ts';

function schedulerOf(world: World) {
  const spec = world.system.scheduler;
  if (spec === null) throw new Error('kubeprop: this scenario runs no scheduler');
  return spec;
}

export function schedulerContext(world: World): SchedulerContext {
  return world.clients[schedulerOf(world).client]!.context as SchedulerContext;
}

function schedulerView(world: World): SchedulerView {
  return { pods: (world.clients[schedulerOf(world).informers.pods]!.context as InformerContext).cache };
}

export function schedule(world: World): World {
  return sendTo(world, schedulerOf(world).client, { type: 'SCHEDULE', view: schedulerView(world), nowMs: world.nowMs });
}

export function pickNode(world: World, index: number): World {
  return sendTo(world, schedulerOf(world).client, { type: 'PICK', index, view: schedulerView(world), nowMs: world.nowMs });
}

/** The scheduler process starts afresh: nothing it knew survives; its informers list again at once, and it schedules once it leads again. */
export function restartScheduler(world: World): World {
  const spec = schedulerOf(world);
  const restarted = restartClients(world, [spec.client, spec.informers.pods, spec.informers.nodes]);
  return {
    ...restarted, leaderSinceMs: afterRestart(world.leaderSinceMs, 'scheduler', world.nowMs),
    ghost: { ...world.ghost, schedulerIncarnation: world.ghost.schedulerIncarnation + 1 },
  };
}
