// Runs an xstate machine as a pure function of snapshots. xstate's exported
// `transition` helper builds a new actor system per call (about 60k events/s here);
// a machine's own `transition` with one reused actor scope runs several times faster
// and is just as pure for machines whose actions are all `assign`, which ours are.
import { createActor, type AnyActorScope, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import { coverageSink } from './coverage.ts';

const scopes = new WeakMap<AnyStateMachine, AnyActorScope>();

function scopeOf(machine: AnyStateMachine): AnyActorScope {
  let scope = scopes.get(machine);
  if (!scope) {
    // The actor is never started: it exists only to lend its scope to pure transitions.
    scope = (createActor(machine) as unknown as { _actorScope: AnyActorScope })._actorScope;
    scopes.set(machine, scope);
  }
  return scope;
}

export function initialSnapshot(machine: AnyStateMachine, input: unknown): AnyMachineSnapshot {
  return machine.getInitialSnapshot(scopeOf(machine), input) as AnyMachineSnapshot;
}

export function transition<S extends AnyMachineSnapshot>(machine: AnyStateMachine, snapshot: S, event: { readonly type: string; readonly [field: string]: unknown }): S {
  const next = machine.transition(snapshot, event, scopeOf(machine)) as S;
  coverageSink()?.(machine, snapshot, event.type, next);
  return next;
}
