// A scripted user: what a person at kubectl does, one operation after another. Edits are
// read-modify-write, as kubectl edit, scale and set image are with client-go's RetryOnConflict:
// get, change locally, update with the resourceVersion read, and on Conflict read again, at most
// `CONFLICT_RETRIES_MAX` times (retry.DefaultRetry has 5 steps). `rollout undo` reads the
// Deployment's ReplicaSets and writes the template of the revision it goes back to (kubectl's
// DeploymentRollbacker); `drain` cordons the node, then deletes every pod on it (kubectl drain,
// with deletion in place of the Eviction API: no PodDisruptionBudgets are modelled).
import { assign, setup } from 'xstate';
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import type { ClientContext, ClientEvent } from '../model/client.ts';
import { controllerOf } from '../model/controllers/controller.ts';
import { mergePatch } from '../model/merge-patch.ts';
import type { Request, WriteRequest } from '../model/requests.ts';
import type { KubeObject, Resource } from '../model/resources.ts';
import type { World } from '../model/world.ts';
import { rollbackDeployment } from '../model/semantics/rollback.ts';
import { printedError } from './kubectl-error.ts';
import { judge, timedOut, type WaitCondition } from './wait-condition.ts';

type DeleteOptions = Pick<Extract<WriteRequest, { verb: 'delete' }>, 'gracePeriodSeconds' | 'propagationPolicy'>;

export type UserOp =
  | { readonly op: 'create'; readonly resource: Resource; readonly namespace: string; readonly object: KubeObject }
  /** kubectl edit / patch: a JSON merge patch applied to the object read. */
  | { readonly op: 'update'; readonly resource: Resource; readonly namespace: string; readonly name: string; readonly patch: unknown }
  | ({ readonly op: 'delete'; readonly resource: Resource; readonly namespace: string; readonly name: string } & DeleteOptions)
  /** kubectl set image deployment/NAME CONTAINER=IMAGE. */
  | { readonly op: 'setImage'; readonly namespace: string; readonly name: string; readonly container: string; readonly image: string }
  /** kubectl rollout undo deployment/NAME [--to-revision=N]; 0 is the previous revision. */
  | { readonly op: 'rolloutUndo'; readonly namespace: string; readonly name: string; readonly toRevision: number }
  /** kubectl drain NODE [--force]: without force, pods no controller manages stop the drain. */
  | { readonly op: 'drain'; readonly node: string; readonly force: boolean }
  | { readonly op: 'wait'; readonly ms: number }
  /** The script's clock starts now: the `waitUntil`s after it count from here (a script without it counts from 0). */
  | { readonly op: 'scriptStarts' }
  /** Sleeps until `atMs` after the script's start (at once if that is past). */
  | { readonly op: 'waitUntil'; readonly atMs: number }
  /**
   * kubectl rollout status / kubectl wait: GETs the object every `pollMs` until the condition
   * holds, at most `pollsMax` times; then, or when kubectl would give up, the user prints why and
   * stops its script, as a shell script run with `set -e` does. (kubectl watches; polling reads
   * the same states, fewer of them, and keeps the user one request at a time. The timeout counts
   * polls, not the clock, so a jump of the logical clock while a GET is in flight, which the
   * model allows, does not use it up.)
   */
  | { readonly op: 'waitFor'; readonly condition: WaitCondition; readonly pollsMax: number; readonly pollMs: number };

export const CONFLICT_RETRIES_MAX = 5;

export interface UserContext extends ClientContext {
  readonly script: readonly UserOp[];
  /** Index of the operation in progress. */
  readonly pc: number;
  /** When the script's clock started (its scriptStarts); 0 without one. */
  readonly startedAtMs: number;
  readonly attempts: number;
  /** Conflicts met so far (each one retried or, past the bound, given up). */
  readonly conflicts: number;
  /** Polls a waitFor has left before it gives up. */
  readonly pollsLeft: number | null;
  /** The object an edit read, while the operation needs more reads (rollout undo). */
  readonly read: KubeObject | null;
  /** Writes of the operation still to send, in order (a drain's deletions). */
  readonly pending: readonly Request[];
  /** What each operation printed, as kubectl would: one line per operation that finished. */
  readonly printed: readonly string[];
}

export interface UserInput {
  readonly script: readonly UserOp[];
}

type Progress = Pick<UserContext, 'pc' | 'startedAtMs' | 'request' | 'wakeAtMs' | 'attempts' | 'read' | 'pending' | 'pollsLeft'>;
type Script = Pick<UserContext, 'script' | 'startedAtMs'>;

