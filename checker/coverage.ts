// What a check exercised: each component machine's states entered and event handlers run
// (a handler is a state, or "*" for the machine as a whole, and an event it handles, as the
// xstate definition declares them), and how often each kind of action ran. Counts, so that
// shards and workers add up; the definitions say what was never exercised. A handler counts
// as run when its event arrived in its state, whichever of its guarded branches (if any) was
// taken; a state counts as entered when a transition ends in it, so a transient state (one
// left at once by an `always`) never does.
import type { AnyMachineSnapshot, AnyStateMachine, StateValue } from 'xstate';
import type { Action } from '../model/actions.ts';
import { setCoverageSink } from '../model/coverage.ts';

export interface CoverageData {
  /** machine id -> state path -> times entered (by a transition). */
  readonly states: Record<string, Record<string, number>>;
  /** machine id -> "state:EVENT" (or "*:EVENT") -> times run. */
  readonly handlers: Record<string, Record<string, number>>;
  /** action kind -> times taken. */
  readonly actions: Record<string, number>;
}

export function emptyCoverage(): CoverageData {
  return { states: {}, handlers: {}, actions: {} };
}

/** A state value as the paths of its active leaves: "running", "a.b". */
function statePaths(value: StateValue): string[] {
  if (typeof value === 'string') return [value];
  return Object.entries(value).flatMap(([k, v]) => (v === undefined ? [k] : statePaths(v as StateValue).map((p) => `${k}.${p}`)));
}

type StateNodeLike = { readonly transitions: ReadonlyMap<string, unknown>; readonly states?: Record<string, StateNodeLike> };

/** The handler that took `eventType` in the state at `path`: the state's own, else the machine's root's. */
function handlerOf(machine: AnyStateMachine, path: string, eventType: string): string | null {
  let node = machine.root as unknown as StateNodeLike;
  let own: string | null = (node.transitions.has(eventType) ? `*:${eventType}` : null);
  let at = '';
  for (const part of path.split('.')) {
    node = node.states?.[part] as StateNodeLike;
    if (!node) break;
    at = at ? `${at}.${part}` : part;
    if (node.transitions.has(eventType)) own = `${at}:${eventType}`;
  }
  return own;
}

const bump = (map: Record<string, number>, key: string, by = 1) => { map[key] = (map[key] ?? 0) + by; };
const of = (table: Record<string, Record<string, number>>, id: string) => (table[id] ??= {});

/** The handler of a state and event, looked up once per machine definition (a defect's variant shares its original's). */
const HANDLERS = new Map<string, string | null>();
function handler(machine: AnyStateMachine, path: string, eventType: string): string | null {
  const key = `${machine.id}\0${path}\0${eventType}`;
  let h = HANDLERS.get(key);
  if (h === undefined) HANDLERS.set(key, (h = handlerOf(machine, path, eventType)));
  return h;
}

/** Collects into `into` while `during` runs: machine transitions through the coverage sink. */
export function collectCoverage<T>(into: CoverageData, during: () => T): T {
  // Every machine here is flat: a state value is a string, or {} for a machine with no states.
  const count = (machine: AnyStateMachine, from: string, eventType: string, to: string) => {
    bump(of(into.states, machine.id), to);
    const h = handler(machine, from, eventType);
    if (h) bump(of(into.handlers, machine.id), h);
  };
  setCoverageSink((machine: AnyStateMachine, from: AnyMachineSnapshot, eventType: string, to: AnyMachineSnapshot) => {
    if (typeof from.value === 'string' && typeof to.value === 'string') return count(machine, from.value, eventType, to.value);
    // A machine without states (the controllers) has the value {}: its handlers are all the root's.
    const froms = statePaths(from.value as StateValue);
    if (froms.length === 0) froms.push('');
    const tos = statePaths(to.value as StateValue);
    for (const t of tos) bump(of(into.states, machine.id), t);
    for (const f of froms) {
      const h = handler(machine, f, eventType);
      if (h) bump(of(into.handlers, machine.id), h);
    }
  });
  try {
    return during();
  } finally {
    setCoverageSink(null);
  }
}

export function countAction(into: CoverageData, action: Action): void {
  bump(into.actions as Record<string, number>, action.kind);
}

/** The sum of several checks' coverage (shards, workers). */
export function mergeCoverage(parts: readonly CoverageData[]): CoverageData {
  const out = emptyCoverage();
  for (const part of parts) {
    for (const table of ['states', 'handlers'] as const) {
      for (const [id, counts] of Object.entries(part[table])) for (const [k, n] of Object.entries(counts)) bump(of(out[table], id), k, n);
    }
    for (const [k, n] of Object.entries(part.actions)) bump(out.actions as Record<string, number>, k, n);
  }
  return out;
}

/** Every state and handler a machine's definition declares, to tell what a check never exercised. */
export function machineDefinition(machine: AnyStateMachine): { readonly id: string; readonly states: string[]; readonly handlers: string[] } {
  const states: string[] = [];
  const handlers: string[] = [];
  const walk = (node: StateNodeLike, path: string) => {
    if (path) states.push(path);
    for (const event of node.transitions.keys()) handlers.push(`${path || '*'}:${event}`);
    for (const [name, child] of Object.entries(node.states ?? {})) walk(child, path ? `${path}.${name}` : name);
  };
  walk(machine.root as unknown as StateNodeLike, '');
  return { id: machine.id, states, handlers };
}
