// The garbage collector, driven against the store machine: its informers fed from the store's
// events, its requests served by the store, its queue worked in a fixed order (or step by step
// where a race is the point). Tests pin the exact requests it sends and what the store ends with.
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { describe, expect, it } from 'vitest';
import type { Caches } from '../../model/client.ts';
import { garbageCollectorMachine } from '../../model/controllers/garbage-collector.ts';
import { processGraphChanges, EMPTY_GRAPH } from '../../model/controllers/garbage-collector-graph.ts';
import type { Identity } from '../../model/controllers/garbage-collector-identity.ts';
import type { GarbageCollectorContext } from '../../model/controllers/garbage-collector-work.ts';
import { initialSnapshot, transition } from '../../model/machine-runner.ts';
import { describeRequest, type Reply, type Request, type WatchEvent, type WriteRequest } from '../../model/requests.ts';
import { keyOf, type KubeObject, type Resource } from '../../model/resources.ts';
import { getObject } from '../../model/store-read.ts';
import { pod, TestStore } from '../helpers/store.ts';
import { DEFAULT_FEATURE_GATES } from '../../model/feature-gates.ts';

const RESOURCES: readonly Resource[] = ['deployments', 'replicasets', 'pods'];
type Snapshot = ReturnType<typeof initialSnapshot> & { context: GarbageCollectorContext };

/** "00000000-0000-4000-8000-000000000003" -> "uid3", so logs read. */
function short(text: string): string {
  return text.replace(/00000000-0000-4000-8000-0*(\d+)/g, 'uid$1');
}

class Cluster {
  readonly store = new TestStore(1000);
  readonly caches = new Map<Resource, Map<string, KubeObject>>(RESOURCES.map((r) => [r, new Map()]));
  /** Committed events the GC's informers have not delivered yet. */
  pending: WatchEvent[] = [];
  gc: Snapshot = this.fresh();
  /** Every request the GC sent, with its reply. */
  readonly log: string[] = [];

  fresh(): Snapshot {
    return initialSnapshot(garbageCollectorMachine, undefined) as Snapshot;
  }

  get ctx(): GarbageCollectorContext {
    return this.gc.context;
  }

  get nowMs(): number {
    return this.store.nowMs;
  }

  private record(): void {
    const event = this.store.context.event;
    if (event && !this.pending.includes(event)) this.pending.push(event);
  }

  /** A user's write. */
  write(request: WriteRequest): KubeObject {
    const object = this.store.ok(request);
    this.record();
    return object;
  }

  object(resource: Resource, name: string): KubeObject | null {
    const reply = getObject(this.store.context, resource, 'default', name);
    return reply.ok ? reply.object! : null;
  }

  private cachesView(): Caches {
    return Object.fromEntries([...this.caches].map(([r, m]) => [r, m])) as Caches;
  }

  private send(event: Record<string, unknown> & { type: string }): void {
    this.gc = transition(garbageCollectorMachine, this.gc, event) as Snapshot;
  }

  /** The informers deliver every pending event, in commit order. */
  deliver(): void {
    for (const event of this.pending) {
      const cache = this.caches.get(event.resource)!;
      if (event.type === 'DELETED') cache.delete(event.key);
      else cache.set(event.key, event.object);
      this.send({ type: 'INFORMED', resource: event.resource, event, cache, caches: this.cachesView(), nowMs: this.nowMs });
    }
    this.pending = [];
  }

  /** An informer lists: its cache is replaced by the store's objects. */
  relist(resource: Resource): void {
    const objects = [...(this.store.context.objects[resource]?.values() ?? [])];
    const cache = new Map(objects.map((o) => [keyOf(resource, o), o]));
    this.caches.set(resource, cache);
    this.pending = this.pending.filter((e) => e.resource !== resource);
    this.send({ type: 'INFORMED', resource, event: null, cache, caches: this.cachesView(), nowMs: this.nowMs });
  }

