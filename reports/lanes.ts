// Which component's lane each step belongs to in a report: the store, the scheduler, each
// controller, each node (its kubelet, its informers, its runtime), each user, the clock, and
// the faults. A client's informer belongs to the lane of the component it feeds.
import { isFault, type Action } from '../model/actions.ts';
import type { System } from '../model/system.ts';

export const STORE_LANE = 'store';
export const FAULTS_LANE = 'faults';
export const CLOCK_LANE = 'clock';
export const CONTROLLER_MANAGER_LANE = 'controller-manager';

/** A node's lane is its kubelet's name ("kubelet node-1"), which no other lane can take. */
export function nodeLane(system: System, node: number): string {
  return `kubelet ${system.nodes[node]!.name}`;
}

/** The lane of a client: itself, or for an informer, what it feeds. */
function clientLane(system: System, client: number): string {
  const spec = system.clients[client]!;
  if (spec.node !== undefined) return nodeLane(system, spec.node);
  switch (spec.kind) {
    case 'kubelet': return spec.id;
    case 'informer': {
      const owners = spec.owners ?? [];
      if (owners.length === 1) return clientLane(system, owners[0]!);
      // A shared informer of the controller-manager feeds several controllers; one without an owner is a scenario's own reader.
      return owners.length > 1 ? CONTROLLER_MANAGER_LANE : spec.id.replace(/^.* -> /, '');
    }
    default: return spec.id;
  }
}

export function laneOf(system: System, action: Action): string {
  if (isFault(action) || action.kind === 'registryUp') return FAULTS_LANE;
  switch (action.kind) {
    case 'tick': return CLOCK_LANE;
    case 'send': case 'deliver': case 'reconcile': return clientLane(system, action.client);
    case 'sync': case 'probe': case 'exit': case 'rebootNode': case 'reconnectNode': return nodeLane(system, action.node);
    case 'schedule': case 'pickNode': return 'scheduler';
    default: return FAULTS_LANE;
  }
}

/** The lanes of a system, in the order a report shows them. */
export function lanesOf(system: System): string[] {
  const lanes = [CLOCK_LANE, STORE_LANE];
  const add = (lane: string) => { if (!lanes.includes(lane)) lanes.push(lane); };
  system.clients.forEach((c, i) => { if (c.kind === 'user') add(clientLane(system, i)); });
  if (system.scheduler) add('scheduler');
  if (system.controllerManager) {
    add(CONTROLLER_MANAGER_LANE);
    for (const c of system.controllerManager.controllers) add(system.clients[c.client]!.id);
  }
  system.nodes.forEach((_, i) => add(nodeLane(system, i)));
  system.clients.forEach((c, i) => { if (c.kind === 'informer') add(clientLane(system, i)); });
  add(FAULTS_LANE);
  return lanes;
}
