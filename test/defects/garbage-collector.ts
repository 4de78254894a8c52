// Planted defects in the garbage collector, each one action swapped through machine.provide.
import type { Defect } from '../../checker/defect.ts';
import { controllerAction, dequeue, type ControllerEvent } from '../../model/controllers/controller.ts';
import { garbageCollectorMachine } from '../../model/controllers/garbage-collector.ts';
import { startAttemptToDelete } from '../../model/controllers/garbage-collector-delete.ts';
import { forgetFailures } from '../../model/controllers/garbage-collector-rate-limiter.ts';
import {
  DELETE_PREFIX, ORPHAN_PREFIX, startAttemptToOrphan, type GarbageCollectorContext,
} from '../../model/controllers/garbage-collector-work.ts';

/**
 * Trusts its graph: an owner it knows only as named by dependents (a virtual node, as a relist
 * after a restart makes of an owner deleted while the collector was down) is taken to exist and
 * never verified by a live GET, so its dependents are never looked at again.
 */
export const garbageCollectorForgetsOwnersDeletedWhileDown: Defect = {
  name: 'garbageCollectorForgetsOwnersDeletedWhileDown',
  description: 'a garbage collector that never verifies an owner it has not observed, so the dependents of an owner deleted while it was down are never collected',
  machines: {
    controllers: {
      'garbage-collector': garbageCollectorMachine.provide({
        actions: {
          reconcile: controllerAction<GarbageCollectorContext, ControllerEvent>(({ context, event }) => {
            if (event.type !== 'RECONCILE') return context;
            const ctx = dequeue(context, event.key);
            if (event.key.startsWith(ORPHAN_PREFIX)) return startAttemptToOrphan(ctx, event.key, event.key.slice(ORPHAN_PREFIX.length), event.caches, event.nowMs);
            const uid = event.key.slice(DELETE_PREFIX.length);
            if (ctx.graph.get(uid)?.virtual === true) return forgetFailures(ctx, event.key);
            return startAttemptToDelete(ctx, event.key, uid, event.nowMs);
          }) as never,
        },
      }),
    },
  },
};
