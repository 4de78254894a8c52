// enabled(world): every action that can happen next, in a fixed order. Progress comes
// first (deliveries, requests, kubelet work, timed process exits, recoveries, then the
// clock) and faults last, so a chooser that shrinks its choices towards 0 shrinks
// towards fault-free, event-draining runs.
import type { Action } from './actions.ts';
import { earliest, future } from './clock.ts';
import { logSize } from './append-log.ts';
import type { KubeletContext } from './kubelet/context.ts';
import { probeOutcome } from './process.ts';
import { workDeadlineMs, workerOf } from './latency.ts';
import { isWrite } from './requests.ts';
import { head } from './scheduler/queue.ts';
import { reconcilableKeys } from './step-controllers.ts';
import { schedulerContext } from './step-scheduler.ts';
import { exitDueMs, newestInstance } from './runtime.ts';
import { oldestServableRv } from './store-read.ts';
import type { System } from './system.ts';
import { clientIsConnected, clientIsUp, nodeIsUp, type World } from './world.ts';

interface ActionTable {
  readonly send: readonly Action[];
  readonly sendLagging: readonly Action[];
  readonly deliver: readonly Action[];
  readonly dropWatch: readonly Action[];
  readonly failWatch: readonly Action[];
  readonly refuseRequest: readonly Action[];
  readonly loseReply: readonly Action[];
}

// Actions are values; building the common ones once per system keeps the hot loop free of allocation.
const tables = new WeakMap<System, ActionTable>();

function tableOf(system: System): ActionTable {
  let table = tables.get(system);
  if (!table) {
    const each = <A extends Action>(make: (client: number) => A) => system.clients.map((_, i) => make(i));
    table = {
      send: each((client) => ({ kind: 'send', client, lagging: false })),
      sendLagging: each((client) => ({ kind: 'send', client, lagging: true })),
      deliver: each((client) => ({ kind: 'deliver', client })),
      dropWatch: each((client) => ({ kind: 'dropWatch', client })),
      failWatch: each((client) => ({ kind: 'failWatch', client })),
      refuseRequest: each((client) => ({ kind: 'refuseRequest', client })),
      loseReply: each((client) => ({ kind: 'loseReply', client })),
    };
    tables.set(system, table);
  }
  return table;
}

const COMPACT: Action = { kind: 'compact' };
const REGISTRY_DOWN: Action = { kind: 'registryDown' };
const REGISTRY_UP: Action = { kind: 'registryUp' };
const SCHEDULE: Action = { kind: 'schedule' };
const RESTART_SCHEDULER: Action = { kind: 'restartScheduler' };
const RESTART_CONTROLLER_MANAGER: Action = { kind: 'restartControllerManager' };
/** The exit code of a crashing process. */
export const CRASH_EXIT_CODE = 1;

/** The earliest future time something is due: a client's timer, a process's timed exit, a restarted control-plane process leading again. */
export function nextDeadlineMs(world: World): number | null {
  let next: number | null = null;
  for (let i = 0; i < world.clients.length; i++) if (clientIsUp(world, i)) next = earliest(next, world.clients[i]!.context.wakeAtMs);
  for (const node of world.nodes) if (nodeIsUp(node)) next = earliest(next, node.runtime.context.nextExitMs);
  next = earliest(next, future(world.leaderSinceMs['controller-manager'], world.nowMs));
  next = earliest(next, future(world.leaderSinceMs.scheduler, world.nowMs));
  return next;
}

/**
 * The clients with work among these actions (ascending), and the latest instant the clock may
 * reach before one of them must act (latency.ts).
 */
function pendingWork(world: World, actions: readonly Action[]): { busy: number[]; deadlineMs: number } {
  const busy: number[] = [];
  let deadlineMs = Infinity;
  for (const a of actions) {
    const client = workerOf(world.system, a);
    if (client === null || busy.includes(client)) continue;
    busy.push(client);
    deadlineMs = Math.min(deadlineMs, workDeadlineMs(world, client));
  }
  return { busy: busy.sort((x, y) => x - y), deadlineMs };
}

export interface EnabledOptions {
  /** Offer fault actions (while the fault budget lasts). Off once faults are healed. */
  readonly faults: boolean;
}

/**
 * Adds the node's actions. Returns true when time-driven work is due on it (a probe, a
 * timed exit): the clock may not move past it until it has run, as a timer cannot be skipped.
 */
