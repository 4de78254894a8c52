// Steps of the controller-manager: a controller's worker reconciling one queued key, and the
// process restarting (every controller's queue, expectations and caches lost; once it leads again, its informers list again).
import { afterRestart } from './leader-election.ts';
import type { ControllerContext } from './controllers/controller.ts';
import { hasSynced, type InformerContext } from './informer.ts';
import { cachesOf, restartClients, sendTo } from './step-api.ts';
import type { ControllerManagerSpec } from './system.ts';
import type { World } from './world.ts';

/**
 * Workers per controller: upstream runs 5 for the Deployment, ReplicaSet and Endpoints
 * controllers (--concurrent-*-syncs). Any of the first WORKERS queued keys may be taken next.
 */
export const WORKERS = 5;

function controllerManagerOf(world: World): ControllerManagerSpec {
  const spec = world.system.controllerManager;
  if (spec === null) throw new Error('kubeprop: this scenario runs no controller-manager');
  return spec;
}

export function controllerContext(world: World, client: number): ControllerContext {
  return world.clients[client]!.context as ControllerContext;
}

/**
 * The keys a controller's workers may take now. None until every informer of the process has
 * listed once (WaitForCacheSync: a controller acting on an empty cache would recreate
 * everything); none while the writes of the last reconcile are still going out (a reconcile
 * runs its API calls synchronously, and the queue never hands out a key being processed).
 */
export function reconcilableKeys(world: World, client: number): readonly string[] {
  const ctx = controllerContext(world, client);
  if (ctx.queue.length === 0 || ctx.request !== null || ctx.outbox.length > 0) return [];
  for (const i of controllerManagerOf(world).informers) {
    if (!hasSynced(world.clients[i] as unknown as { value: unknown; context: InformerContext })) return [];
  }
  return ctx.queue.length <= WORKERS ? ctx.queue : ctx.queue.slice(0, WORKERS);
}

export function reconcile(world: World, client: number, key: string): World {
  return sendTo(world, client, { type: 'RECONCILE', key, caches: cachesOf(world, client), nowMs: world.nowMs, featureGates: world.system.featureGates });
}

export function restartControllerManager(world: World): World {
  const spec = controllerManagerOf(world);
  const restarted = restartClients(world, [...spec.controllers.map((c) => c.client), ...spec.informers]);
  return {
    ...restarted, leaderSinceMs: afterRestart(world.leaderSinceMs, 'controller-manager', world.nowMs),
    ghost: { ...world.ghost, controllerManagerIncarnation: world.ghost.controllerManagerIncarnation + 1 },
  };
}
