// How an exploration step's choice (a slot) maps to an action. Each ordinary action is
// `faultRarity` times likelier than each kind of fault; the instances of one kind of fault
// share its weight. Weighting faults per instance would let the kinds with many instances
// (a watch drop for every open stream, a stale list for every informer) spend a run's fault
// budget before the kinds with one instance (refusing the scheduler's one binding) get a chance.
// Faults come last, so a shrinker that lowers choices moves runs away from faults.
import { faultKind, isFault, type Action } from '../model/actions.ts';
import type { Chooser } from './chooser.ts';

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

interface Layout {
  /** Slots of each ordinary action. */
  readonly perOrdinary: number;
  readonly ordinaryCount: number;
  /** Instances of each fault kind. */
  readonly kinds: ReadonlyMap<string, number>;
  /** Slots of each fault kind: a common multiple of the kinds' instance counts, so each instance gets a whole share. */
  readonly perKind: number;
}

function layoutOf(actions: readonly Action[], faultRarity: number): Layout {
  const kinds = new Map<string, number>();
  let ordinaryCount = 0;
  for (const a of actions) {
    if (isFault(a)) kinds.set(faultKind(a), (kinds.get(faultKind(a)) ?? 0) + 1);
    else ordinaryCount++;
  }
  let perKind = 1;
  for (const n of kinds.values()) perKind = (perKind * n) / gcd(perKind, n);
  return { perOrdinary: faultRarity * perKind, ordinaryCount, kinds, perKind };
}

/** The chosen slot and its action, or null when the chooser has no more choices. */
export function pickAction(chooser: Chooser, actions: readonly Action[], faultRarity: number): { slot: number; action: Action } | null {
  const layout = layoutOf(actions, faultRarity);
  const ordinarySlots = layout.ordinaryCount * layout.perOrdinary;
  const slot = chooser.pick(ordinarySlots + layout.kinds.size * layout.perKind);
  if (slot === null) return null;
  if (slot < ordinarySlots) {
    let index = Math.floor(slot / layout.perOrdinary);
    for (const a of actions) if (!isFault(a) && index-- === 0) return { slot, action: a };
  } else {
    // Kinds in the order of their first instance; the instance by the slot's place in its kind's share.
    const kindIndex = Math.floor((slot - ordinarySlots) / layout.perKind);
    const kind = [...layout.kinds.keys()][kindIndex]!;
    const share = layout.perKind / layout.kinds.get(kind)!;
    let index = Math.floor(((slot - ordinarySlots) % layout.perKind) / share);
    for (const a of actions) if (isFault(a) && faultKind(a) === kind && index-- === 0) return { slot, action: a };
  }
  throw new Error(`kubeprop: slot ${slot} maps to no action`);
}

/** The inverse of pickAction: the first slot that chooses `actions[index]`. */
export function slotOf(actions: readonly Action[], index: number, faultRarity: number): number {
  const layout = layoutOf(actions, faultRarity);
  const wanted = actions[index]!;
  const before = actions.slice(0, index);
  if (!isFault(wanted)) return before.filter((a) => !isFault(a)).length * layout.perOrdinary;
  const kind = faultKind(wanted);
  const kindIndex = [...layout.kinds.keys()].indexOf(kind);
  const share = layout.perKind / layout.kinds.get(kind)!;
  const instance = before.filter((a) => isFault(a) && faultKind(a) === kind).length;
  return layout.ordinaryCount * layout.perOrdinary + kindIndex * layout.perKind + instance * share;
}
