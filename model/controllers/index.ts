// The controllers a scenario can run in its controller-manager, by name.
import type { ControllerDefinition } from './controller.ts';
import { replicaSetController } from './replicaset.ts';

export const CONTROLLERS: readonly ControllerDefinition[] = [replicaSetController];

export function findController(name: string): ControllerDefinition | undefined {
  return CONTROLLERS.find((c) => c.name === name);
}
