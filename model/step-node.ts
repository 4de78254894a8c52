// Steps on a node: a kubelet's pod sync and probes, a container's process exiting, and
// the node's faults and recoveries (crash and reboot, partition and reconnection,
// kubelet restart, the image registry going down and coming back).
import { transition } from './machine-runner.ts';
import type { KubeletContext } from './kubelet/context.ts';
import { newestInstance, probePassed, type RuntimeEvent } from './runtime.ts';
import { endStream, PARTITIONED, replace, restartClients, sendTo } from './step-api.ts';
import { kubeletView } from './view.ts';
import type { NodeState, RuntimeSnapshot, World } from './world.ts';

function withRuntime(world: World, node: number, event: RuntimeEvent | { type: 'CRASH' } | { type: 'BOOT' }): World {
  const state = world.nodes[node]!;
  const runtime = transition(world.system.nodes[node]!.runtime, state.runtime, event) as RuntimeSnapshot;
  return { ...world, nodes: replace(world.nodes, node, { ...state, runtime }) };
}

function withNode(world: World, node: number, change: Partial<NodeState>): World {
  return { ...world, nodes: replace(world.nodes, node, { ...world.nodes[node]!, ...change }) };
}

function kubeletOf(world: World, node: number): KubeletContext {
  return world.clients[world.system.nodes[node]!.kubelet]!.context as KubeletContext;
}

/** The PLEG: the kubelet hears that a container of the pod changed state. */
function relist(world: World, node: number, podUid: string): World {
  return sendTo(world, world.system.nodes[node]!.kubelet, { type: 'PLEG', uid: podUid, nowMs: world.nowMs });
}

export function sync(world: World, node: number, uid: string): World {
  const spec = world.system.nodes[node]!;
  const synced = sendTo(world, spec.kubelet, { type: 'SYNC_POD', uid, view: kubeletView(world, node), nowMs: world.nowMs });
  const op = kubeletOf(synced, node).op;
  if (op === null) return synced;
  // The process a container runs is the scenario's, not the kubelet's: the runtime learns it here.
  const call: RuntimeEvent = op.type === 'CREATE_CONTAINER' ? { ...op, behaviour: world.system.behaviour(op.podKey, op.name, op.image) } : op;
  return withRuntime(synced, node, call);
}

export function probe(world: World, node: number, slotKey: string, passed: boolean): World {
  const slot = kubeletOf(world, node).probes.get(slotKey)!;
  const view = kubeletView(world, node);
  const probed = sendTo(world, world.system.nodes[node]!.kubelet, { type: 'PROBE', slot: slotKey, passed, view, nowMs: world.nowMs });
  const running = newestInstance(view.runtime, slot.uid, slot.container, 'running');
  // Only a first pass is news to the runtime's record.
  if (running === undefined || !passed || probePassed(view.runtime, running.id, slot.type)) return probed;
  return withRuntime(probed, node, { type: 'PROBE_PASSED', id: running.id, probe: slot.type });
}

export function exit(world: World, node: number, container: string, exitCode: number): World {
  const c = world.nodes[node]!.runtime.context.containers.get(container)!;
  return relist(withRuntime(world, node, { type: 'PROCESS_EXIT', id: container, exitCode, nowMs: world.nowMs }), node, c.podUid);
}

/** The kubelet process (and with it its informers) starts afresh: nothing it knew survives. */
function restartProcesses(world: World, node: number): World {
  const spec = world.system.nodes[node]!;
  return restartClients(world, [spec.kubelet, ...Object.values(spec.informers)]);
}

export function crashNode(world: World, node: number): World {
  return restartProcesses(withRuntime(world, node, { type: 'CRASH' }), node);
}

export function rebootNode(world: World, node: number): World {
  return withRuntime(world, node, { type: 'BOOT' });
}

export function restartKubelet(world: World, node: number): World {
  return restartProcesses(world, node);
}

/** Cut off: the node's watch streams break; its requests cannot be sent until it reconnects. */
export function partitionNode(world: World, node: number): World {
  let next = withNode(world, node, { partitioned: true });
  world.system.clients.forEach((c, i) => {
    if (c.node === node) next = endStream(next, i, PARTITIONED);
  });
  return next;
}

export function reconnectNode(world: World, node: number): World {
  return withNode(world, node, { partitioned: false });
}
