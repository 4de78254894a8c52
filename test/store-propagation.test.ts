// Delete propagation in the API server store (registry/store.go deletionFinalizersForGarbageCollection,
// updateForGracefulDeletionAndFinalizers): which finalizer a delete leaves for the garbage collector,
// and when the object is removed at once, with the exact objects and events a real API server gives.
import { describe, expect, it } from 'vitest';
import { describeRequest, type WriteRequest } from '../model/requests.ts';
import { getObject } from '../model/store-read.ts';
import { configMap } from '../scenarios/fixtures.ts';
import { deployment, pod, TestStore } from './helpers/store.ts';

const del = (resource: 'deployments' | 'configmaps' | 'pods', name: string, extra: Partial<Extract<WriteRequest, { verb: 'delete' }>> = {}) =>
  ({ verb: 'delete', resource, namespace: 'default', name, ...extra }) as const;

function storeWithDeployment(): TestStore {
  const store = new TestStore();
  store.nowMs = 2000;
  store.ok({ verb: 'create', resource: 'deployments', namespace: 'default', object: deployment('web') });
  store.nowMs = 7000;
  return store;
}

function boundPod(store: TestStore) {
  const created = store.ok({ verb: 'create', resource: 'pods', namespace: 'default', object: pod('p', { spec: { terminationGracePeriodSeconds: 30 } }) });
  return store.ok({ verb: 'bind', namespace: 'default', name: 'p', uid: created.metadata.uid!, nodeName: 'node-1' });
}

describe('the default and Background', () => {
  it('deletes a Deployment at once when no policy is given (apps/v1 defaults to DeleteDependents: no finalizer)', () => {
    const store = storeWithDeployment();
    store.ok(del('deployments', 'web'));
    expect(store.context.event).toMatchObject({ type: 'DELETED', rv: 3, key: 'default/web' });
    expect(getObject(store.context, 'deployments', 'default', 'web').ok).toBe(false);
  });

  it('deletes a Deployment at once with Background', () => {
    const store = storeWithDeployment();
    store.ok(del('deployments', 'web', { propagationPolicy: 'Background' }));
    expect(store.context.event).toMatchObject({ type: 'DELETED', rv: 3 });
  });

  it('gives a bound pod its grace period under Background, with no finalizer', () => {
    const store = new TestStore();
    boundPod(store);
    store.nowMs = 10_000;
    const terminating = store.ok(del('pods', 'p', { propagationPolicy: 'Background' }));
    expect(terminating.metadata.finalizers).toBeUndefined();
    expect(terminating.metadata).toMatchObject({ deletionTimestamp: '2026-01-01T00:00:40Z', deletionGracePeriodSeconds: 30, generation: 2 });
  });
});

describe('Foreground', () => {
  it('marks a Deployment for deletion with the foregroundDeletion finalizer, and removes it when the finalizer goes', () => {
    const store = storeWithDeployment();
    const marked = store.ok(del('deployments', 'web', { propagationPolicy: 'Foreground' }));
    expect(store.context.event?.type).toBe('MODIFIED');
    expect(marked.metadata).toEqual({
      name: 'web', namespace: 'default', uid: '00000000-0000-4000-8000-000000000001', creationTimestamp: '2026-01-01T00:00:02Z',
      generation: 2, resourceVersion: '3', finalizers: ['foregroundDeletion'],
      deletionTimestamp: '2026-01-01T00:00:07Z', deletionGracePeriodSeconds: 0,
    });
    // What the garbage collector does once no blocking dependent is left.
    store.ok({ verb: 'patch', resource: 'deployments', namespace: 'default', name: 'web', patch: { metadata: { resourceVersion: '3', finalizers: null } } });
    expect(store.context.event).toMatchObject({ type: 'DELETED', rv: 4 });
  });

  it('keeps a foreground-deleted pod after its grace period, until the finalizer is removed', () => {
    const store = new TestStore();
    boundPod(store);
    store.nowMs = 10_000;
    const terminating = store.ok(del('pods', 'p', { propagationPolicy: 'Foreground' }));
    expect(terminating.metadata).toMatchObject({
      deletionTimestamp: '2026-01-01T00:00:40Z', deletionGracePeriodSeconds: 30, generation: 2, finalizers: ['foregroundDeletion'],
    });
    store.nowMs = 40_000;
    // The kubelet's final delete: the pod stays, held by the finalizer, with no grace period left.
    const held = store.ok(del('pods', 'p', { gracePeriodSeconds: 0, preconditions: { uid: terminating.metadata.uid! } }));
    expect(store.context.event?.type).toBe('MODIFIED');
    expect(held.metadata).toMatchObject({ deletionTimestamp: '2026-01-01T00:00:40Z', deletionGracePeriodSeconds: 0, finalizers: ['foregroundDeletion'] });
    store.ok({ verb: 'update', resource: 'pods', object: { ...held, metadata: { ...held.metadata, finalizers: [] } } });
    expect(store.context.event?.type).toBe('DELETED');
  });

  it('keeps an unscheduled pod (grace 0) when deleted in the foreground', () => {
    const store = new TestStore();
    store.ok({ verb: 'create', resource: 'pods', namespace: 'default', object: pod('p') });
    const held = store.ok(del('pods', 'p', { propagationPolicy: 'Foreground' }));
    expect(store.context.event?.type).toBe('MODIFIED');
    expect(held.metadata).toMatchObject({ deletionTimestamp: '2026-01-01T00:00:00Z', deletionGracePeriodSeconds: 0, generation: 2, finalizers: ['foregroundDeletion'] });
  });
});

