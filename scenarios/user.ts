// A scripted user: the test client that creates, updates and deletes objects so
// the store and the informers have something to do before real controllers exist.
// Updates are read-modify-write, as kubectl edit and client-go's RetryOnConflict do:
// get, patch locally, update with the resourceVersion read, and on Conflict read again,
// at most `conflictRetriesMax` times (client-go retry.DefaultRetry has 5 steps).
import { assign, setup } from 'xstate';
import type { ClientContext, ClientEvent } from '../model/client.ts';
import { mergePatch } from '../model/merge-patch.ts';
import type { Request } from '../model/requests.ts';
import type { KubeObject, Resource } from '../model/resources.ts';

export type UserOp =
  | { readonly op: 'create'; readonly resource: Resource; readonly namespace: string; readonly object: KubeObject }
  | { readonly op: 'update'; readonly resource: Resource; readonly namespace: string; readonly name: string; readonly patch: unknown }
  | { readonly op: 'delete'; readonly resource: Resource; readonly namespace: string; readonly name: string; readonly gracePeriodSeconds?: number }
  | { readonly op: 'wait'; readonly ms: number };

export const CONFLICT_RETRIES_MAX = 5;

export interface UserContext extends ClientContext {
  readonly script: readonly UserOp[];
  /** Index of the operation in progress. */
  readonly pc: number;
  readonly attempts: number;
  /** Conflicts met so far (each one retried or, past the bound, given up). */
  readonly conflicts: number;
}

export interface UserInput {
  readonly script: readonly UserOp[];
}

/** The context for starting operation `pc` at `nowMs`. */
function start(script: readonly UserOp[], pc: number, nowMs: number): Pick<UserContext, 'pc' | 'request' | 'wakeAtMs' | 'attempts'> {
  const op = script[pc];
  const base = { pc, attempts: 0, wakeAtMs: null, request: null };
  if (!op) return base;
  switch (op.op) {
    case 'wait': return { ...base, wakeAtMs: nowMs + op.ms };
    case 'create': return { ...base, request: { verb: 'create', resource: op.resource, namespace: op.namespace, object: op.object } };
    case 'update': return { ...base, request: { verb: 'get', resource: op.resource, namespace: op.namespace, name: op.name } };
    case 'delete': {
      const request: Request = { verb: 'delete', resource: op.resource, namespace: op.namespace, name: op.name,
        ...(op.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: op.gracePeriodSeconds } : {}) };
      return { ...base, request };
    }
  }
}

function onReply(context: UserContext, event: Extract<ClientEvent, { type: 'REPLY' }>): Partial<UserContext> {
  const op = context.script[context.pc];
  const next = () => start(context.script, context.pc + 1, event.nowMs);
  if (op?.op !== 'update') return next();
  const { request, reply } = event;
  if (request.verb === 'get') {
    if (!reply.ok || !reply.object) return next();
    const patched = mergePatch(reply.object, op.patch);
    return { request: { verb: 'update', resource: op.resource, object: patched } };
  }
  if (!reply.ok && reply.status.reason === 'Conflict') {
    if (context.attempts + 1 >= CONFLICT_RETRIES_MAX) return { ...next(), conflicts: context.conflicts + 1 };
    return {
      conflicts: context.conflicts + 1,
      attempts: context.attempts + 1,
      request: { verb: 'get', resource: op.resource, namespace: op.namespace, name: op.name },
    };
  }
  return next();
}

export const userMachine = setup({
  types: {
    context: {} as UserContext,
    events: {} as ClientEvent,
    input: {} as UserInput,
  },
  actions: {
    handleReply: assign(({ context, event }) => (event.type === 'REPLY' ? onReply(context, event) : {})),
    wake: assign(({ context, event }) => (event.type === 'TIMER' ? start(context.script, context.pc + 1, event.nowMs) : {})),
  },
  guards: {
    finished: ({ context }) => context.pc >= context.script.length,
    sleeping: ({ context }) => context.wakeAtMs !== null,
  },
}).createMachine({
  id: 'user',
  context: ({ input }) => ({ script: input.script, conflicts: 0, ...start(input.script, 0, 0) }),
  initial: 'acting',
  states: {
    acting: {
      always: [
        { guard: 'finished', target: 'done' },
        { guard: 'sleeping', target: 'sleeping' },
      ],
      on: { REPLY: { actions: 'handleReply', target: 'acting', reenter: true } },
    },
    sleeping: {
      on: { TIMER: { actions: 'wake', target: 'acting' } },
    },
    done: { type: 'final' },
  },
});

export type UserMachine = typeof userMachine;
