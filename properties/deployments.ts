// What the Deployment controller's rolling update must and must not do, judged on each of its
// decisions (a reconcile that scales or creates ReplicaSets) against the ReplicaSets and their
// status as its cache showed them: the bounds are the controller's arithmetic
// (pkg/controller/deployment/rolling.go: NewRSNewReplicas keeps the ReplicaSets' replicas within
// replicas + maxSurge; reconcileOldReplicaSets scales old ReplicaSets down only past their
// unhealthy replicas, and no further than the available pods above replicas - maxUnavailable).
// A crash or an eviction can still lower availability: the claims are about what the controller
// decided, so they do not blame it for that. Scaling events (spec.replicas changed, handled
// proportionally by sync.go scale), paused Deployments and Recreate are not rolling-update steps.
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Action } from '../model/actions.ts';
import { controllerOf } from '../model/controllers/controller.ts';
import { isScalingEvent } from '../model/controllers/deployment-sync.ts';
import { REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION } from '../model/controllers/deployment-util.ts';
import { SyncWrites } from '../model/controllers/deployment-writes.ts';
import { deploymentComplete, maxSurge, minAvailable, specReplicas, type AppsDeployment, type AppsReplicaSet } from '../model/semantics/deployment.ts';
import type { KubeObject } from '../model/resources.ts';
import type { World } from '../model/world.ts';
import { committedEvent, printedByUsers, reconcileOf } from './observe.ts';
import type { SometimesGoal, TransitionProperty } from './property.ts';

/** One ReplicaSet of the Deployment, before and after the decision. */
interface Scaled {
  readonly name: string;
  readonly before: number;
  readonly after: number;
  readonly available: number;
}

interface RolloutStep {
  readonly d: AppsDeployment;
  readonly key: string;
  readonly replicaSets: readonly Scaled[];
}

const replicasOf = (rs: KubeObject) => specReplicas(rs as unknown as ReplicaSet);

/** The Deployment controller's reconcile in this step, when it is a rolling-update step that writes ReplicaSets' replicas. */
function rolloutStep(before: World, action: Action, after: World): RolloutStep | null {
  const reconcile = reconcileOf('deployment', before, action, after);
  if (reconcile === null) return null;
  const { key, caches, writes } = reconcile;
  const object = caches.deployments?.get(key);
  if (!object) return null;
  const d = object as unknown as AppsDeployment;
  if (d.spec?.paused === true || d.spec?.strategy?.type !== 'RollingUpdate' || object.metadata.deletionTimestamp) return null;
  const owned = [...(caches.replicasets?.values() ?? [])].filter((rs) => controllerOf(rs)?.uid === object.metadata.uid);
  const sync = { d, out: new SyncWrites(), caches, nowMs: before.nowMs, gates: before.system.featureGates, requeueAtMs: null };
  if (isScalingEvent(sync, owned as unknown as AppsReplicaSet[]) !== false) return null;
  const written = new Map<string, number>();
  const created: Scaled[] = [];
  for (const w of writes) {
    if ((w.verb !== 'update' && w.verb !== 'create') || w.resource !== 'replicasets') continue;
    if (w.verb === 'update') written.set(w.object.metadata.uid ?? '', replicasOf(w.object));
    if (w.verb === 'create') created.push({ name: w.object.metadata.name ?? '', before: 0, after: replicasOf(w.object), available: 0 });
  }
  if (written.size === 0 && created.length === 0) return null;
  const replicaSets = owned.map((rs) => ({
    name: rs.metadata.name ?? '',
    before: replicasOf(rs),
    after: written.get(rs.metadata.uid ?? '') ?? replicasOf(rs),
    available: (rs as unknown as ReplicaSet).status?.availableReplicas ?? 0,
  }));
  return { d, key, replicaSets: [...replicaSets, ...created] };
}

const sum = (rss: readonly Scaled[], count: (rs: Scaled) => number) => rss.reduce((n, rs) => n + count(rs), 0);
const describe = (rss: readonly Scaled[]) => rss.filter((rs) => rs.before !== rs.after).map((rs) => `${rs.name} ${rs.before} -> ${rs.after}`).join(', ');

export const rollingUpdateStaysWithinSurge: TransitionProperty = {
  kind: 'transition',
  name: 'rollingUpdateStaysWithinSurge',
  description: "The Deployment controller never scales a rolling update's ReplicaSets up past spec.replicas + maxSurge pods in all.",
  check(before, action, after) {
    const step = rolloutStep(before, action, after);
    if (step === null) return null;
    const totalBefore = sum(step.replicaSets, (rs) => rs.before);
    const totalAfter = sum(step.replicaSets, (rs) => rs.after);
    const allowed = specReplicas(step.d) + maxSurge(step.d);
    if (totalAfter <= allowed || totalAfter <= totalBefore) return null;
    return `the Deployment controller scaled the ReplicaSets of ${step.key} (${describe(step.replicaSets)}) to ${totalAfter} replicas in all, ` +
      `but a rolling update may run at most spec.replicas + maxSurge = ${specReplicas(step.d)} + ${maxSurge(step.d)} = ${allowed} pods.`;
  },
};

