// The API server and its etcd, as one xstate machine: the global resourceVersion,
// create / update / delete / bind with optimistic concurrency, validation, graceful
// deletion with finalizers, delete propagation (the orphan and foregroundDeletion finalizers
// the garbage collector acts on), metadata.generation, and the event history that watches
// and lagging reads are served from. Follows k8s.io/apiserver pkg/registry/generic/registry
// (store.go, rest/create.go, rest/update.go, rest/delete.go) and pkg/registry/core/pod
// (strategy.go CheckGracefulDelete, storage.go the binding subresource).
//
// Reads (get, list, opening a watch) change nothing, so they are pure queries in
// store-read.ts rather than machine events: a step pays for a machine transition only
// when the store really changes.
import { assign, setup } from 'xstate';
import type { PodSpec, PodStatus, ServiceSpec } from 'kubernetes-types/core/v1.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import {
  alreadyExists, badRequest, conflict, invalid, MODIFIED_SINCE_READ, notFound, type ApiStatus,
} from './api-status.ts';
import { emptyLog, logAppend, logDropFront, logFirst, logSize, type Log } from './append-log.ts';
import { timestamp } from './clock.ts';
import { withDefaults } from './defaults.ts';
import { dropDisabledFields } from './drop-disabled-fields.ts';
import { deepEqual } from './equal.ts';
import type { FeatureGates } from './feature-gates.ts';
import { strategicMergePatch } from './merge-patch.ts';
import { generatedSuffix, uidFor } from './names.ts';
import { PMap } from './pmap.ts';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER, type PropagationPolicy, type Reply, type WatchEvent, type WatchEventType, type WriteRequest } from './requests.ts';
import { keyOf, objectKey, RESOURCES, type KubeObject, type Resource } from './resources.ts';
import { validateCreate, validateUpdate } from './validation.ts';

/** etcd's first revision: an empty store lists at rv 1 and the first write gets rv 2. */
export const INITIAL_RV = 1;

export interface StoreContext {
  readonly rv: number;
  readonly uidsIssued: number;
  readonly namesGenerated: number;
  readonly objects: Readonly<Partial<Record<Resource, PMap<KubeObject>>>>;
  /** Every event with rv > compactedRv, oldest first. */
  readonly history: Log<WatchEvent>;
  /** Bound on history: beyond it the oldest events are compacted away, as etcd's periodic compaction does. */
  readonly historyMax: number;
  readonly compactedRv: number;
  /** The reply to the last write, and the event it committed (null when it changed nothing). */
  readonly reply: Reply | null;
  readonly event: WatchEvent | null;
  /** The API server's feature gates: what its validation allows. */
  readonly featureGates: FeatureGates;
}

export interface StoreInput {
  readonly historyMax: number;
  readonly featureGates: FeatureGates;
}

export type StoreEvent =
  | { readonly type: 'create'; readonly request: Extract<WriteRequest, { verb: 'create' }>; readonly nowMs: number }
  | { readonly type: 'update'; readonly request: Extract<WriteRequest, { verb: 'update' }>; readonly nowMs: number }
  | { readonly type: 'delete'; readonly request: Extract<WriteRequest, { verb: 'delete' }>; readonly nowMs: number }
  | { readonly type: 'bind'; readonly request: Extract<WriteRequest, { verb: 'bind' }>; readonly nowMs: number }
  | { readonly type: 'patch'; readonly request: Extract<WriteRequest, { verb: 'patch' }>; readonly nowMs: number }
  | { readonly type: 'compact' };

export type StoreChange = Partial<StoreContext>;

const EMPTY = PMap.empty<KubeObject>();

function objectsOf(ctx: StoreContext, resource: Resource): PMap<KubeObject> {
  return ctx.objects[resource] ?? EMPTY;
}

function fail(status: ApiStatus): StoreChange {
  return { reply: { ok: false, status }, event: null };
}

function unchanged(object: KubeObject): StoreChange {
  return { reply: { ok: true, object }, event: null };
}