  /** The process restarts: its state is gone, and its informers list again, in this order. */
  restart(order: readonly Resource[]): void {
    this.gc = this.fresh();
    for (const r of RESOURCES) this.caches.set(r, new Map());
    for (const r of order) this.relist(r);
  }

  reconcile(key = this.ctx.queue[0]!): void {
    this.send({ type: 'RECONCILE', key, caches: this.cachesView(), nowMs: this.nowMs, featureGates: DEFAULT_FEATURE_GATES });
  }

  /** The API server answers the GC's request in flight. */
  serve(): Reply {
    const request = this.ctx.request as Request;
    let reply: Reply;
    if (request.verb === 'get') reply = getObject(this.store.context, request.resource, request.namespace, request.name);
    else {
      reply = this.store.write(request as WriteRequest);
      this.record();
    }
    const pre = request.verb === 'delete' && request.preconditions ? ` [uid ${request.preconditions.uid}${request.preconditions.resourceVersion ? ` rv ${request.preconditions.resourceVersion}` : ''}]` : '';
    const patch = request.verb === 'patch' ? ` ${JSON.stringify(request.patch)}` : '';
    this.log.push(short(`${describeRequest(request)}${pre}${patch} -> ${reply.ok ? 'ok' : `${reply.status.code} ${reply.status.reason}`}`));
    this.send({ type: 'REPLY', request, reply, nowMs: this.nowMs });
    return reply;
  }

  /** Time passes to the next delayed key. */
  tick(): void {
    this.store.nowMs = this.ctx.wakeAtMs!;
    this.send({ type: 'TIMER', nowMs: this.nowMs });
  }

  /** Informers first, then the request in flight, then the next key, then time; until quiet. */
  settle(): void {
    for (let steps = 0; steps < 500; steps++) {
      if (this.pending.length > 0) this.deliver();
      else if (this.ctx.request !== null) this.serve();
      else if (this.ctx.queue.length > 0) this.reconcile();
      else if (this.ctx.wakeAtMs !== null) this.tick();
      else return;
    }
    throw new Error('the garbage collector did not settle');
  }
}

const rsOwner = (uid: string, extra: Partial<OwnerReference> = {}): OwnerReference =>
  ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-rs', uid, controller: true, blockOwnerDeletion: true, ...extra });

function replicaSet(ownerUid: string): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: 'web-rs', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: ownerUid, controller: true, blockOwnerDeletion: true }] },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } } },
  };
}

/** Deployment web (uid1) -> ReplicaSet web-rs (uid2) -> pods web-rs-a (uid3), web-rs-b (uid4), unscheduled; the GC has seen them all. */
function chain(): Cluster {
  const c = new Cluster();
  const d = c.write({ verb: 'create', resource: 'deployments', namespace: 'default', object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: (replicaSet('').spec as object) } });
  const rs = c.write({ verb: 'create', resource: 'replicasets', namespace: 'default', object: replicaSet(d.metadata.uid!) });
  for (const name of ['web-rs-a', 'web-rs-b']) {
    c.write({ verb: 'create', resource: 'pods', namespace: 'default', object: pod(name, { metadata: { labels: { app: 'web' }, ownerReferences: [rsOwner(rs.metadata.uid!)] } }) });
  }
  c.settle();
  return c;
}

