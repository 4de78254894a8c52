// A planted defect in the scripted user: a kubectl drain that leaves the pods a controller
// manages where they are, deleting only the unmanaged ones. drainEvictsManagedPods must then go
// unreached.
import { assign } from 'xstate';
import type { Defect } from '../../checker/defect.ts';
import { controllerOf } from '../../model/controllers/controller.ts';
import { onReply, userMachine } from '../../scenarios/user.ts';

export const drainSkipsManagedPods: Defect = {
  name: 'drainSkipsManagedPods',
  description: 'kubectl drain deletes only the pods no controller manages: the list it deletes from leaves the managed ones out',
  machines: {
    user: userMachine.provide({
      actions: {
        handleReply: assign(({ context, event }) => {
          if (event.type !== 'REPLY') return {};
          const { request, reply } = event;
          const draining = context.script[context.pc]?.op === 'drain' && request.verb === 'list' && reply.ok;
          if (!draining) return onReply(context, event);
          return onReply(context, { ...event, reply: { ...reply, items: (reply.items ?? []).filter((p) => controllerOf(p) === undefined) } });
        }),
      },
    }),
  },
};
