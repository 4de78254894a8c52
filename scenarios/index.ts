// The built-in scenarios, by name.
import type { Scenario } from './scenario.ts';
import { podBasics, podDeletion, podRestarts } from './pod-lifecycle.ts';
import { nodeFailure, nodeFailureEveryNode, nodeFailureMidRollout } from './node-failures.ts';
import { downwardApiPod, livenessPod, nodeWorkload, secretVolumePod } from './pods.ts';
import { schedulingHostPorts, schedulingNodeChurn, schedulingPlacement, schedulingResources } from './scheduling.ts';
import { storeAndInformers } from './store-and-informers.ts';
import { watchBasics } from './watch-basics.ts';
import { garbageCollection } from './garbage-collection.ts';
import {
  deploymentOperations, nginxDeployment, nodeDrain, overlappingDeployments, replicaSetBasics, watchStorm, wordpressStack,
} from './workloads.ts';

export const SCENARIOS: readonly Scenario[] = [
  watchBasics, storeAndInformers, podRestarts, podDeletion, podBasics, livenessPod, downwardApiPod, secretVolumePod, nodeWorkload(3),
  schedulingResources, schedulingPlacement, schedulingHostPorts, schedulingNodeChurn,
  replicaSetBasics, nginxDeployment, wordpressStack, overlappingDeployments, deploymentOperations, nodeDrain, watchStorm,
  garbageCollection,
  nodeFailure, nodeFailureMidRollout, nodeFailureEveryNode,
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
