// What the ReplicaSet controller must and must not do, judged on each of its decisions (a
// reconcile) against the pods the API server holds, corrected for what the controller could
// not know: it is to blame for acting on a cache that has not yet shown its own creations and
// deletions (that is what its expectations are for), not for pods others deleted unseen, nor for
// pods created by an earlier incarnation, nor for a creation whose reply was lost (which its
// expectations count twice, as upstream's do), nor once its expectations have expired
// (upstream's 5-minute safety valve), nor for the late creations of an expired batch that its
// next expectations counted as their own.
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Action } from '../model/actions.ts';
import { parseTimestamp } from '../model/clock.ts';
import { controllerOf } from '../model/controllers/controller.ts';
import { EXPECTATIONS_TIMEOUT_MS } from '../model/controllers/expectations.ts';
import type { ReplicaSetControllerContext } from '../model/controllers/replicaset.ts';
import type { KubeObject } from '../model/resources.ts';
import { isPodActive } from '../model/semantics/replicaset.ts';
import type { World } from '../model/world.ts';
import { committedEvent, printedByUsers, reconcileOf } from './observe.ts';
import type { SometimesGoal, TransitionProperty } from './property.ts';

interface Decision {
  readonly rs: ReplicaSet & KubeObject;
  /** Pods the reconcile decided to create. */
  readonly creates: number;
  /** Pods (namespace/name) it decided to delete. */
  readonly deletes: readonly string[];
  /** The pods in the controller's cache. */
  readonly cached: ReadonlyMap<string, KubeObject>;
  /** "client@incarnation": how the ghost names this controller's writes. */
  readonly me: string;
  /** Its expectations for the ReplicaSet: the creations they still wait for, and when they were set; null when it keeps none. */
  readonly expectation: { readonly awaited: number; readonly atMs: number } | null;
}

const active = (pod: KubeObject) => isPodActive(pod as unknown as Pod);
const podKeyOf = (pod: KubeObject) => `${pod.metadata.namespace}/${pod.metadata.name}`;

/** The ReplicaSet controller's reconcile in this step, when it decided to create or delete pods and was not past its expectations' timeout. */
function decision(before: World, action: Action, after: World): Decision | null {
  const reconcile = reconcileOf('replicaset', before, action, after);
  if (reconcile === null) return null;
  const { client, key, caches, writes } = reconcile;
  const creates = writes.filter((r) => r.verb === 'create' && r.resource === 'pods').length;
  const deletes = writes.flatMap((r) => (r.verb === 'delete' && r.resource === 'pods' ? [`${r.namespace}/${r.name}`] : []));
  if (creates === 0 && deletes.length === 0) return null;
  const expectation = (before.clients[client]!.context as ReplicaSetControllerContext).expectations.get(key);
  if (expectation !== undefined && before.nowMs - expectation.atMs > EXPECTATIONS_TIMEOUT_MS) return null;
  const rs = caches.replicasets?.get(key) as (ReplicaSet & KubeObject) | undefined;
  if (!rs) return null;
  return {
    rs, creates, deletes, cached: caches.pods ?? new Map(), me: `${client}@${before.ghost.controllerManagerIncarnation}`,
    expectation: expectation === undefined ? null : { awaited: Math.max(0, expectation.add), atMs: expectation.atMs },
  };
}

/** The active pods the API server holds that the ReplicaSet controls. */
function controlledActivePods(world: World, rs: KubeObject): KubeObject[] {
  const uid = rs.metadata.uid;
  return [...(world.store.context.objects.pods?.values() ?? [])].filter((p) => active(p) && controllerOf(p)?.uid === uid);
}

const names = (pods: readonly KubeObject[]) => pods.map((p) => p.metadata.name).join(', ') || 'none';

export const replicaSetNeverCreatesBeyondReplicas: TransitionProperty = {
  kind: 'transition',
  name: 'replicaSetNeverCreatesBeyondReplicas',
  description: 'The ReplicaSet controller never decides to create a pod that takes the active pods it could know of above spec.replicas.',
  check(before, action, after) {
    const d = decision(before, action, after);
    if (d === null || d.creates === 0) return null;
    const { ghost } = before;
    // Pods it could know of: in its cache, or created by it (this incarnation) with the reply received.
    const known = controlledActivePods(before, d.rs).filter((p) => {
      const uid = p.metadata.uid ?? '';
      return d.cached.has(podKeyOf(p)) || (ghost.createdBy.get(uid) === d.me && !ghost.repliesLost.has(uid));
    });
    // A creation whose reply was lost is counted as failed, then again as seen when its pod shows up
    // (upstream's expectations do the same): one more creation is the controller's due for each.
    const countedTwice = known.filter((p) => ghost.repliesLost.has(p.metadata.uid ?? '') && d.cached.has(podKeyOf(p))).length;
    // Expectations count creations, not pods (CreationObserved): once a batch's expectations have
    // expired, a late ADDED of that batch's pod satisfies the next batch's in place of its own. So
    // many of its own creations still unseen beyond what its expectations wait for, up to its own
    // earlier batches' pods its cache has shown since, it was misled about. (Pods of an earlier
    // incarnation replayed by a stale list mislead it the same way; that is not excused: see
    // test/schedules/stale-list-over-creation.json.)
    const unseen = known.filter((p) => !d.cached.has(podKeyOf(p)));
    const e = d.expectation;
    const lateFromEarlierBatches = e === null ? 0 : known.filter((p) => d.cached.has(podKeyOf(p)) && ghost.createdBy.get(p.metadata.uid ?? '') === d.me &&
      parseTimestamp(p.metadata.creationTimestamp ?? '') < e.atMs).length;
    const miscounted = e === null ? 0 : Math.min(lateFromEarlierBatches, Math.max(0, unseen.length - e.awaited));
    const replicas = d.rs.spec?.replicas ?? 1;
    if (known.length + d.creates <= replicas + countedTwice + miscounted) return null;
    return `the ReplicaSet controller decided to create ${d.creates} pod(s) for ${podKeyOf(d.rs)}, which wants ${replicas}, while ${known.length} active pod(s) of it ` +
      `were already there (${names(known)}): ${known.length + d.creates} > ${replicas}. ${unseen.length > 0 ? `Its cache did not show ${names(unseen)}, which it had created itself: ` +
      'a controller must not act again before it has seen its own creations (expectations).' : 'It counted them wrong.'}`;
  },
};