function nodeActions(world: World, node: number, faults: boolean, out: Action[], faultsOut: Action[], recoveries: boolean): boolean {
  const spec = world.system.nodes[node]!;
  const state = world.nodes[node]!;
  if (!nodeIsUp(state)) {
    if (recoveries) out.push({ kind: 'rebootNode', node });
    return false;
  }
  let due = false;
  const kubelet = world.clients[spec.kubelet]!.context as KubeletContext;
  for (const uid of kubelet.queue) out.push({ kind: 'sync', node, uid });
  const runtime = state.runtime.context;
  if (kubelet.probeDueMs !== null && kubelet.probeDueMs <= world.nowMs) {
    for (const [slot, s] of kubelet.probes.entries()) {
      if (s.nextProbeAtMs > world.nowMs) continue;
      due = true;
      const running = newestInstance(runtime, s.uid, s.container, 'running');
      const outcome = running ? probeOutcome(running.behaviour, s.type, world.nowMs - (running.startedAtMs ?? 0)) : 'pass';
      if (outcome !== 'fail') out.push({ kind: 'probe', node, slot, passed: true, fault: false });
      if (outcome !== 'pass') out.push({ kind: 'probe', node, slot, passed: false, fault: false });
      else if (faults && running && world.system.faults.probeFailure) faultsOut.push({ kind: 'probe', node, slot, passed: false, fault: true });
    }
  }
  if (runtime.nextExitMs !== null && runtime.nextExitMs <= world.nowMs) {
    for (const c of runtime.containers.values()) {
      const at = exitDueMs(c);
      if (at !== null && at <= world.nowMs) {
        out.push({ kind: 'exit', node, container: c.id, exitCode: c.behaviour.exitCode ?? 0, fault: false });
        due = true;
      }
    }
  }
  if (state.partitioned && recoveries) out.push({ kind: 'reconnectNode', node });
  if (!faults) return due;
  const profile = world.system.faults;
  if (profile.containerCrash) {
    for (const c of runtime.containers.values()) {
      if (c.state === 'running') faultsOut.push({ kind: 'exit', node, container: c.id, exitCode: CRASH_EXIT_CODE, fault: true });
    }
  }
  if (profile.nodeCrash) faultsOut.push({ kind: 'crashNode', node });
  if (profile.nodePartition && !state.partitioned) faultsOut.push({ kind: 'partitionNode', node });
  if (profile.kubeletRestart) faultsOut.push({ kind: 'restartKubelet', node });
  return due;
}

export function enabled(world: World, options: EnabledOptions): Action[] {
  const { system } = world;
  const table = tableOf(system);
  const out: Action[] = [];
  const faultsOut: Action[] = [];
  const faults = options.faults && world.faultsUsed < system.bounds.faultsMax;
  const n = system.clients.length;
  for (let i = 0; i < n; i++) {
    const stream = world.streams[i];
    if (stream && (stream.end !== null || logSize(stream.queue) > 0) && clientIsUp(world, i)) out.push(table.deliver[i]!);
  }
  for (let i = 0; i < n; i++) {
    if (world.clients[i]!.context.request !== null && clientIsConnected(world, i)) out.push(table.send[i]!);
  }
  let timedWorkDue = false;
  const recoveries = !options.faults || system.faults.outagesLastUntilHealed !== true;
  for (let node = 0; node < system.nodes.length; node++) timedWorkDue = nodeActions(world, node, faults, out, faultsOut, recoveries) || timedWorkDue;
  if (world.registryDown) out.push(REGISTRY_UP);
  if (system.scheduler !== null && clientIsUp(world, system.scheduler.client)) {
    const scheduler = schedulerContext(world);
    if (scheduler.picking !== null) for (let index = 0; index < scheduler.picking.best.length; index++) out.push({ kind: 'pickNode', index });
    else if (head(scheduler) !== null) out.push(SCHEDULE);
  }
  for (const { client } of system.controllerManager?.controllers ?? []) {
    if (!clientIsUp(world, client)) continue;
    for (const key of reconcilableKeys(world, client)) out.push({ kind: 'reconcile', client, key });
  }
  // The clock moves to the next deadline only within every pending work's latency bound;
  // beyond it, only as a stall (a fault). Timed work due now (a probe, an exit) comes first.
  const deadline = timedWorkDue ? null : nextDeadlineMs(world);
  if (deadline !== null) {
    const toMs = Math.max(deadline, world.nowMs);
    const work = pendingWork(world, out);
    if (toMs <= work.deadlineMs) out.push({ kind: 'tick', toMs, busy: work.busy });
    else if (faults && system.faults.stall) faultsOut.push({ kind: 'stall', toMs, busy: work.busy });
  }

  if (!faults) return out;
  const profile = system.faults;
  const store = world.store.context;
  for (let i = 0; i < n; i++) {
    const request = world.clients[i]!.context.request;
    if (profile.staleList && request?.verb === 'list' && clientIsConnected(world, i)) {
      const oldest = oldestServableRv(store, request.resourceVersion);
      if (oldest !== null && oldest < store.rv) out.push(table.sendLagging[i]!);
    }
  }
  for (let i = 0; i < n; i++) {
    const stream = world.streams[i];
    if (!stream || stream.end !== null) continue;
    if (profile.watchDrop) out.push(table.dropWatch[i]!);
    if (profile.watchError) out.push(table.failWatch[i]!);
  }
  if (profile.compaction && store.compactedRv < store.rv) out.push(COMPACT);
  if (profile.requestFailure.length > 0) {
    for (let i = 0; i < n; i++) {
      const request = world.clients[i]!.context.request;
      if (request === null || !isWrite(request) || !(profile.requestFailure as readonly string[]).includes(system.clients[i]!.kind) || !clientIsConnected(world, i)) continue;
      out.push(table.refuseRequest[i]!, table.loseReply[i]!);
    }
  }
  if (profile.schedulerRestart && system.scheduler !== null) out.push(RESTART_SCHEDULER);
  if (profile.controllerManagerRestart && system.controllerManager !== null) out.push(RESTART_CONTROLLER_MANAGER);
  if (profile.registryDown && !world.registryDown) out.push(REGISTRY_DOWN);
  for (const a of faultsOut) out.push(a);
  return out;
}
