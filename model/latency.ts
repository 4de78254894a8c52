// Bounded latency: in a healthy cluster, a component's pending work (a watch event on the wire,
// a request to send, a pod worker's sync, a scheduling cycle, a queued reconcile) happens
// within a short time of becoming due. The logical clock may therefore not move past the
// moment a component's work became due plus WORK_LATENCY_MS_MAX; only a `stall` fault (a
// GC pause, an overloaded API server, a kubelet busy elsewhere) lets it, and the stall is then
// a step of the trace, counted in the fault budget like any other fault.
//
// Why one second, for every kind of work:
// - requests: the API server's latency SLO is 1 s at the 99th percentile for single-object
//   calls (kubernetes/community sig-scalability/slos/api_call_latency.md);
// - watch events: the watch cache fans an event out as it commits; client-go hands it to the
//   handlers at once (the watch latency SLI's target is under a second as well);
// - the kubelet: its sync loop wakes every second (pkg/kubelet/kubelet.go syncLoop, syncTicker
//   of 1 s), and PLEG relists every second (pkg/kubelet/pleg/generic.go, relistPeriod);
// - the scheduler: a cycle takes milliseconds, and its queue flushes the backoffQ every second
//   (pkg/scheduler/backend/queue/scheduling_queue.go, flushBackoffQCompleted);
// - controllers: a workqueue hands a key to a waiting worker at once.
// A bound of zero would let work and timers race only at the very same millisecond; a second
// keeps the races between a component's work and a nearby timer (a probe, a lease renewal).
//
// How a component's wait is measured: `World.workSinceMs[client]` is when the client's current
// stretch of waiting began, as the clock stood at the first tick that found it with work; it is
// cleared whenever the client does some of its work, so a client with a long queue must make
// progress at least once per bound, as a worker draining a queue does.
import type { Action } from './actions.ts';
import type { System } from './system.ts';
import type { World } from './world.ts';

const WORK_LATENCY_MS_MAX = 1000;

/** The client whose pending work the action does, or null for timers, faults of the world and recoveries. */
export function workerOf(system: System, action: Action): number | null {
  switch (action.kind) {
    case 'send': case 'deliver': case 'reconcile': case 'refuseRequest': case 'loseReply': return action.client;
    case 'sync': return system.nodes[action.node]!.kubelet;
    case 'schedule': case 'pickNode': return system.scheduler!.client;
    default: return null;
  }
}

/** The component a client is part of, as a stall names it: "kubelet node-1", "scheduler", "controller-manager", "user alice". */
export function componentOf(system: System, client: number): string {
  const spec = system.clients[client]!;
  if (spec.node !== undefined) return `kubelet ${system.nodes[spec.node]!.name}`;
  if (spec.process !== undefined) return spec.process;
  const owners = spec.owners ?? [];
  return owners.length === 1 ? componentOf(system, owners[0]!) : spec.id;
}

/** The latest instant the clock may reach while `client` has work: when its wait began, plus the bound. */
export function workDeadlineMs(world: World, client: number): number {
  return (world.workSinceMs[client] ?? world.nowMs) + WORK_LATENCY_MS_MAX;
}

/**
 * The world's record of waiting work after `action` (taken in `before`, giving `after`): a client
 * that did some of its work waits no longer; a move of the clock starts the wait of every client
 * that had work then, and ends it for every client that had none.
 */
export function withWorkClock(before: World, after: World, action: Action): World {
  if (action.kind === 'tick' || action.kind === 'stall') {
    const since = before.workSinceMs;
    let next: (number | null)[] | null = null;
    let b = 0;
    for (let i = 0; i < since.length; i++) {
      const busy = action.busy[b] === i;
      if (busy) b++;
      const value = busy ? (since[i] ?? before.nowMs) : null;
      if (value !== since[i]) (next ??= since.slice())[i] = value;
    }
    return next === null ? after : { ...after, workSinceMs: next };
  }
  const worker = workerOf(before.system, action);
  if (worker === null || after.workSinceMs[worker] === null) return after;
  const next = after.workSinceMs.slice();
  next[worker] = null;
  return { ...after, workSinceMs: next };
}
