// Planted defects in node failure handling, each one action swapped through machine.provide: a node
// lifecycle controller that evicts when every node is down, and a taint-eviction controller whose
// timed deletions never come.
import type { Defect } from '../../checker/defect.ts';
import { controllerAction, wakeDue, type ControllerEvent } from '../../model/controllers/controller.ts';
import { nodeLifecycleControllerMachine, type NodeLifecycleContext } from '../../model/controllers/node-lifecycle.ts';
import { taintEvictionControllerMachine, type TaintEvictionContext } from '../../model/controllers/taint-eviction.ts';
import { EVICTION_LIMITER_QPS, swapLimiter } from '../../model/semantics/node-health.ts';

/**
 * handleDisruption's master disruption mode stops every zone's tainter (rate 0) when every zone is
 * fully disrupted; this controller starts them again at the normal rate each time it wakes, so it
 * goes on tainting (and evicting) as if each zone were on its own.
 */
export const nodeLifecycleEvictsWhenEveryNodeIsDown: Defect = {
  name: 'nodeLifecycleEvictsWhenEveryNodeIsDown',
  description: 'a node lifecycle controller that ignores the full disruption of every zone: its tainters, stopped in master disruption mode, run again at the normal rate',
  machines: {
    controllers: {
      'node-lifecycle': nodeLifecycleControllerMachine.provide({
        actions: {
          wake: controllerAction<NodeLifecycleContext, ControllerEvent>(({ context, event }) => {
            if (event.type !== 'TIMER') return context;
            const woken = wakeDue(context, event.nowMs);
            const tainters = Object.fromEntries(Object.entries(woken.zones.tainters).map(([zone, t]) =>
              [zone, t.bucket.qps > 0 ? t : { ...t, bucket: swapLimiter(t.bucket, EVICTION_LIMITER_QPS, event.nowMs) }]));
            return { ...woken, zones: { ...woken.zones, tainters } };
          }) as never,
        },
      }),
    },
  },
};

/** The timed workers' timers (keys "evict/<pod>", queued with AddAfter) are dropped when due instead of queued. */
export const taintEvictionNeverEvictsTolerating: Defect = {
  name: 'taintEvictionNeverEvictsTolerating',
  description: 'a taint-eviction controller whose timed deletions never fire: a pod that tolerates a NoExecute taint for a while stays on the node for good',
  machines: {
    controllers: {
      'taint-eviction': taintEvictionControllerMachine.provide({
        actions: {
          wake: controllerAction<TaintEvictionContext, ControllerEvent>(({ context, event }) => {
            if (event.type !== 'TIMER') return context;
            const lost = (d: { atMs: number; key: string }) => d.atMs <= event.nowMs && d.key.startsWith('evict/');
            return wakeDue({ ...context, delayed: context.delayed.filter((d) => !lost(d)) }, event.nowMs);
          }) as never,
        },
      }),
    },
  },
};
