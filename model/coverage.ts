// A hook for measuring which states and event handlers of the component machines a check
// exercised. Off (null) unless the checker sets a sink; the model never reads it otherwise.
import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';

export type CoverageSink = (machine: AnyStateMachine, from: AnyMachineSnapshot, eventType: string, to: AnyMachineSnapshot) => void;

let sink: CoverageSink | null = null;

/** Sets (or, with null, clears) the sink every machine transition reports to. */
export function setCoverageSink(next: CoverageSink | null): void {
  sink = next;
}

export function coverageSink(): CoverageSink | null {
  return sink;
}