export const rollingUpdateKeepsAvailability: TransitionProperty = {
  kind: 'transition',
  name: 'rollingUpdateKeepsAvailability',
  description: 'The Deployment controller never scales down available pods of a rolling update below spec.replicas - maxUnavailable.',
  check(before, action, after) {
    const step = rolloutStep(before, action, after);
    if (step === null) return null;
    // Scaling down an unhealthy replica costs no availability; each replica removed beyond those takes an available pod.
    const availableLost = sum(step.replicaSets, (rs) => Math.max(0, rs.before - rs.after - Math.max(0, rs.before - rs.available)));
    if (availableLost === 0) return null;
    const available = sum(step.replicaSets, (rs) => rs.available);
    const floor = minAvailable(step.d);
    if (available - availableLost >= floor) return null;
    return `the Deployment controller scaled down ReplicaSets of ${step.key} (${describe(step.replicaSets)}) while ${available} pod(s) were available: ` +
      `that removes ${availableLost} available pod(s), leaving ${available - availableLost}, below spec.replicas - maxUnavailable = ${floor}.`;
  },
};

/** The Deployment this step wrote, if the write completed its rollout (DeploymentComplete). */
function completedIn(before: World, after: World): AppsDeployment[] {
  const event = committedEvent(before, after);
  if (event?.resource !== 'deployments' || event.type !== 'MODIFIED') return [];
  const complete = (x: AppsDeployment | null) => x !== null && x.status !== undefined && deploymentComplete(x, x.status);
  const d = event.object as unknown as AppsDeployment;
  return complete(d) && !complete(event.previous as unknown as AppsDeployment | null) ? [d] : [];
}

/** The ReplicaSet the complete Deployment runs: the one holding all its replicas. */
function currentReplicaSet(world: World, d: AppsDeployment): KubeObject | undefined {
  return [...(world.store.context.objects.replicasets?.values() ?? [])]
    .find((rs) => controllerOf(rs)?.uid === d.metadata?.uid && replicasOf(rs) === specReplicas(d) && replicasOf(rs) > 0);
}

const annotation = (object: KubeObject | undefined, key: string) => object?.metadata.annotations?.[key];

/**
 * A user's `rollout undo` of the Deployment went through (kubectl printed "rolled back"). The
 * revision history alone does not tell: the controller also records one when a ReplicaSet it
 * created from a stale cache turns out to need a later revision.
 */
function rolledBackByUser(world: World, d: AppsDeployment): boolean {
  const line = `deployment.apps/${d.metadata?.name} rolled back`;
  return printedByUsers(world).includes(line);
}

export const rolloutCompletes: SometimesGoal = {
  kind: 'sometimes',
  name: 'rolloutCompletes',
  description: 'A Deployment whose template changed completes its rolling update: every replica updated and available.',
  reached: (before, _action, after) => completedIn(before, after).some((d) =>
    Number(annotation(d as KubeObject, REVISION_ANNOTATION) ?? 0) >= 2 && annotation(currentReplicaSet(after, d), REVISION_HISTORY_ANNOTATION) === undefined),
};

export const rollbackCompletes: SometimesGoal = {
  kind: 'sometimes',
  name: 'rollbackCompletes',
  description: 'A Deployment rolled back (rollout undo) completes on the ReplicaSet of an earlier revision.',
  reached: (before, _action, after) => completedIn(before, after).some((d) =>
    rolledBackByUser(after, d) && annotation(currentReplicaSet(after, d), REVISION_HISTORY_ANNOTATION) !== undefined),
};

export const pausedDeploymentStartsNoRollout: TransitionProperty = {
  kind: 'transition',
  name: 'pausedDeploymentStartsNoRollout',
  description: 'The Deployment controller never creates a ReplicaSet for a paused Deployment: a template changed while paused rolls out only on resume.',
  check(before, action, after) {
    const reconcile = reconcileOf('deployment', before, action, after);
    const d = reconcile?.caches.deployments?.get(reconcile.key) as unknown as AppsDeployment | undefined;
    if (reconcile === null || d?.spec?.paused !== true) return null;
    const created = reconcile.writes.flatMap((w) => (w.verb === 'create' && w.resource === 'replicasets' ? [w.object.metadata.name ?? ''] : []));
    if (created.length === 0) return null;
    return `the Deployment controller created ReplicaSet ${created.join(', ')} for ${reconcile.key}, which is paused: a paused Deployment is only scaled, ` +
      'its template changes wait for `kubectl rollout resume`.';
  },
};

export const proportionalScalingHappens: SometimesGoal = {
  kind: 'sometimes',
  name: 'proportionalScalingHappens',
  description: 'A Deployment scaled in the middle of a rollout spreads the change over two or more ReplicaSets at once (proportional scaling).',
  reached(before, action, after) {
    const reconcile = reconcileOf('deployment', before, action, after);
    if (reconcile === null) return false;
    const cached = reconcile.caches.replicasets;
    const directions = reconcile.writes.flatMap((w) => {
      if (w.verb !== 'update' || w.resource !== 'replicasets') return [];
      const was = cached?.get(`${w.object.metadata.namespace}/${w.object.metadata.name}`);
      return was ? [Math.sign(replicasOf(w.object) - replicasOf(was))] : [];
    }).filter((d) => d !== 0);
    return directions.length >= 2 && directions.every((d) => d === directions[0]);
  },
};
