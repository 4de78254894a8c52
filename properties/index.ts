// Every property and sometimes-goal kubeprop checks, by name.
import { goneForcesRelist, informerCachesMatchStore, informerResourceVersionNeverGoesBack, watchDropLeadsToRelist, watchEventsArriveInOrder } from './informers.ts';
import type { Property } from './property.ts';
import { systemSettles } from './settles.ts';
import { writeConflictIsRetried } from './users.ts';

export const PROPERTIES: readonly Property[] = [
  informerResourceVersionNeverGoesBack,
  watchEventsArriveInOrder,
  informerCachesMatchStore,
  // After the specific eventually-properties, so their more precise message wins.
  systemSettles,
  watchDropLeadsToRelist,
  goneForcesRelist,
  writeConflictIsRetried,
];

export function findProperty(name: string): Property | undefined {
  return PROPERTIES.find((p) => p.name === name);
}
