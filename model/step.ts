// step(world, action): the one way the world changes. Deterministic: the same world
// and action give the same next world, whatever ran before.
import { isFault, type Action } from './actions.ts';
import { compact, deliver, DROPPED, endStream, LEADER_CHANGED, send, tick } from './step-api.ts';
import { crashNode, exit, partitionNode, probe, rebootNode, reconnectNode, restartKubelet, sync } from './step-node.ts';
import { withWorkClock } from './latency.ts';
import { reconcile, restartControllerManager } from './step-controllers.ts';
import { pickNode, restartScheduler, schedule } from './step-scheduler.ts';
import type { World } from './world.ts';

function apply(world: World, action: Action): World {
  switch (action.kind) {
    case 'send': return send(world, action.client, action.lagging);
    case 'deliver': return deliver(world, action.client);
    case 'tick': case 'stall': return tick(world, action.toMs);
    case 'dropWatch': return endStream(world, action.client, DROPPED);
    case 'failWatch': return endStream(world, action.client, LEADER_CHANGED);
    case 'compact': return compact(world);
    case 'sync': return sync(world, action.node, action.uid);
    case 'probe': return probe(world, action.node, action.slot, action.passed);
    case 'exit': return exit(world, action.node, action.container, action.exitCode);
    case 'crashNode': return crashNode(world, action.node);
    case 'rebootNode': return rebootNode(world, action.node);
    case 'partitionNode': return partitionNode(world, action.node);
    case 'reconnectNode': return reconnectNode(world, action.node);
    case 'restartKubelet': return restartKubelet(world, action.node);
    case 'registryDown': return { ...world, registryDown: true };
    case 'registryUp': return { ...world, registryDown: false };
    case 'schedule': return schedule(world);
    case 'pickNode': return pickNode(world, action.index);
    case 'restartScheduler': return restartScheduler(world);
    case 'reconcile': return reconcile(world, action.client, action.key);
    case 'restartControllerManager': return restartControllerManager(world);
    case 'refuseRequest': return send(world, action.client, false, 'refused');
    case 'loseReply': return send(world, action.client, false, 'replyLost');
  }
}

export function step(world: World, action: Action): World {
  const next = withWorkClock(world, apply(world, action), action);
  return isFault(action) ? { ...next, faultsUsed: next.faultsUsed + 1 } : next;
}
