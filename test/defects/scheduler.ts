// Planted defects in the scheduler and the API server's binding, each a real bug class,
// each one action swapped through machine.provide.
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import { assign } from 'xstate';
import type { Defect } from '../../checker/defect.ts';
import type { Request } from '../../model/requests.ts';
import { objectKey, type KubeObject } from '../../model/resources.ts';
import { removePod } from '../../model/scheduler/cache.ts';
import type { SchedulerContext } from '../../model/scheduler/context.ts';
import {
  DEFAULT_PROFILE, onInformed, onReply, scheduleOne, scheduleWith, schedulerAction, schedulerMachine, type SchedulerMachineEvent,
} from '../../model/scheduler/machine.ts';
import { flushDue } from '../../model/scheduler/queue.ts';
import { bindPod, storeMachine, type StoreContext, type StoreEvent } from '../../model/store.ts';

/** The default profile without one Filter plugin. */
function without(plugin: string) {
  return { ...DEFAULT_PROFILE, filters: DEFAULT_PROFILE.filters.filter((f) => f.name !== plugin) };
}

export const schedulerIgnoresTaints: Defect = {
  name: 'schedulerIgnoresTaints',
  description: 'a scheduler whose profile lacks the TaintToleration filter: tainted nodes take any pod',
  machines: { scheduler: schedulerMachine.provide({ actions: { schedule: scheduleWith(without('TaintToleration')) as never } }) },
};

export const schedulerIgnoresHostPorts: Defect = {
  name: 'schedulerIgnoresHostPorts',
  description: 'a scheduler whose profile lacks the NodePorts filter: two pods may be placed on one host port',
  machines: { scheduler: schedulerMachine.provide({ actions: { schedule: scheduleWith(without('NodePorts')) as never } }) },
};

/** The scheduler's reply handling, then `then` on a binding's reply. */
function onBindReply(then: (next: SchedulerContext, request: Extract<Request, { verb: 'bind' }>, ok: boolean) => SchedulerContext) {
  return schedulerAction(({ context, event }) => {
    if (event.type !== 'REPLY') return context;
    const next = onReply(context, event);
    return event.request.verb === 'bind' ? then(next, event.request, event.reply.ok) : next;
  });
}

export const schedulerForgetsBoundPods: Defect = {
  name: 'schedulerForgetsBoundPods',
  description: 'a scheduler that forgets an assumed pod as soon as its binding succeeds, before the informer shows it bound: the next pod sees the node emptier than it is',
  machines: {
    scheduler: schedulerMachine.provide({
      actions: {
        handleReply: onBindReply((next, request, ok) => (ok && next.pods.get(request.uid)?.assumed ? { ...next, ...removePod(next, request.uid) } : next)) as never,
      },
    }),
  },
};

/** A handler whose result keeps the unschedulable pool as it was: pods it would have moved back stay parked. */
function keepingUnschedulablePool(handler: (context: SchedulerContext, event: SchedulerMachineEvent) => SchedulerContext) {
  return schedulerAction(({ context, event }) => {
    const next = handler(context, event);
    const parked = (uid: string) => context.unschedulable.has(uid);
    return {
      ...next, unschedulable: context.unschedulable,
      activeQ: next.activeQ.filter((p) => !parked(p.uid)), backoffQ: next.backoffQ.filter((p) => !parked(p.uid)),
    };
  });
}

export const schedulerNeverRetriesUnschedulable: Defect = {
  name: 'schedulerNeverRetriesUnschedulable',
  description: 'a scheduler whose unschedulable pods never leave the pool: no cluster event moves them back, and no periodic flush retries them',
  machines: {
    scheduler: schedulerMachine.provide({
      actions: {
        handleInformed: keepingUnschedulablePool((context, event) => (event.type === 'INFORMED' ? onInformed(context, event) : context)) as never,
        wake: keepingUnschedulablePool((context, event) => (event.type === 'TIMER' ? { ...context, ...flushDue(context, event.nowMs) } : context)) as never,
      },
    }),
  },
};

export const schedulerKeepsQuiet: Defect = {
  name: 'schedulerKeepsQuiet',
  description: 'a scheduler that parks a pod no node fits without patching PodScheduled=False: kubectl describe never says why it waits',
  machines: {
    scheduler: schedulerMachine.provide({
      actions: {
        schedule: schedulerAction(({ context, event }) => {
          if (event.type !== 'SCHEDULE') return context;
          const next = scheduleOne(DEFAULT_PROFILE, context, event.view, event.nowMs);
          return { ...next, outbox: next.outbox.filter((r) => r.verb !== 'patch' || context.outbox.includes(r)) };
        }) as never,
      },
    }),
  },
};

/** The pods this incarnation of the defective scheduler gave up on, kept beside its context (a restart forgets them). */
type GivingUp = SchedulerContext & { readonly givenUp?: readonly string[] };

export const schedulerDropsFailedBindings: Defect = {
  name: 'schedulerDropsFailedBindings',
  description: 'a scheduler that gives up for good on a pod whose binding failed, instead of retrying it after a backoff',
  machines: {
    scheduler: schedulerMachine.provide({
      actions: {
        handleReply: onBindReply((next, request, ok) => {
          if (ok) return next;
          const givenUp = [...((next as GivingUp).givenUp ?? []), request.uid];
          return { ...next, errorBackoffQ: next.errorBackoffQ.filter((p) => p.uid !== request.uid), givenUp } as GivingUp;
        }) as never,
        // Given up on for good: neither a later update of the pod nor a relist brings it back.
        handleInformed: schedulerAction(({ context, event }) => {
          if (event.type !== 'INFORMED' || event.resource !== 'pods') return event.type === 'INFORMED' ? onInformed(context, event) : context;
          const given = (context as GivingUp).givenUp ?? [];
          const givenUp = (pod: KubeObject) => given.includes(pod.metadata.uid ?? '') && !(pod.spec as PodSpec).nodeName;
          if (event.event === null) return onInformed(context, { ...event, cache: new Map([...event.cache].filter(([, pod]) => !givenUp(pod))) });
          return givenUp(event.event.object) ? context : onInformed(context, event);
        }) as never,
      },
    }),
  },
};

export const storeBindsTwice: Defect = {
  name: 'storeBindsTwice',
  description: 'an API server whose binding subresource does not check that the pod is still unassigned',
  machines: {
    store: storeMachine.provide({
      actions: {
        bind: assign(({ context, event }: { context: StoreContext; event: StoreEvent }) => {
          if (event.type !== 'bind') return {};
          const key = objectKey('pods', event.request.namespace, event.request.name);
          const pods = context.objects.pods;
          const pod = pods?.get(key);
          if (!pods || !pod) return bindPod(context, event.request);
          // The check for spec.nodeName is skipped: the binding is applied as if the pod were unassigned.
          const unassigned = { ...pod, spec: { ...(pod.spec as PodSpec), nodeName: undefined } };
          return bindPod({ ...context, objects: { ...context.objects, pods: pods.set(key, unassigned) } }, event.request);
        }) as never,
      },
    }),
  },
};