const getOf = (resource: Resource, namespace: string, name: string): Request => ({ verb: 'get', resource, namespace, name });
const poll = (condition: WaitCondition): Request => getOf(condition.target.resource, condition.target.namespace, condition.target.name);

/** The object an edit works on, and whether it is read-modify-write. */
function target(op: UserOp): { resource: Resource; namespace: string; name: string } | null {
  switch (op.op) {
    case 'update': return op;
    case 'setImage': case 'rolloutUndo': return { resource: 'deployments', namespace: op.namespace, name: op.name };
    case 'drain': return { resource: 'nodes', namespace: '', name: op.node };
    default: return null;
  }
}

/** The context for starting operation `pc` of the script at `nowMs`. */
function start(ctx: Script, pc: number, nowMs: number): Progress {
  const op = ctx.script[pc];
  const base: Progress = { pc, startedAtMs: ctx.startedAtMs, attempts: 0, wakeAtMs: null, request: null, read: null, pending: [], pollsLeft: null };
  if (!op) return base;
  const edited = target(op);
  if (edited) return { ...base, request: getOf(edited.resource, edited.namespace, edited.name) };
  switch (op.op) {
    case 'wait': return { ...base, wakeAtMs: nowMs + op.ms };
    case 'scriptStarts': return start({ script: ctx.script, startedAtMs: nowMs }, pc + 1, nowMs);
    case 'waitUntil': {
      const atMs = ctx.startedAtMs + op.atMs;
      return atMs > nowMs ? { ...base, wakeAtMs: atMs } : start(ctx, pc + 1, nowMs);
    }
    case 'waitFor': return { ...base, request: poll(op.condition), pollsLeft: op.pollsMax - 1 };
    case 'create': return { ...base, request: { verb: 'create', resource: op.resource, namespace: op.namespace, object: op.object } };
    case 'delete': {
      const request: Request = {
        verb: 'delete', resource: op.resource, namespace: op.namespace, name: op.name,
        ...(op.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: op.gracePeriodSeconds } : {}),
        ...(op.propagationPolicy !== undefined ? { propagationPolicy: op.propagationPolicy } : {}),
      };
      return { ...base, request };
    }
    default: return base;
  }
}

function withImage(deployment: KubeObject, container: string, image: string): KubeObject | string {
  const spec = deployment.spec as { template: { spec: PodSpec } };
  const containers = spec.template.spec.containers;
  if (!containers.some((c) => c.name === container)) return `error: unable to find container named "${container}"`;
  const next: Container[] = containers.map((c) => (c.name === container ? { ...c, image } : c));
  return { ...deployment, spec: { ...spec, template: { ...spec.template, spec: { ...spec.template.spec, containers: next } } } };
}

/** The object to write for an edit of `read`, or what kubectl prints instead of writing. */
function edit(op: UserOp, read: KubeObject, replicaSets: readonly KubeObject[]): KubeObject | string {
  switch (op.op) {
    case 'update': return mergePatch(read, op.patch);
    case 'setImage': return withImage(read, op.container, op.image);
    case 'drain': return mergePatch(read, { spec: { unschedulable: true } });
    case 'rolloutUndo': {
      const decision = rollbackDeployment(read as never, replicaSets as never, op.toRevision);
      if (decision.kind === 'rolledBack') return decision.deployment as unknown as KubeObject;
      return decision.kind === 'skipped' ? `deployment.apps/${op.name} ${decision.message}` : `error: ${decision.message}`;
    }
    default: throw new Error(`kubeprop: ${op.op} is not an edit`);
  }
}

/** kubectl drain's deletions: every pod on the node not already going, or why it refuses. */
function drainDeletions(op: Extract<UserOp, { op: 'drain' }>, pods: readonly KubeObject[]): Request[] | string {
  const going = pods.filter((p) => !p.metadata.deletionTimestamp);
  const unmanaged = going.filter((p) => controllerOf(p) === undefined);
  if (unmanaged.length > 0 && !op.force) {
    return `error: cannot delete Pods that declare no controller (use --force to override): ${unmanaged.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(', ')}`;
  }
  return going.map((p) => ({ verb: 'delete', resource: 'pods', namespace: p.metadata.namespace ?? '', name: p.metadata.name ?? '' }));
}

