// Every planted defect, by name, so a trace recorded with one can be replayed.
import type { Defect } from '../../checker/defect.ts';
import {
  deploymentIgnoresControllerRef, deploymentIgnoresPause, deploymentIgnoresReplicaSetEvents, endpointsListUnreadyPods, replicaSetIgnoresPodEvents, replicaSetWithoutExpectations,
  rolloutIgnoresMaxSurge, rolloutIgnoresMaxUnavailable,
} from './controllers.ts';
import { garbageCollectorForgetsOwnersDeletedWhileDown } from './garbage-collector.ts';
import { informerAcceptsOlderList, informerIgnoresGone, informerNeverRelists } from './informer.ts';
import {
  kubeletForgetsLostContainers, kubeletKillsWithoutGrace, kubeletMissesContainerExits, kubeletNeverDeletesPods, kubeletNeverRestarts,
  kubeletReadyWithoutProbing, kubeletReportsUnknownPhase, kubeletRestartsNeverPods, kubeletStatusFromInformer, kubeletSyncsTerminalPods,
  runtimeLosesLogsOnCrash, storeLetsPodsMove, kubeletAdmitsEverything, kubeletIgnoresMissingVolumes, kubeletForgetsPullBackoff, kubeletKillsAtOnce, kubeletStatusManagerStuck,
  kubeletPhaseIgnoresRestartPolicy, kubeletSkipsPostStart, kubeletSkipsPreStop, kubeletWithoutMinimumGrace, kubeletIgnoresRestartRules,
  kubeletNeverRestartsAll, kubeletRestartsAllOnAnyExit,
} from './kubelet.ts';
import {
  schedulerNeverRetriesUnschedulable, schedulerDropsFailedBindings, schedulerForgetsBoundPods, schedulerIgnoresHostPorts, schedulerIgnoresTaints,
  schedulerKeepsQuiet, storeBindsTwice,
} from './scheduler.ts';
import { nodeLifecycleEvictsWhenEveryNodeIsDown, taintEvictionNeverEvictsTolerating } from './node-lifecycle.ts';
import { storeIgnoresResourceVersion, storeRecordsHistoryOutOfOrder } from './store.ts';
import { drainSkipsManagedPods } from './user.ts';

export const DEFECTS: readonly Defect[] = [
  informerIgnoresGone, informerAcceptsOlderList, informerNeverRelists, storeRecordsHistoryOutOfOrder, storeIgnoresResourceVersion,
  kubeletForgetsLostContainers, kubeletRestartsNeverPods, kubeletNeverRestarts, kubeletSyncsTerminalPods, kubeletKillsWithoutGrace,
  kubeletReadyWithoutProbing, kubeletMissesContainerExits, kubeletNeverDeletesPods, runtimeLosesLogsOnCrash, storeLetsPodsMove,
  kubeletReportsUnknownPhase, kubeletStatusFromInformer, kubeletIgnoresMissingVolumes, kubeletForgetsPullBackoff, kubeletKillsAtOnce,
  kubeletStatusManagerStuck, kubeletPhaseIgnoresRestartPolicy, kubeletAdmitsEverything, kubeletWithoutMinimumGrace, kubeletSkipsPreStop, kubeletSkipsPostStart, kubeletIgnoresRestartRules, kubeletNeverRestartsAll,
  kubeletRestartsAllOnAnyExit, schedulerIgnoresTaints, schedulerIgnoresHostPorts, schedulerForgetsBoundPods, schedulerNeverRetriesUnschedulable,
  schedulerKeepsQuiet, schedulerDropsFailedBindings, storeBindsTwice, replicaSetWithoutExpectations,
  rolloutIgnoresMaxUnavailable, rolloutIgnoresMaxSurge, deploymentIgnoresReplicaSetEvents, replicaSetIgnoresPodEvents, endpointsListUnreadyPods,
  deploymentIgnoresControllerRef, deploymentIgnoresPause,
  garbageCollectorForgetsOwnersDeletedWhileDown, drainSkipsManagedPods,
  nodeLifecycleEvictsWhenEveryNodeIsDown, taintEvictionNeverEvictsTolerating,
];
