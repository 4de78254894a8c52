// The four kinds of property (ARCHITECTURE.md, "Properties"). Each is a named, pure check whose
// failure message explains the violation in words; null means it holds.
import type { Action } from '../model/actions.ts';
import type { World } from '../model/world.ts';

export interface AlwaysProperty {
  readonly kind: 'always';
  readonly name: string;
  readonly description: string;
  readonly check: (world: World) => string | null;
}

export interface TransitionProperty {
  readonly kind: 'transition';
  readonly name: string;
  readonly description: string;
  readonly check: (before: World, action: Action, after: World) => string | null;
}

/** How the heal-then-converge phase ended. */
export interface Settlement {
  /** True when nothing was left to do but wait past the settle window; false when the converge bound ran out first. */
  readonly quiet: boolean;
  readonly stepsTaken: number;
  /** Labels of (a few of) the actions still enabled when the bound ran out. */
  readonly stillEnabled: readonly string[];
  /** The store's revision when faults were healed: what changed after it happened while converging. */
  readonly healedAtRv: number;
}

/** Judged once faults are healed and the system has been run until quiet (or its bound). */
export interface EventuallyProperty {
  readonly kind: 'eventually';
  readonly name: string;
  readonly description: string;
  readonly check: (world: World, settlement: Settlement) => string | null;
}

/** A state exploration must reach at least once; never reaching it fails the scenario. */
export interface SometimesGoal {
  readonly kind: 'sometimes';
  readonly name: string;
  readonly description: string;
  readonly reached: (before: World, action: Action, after: World) => boolean;
}

export type Property = AlwaysProperty | TransitionProperty | EventuallyProperty | SometimesGoal;