export const replicaSetNeverDeletesBelowReplicas: TransitionProperty = {
  kind: 'transition',
  name: 'replicaSetNeverDeletesBelowReplicas',
  description: 'The ReplicaSet controller never decides to delete a pod that takes the active pods it could know of below spec.replicas.',
  check(before, action, after) {
    const d = decision(before, action, after);
    if (d === null || d.deletes.length === 0) return null;
    const { ghost } = before;
    const remaining = controlledActivePods(before, d.rs).filter((p) => !d.deletes.includes(podKeyOf(p)));
    // Pods its cache shows active that someone else has deleted unseen: it could not know, so they count as there.
    const uid = d.rs.metadata.uid;
    const goneUnseen = [...d.cached.values()].filter((p) => {
      if (!active(p) || controllerOf(p)?.uid !== uid || d.deletes.includes(podKeyOf(p))) return false;
      const now = before.store.context.objects.pods?.get(podKeyOf(p));
      const podUid = p.metadata.uid ?? '';
      // Its own deletion whose reply was lost counts as failed (DeletionObserved on the error, as
      // upstream does): it could not know the pod was going, so it counts as there too.
      const notKnownDeleted = ghost.deletedBy.get(podUid) !== d.me || ghost.repliesLost.has(podUid);
      return (now === undefined || now.metadata.uid !== p.metadata.uid || !active(now)) && notKnownDeleted;
    });
    const replicas = d.rs.spec?.replicas ?? 1;
    const left = remaining.length + goneUnseen.length;
    if (left >= replicas) return null;
    const stale = [...d.cached.values()].filter((p) => active(p) && controllerOf(p)?.uid === uid && ghost.deletedBy.get(p.metadata.uid ?? '') === d.me);
    return `the ReplicaSet controller decided to delete ${d.deletes.join(', ')} of ${podKeyOf(d.rs)}, which wants ${replicas}, leaving ${left} active pod(s) ` +
      `(${names(remaining)}): ${left} < ${replicas}. ${stale.length > 0 ? `Its cache still showed ${names(stale)} active, which it had deleted itself: ` +
      'a controller must not act again before it has seen its own deletions (expectations).' : 'It counted them wrong.'}`;
  },
};

/** ReplicaSets whose status says every replica is ready, for the generation they have. */
function readyReplicaSets(world: World): Set<string> {
  const ready = new Set<string>();
  for (const [key, object] of world.store.context.objects.replicasets ?? []) {
    const rs = object as unknown as ReplicaSet;
    const status = rs.status;
    if (status && status.observedGeneration === object.metadata.generation && status.readyReplicas === (rs.spec?.replicas ?? 1)) ready.add(key);
  }
  return ready;
}

export const replicaSetReadyAfterControllerRestart: SometimesGoal = {
  kind: 'sometimes',
  name: 'replicaSetReadyAfterControllerRestart',
  description: 'A ReplicaSet reaches spec.replicas ready pods after the controller-manager has restarted (and lost its caches and expectations).',
  reached(before, _action, after) {
    if (after.ghost.controllerManagerIncarnation === 0 || committedEvent(before, after)?.resource !== 'replicasets') return false;
    const was = readyReplicaSets(before);
    return [...readyReplicaSets(after)].some((key) => !was.has(key));
  },
};

/** The nodes a user's `kubectl drain` finished on. */
function drainedNodes(world: World): string[] {
  return printedByUsers(world).flatMap((line) => /^node\/(\S+) drained$/.exec(line)?.[1] ?? []);
}

export const drainEvictsManagedPods: SometimesGoal = {
  kind: 'sometimes',
  name: 'drainEvictsManagedPods',
  description: 'A kubectl drain finishes having deleted pods a ReplicaSet manages (which replicaSetsOwnTheirReplicas then wants replaced).',
  reached(before, _action, after) {
    const was = drainedNodes(before);
    const drained = drainedNodes(after).filter((n) => !was.includes(n));
    if (drained.length === 0) return false;
    return [...(after.store.context.objects.pods?.values() ?? [])].some((p) =>
      p.metadata.deletionTimestamp !== undefined && controllerOf(p)?.kind === 'ReplicaSet' && drained.includes((p.spec as { nodeName?: string }).nodeName ?? ''));
  },
};