describe('Orphan', () => {
  it('adds the orphan finalizer after the finalizers the object has', () => {
    const store = new TestStore();
    store.ok({ verb: 'create', resource: 'configmaps', namespace: 'default', object: configMap('cm', {}, ['example.com/hold']) });
    const marked = store.ok(del('configmaps', 'cm', { propagationPolicy: 'Orphan' }));
    expect(marked.metadata.finalizers).toEqual(['example.com/hold', 'orphan']);
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(0);
  });

  it('honours an orphan finalizer the object was created with when the delete names no policy', () => {
    const store = new TestStore();
    store.ok({ verb: 'create', resource: 'configmaps', namespace: 'default', object: configMap('cm', {}, ['orphan']) });
    const marked = store.ok(del('configmaps', 'cm'));
    expect(store.context.event?.type).toBe('MODIFIED');
    expect(marked.metadata.finalizers).toEqual(['orphan']);
  });

  it('changes nothing of a pod in its grace period (gracefulPending): its finalizers stay', () => {
    const store = new TestStore();
    boundPod(store);
    const terminating = store.ok(del('pods', 'p'));
    const again = store.ok(del('pods', 'p', { propagationPolicy: 'Orphan' }));
    expect(again).toEqual(terminating);
    expect(store.context.event).toBeNull();
  });
});

describe('a second delete of an object held by the garbage collector', () => {
  it('switches the finalizer to the new policy, keeps the deletion time, and removes the object once none is left', () => {
    const store = storeWithDeployment();
    store.ok(del('deployments', 'web', { propagationPolicy: 'Foreground' }));
    store.nowMs = 9000;
    const same = store.ok(del('deployments', 'web', { propagationPolicy: 'Foreground' }));
    expect(same.metadata.resourceVersion).toBe('3'); // nothing changed: no new revision
    const orphaning = store.ok(del('deployments', 'web', { propagationPolicy: 'Orphan' }));
    expect(orphaning.metadata).toMatchObject({ resourceVersion: '4', finalizers: ['orphan'], deletionTimestamp: '2026-01-01T00:00:07Z', generation: 2 });
    store.ok(del('deployments', 'web', { propagationPolicy: 'Background' }));
    expect(store.context.event).toMatchObject({ type: 'DELETED', rv: 5 });
    expect(store.context.event?.object.metadata.finalizers).toEqual(['orphan']);
  });
});

describe('describeRequest', () => {
  it('shows the propagation policy', () => {
    expect(describeRequest(del('deployments', 'web', { propagationPolicy: 'Foreground' }))).toBe('delete deployments default/web propagation Foreground');
    expect(describeRequest(del('pods', 'p', { gracePeriodSeconds: 0, propagationPolicy: 'Background' }))).toBe('delete pods default/p grace 0s propagation Background');
  });
});