/** What the user does with the reply to its request (exported for planted defects). */
export function onReply(context: UserContext, event: Extract<ClientEvent, { type: 'REPLY' }>): Partial<UserContext> {
  const op = context.script[context.pc]!;
  const { request, reply } = event;
  const finish = (line?: string): Partial<UserContext> =>
    ({ ...start(context, context.pc + 1, event.nowMs), ...(line !== undefined ? { printed: [...context.printed, line] } : {}) });
  if (op.op === 'waitFor') return onPolled(context, op, reply.ok ? reply.object ?? null : reply.status.reason === 'NotFound' ? null : undefined, event.nowMs);
  const edited = target(op);
  if (!edited) return finish(reply.ok ? undefined : printedError(reply.status));
  if (!reply.ok && reply.status.reason === 'Conflict' && request.verb === 'update') {
    if (context.attempts + 1 >= CONFLICT_RETRIES_MAX) return { ...finish(printedError(reply.status)), conflicts: context.conflicts + 1 };
    return { conflicts: context.conflicts + 1, attempts: context.attempts + 1, request: getOf(edited.resource, edited.namespace, edited.name) };
  }
  if (!reply.ok) return finish(printedError(reply.status));
  if (request.verb === 'get' && reply.object) {
    // rollout undo needs the Deployment's ReplicaSets too; the rest edit what they read.
    if (op.op === 'rolloutUndo') return { read: reply.object, request: { verb: 'list', resource: 'replicasets', resourceVersion: '' } };
    return write(op, reply.object, [], finish);
  }
  if (request.verb === 'list' && op.op === 'rolloutUndo' && context.read) {
    const owned = (reply.items ?? []).filter((rs) => controllerOf(rs)?.uid === context.read!.metadata.uid);
    return write(op, context.read, owned, finish);
  }
  if (op.op === 'drain') {
    if (request.verb === 'update') return { request: { verb: 'list', resource: 'pods', resourceVersion: '', selector: { nodeName: op.node } } };
    if (request.verb === 'list') {
      const deletions = drainDeletions(op, reply.items ?? []);
      if (typeof deletions === 'string') return finish(deletions);
      const [first = null, ...pending] = deletions;
      return first === null ? finish(`node/${op.node} drained`) : { request: first, pending };
    }
    const [next = null, ...pending] = context.pending;
    return next === null ? finish(`node/${op.node} drained`) : { request: next, pending };
  }
  return finish(op.op === 'rolloutUndo' ? `deployment.apps/${op.name} rolled back` : undefined);
}

/** A waitFor's poll came back with `object` (null: not found; undefined: the read failed, so try again). */
function onPolled(context: UserContext, op: Extract<UserOp, { op: 'waitFor' }>, object: KubeObject | null | undefined, nowMs: number): Partial<UserContext> {
  const verdict = object === undefined ? { kind: 'waiting' as const } : judge(op.condition, object);
  const stop = (line: string): Partial<UserContext> => ({ ...start(context, context.script.length, nowMs), printed: [...context.printed, line] });
  if (verdict.kind === 'met') return { ...start(context, context.pc + 1, nowMs), printed: [...context.printed, verdict.line] };
  if (verdict.kind === 'failed') return stop(verdict.line);
  if (context.pollsLeft === 0) return stop(timedOut(op.condition));
  return { request: null, wakeAtMs: nowMs + op.pollMs };
}

/** A timer went off: a waitFor polls again; a wait is over. */
function onTimer(context: UserContext, nowMs: number): Partial<UserContext> {
  const op = context.script[context.pc];
  if (op?.op === 'waitFor') return { wakeAtMs: null, request: poll(op.condition), pollsLeft: context.pollsLeft! - 1 };
  return start(context, context.pc + 1, nowMs);
}

function write(op: UserOp, read: KubeObject, replicaSets: readonly KubeObject[], finish: (line?: string) => Partial<UserContext>): Partial<UserContext> {
  const edited = edit(op, read, replicaSets);
  if (typeof edited === 'string') return finish(edited);
  return { read: null, request: { verb: 'update', resource: target(op)!.resource, object: edited } };
}

/** Every scripted user of the world has come to the end of its script (or given up on it). */
export function usersFinished(world: World): boolean {
  return world.system.clients.every((c, i) => c.kind !== 'user' || world.clients[i]!.status === 'done');
}

export const userMachine = setup({
  types: {
    context: {} as UserContext,
    events: {} as ClientEvent,
    input: {} as UserInput,
  },
  actions: {
    handleReply: assign(({ context, event }) => (event.type === 'REPLY' ? onReply(context, event) : {})),
    wake: assign(({ context, event }) => (event.type === 'TIMER' ? onTimer(context, event.nowMs) : {})),
  },
  guards: {
    finished: ({ context }) => context.pc >= context.script.length,
    sleeping: ({ context }) => context.wakeAtMs !== null,
  },
}).createMachine({
  id: 'user',
  context: ({ input }) => ({ script: input.script, conflicts: 0, printed: [], ...start({ script: input.script, startedAtMs: 0 }, 0, 0) }),
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
