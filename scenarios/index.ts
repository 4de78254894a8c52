// The built-in scenarios, by name: those written as scenario files (scenarios/*.yaml, the
// form users write theirs in) and those built in TypeScript (families of scenarios, and pod
// scenarios pinned to a node without a scheduler).
import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from './load/scenario-file.ts';
import type { Scenario } from './scenario.ts';
import { podBasics, podDeletion, podRestarts } from './pod-lifecycle.ts';
import { nodeFailure, nodeFailureEveryNode, nodeFailureMidRollout } from './node-failures.ts';
import { downwardApiPod, livenessPod, nodeWorkload, secretVolumePod } from './pods.ts';
import { lifecycleHooks } from './lifecycle-hooks.ts';
import { schedulingHostPorts, schedulingNodeChurn, schedulingPlacement, schedulingResources } from './scheduling.ts';
import { storeAndInformers } from './store-and-informers.ts';
import { watchBasics } from './watch-basics.ts';
import { garbageCollection } from './garbage-collection.ts';
import { KNOWN_BUG_SCENARIOS } from './known-bugs.ts';
import {
  deploymentOperations, nodeDrain, overlappingDeployments, replicaSetBasics, watchStorm,
} from './workloads.ts';

/** A built-in scenario file; found by name, so it records no source. A built-in that fails to load is a bug. */
function builtIn(file: string): Scenario {
  const { source: _source, ...scenario } = loadScenarioFile(fileURLToPath(new URL(file, import.meta.url))).scenario;
  return scenario;
}

export const nginxDeployment = builtIn('nginx-deployment.yaml');
export const wordpressStack = builtIn('wordpress.yaml');
export const clusterGrows = builtIn('cluster-grows.yaml');
export const restartRules = builtIn('restart-rules.yaml');

/** The scenarios `npm run check` runs: each must hold for every seed (known upstream bugs are apart, in known-bugs.ts). */
export const SCENARIOS: readonly Scenario[] = [
  watchBasics, storeAndInformers, podRestarts, podDeletion, podBasics, livenessPod, downwardApiPod, secretVolumePod, lifecycleHooks, restartRules, nodeWorkload(3),
  schedulingResources, schedulingPlacement, schedulingHostPorts, schedulingNodeChurn, clusterGrows,
  replicaSetBasics, nginxDeployment, wordpressStack, overlappingDeployments, deploymentOperations, nodeDrain, watchStorm,
  garbageCollection,
  nodeFailure, nodeFailureMidRollout, nodeFailureEveryNode,
];

/** A built-in scenario by name: one `npm run check` runs, or one that reaches a known upstream bug. */
export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name) ?? KNOWN_BUG_SCENARIOS.find((s) => s.name === name);
}
