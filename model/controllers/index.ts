// The controllers a scenario can run in its controller-manager, by name.
import type { ControllerDefinition } from './controller.ts';
import { deploymentController } from './deployment.ts';
import { endpointsController } from './endpoints.ts';
import { garbageCollector } from './garbage-collector.ts';
import { nodeLifecycleController } from './node-lifecycle.ts';
import { replicaSetController } from './replicaset.ts';
import { taintEvictionController } from './taint-eviction.ts';

export const CONTROLLERS: readonly ControllerDefinition[] = [
  deploymentController, replicaSetController, endpointsController, garbageCollector, nodeLifecycleController, taintEvictionController,
];

export function findController(name: string): ControllerDefinition | undefined {
  return CONTROLLERS.find((c) => c.name === name);
}
