// What a container's process does: part of the scenario, not of Kubernetes. When a
// timed event happens is fixed by the logical clock; when an unplanned one happens
// (a crash, a flaky probe) is the chooser's.
import type { ProbeType } from './semantics/probe.ts';

/** A probe's outcome over time since the container started: it passes in [passFromMs, passUntilMs). */
export type ProbeBehaviour =
  | { readonly passFromMs?: number; readonly passUntilMs?: number }
  /** Each probe's outcome is the chooser's. */
  | 'flaky';

/** The container lifecycle hooks: postStart runs as the container starts, preStop before it is stopped. */
export type HookName = 'postStart' | 'preStop';

/** What an exec or httpGet lifecycle hook does when the kubelet runs it against the process. */
export interface HookBehaviour {
  /** How long the hook takes to return; absent, it returns at once. */
  readonly takesMs?: number;
  /** It fails when it returns: an exec hook's command exits 1, an httpGet hook's connection is refused. */
  readonly fails?: boolean;
}

export interface ProcessBehaviour {
  /** The process exits by itself this long after it starts; absent, it runs until stopped. */
  readonly exitAfterMs?: number;
  /** The code of that exit. */
  readonly exitCode?: number;
  /** The process keeps running after SIGTERM; only SIGKILL (at the end of the grace period) stops it. */
  readonly ignoresSigterm?: boolean;
  /** The code a process exits with when it honours SIGTERM. */
  readonly sigtermExitCode?: number;
  /** Probe outcomes by probe type; a probe type not listed always passes. */
  readonly probes?: Partial<Record<ProbeType, ProbeBehaviour>>;
  /** Lifecycle hook outcomes by hook; an exec or httpGet hook not listed succeeds at once (a sleep hook takes its seconds whatever this says). */
  readonly hooks?: Partial<Record<HookName, HookBehaviour>>;
}

/** A process that runs until stopped, exits 0 on SIGTERM, and passes every probe. */
export const RUNS_FOREVER: ProcessBehaviour = {};

/** The probe's outcome at `sinceStartMs`, or 'chooser' when the chooser decides. */
export function probeOutcome(behaviour: ProcessBehaviour, type: ProbeType, sinceStartMs: number): 'pass' | 'fail' | 'chooser' {
  const b = behaviour.probes?.[type];
  if (b === undefined) return 'pass';
  if (b === 'flaky') return 'chooser';
  const from = b.passFromMs ?? 0;
  const until = b.passUntilMs ?? Infinity;
  return sinceStartMs >= from && sinceStartMs < until ? 'pass' : 'fail';
}