describe('the graph', () => {
  it('builds owner and dependent links, and nothing to do while every owner is observed', () => {
    const c = chain();
    const g = c.ctx.graph;
    expect(g.get('00000000-0000-4000-8000-000000000001')).toMatchObject({ virtual: false, dependents: ['00000000-0000-4000-8000-000000000002'] });
    expect(g.get('00000000-0000-4000-8000-000000000002')).toMatchObject({
      virtual: false, dependents: ['00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000004'],
    });
    expect(c.log).toEqual([]);
    expect(c.ctx.queue).toEqual([]);
  });

  it('gives an owner not yet seen a virtual node, queued for a live check', () => {
    const identity: Identity = { apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'pod-1', namespace: 'default' };
    const { state, work } = processGraphChanges(EMPTY_GRAPH, [
      { type: 'upsert', identity, facts: { beingDeleted: false, finalizers: [], owners: [rsOwner('rs-1')] }, old: null },
    ]);
    expect(state.graph.get('rs-1')).toEqual({
      identity: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-rs', uid: 'rs-1', namespace: 'default' },
      owners: [], dependents: ['pod-1'], beingDeleted: false, deletingDependents: false, virtual: true, finalizers: [],
    });
    expect(work).toMatchObject({ attemptToDelete: ['rs-1'], attemptToOrphan: [], attemptToDeleteRateLimited: [] });
  });

  it('checks again the dependents that named a virtual owner by other coordinates once it is observed', () => {
    const dependent: Identity = { apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'pod-1', namespace: 'default' };
    const first = processGraphChanges(EMPTY_GRAPH, [
      { type: 'upsert', identity: dependent, facts: { beingDeleted: false, finalizers: [], owners: [rsOwner('rs-1', { name: 'old-name' })] }, old: null },
    ]);
    const observed: Identity = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-rs', uid: 'rs-1', namespace: 'default' };
    const { state, work } = processGraphChanges(first.state, [{ type: 'upsert', identity: observed, facts: { beingDeleted: false, finalizers: [], owners: [] }, old: null }]);
    expect(state.graph.get('rs-1')).toMatchObject({ identity: observed, virtual: false, dependents: ['pod-1'] });
    expect(work.attemptToDelete).toEqual(['pod-1']);
  });
});

describe('Background', () => {
  it('deletes the ReplicaSet of a deleted Deployment, then its pods, each after a live check of its owner', () => {
    const c = chain();
    c.write({ verb: 'delete', resource: 'deployments', namespace: 'default', name: 'web' });
    c.settle();
    expect(c.log).toEqual([
      // The item is checked live; its owner is not: the graph saw the Deployment go with a
      // dependent, so the absent-owner cache knows it.
      'get replicasets default/web-rs -> ok',
      'delete replicasets default/web-rs propagation Background [uid uid2 rv 3] -> ok',
      'get pods default/web-rs-a -> ok',
      'delete pods default/web-rs-a propagation Background [uid uid3 rv 4] -> ok',
      'get pods default/web-rs-b -> ok',
      'delete pods default/web-rs-b propagation Background [uid uid4 rv 5] -> ok',
    ]);
    expect(c.store.context.objects.pods?.size).toBe(0);
    expect(c.store.context.objects.replicasets?.size).toBe(0);
    expect(c.ctx.graph.size).toBe(0);
    expect(c.ctx.failures.size).toBe(0);
  });

  it('only drops the dangling reference of an object that still has a live owner', () => {
    const c = chain();
    const other = c.write({ verb: 'create', resource: 'deployments', namespace: 'default', object: { ...c.object('deployments', 'web')!, metadata: { name: 'other' }, status: undefined } });
    const rs = c.object('replicasets', 'web-rs')!;
    const both = [...rs.metadata.ownerReferences!, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'other', uid: other.metadata.uid!, blockOwnerDeletion: true }];
    c.write({ verb: 'update', resource: 'replicasets', object: { ...rs, metadata: { ...rs.metadata, ownerReferences: both } } });
    c.settle();
    c.log.length = 0;
    c.write({ verb: 'delete', resource: 'deployments', namespace: 'default', name: 'web' });
    c.settle();
    expect(c.log).toEqual([
      'get replicasets default/web-rs -> ok',
      'get deployments default/other -> ok',
      'patch replicasets default/web-rs {"metadata":{"uid":"uid2","resourceVersion":"7","ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"other","uid":"uid5","blockOwnerDeletion":true}]}} -> ok',
    ]);
    expect(c.object('replicasets', 'web-rs')!.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'other', uid: other.metadata.uid, blockOwnerDeletion: true }]);
    expect(c.store.context.objects.pods?.size).toBe(2);
  });
});

