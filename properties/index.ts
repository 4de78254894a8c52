// Every property and sometimes-goal kubeprop checks, by name.
import { goneForcesRelist, informerCachesMatchStore, informerResourceVersionNeverGoesBack, watchDropLeadsToRelist, watchEventsArriveInOrder } from './informers.ts';
import {
  allContainersRestarted, containerConfigErrorReported, containerRestartedByRule, crashLoopBackOffReached, deletedPodsAreGone, gracefulTerminationCompletes,
  imagePullBackOffReached, livenessRestartHappens, podBecomesReady, podRunsToCompletion, podStatusesReflectRuntime, podWaitsForVolume, postStartHookFailed,
} from './nodes.ts';
import {
  containersRemovedOnlyToRestartAll, neverPolicyNeverRestarts, nodeNameNeverChanges, podPhaseTransitionsAreLegal, readyOnlyAfterReadinessPassed,
  restartCountNeverDecreases, terminalPodsStartNoContainers,
} from './pods.ts';
import { preStopOutlastsGracePeriod, sigkillOnlyAfterGracePeriod, sigtermOnlyAfterPreStop } from './termination.ts';
import { evictionReplacesPod, noEvictionWhenEveryNodeIsDown, nodeFailsMidRolloutAndCompletes, podsOfFailedNodesAreReplaced } from './node-failures.ts';
import { noFlappingWhileConverging } from './flapping.ts';
import type { Property } from './property.ts';
import {
  bindFailureRetried, bindingsRespectPlacement, hostPortsNeverCollide, nodesNeverOvercommitted, podBoundAtMostOnce, podScheduledAfterWaiting,
  schedulablePodsAreBound, unschedulablePodsSayWhy,
} from './scheduling.ts';
import { deploymentsComplete, replicaSetsOwnTheirReplicas, servicesListReadyPods } from './convergence.ts';
import {
  pausedDeploymentStartsNoRollout, proportionalScalingHappens, rollbackCompletes, rolloutCompletes, rollingUpdateKeepsAvailability, rollingUpdateStaysWithinSurge,
} from './deployments.ts';
import {
  drainEvictsManagedPods, replicaSetNeverCreatesBeyondReplicas, replicaSetNeverDeletesBelowReplicas, replicaSetReadyAfterControllerRestart,
} from './replicasets.ts';
import { systemSettles } from './settles.ts';
import { writeConflictIsRetried } from './users.ts';
import {
  foregroundDeletionCompletes, noDependentOutlivesItsOwner, orphanedDependentsReleased, ownerDeletedWhileCollectorDown, podHasOneControllerOwner,
} from './owners.ts';

export const PROPERTIES: readonly Property[] = [
  informerResourceVersionNeverGoesBack,
  watchEventsArriveInOrder,
  podPhaseTransitionsAreLegal,
  nodeNameNeverChanges,
  restartCountNeverDecreases,
  neverPolicyNeverRestarts,
  containersRemovedOnlyToRestartAll,
  terminalPodsStartNoContainers,
  readyOnlyAfterReadinessPassed,
  sigtermOnlyAfterPreStop,
  sigkillOnlyAfterGracePeriod,
  nodesNeverOvercommitted,
  hostPortsNeverCollide,
  podBoundAtMostOnce,
  bindingsRespectPlacement,
  replicaSetNeverCreatesBeyondReplicas,
  replicaSetNeverDeletesBelowReplicas,
  noEvictionWhenEveryNodeIsDown,
  rollingUpdateStaysWithinSurge,
  rollingUpdateKeepsAvailability,
  pausedDeploymentStartsNoRollout,
  informerCachesMatchStore,
  podStatusesReflectRuntime,
  deletedPodsAreGone,
  schedulablePodsAreBound,
  unschedulablePodsSayWhy,
  podsOfFailedNodesAreReplaced,
  podHasOneControllerOwner,
  noDependentOutlivesItsOwner,
  ownerDeletedWhileCollectorDown,
  foregroundDeletionCompletes,
  orphanedDependentsReleased,
  deploymentsComplete,
  replicaSetsOwnTheirReplicas,
  servicesListReadyPods,
  noFlappingWhileConverging,
  // After the specific eventually-properties, so their more precise message wins.
  systemSettles,
  watchDropLeadsToRelist,
  goneForcesRelist,
  writeConflictIsRetried,
  crashLoopBackOffReached,
  livenessRestartHappens,
  gracefulTerminationCompletes,
  preStopOutlastsGracePeriod,
  postStartHookFailed,
  imagePullBackOffReached,
  podBecomesReady,
  podRunsToCompletion,
  containerRestartedByRule,
  allContainersRestarted,
  podWaitsForVolume,
  containerConfigErrorReported,
  podScheduledAfterWaiting,
  bindFailureRetried,
  replicaSetReadyAfterControllerRestart,
  rolloutCompletes,
  rollbackCompletes,
  proportionalScalingHappens,
  drainEvictsManagedPods,
  evictionReplacesPod,
  nodeFailsMidRolloutAndCompletes,
];

export function findProperty(name: string): Property | undefined {
  return PROPERTIES.find((p) => p.name === name);
}
