// Which component's lane each step belongs to in a report: the store, the scheduler, each
// controller, each node (its kubelet, its informers, its runtime), each user, the clock, and
// the faults. A client's informer belongs to the lane of the component it feeds.
import { isFault, type Action } from '../model/actions.ts';
import type { World } from '../model/world.ts';

export const STORE_LANE = 'store';
export const FAULTS_LANE = 'faults';
export const CLOCK_LANE = 'clock';
export const CONTROLLER_MANAGER_LANE = 'controller-manager';

/** A node's lane is its kubelet's name ("kubelet node-1"), which no other lane can take. */
function nodeLane(world: World, node: number): string {
  return `kubelet ${world.system.nodes[node]!.name}`;
}

/** The lane of a client: itself, or for an informer, what it feeds. */
function clientLane(world: World, client: number): string {
  const spec = world.system.clients[client]!;
  if (spec.node !== undefined) return nodeLane(world, spec.node);
  switch (spec.kind) {
    case 'kubelet': return spec.id;
    case 'informer': {
      const owners = spec.owners ?? [];
      if (owners.length === 1) return clientLane(world, owners[0]!);
      // A shared informer of the controller-manager feeds several controllers; one without an owner is a scenario's own reader.
      return owners.length > 1 ? CONTROLLER_MANAGER_LANE : spec.id.replace(/^.* -> /, '');
    }
    default: return spec.id;
  }
}

export function laneOf(world: World, action: Action): string {
  if (isFault(action) || action.kind === 'registryUp') return FAULTS_LANE;
  switch (action.kind) {
    case 'tick': return CLOCK_LANE;
    case 'send': case 'deliver': case 'reconcile': return clientLane(world, action.client);
    case 'sync': case 'probe': case 'exit': case 'rebootNode': case 'reconnectNode': return nodeLane(world, action.node);
    case 'schedule': case 'pickNode': return 'scheduler';
    default: return FAULTS_LANE;
  }
}

/** The lanes of a world's system, in the order a report shows them. */
export function lanesOf(world: World): string[] {
  const lanes = [CLOCK_LANE, STORE_LANE];
  const add = (lane: string) => { if (!lanes.includes(lane)) lanes.push(lane); };
  world.system.clients.forEach((c, i) => { if (c.kind === 'user') add(clientLane(world, i)); });
  if (world.system.scheduler) add('scheduler');
  if (world.system.controllerManager) {
    add(CONTROLLER_MANAGER_LANE);
    for (const c of world.system.controllerManager.controllers) add(world.system.clients[c.client]!.id);
  }
  world.system.nodes.forEach((_, i) => add(nodeLane(world, i)));
  world.system.clients.forEach((c, i) => { if (c.kind === 'informer') add(clientLane(world, i)); });
  add(FAULTS_LANE);
  return lanes;
}