describe('Foreground', () => {
  it('deletes the dependents first, each level in the foreground, then removes each finalizer bottom up', () => {
    const c = chain();
    c.write({ verb: 'delete', resource: 'deployments', namespace: 'default', name: 'web', propagationPolicy: 'Foreground' });
    c.deliver();
    // processTransitions: the Deployment is deleting its dependents.
    expect(c.ctx.graph.get('00000000-0000-4000-8000-000000000001')?.deletingDependents).toBe(true);
    expect(c.ctx.queue.map(short)).toEqual(['delete:uid2', 'delete:uid1']);
    c.settle();
    expect(c.log).toEqual([
      'get replicasets default/web-rs -> ok',
      'get deployments default/web -> ok',
      // Its owner waits for it and it has dependents: the ReplicaSet goes in the foreground too.
      'delete replicasets default/web-rs propagation Foreground [uid uid2 rv 3] -> ok',
      // The Deployment still has a blocking dependent: nothing to do yet.
      'get deployments default/web -> ok',
      'get pods default/web-rs-a -> ok',
      'get replicasets default/web-rs -> ok',
      'delete pods default/web-rs-a propagation Background [uid uid3 rv 4] -> ok',
      'get pods default/web-rs-b -> ok',
      'get replicasets default/web-rs -> ok',
      'delete pods default/web-rs-b propagation Background [uid uid4 rv 5] -> ok',
      'get replicasets default/web-rs -> ok',
      'get replicasets default/web-rs -> ok',
      'patch replicasets default/web-rs {"metadata":{"resourceVersion":"7","finalizers":null}} -> ok',
      'get deployments default/web -> ok',
      'get deployments default/web -> ok',
      'patch deployments default/web {"metadata":{"resourceVersion":"6","finalizers":null}} -> ok',
    ]);
    expect(c.store.context.objects.deployments?.size).toBe(0);
    expect(c.store.context.objects.replicasets?.size).toBe(0);
    expect(c.store.context.objects.pods?.size).toBe(0);
    expect(c.ctx.graph.size).toBe(0);
  });
  it('makes an item stop blocking its owners when a dependent of its own is deleting in the foreground too (a possible cycle)', () => {
    const c = chain();
    // The pod waits for its own (no) dependents, held by its finalizer until the GC sees to it.
    c.write({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'web-rs-a', propagationPolicy: 'Foreground' });
    c.write({ verb: 'delete', resource: 'deployments', namespace: 'default', name: 'web', propagationPolicy: 'Foreground' });
    c.deliver();
    expect(c.ctx.queue.map(short)).toEqual(['delete:uid3', 'delete:uid2', 'delete:uid1']);
    // A worker takes the ReplicaSet first.
    c.reconcile('delete:00000000-0000-4000-8000-000000000002');
    while (c.ctx.request !== null) c.serve();
    expect(c.log).toEqual([
      'get replicasets default/web-rs -> ok',
      'get deployments default/web -> ok',
      'patch replicasets default/web-rs {"metadata":{"uid":"uid2","resourceVersion":"3","ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"web","uid":"uid1","controller":true,"blockOwnerDeletion":false}]}} -> ok',
      // Still at the resourceVersion read before the patch, as upstream's delete is: the owners moved, so it waits for the next try.
      'delete replicasets default/web-rs propagation Foreground [uid uid2 rv 3] -> 409 Conflict',
      'get replicasets default/web-rs -> ok',
    ]);
    expect(c.ctx.delayed.map((d) => short(d.key))).toEqual(['delete:uid2']);
    c.settle();
    expect(c.log.slice(5)).toEqual([
      'get pods default/web-rs-a -> ok',
      'get pods default/web-rs-a -> ok',
      'patch pods default/web-rs-a {"metadata":{"resourceVersion":"6","finalizers":null}} -> ok',
      // The ReplicaSet's reference no longer blocks the Deployment: it need not wait, its finalizer goes.
      'get deployments default/web -> ok',
      'get deployments default/web -> ok',
      'patch deployments default/web {"metadata":{"resourceVersion":"7","finalizers":null}} -> ok',
      // Back-off over, the ReplicaSet's owner is gone: an ordinary delete.
      'get replicasets default/web-rs -> ok',
      'delete replicasets default/web-rs propagation Background [uid uid2 rv 8] -> ok',
      'get pods default/web-rs-b -> ok',
      'delete pods default/web-rs-b propagation Background [uid uid4 rv 5] -> ok',
    ]);
    expect(c.store.context.objects.deployments?.size).toBe(0);
    expect(c.store.context.objects.replicasets?.size).toBe(0);
    expect(c.store.context.objects.pods?.size).toBe(0);
  });
});