/** Writes `object` (or removes the key when type is DELETED) at the next resourceVersion. */
function commit(ctx: StoreContext, type: WatchEventType, resource: Resource, object: KubeObject, previous: KubeObject | null): StoreChange {
  const rv = ctx.rv + 1;
  const stamped: KubeObject = { ...object, metadata: { ...object.metadata, resourceVersion: String(rv) } };
  const key = keyOf(resource, stamped);
  const objects = objectsOf(ctx, resource);
  const map = type === 'DELETED' ? objects.delete(key) : objects.set(key, stamped);
  const event: WatchEvent = { type, rv, resource, key, object: stamped, previous };
  return { rv, objects: { ...ctx.objects, [resource]: map }, reply: { ok: true, object: stamped }, event };
}

function initialStatus(resource: Resource, object: KubeObject): unknown {
  if (resource === 'pods') return { ...(object.status as PodStatus | undefined), phase: 'Pending' };
  // Nodes may set status on create (the kubelet registers with its capacity and conditions).
  if (resource === 'nodes') return object.status;
  return RESOURCES[resource].statusSubresource ? undefined : object.status;
}

/**
 * The service IP allocator: a ClusterIP Service gets an address of the service range
 * (10.96.0.0/12), one per object created so far, so addresses are never reused; a headless
 * Service (clusterIP None) or an ExternalName one gets none.
 */
