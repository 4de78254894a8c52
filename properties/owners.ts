// Owners and dependents (metadata.ownerReferences): what the API server allows and what the
// garbage collector must bring about. Follows apimachinery's ValidateOwnerReferences
// (pkg/api/validation/objectmeta.go: at most one reference with controller true) and
// pkg/controller/garbagecollector (a dependent whose owners are all gone is deleted; an owner
// deleted in the foreground goes after its blocking dependents; one deleted with the orphan
// finalizer releases its dependents first).
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { logToArray } from '../model/append-log.ts';
import { deleteKey, type GarbageCollectorContext } from '../model/controllers/garbage-collector-work.ts';
import { selectorMatches } from '../model/labels.ts';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER, type PropagationPolicy } from '../model/requests.ts';
import type { KubeObject, Resource } from '../model/resources.ts';
import type { World } from '../model/world.ts';
import { committedEvent, controllerClient } from './observe.ts';
import type { AlwaysProperty, EventuallyProperty, SometimesGoal } from './property.ts';

const named = (resource: Resource, object: KubeObject) => `${resource} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;

export const podHasOneControllerOwner: AlwaysProperty = {
  kind: 'always',
  name: 'podHasOneControllerOwner',
  description: 'No object (pod, ReplicaSet, ...) has more than one ownerReference with controller: true.',
  check(world) {
    // Every object the store holds was once the object of a committed event (the initial objects
    // were validated as they were created), so checking each commit checks them all, without a scan.
    const event = world.store.context.event;
    if (event === null || event.type === 'DELETED') return null;
    const controllers = (event.object.metadata.ownerReferences ?? []).filter((r) => r.controller === true);
    if (controllers.length <= 1) return null;
    return `${named(event.resource, event.object)} has ${controllers.length} controller owners (${controllers.map((r) => `${r.kind}/${r.name}`).join(', ')}) ` +
      'at rv ' + event.rv + ': only one reference can have controller set to true, and the API server must reject a write that gives it more.';
  },
};

/** Every object the store holds, with its resource. */
function storedObjects(world: World): { resource: Resource; object: KubeObject }[] {
  return Object.entries(world.store.context.objects).flatMap(([resource, objects]) =>
    [...objects!.values()].map((object) => ({ resource: resource as Resource, object })));
}

/** How the object with this uid was deleted, read from the store's history: the finalizer its last state carried. */
function deletionPolicy(world: World, uid: string): PropagationPolicy | null {
  const deleted = logToArray(world.store.context.history).find((e) => e.type === 'DELETED' && e.object.metadata.uid === uid);
  if (deleted === undefined) return null;
  const finalizers = deleted.previous?.metadata.finalizers ?? [];
  return finalizers.includes(ORPHAN_FINALIZER) ? 'Orphan' : finalizers.includes(FOREGROUND_FINALIZER) ? 'Foreground' : 'Background';
}

/** The client index of the garbage collector, if the scenario runs one. */
const garbageCollectorClient = (world: World) => controllerClient(world, 'garbage-collector');

export const noDependentOutlivesItsOwner: EventuallyProperty = {
  kind: 'eventually',
  name: 'noDependentOutlivesItsOwner',
  description: 'Once the cluster settles, where the garbage collector runs, no object is left whose ownerReferences all name owners that no longer exist: it is gone or being deleted (an orphan has lost those references).',
  check(world, settlement) {
    if (garbageCollectorClient(world) === null) return null;
    const objects = storedObjects(world);
    const uids = new Set(objects.map(({ object }) => object.metadata.uid));
    const outliving: string[] = [];
    for (const { resource, object } of objects) {
      const refs = object.metadata.ownerReferences ?? [];
      // A dependent being deleted has been collected; finishing a pod's termination is deletedPodsAreGone's claim.
      if (refs.length === 0 || object.metadata.deletionTimestamp || refs.some((r) => uids.has(r.uid))) continue;
      const owners = refs.map((r) => {
        const policy = deletionPolicy(world, r.uid);
        const how = policy === null ? 'whose deletion is not in the store\'s history' : `deleted with propagation ${policy}`;
        return `${r.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${r.name} (uid ${r.uid}, ${how})`;
      });
      outliving.push(`${named(resource, object)} outlives its owner${owners.length > 1 ? 's' : ''} ${owners.join(' and ')}`);
    }
    if (outliving.length === 0) return null;
    const unsettled = settlement.quiet ? '' : ` (the system had not settled after ${settlement.stepsTaken} converge steps)`;
    return `${outliving.join('; ')}: the garbage collector must delete a dependent whose owners are all gone, unless it was orphaned (its references to them removed)${unsettled}`;
  },
};

export const ownerDeletedWhileCollectorDown: SometimesGoal = {
  kind: 'sometimes',
  name: 'ownerDeletedWhileCollectorDown',
  description: 'A garbage collector restarted after an owner was deleted knows the owner only as named by its dependents (a virtual node of its relisted graph), finds it gone by a live GET, and queues those dependents.',
  reached(before, action, after) {
    const client = garbageCollectorClient(before);
    if (action.kind !== 'send' || action.client !== client || after.ghost.controllerManagerIncarnation === 0) return false;
    const was = before.clients[client]!.context as GarbageCollectorContext;
    if (was.work?.step !== 'getItem') return false;
    const owner = was.graph.get(was.work.node.identity.uid);
    if (owner?.virtual !== true || owner.dependents.length === 0) return false;
    const now = after.clients[client]!.context as GarbageCollectorContext;
    return !now.graph.has(owner.identity.uid) && owner.dependents.every((uid) => now.queue.includes(deleteKey(uid)));
  },
};

/** The object this step removed from the store, and its state before (with the finalizer that held it). */
function removed(before: World, after: World): { resource: Resource; previous: KubeObject } | null {
  const event = committedEvent(before, after);
  return event?.type === 'DELETED' && event.previous !== null ? { resource: event.resource, previous: event.previous } : null;
}

export const foregroundDeletionCompletes: SometimesGoal = {
  kind: 'sometimes',
  name: 'foregroundDeletionCompletes',
  description: 'An owner deleted in the foreground is removed once the garbage collector has deleted its blocking dependents and lifted the foregroundDeletion finalizer.',
  reached(before, _action, after) {
    return removed(before, after)?.previous.metadata.finalizers?.includes(FOREGROUND_FINALIZER) === true;
  },
};

export const orphanedDependentsReleased: SometimesGoal = {
  kind: 'sometimes',
  name: 'orphanedDependentsReleased',
  description: 'An owner deleted with the orphan finalizer is removed, and an object its selector matches stays, no longer naming it.',
  reached(before, _action, after) {
    const gone = removed(before, after);
    if (gone?.previous.metadata.finalizers?.includes(ORPHAN_FINALIZER) !== true) return false;
    const selector = (gone.previous.spec as { selector?: LabelSelector } | undefined)?.selector;
    if (selector === undefined) return false;
    return storedObjects(after).some(({ object }) => selectorMatches(selector, object.metadata.labels) &&
      !(object.metadata.ownerReferences ?? []).some((r) => r.uid === gone.previous.metadata.uid));
  },
};