describe('Orphan', () => {
  it('removes the owner from every dependent, then the orphan finalizer; the dependents stay', () => {
    const c = chain();
    c.write({ verb: 'delete', resource: 'replicasets', namespace: 'default', name: 'web-rs', propagationPolicy: 'Orphan' });
    c.settle();
    expect(c.log).toEqual([
      'patch pods default/web-rs-a {"metadata":{"uid":"uid3","resourceVersion":"4","ownerReferences":null}} -> ok',
      'patch pods default/web-rs-b {"metadata":{"uid":"uid4","resourceVersion":"5","ownerReferences":null}} -> ok',
      'get replicasets default/web-rs -> ok',
      'patch replicasets default/web-rs {"metadata":{"resourceVersion":"6","finalizers":null}} -> ok',
    ]);
    expect(c.object('replicasets', 'web-rs')).toBeNull();
    expect(['web-rs-a', 'web-rs-b'].map((n) => c.object('pods', n)!.metadata.ownerReferences)).toEqual([undefined, undefined]);
  });

  it('queues the owner again with back-off when a dependent changed since the informer saw it', () => {
    const c = chain();
    c.write({ verb: 'delete', resource: 'replicasets', namespace: 'default', name: 'web-rs', propagationPolicy: 'Orphan' });
    c.deliver();
    const a = c.object('pods', 'web-rs-a')!;
    c.write({ verb: 'update', resource: 'pods', object: { ...a, metadata: { ...a.metadata, labels: { app: 'web', tier: 'x' } } } });
    c.reconcile();
    c.serve();
    c.serve();
    expect(c.log).toEqual([
      'patch pods default/web-rs-a {"metadata":{"uid":"uid3","resourceVersion":"4","ownerReferences":null}} -> 409 Conflict',
      'patch pods default/web-rs-b {"metadata":{"uid":"uid4","resourceVersion":"5","ownerReferences":null}} -> ok',
    ]);
    expect(c.ctx.request).toBeNull();
    expect(c.ctx.delayed.map((d) => ({ ...d, key: short(d.key) }))).toEqual([{ atMs: 5, key: 'orphan:uid2' }]);
    c.settle();
    expect(c.object('replicasets', 'web-rs')).toBeNull();
    expect(c.object('pods', 'web-rs-a')!.metadata.ownerReferences).toBeUndefined();
    expect(c.ctx.failures.size).toBe(0);
  });
});

