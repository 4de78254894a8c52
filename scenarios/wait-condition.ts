// What a scripted user waits for before its next operation, judged on the object a GET
// returned, as kubectl judges it: `kubectl rollout status` (kubectl's polymorphichelpers
// rollout_status.go, DeploymentStatusViewer) and `kubectl wait --for=condition=...`,
// `--for=jsonpath='{.status.phase}'=...`, `--for=delete` and `--for=create` (kubectl's
// cmd/wait: wait.go RunWait, create.go IsCreated, in kubectl 1.31 and later).
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { notFound } from '../model/api-status.ts';
import { RESOURCES, type KubeObject, type Resource } from '../model/resources.ts';
import { printedError } from './kubectl-error.ts';

export interface ObjectRef {
  readonly resource: Resource;
  readonly namespace: string;
  readonly name: string;
}

export type WaitCondition =
  /** kubectl rollout status deployment/NAME */
  | { readonly kind: 'rolloutComplete'; readonly target: ObjectRef }
  /** kubectl wait --for=condition=TYPE=STATUS */
  | { readonly kind: 'condition'; readonly target: ObjectRef; readonly type: string; readonly status: string }
  /** kubectl wait --for=jsonpath='{.status.phase}'=PHASE */
  | { readonly kind: 'phase'; readonly target: ObjectRef; readonly phase: string }
  /** kubectl wait --for=delete */
  | { readonly kind: 'deleted'; readonly target: ObjectRef }
  /** kubectl wait --for=create */
  | { readonly kind: 'created'; readonly target: ObjectRef };

export type Verdict =
  | { readonly kind: 'met'; readonly line: string }
  | { readonly kind: 'waiting' }
  /** kubectl gives up: it prints the line and exits 1. */
  | { readonly kind: 'failed'; readonly line: string };

const WAITING: Verdict = { kind: 'waiting' };

/**
 * How often a waiting user reads the object again. kubectl watches (and polls every 500 ms
 * for --for=create); reading every 2 s sees the same states, fewer of them, and keeps the
 * user to one request at a time.
 */
export const WAIT_POLL_MS = 2_000;
/** How long a wait lasts before the user gives up, unless told: kubeprop's choice (kubectl wait's is 30 s, rollout status's none). */
export const WAIT_TIMEOUT_MS_DEFAULT = 300_000;

/** The polls a wait of `timeoutMs` makes: its timeout counts polls, not the clock (see UserOp waitFor). */
export function pollsFor(timeoutMs: number): number {
  return Math.max(1, Math.ceil(timeoutMs / WAIT_POLL_MS));
}

/** How kubectl names an object in what it prints: `deployment.apps/web`, `pod/web-0`. */
export function printedName(ref: ObjectRef): string {
  return `${RESOURCES[ref.resource].qualifiedKind.toLowerCase()}/${ref.name}`;
}

function rolloutStatus(d: Deployment): Verdict {
  const status = d.status ?? {};
  if ((d.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) return WAITING;
  const progressing = (status.conditions ?? []).find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { kind: 'failed', line: `error: deployment "${d.metadata?.name}" exceeded its progress deadline` };
  }
  const updated = status.updatedReplicas ?? 0;
  if (updated < (d.spec?.replicas ?? 1)) return WAITING;
  if ((status.replicas ?? 0) > updated) return WAITING;
  if ((status.availableReplicas ?? 0) < updated) return WAITING;
  return { kind: 'met', line: `deployment "${d.metadata?.name}" successfully rolled out` };
}

/**
 * The verdict on `object` (null: the GET found nothing). An object that does not exist ends the
 * wait at once, as kubectl's does, unless the wait is for its deletion or its creation.
 */
export function judge(condition: WaitCondition, object: KubeObject | null): Verdict {
  const met: Verdict = { kind: 'met', line: `${printedName(condition.target)} condition met` };
  if (condition.kind === 'deleted') return object === null ? met : WAITING;
  if (condition.kind === 'created') return object === null ? WAITING : met;
  const { resource, name } = condition.target;
  if (object === null) return { kind: 'failed', line: printedError(notFound(resource, name)) };
  switch (condition.kind) {
    case 'rolloutComplete': return rolloutStatus(object as unknown as Deployment);
    case 'condition': {
      const conditions = ((object.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions) ?? [];
      return conditions.some((c) => c.type === condition.type && c.status === condition.status) ? met : WAITING;
    }
    case 'phase': return (object.status as { phase?: string } | undefined)?.phase === condition.phase ? met : WAITING;
  }
}

/**
 * What kubectl prints when its --timeout runs out. --for=create's poll returns
 * wait.ErrorInterrupted(nil), which names no object; the others name it (extendErrWaitTimeout).
 */
export function timedOut(condition: WaitCondition): string {
  if (condition.kind === 'created') return 'error: timed out waiting for the condition';
  return `error: timed out waiting for the condition on ${RESOURCES[condition.target.resource].qualified}/${condition.target.name}`;
}