function withClusterIP(spec: ServiceSpec, serial: number): ServiceSpec {
  if (spec.type === 'ExternalName' || spec.clusterIP === 'None') return spec.clusterIP === 'None' ? { ...spec, clusterIPs: ['None'] } : spec;
  const ip = spec.clusterIP ?? `10.96.${Math.floor(serial / 254) % 256}.${(serial % 254) + 1}`;
  return { ...spec, clusterIP: ip, clusterIPs: [ip], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' };
}

export function createObject(ctx: StoreContext, request: Extract<WriteRequest, { verb: 'create' }>, nowMs: number): StoreChange {
  const { resource } = request;
  const object = dropDisabledFields(resource, withDefaults(resource, request.object), ctx.featureGates);
  const info = RESOURCES[resource];
  const namespace = info.namespaced ? request.namespace : undefined;
  const meta = object.metadata;
  if (info.namespaced && meta.namespace && meta.namespace !== namespace) {
    return fail(badRequest('the namespace of the provided object does not match the namespace sent on the request'));
  }
  if (meta.resourceVersion) return fail(badRequest('resourceVersion should not be set on objects to be created'));
  const generate = !meta.name && !!meta.generateName;
  const name = meta.name || (meta.generateName ? meta.generateName + generatedSuffix(ctx.namesGenerated) : '');
  const uid = uidFor(ctx.uidsIssued + 1);
  const { deletionTimestamp: _d, deletionGracePeriodSeconds: _g, ...kept } = meta;
  let candidate: KubeObject = {
    ...object,
    apiVersion: info.apiVersion,
    kind: info.kind,
    metadata: {
      ...kept, name, ...(namespace !== undefined ? { namespace } : {}), uid,
      creationTimestamp: timestamp(nowMs), ...(info.generation ? { generation: 1 } : {}),
    },
    status: initialStatus(resource, object),
  };
  if (candidate.status === undefined) delete (candidate as Record<string, unknown>).status;
  if (resource === 'services') candidate = { ...candidate, spec: withClusterIP(candidate.spec as ServiceSpec, ctx.uidsIssued + 1) };
  const errors = validateCreate(resource, candidate, ctx.featureGates);
  if (errors.length > 0) return fail(invalid(resource, name, errors));
  if (objectsOf(ctx, resource).has(keyOf(resource, candidate))) return fail(alreadyExists(resource, name));
  return {
    ...commit(ctx, 'ADDED', resource, candidate, null),
    uidsIssued: ctx.uidsIssued + 1,
    namesGenerated: ctx.namesGenerated + (generate ? 1 : 0),
  };
}

/**
 * An update removes the object when it is being deleted, has no finalizers left and no
 * grace period to wait out (registry/store.go shouldDeleteDuringUpdate).
 */
function finishedDeleting(object: KubeObject): boolean {
  const m = object.metadata;
  return !!m.deletionTimestamp && (m.finalizers ?? []).length === 0 && !m.deletionGracePeriodSeconds;
}

export function updateObject(ctx: StoreContext, request: Extract<WriteRequest, { verb: 'update' }>, validate = validateUpdate): StoreChange {
  const { resource } = request;
  const object = request.subresource === 'status' ? request.object : withDefaults(resource, request.object);
  const info = RESOURCES[resource];
  const name = object.metadata.name ?? '';
  const old = objectsOf(ctx, resource).get(objectKey(resource, object.metadata.namespace ?? '', name));
  if (!old) return fail(notFound(resource, name));
  const qualified = `${info.qualified}${request.subresource ? `/${request.subresource}` : ''}`;
  const rv = object.metadata.resourceVersion;
  if (rv && rv !== old.metadata.resourceVersion) return fail(conflict(qualified, name, MODIFIED_SINCE_READ));
  const uid = object.metadata.uid;
  if (uid && uid !== old.metadata.uid) {
    return fail(conflict(qualified, name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${old.metadata.uid}`));
  }

  let next: KubeObject;
  if (request.subresource === 'status') {
    // The apps status strategies reset only the spec (and a Deployment's labels): annotations written
    // through /status stand, as the Deployment controller's revision annotations are written.
    next = info.apiVersion === 'apps/v1' ? { ...old, metadata: { ...old.metadata, annotations: object.metadata.annotations }, status: object.status } : { ...old, status: object.status };
    if (deepEqual(next.metadata.annotations, old.metadata.annotations)) next = { ...next, metadata: old.metadata };
  } else {
    const m = old.metadata;
    next = {
      ...dropDisabledFields(resource, object, ctx.featureGates, old),
      apiVersion: info.apiVersion,
      kind: info.kind,
      metadata: {
        ...object.metadata,
        name: m.name, namespace: m.namespace, uid: m.uid, creationTimestamp: m.creationTimestamp,
        deletionTimestamp: m.deletionTimestamp, deletionGracePeriodSeconds: m.deletionGracePeriodSeconds,
        generation: m.generation, resourceVersion: m.resourceVersion,
      },
      ...(info.statusSubresource ? { status: old.status } : {}),
    };
    const errors = validate(resource, next, old, ctx.featureGates);
    if (errors.length > 0) return fail(invalid(resource, name, errors));
    // A Deployment's generation also moves with its annotations (deploymentStrategy.PrepareForUpdate).
    const annotationsCount = resource === 'deployments' && !deepEqual(next.metadata.annotations, old.metadata.annotations);
    if (info.generation && (!deepEqual(next.spec, old.spec) || annotationsCount)) {
      next = { ...next, metadata: { ...next.metadata, generation: (m.generation ?? 0) + 1 } };
    }
  }
  if (deepEqual(next, old)) return unchanged(old);
  if (finishedDeleting(next)) return commit(ctx, 'DELETED', resource, next, old);
  return commit(ctx, 'MODIFIED', resource, next, old);
}

/** The pod strategy's grace period (pkg/registry/core/pod/strategy.go CheckGracefulDelete). */
function podGraceSeconds(pod: KubeObject, requested: number | undefined): number {
  const spec = pod.spec as PodSpec | undefined;
  const phase = (pod.status as PodStatus | undefined)?.phase;
  let period = requested ?? spec?.terminationGracePeriodSeconds ?? 30;
  if (!spec?.nodeName) period = 0; // never scheduled: nothing to stop
  if (phase === 'Failed' || phase === 'Succeeded') period = 0; // already terminated
  return period < 0 ? 1 : period;
}

/**
 * deletionFinalizersForGarbageCollection (registry/store.go shouldOrphanDependents,
 * shouldDeleteDependents): the finalizers a delete leaves for the garbage collector, or null when
 * they stay as they are. The request's propagationPolicy decides; without one, a GC finalizer the
 * object already carries (the first of the two) stands; without either, the resource's
 * DefaultGarbageCollectionPolicy, which is Background for every resource modelled here (apps/v1
 * Deployments and ReplicaSets say DeleteDependents, which adds no finalizer; core/v1 kinds have no
 * policy; only retired groups such as extensions/v1beta1 default to OrphanDependents).
 */
function finalizersForGarbageCollection(finalizers: readonly string[], policy: PropagationPolicy | undefined): readonly string[] | null {
  const standing = finalizers.find((f) => f === ORPHAN_FINALIZER || f === FOREGROUND_FINALIZER);
  const orphan = policy !== undefined ? policy === 'Orphan' : standing === ORPHAN_FINALIZER;
  const foreground = policy !== undefined ? policy === 'Foreground' : standing === FOREGROUND_FINALIZER;
  const next = [
    ...finalizers.filter((f) => f !== ORPHAN_FINALIZER && f !== FOREGROUND_FINALIZER),
    ...(orphan ? [ORPHAN_FINALIZER] : []), ...(foreground ? [FOREGROUND_FINALIZER] : []),
  ];
  const before = new Set(finalizers);
  return before.size === new Set(next).size && next.every((f) => before.has(f)) ? null : next;
}

/** The metadata with these finalizers; an empty list is left out, as Go's omitempty serialises it. */
function withFinalizers(meta: ObjectMeta, finalizers: readonly string[] | null): ObjectMeta {
  if (finalizers === null) return meta;
  const { finalizers: _old, ...rest } = meta;
  return finalizers.length > 0 ? { ...rest, finalizers: [...finalizers] } : rest;
}

export function deleteObject(ctx: StoreContext, request: Extract<WriteRequest, { verb: 'delete' }>, nowMs: number): StoreChange {
  const { resource, name } = request;
  const info = RESOURCES[resource];
  const old = objectsOf(ctx, resource).get(objectKey(resource, request.namespace, name));
  if (!old) return fail(notFound(resource, name));
  const pre = request.preconditions;
  if (pre?.uid && pre.uid !== old.metadata.uid) {
    return fail(conflict(info.qualified, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`));
  }
  if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
    return fail(conflict(info.qualified, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`));
  }
  const grace = info.gracefulDeletion ? podGraceSeconds(old, request.gracePeriodSeconds) : 0;
  const meta = old.metadata;
  const gcFinalizers = finalizersForGarbageCollection(meta.finalizers ?? [], request.propagationPolicy);
  const pendingFinalizers = (gcFinalizers ?? meta.finalizers ?? []).length > 0;

  if (meta.deletionTimestamp) {
    // Already being deleted (rest/delete.go BeforeDelete): a delete may only shorten the grace period.
    const current = meta.deletionGracePeriodSeconds ?? 0;
    const shortens = info.gracefulDeletion && grace < current;
    // A grace period under way and not shortened (gracefulPending): the finalizers stay as they are too.
    if (current > 0 && !shortens) return unchanged(old);
    // Otherwise the finalizers follow this delete's propagationPolicy (updateForGracefulDeletionAndFinalizers).
    const deleting: KubeObject = {
      ...old,
      metadata: {
        ...withFinalizers(meta, gcFinalizers),
        ...(shortens ? { deletionGracePeriodSeconds: grace, deletionTimestamp: timestamp(nowMs + grace * 1000) } : {}),
      },
    };
    const graceLeft = shortens ? grace : current;
    if (graceLeft === 0 && !pendingFinalizers) return commit(ctx, 'DELETED', resource, shortens ? deleting : old, old);
    return deepEqual(deleting, old) ? unchanged(old) : commit(ctx, 'MODIFIED', resource, deleting, old);
  }
  if (grace > 0 || pendingFinalizers) {
    const deleting: KubeObject = {
      ...old,
      metadata: {
        ...withFinalizers(meta, gcFinalizers),
        deletionTimestamp: timestamp(nowMs + grace * 1000),
        deletionGracePeriodSeconds: grace,
        ...(meta.generation ? { generation: meta.generation + 1 } : {}),
      },
    };
    return commit(ctx, 'MODIFIED', resource, deleting, old);
  }
  return commit(ctx, 'DELETED', resource, old, old);
}

/** POST pods/{name}/binding (pkg/registry/core/pod/storage assignPod). */
export function bindPod(ctx: StoreContext, request: Extract<WriteRequest, { verb: 'bind' }>): StoreChange {
  const { name, nodeName } = request;
  const pod = objectsOf(ctx, 'pods').get(objectKey('pods', request.namespace, name));
  if (!pod) return fail(notFound('pods', name));
  if (request.uid !== pod.metadata.uid) {
    return fail(conflict('pods/binding', name, `Precondition failed: UID in precondition: ${request.uid}, UID in object meta: ${pod.metadata.uid}`));
  }
  if (pod.metadata.deletionTimestamp) return fail(conflict('pods/binding', name, `pod ${name} is being deleted, cannot be assigned to a host`));
  const spec = pod.spec as PodSpec;
  if (spec.nodeName) return fail(conflict('pods/binding', name, `pod ${name} is already assigned to node ${JSON.stringify(spec.nodeName)}`));
  const status = (pod.status ?? {}) as PodStatus;
  const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
  const bound: KubeObject = {
    ...pod,
    spec: { ...spec, nodeName },
    status: { ...status, conditions: [...conditions, { type: 'PodScheduled', status: 'True' }] },
  };
  return commit(ctx, 'MODIFIED', 'pods', bound, pod);
}

/**
 * PATCH (registry/rest/update.go with a strategic merge patch): the patch applied to the
 * object as it is now, then stored as an update of it would be.
 */
export function patchObject(ctx: StoreContext, request: Extract<WriteRequest, { verb: 'patch' }>): StoreChange {
  const { resource, name } = request;
  const old = objectsOf(ctx, resource).get(objectKey(resource, request.namespace, name));
  if (!old) return fail(notFound(resource, name));
  // A patch may carry the object's uid as a precondition (as PatchPodStatus does).
  const uid = (request.patch.metadata as { uid?: string } | undefined)?.uid;
  if (uid !== undefined && uid !== old.metadata.uid) {
    return fail(conflict(RESOURCES[resource].qualified, name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${old.metadata.uid}`));
  }
  const patched = strategicMergePatch(old, request.patch);
  // A status patch changes status only; a patch of the object, everything but status.
  const object = request.subresource === 'status' ? { ...old, status: patched.status } : { ...patched, status: old.status };
  return updateObject(ctx, { verb: 'update', resource, object, ...(request.subresource ? { subresource: request.subresource } : {}) });
}

