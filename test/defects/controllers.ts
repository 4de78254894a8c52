// Planted defects in the controllers, each a real bug class, each one action swapped through
// machine.provide.
import type { Defect } from '../../checker/defect.ts';
import { controllerAction, dequeue, type ControllerEvent } from '../../model/controllers/controller.ts';
import { NO_EXPECTATIONS } from '../../model/controllers/expectations.ts';
import { replicaSetControllerMachine, syncReplicaSet, type ReplicaSetControllerContext } from '../../model/controllers/replicaset.ts';

export const replicaSetWithoutExpectations: Defect = {
  name: 'replicaSetWithoutExpectations',
  description: 'a ReplicaSet controller that keeps no expectations: it acts on a cache that has not yet shown its own creations and deletions',
  machines: {
    controllers: {
      replicaset: replicaSetControllerMachine.provide({
        actions: {
          reconcile: controllerAction<ReplicaSetControllerContext, ControllerEvent>(({ context, event }) =>
            (event.type === 'RECONCILE' ? syncReplicaSet({ ...dequeue(context, event.key), expectations: NO_EXPECTATIONS }, event.key, event.caches, event.nowMs) : context)) as never,
        },
      }),
    },
  },
};
