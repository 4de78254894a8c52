// Every property and sometimes-goal kubeprop checks, by name.
import { goneForcesRelist, informerCachesMatchStore, informerResourceVersionNeverGoesBack, watchDropLeadsToRelist, watchEventsArriveInOrder } from './informers.ts';
import {
  crashLoopBackOffReached, deletedPodsAreGone, gracefulTerminationCompletes, imagePullBackOffReached, livenessRestartHappens, podBecomesReady,
  podStatusesReflectRuntime, podWaitsForVolume,
} from './nodes.ts';
import {
  neverPolicyNeverRestarts, nodeNameNeverChanges, podPhaseTransitionsAreLegal, readyOnlyAfterReadinessPassed, restartCountNeverDecreases,
  sigkillOnlyAfterGracePeriod, terminalPodsStartNoContainers,
} from './pods.ts';
import type { Property } from './property.ts';
import {
  bindFailureRetried, bindingsRespectPlacement, hostPortsNeverCollide, nodesNeverOvercommitted, podBoundAtMostOnce, podScheduledAfterWaiting,
  schedulablePodsAreBound, unschedulablePodsSayWhy,
} from './scheduling.ts';
import { replicaSetNeverCreatesBeyondReplicas, replicaSetNeverDeletesBelowReplicas } from './replicasets.ts';
import { systemSettles } from './settles.ts';
import { writeConflictIsRetried } from './users.ts';

export const PROPERTIES: readonly Property[] = [
  informerResourceVersionNeverGoesBack,
  watchEventsArriveInOrder,
  podPhaseTransitionsAreLegal,
  nodeNameNeverChanges,
  restartCountNeverDecreases,
  neverPolicyNeverRestarts,
  terminalPodsStartNoContainers,
  readyOnlyAfterReadinessPassed,
  sigkillOnlyAfterGracePeriod,
  nodesNeverOvercommitted,
  hostPortsNeverCollide,
  podBoundAtMostOnce,
  bindingsRespectPlacement,
  replicaSetNeverCreatesBeyondReplicas,
  replicaSetNeverDeletesBelowReplicas,
  informerCachesMatchStore,
  podStatusesReflectRuntime,
  deletedPodsAreGone,
  schedulablePodsAreBound,
  unschedulablePodsSayWhy,
  // After the specific eventually-properties, so their more precise message wins.
  systemSettles,
  watchDropLeadsToRelist,
  goneForcesRelist,
  writeConflictIsRetried,
  crashLoopBackOffReached,
  livenessRestartHappens,
  gracefulTerminationCompletes,
  imagePullBackOffReached,
  podBecomesReady,
  podWaitsForVolume,
  podScheduledAfterWaiting,
  bindFailureRetried,
];

export function findProperty(name: string): Property | undefined {
  return PROPERTIES.find((p) => p.name === name);
}