export const storeMachine = setup({
  types: {
    context: {} as StoreContext,
    events: {} as StoreEvent,
    input: {} as StoreInput,
  },
  actions: {
    create: assign(({ context, event }) => (event.type === 'create' ? createObject(context, event.request, event.nowMs) : {})),
    update: assign(({ context, event }) => (event.type === 'update' ? updateObject(context, event.request) : {})),
    delete: assign(({ context, event }) => (event.type === 'delete' ? deleteObject(context, event.request, event.nowMs) : {})),
    bind: assign(({ context, event }) => (event.type === 'bind' ? bindPod(context, event.request) : {})),
    patch: assign(({ context, event }) => (event.type === 'patch' ? patchObject(context, event.request) : {})),
    /** etcd compaction: history up to the current revision is gone; older watches get 410. */
    compact: assign(({ context }) => ({ compactedRv: context.rv, history: logDropFront(context.history, logSize(context.history)), reply: null, event: null })),
    /** Appends the committed event to the history, compacting the oldest beyond historyMax. */
    recordEvent: assign(({ context }) => {
      if (!context.event) return {};
      let history = logAppend(context.history, context.event);
      let compactedRv = context.compactedRv;
      if (logSize(history) > context.historyMax) {
        compactedRv = Math.max(compactedRv, (logFirst(history) as WatchEvent).rv);
        history = logDropFront(history, 1);
      }
      return { history, compactedRv };
    }),
  },
}).createMachine({
  id: 'store',
  context: ({ input }) => ({
    rv: INITIAL_RV, uidsIssued: 0, namesGenerated: 0, objects: {}, history: emptyLog(),
    historyMax: input.historyMax, compactedRv: INITIAL_RV, reply: null, event: null, featureGates: input.featureGates,
  }),
  initial: 'serving',
  states: {
    serving: {
      on: {
        create: { actions: ['create', 'recordEvent'] },
        update: { actions: ['update', 'recordEvent'] },
        delete: { actions: ['delete', 'recordEvent'] },
        bind: { actions: ['bind', 'recordEvent'] },
        patch: { actions: ['patch', 'recordEvent'] },
        compact: { actions: 'compact' },
      },
    },
  },
});

export type StoreMachine = typeof storeMachine;