describe('a restart of the garbage collector', () => {
  it('still deletes the dependents of an owner deleted while it was down: the relisted graph has only a virtual node for it', () => {
    const c = chain();
    c.write({ verb: 'delete', resource: 'deployments', namespace: 'default', name: 'web' });
    c.restart(['deployments', 'replicasets', 'pods']);
    expect(c.ctx.graph.get('00000000-0000-4000-8000-000000000001')).toMatchObject({ virtual: true, dependents: ['00000000-0000-4000-8000-000000000002'] });
    expect(c.ctx.queue.map(short)).toEqual(['delete:uid1']);
    c.settle();
    expect(c.log).toEqual([
      // The virtual owner, verified absent: a virtual delete event queues its dependent.
      'get deployments default/web -> 404 NotFound',
      'get replicasets default/web-rs -> ok',
      'delete replicasets default/web-rs propagation Background [uid uid2 rv 3] -> ok',
      'get pods default/web-rs-a -> ok',
      'delete pods default/web-rs-a propagation Background [uid uid3 rv 4] -> ok',
      'get pods default/web-rs-b -> ok',
      'delete pods default/web-rs-b propagation Background [uid uid4 rv 5] -> ok',
    ]);
    expect(c.store.context.objects.pods?.size).toBe(0);
  });

  it('requeues with back-off an owner it found alive but has not observed yet, until its informer lists it', () => {
    const c = chain();
    c.restart(['pods']);
    expect(c.ctx.queue.map(short)).toEqual(['delete:uid2']);
    c.reconcile();
    c.serve();
    c.serve();
    expect(c.log).toEqual(['get replicasets default/web-rs -> ok', 'get deployments default/web -> ok']);
    expect(c.ctx.delayed.map((d) => ({ ...d, key: short(d.key) }))).toEqual([{ atMs: 5, key: 'delete:uid2' }]);
    expect(c.ctx.failures.get('delete:00000000-0000-4000-8000-000000000002')).toBe(1);
    c.relist('replicasets');
    expect(c.ctx.queue.map(short)).toEqual(['delete:uid1']); // the ReplicaSet's owner, virtual in turn
    c.relist('deployments');
    expect(c.ctx.graph.get('00000000-0000-4000-8000-000000000002')?.virtual).toBe(false);
    c.settle();
    // Observed now (the same node upstream marks observed): one more pass each, and they are forgotten.
    expect(c.log.slice(2)).toEqual([
      'get deployments default/web -> ok',
      'get replicasets default/web-rs -> ok',
      'get deployments default/web -> ok',
    ]);
    expect(c.ctx.failures.size).toBe(0);
    expect(c.store.context.objects.pods?.size).toBe(2);
  });
});

describe('the delete of a dependent', () => {
  it('is sent again without the resourceVersion when only that moved since the GET', () => {
    const c = chain();
    c.write({ verb: 'delete', resource: 'deployments', namespace: 'default', name: 'web' });
    c.deliver();
    c.reconcile();
    c.serve(); // GET of the ReplicaSet; its owner is known absent, so the delete is decided
    const rs = c.object('replicasets', 'web-rs')!;
    c.write({ verb: 'update', resource: 'replicasets', object: { ...rs, metadata: { ...rs.metadata, labels: { moved: 'yes' } } } });
    c.serve(); // the delete, at the old resourceVersion
    c.serve(); // the live GET
    c.serve(); // the delete again
    expect(c.log).toEqual([
      'get replicasets default/web-rs -> ok',
      'delete replicasets default/web-rs propagation Background [uid uid2 rv 3] -> 409 Conflict',
      'get replicasets default/web-rs -> ok',
      'delete replicasets default/web-rs propagation Background [uid uid2] -> ok',
    ]);
    expect(c.object('replicasets', 'web-rs')).toBeNull();
  });

  it('is given up (queued again) when its owners changed since the GET', () => {
    const c = chain();
    c.write({ verb: 'delete', resource: 'deployments', namespace: 'default', name: 'web' });
    c.deliver();
    c.reconcile();
    c.serve();
    const rs = c.object('replicasets', 'web-rs')!;
    c.write({ verb: 'update', resource: 'replicasets', object: { ...rs, metadata: { ...rs.metadata, ownerReferences: [] } } });
    c.serve();
    c.serve();
    expect(c.log.slice(1)).toEqual([
      'delete replicasets default/web-rs propagation Background [uid uid2 rv 3] -> 409 Conflict',
      'get replicasets default/web-rs -> ok',
    ]);
    expect(c.ctx.request).toBeNull();
    expect(c.ctx.delayed.map((d) => short(d.key))).toEqual(['delete:uid2']);
    c.settle();
    // The ReplicaSet has no owner any more: it stays.
    expect(c.object('replicasets', 'web-rs')).not.toBeNull();
  });
});
