// enabled(world): every action that can happen next, in a fixed order. Progress comes
// first (deliveries, then requests, then the clock) and faults last, so a chooser that
// shrinks its choices towards 0 shrinks towards fault-free, event-draining runs.
import type { Action } from './actions.ts';
import { logSize } from './append-log.ts';
import { oldestServableRv } from './store-read.ts';
import type { System } from './system.ts';
import type { World } from './world.ts';

interface ActionTable {
  readonly send: readonly Action[];
  readonly sendLagging: readonly Action[];
  readonly deliver: readonly Action[];
  readonly dropWatch: readonly Action[];
  readonly failWatch: readonly Action[];
  readonly compact: Action;
}

// Actions are values; building them once per system keeps the hot loop free of allocation.
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
      compact: { kind: 'compact' },
    };
    tables.set(system, table);
  }
  return table;
}

/** The earliest time a client has asked to be woken at, or null. */
export function nextDeadlineMs(world: World): number | null {
  let next: number | null = null;
  for (const client of world.clients) {
    const at = client.context.wakeAtMs;
    if (at !== null && (next === null || at < next)) next = at;
  }
  return next;
}

export interface EnabledOptions {
  /** Offer fault actions (while the fault budget lasts). Off once faults are healed. */
  readonly faults: boolean;
}

export function enabled(world: World, options: EnabledOptions): Action[] {
  const { system } = world;
  const table = tableOf(system);
  const out: Action[] = [];
  const n = system.clients.length;
  for (let i = 0; i < n; i++) {
    const stream = world.streams[i];
    if (stream && (stream.end !== null || logSize(stream.queue) > 0)) out.push(table.deliver[i]!);
  }
  for (let i = 0; i < n; i++) {
    if (world.clients[i]!.context.request !== null) out.push(table.send[i]!);
  }
  const deadline = nextDeadlineMs(world);
  if (deadline !== null) out.push({ kind: 'tick', toMs: Math.max(deadline, world.nowMs) });

  if (!options.faults || world.faultsUsed >= system.bounds.faultsMax) return out;
  const { faults } = system;
  const store = world.store.context;
  for (let i = 0; i < n; i++) {
    const request = world.clients[i]!.context.request;
    if (faults.staleList && request?.verb === 'list') {
      const oldest = oldestServableRv(store, request.resourceVersion);
      if (oldest !== null && oldest < store.rv) out.push(table.sendLagging[i]!);
    }
  }
  for (let i = 0; i < n; i++) {
    const stream = world.streams[i];
    if (!stream || stream.end !== null) continue;
    if (faults.watchDrop) out.push(table.dropWatch[i]!);
    if (faults.watchError) out.push(table.failWatch[i]!);
  }
  if (faults.compaction && store.compactedRv < store.rv) out.push(table.compact);
  return out;
}
