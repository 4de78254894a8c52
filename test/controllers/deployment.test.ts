// The Deployment controller driven by hand: each reconcile is given the caches a step of the
// world would give it, and the test pins the exact API calls it decides on, in order. The
// rollout follows one Deployment of 4 replicas (maxSurge and maxUnavailable 25%) from its first
// ReplicaSet through a template change; then pause, a scaling event (upstream sync_test.go
// TestScale's "proportional scaling: 13 -> 8"), Recreate, cleanup past revisionHistoryLimit, the
// progress deadline, a rollback's revision bump, a hash collision, failed writes and the event handlers.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { DeploymentStatus } from 'kubernetes-types/apps/v1.js';
import { describe, expect, it } from 'vitest';
import type { Caches } from '../../model/client.ts';
import { timestamp } from '../../model/clock.ts';
import { deploymentControllerMachine, type DeploymentControllerContext } from '../../model/controllers/deployment.ts';
import { generateReplicaSetName } from '../../model/controllers/deployment-util.ts';
import { computeHash } from '../../model/controllers/hash.ts';
import { initialSnapshot, transition } from '../../model/machine-runner.ts';
import type { Request, WatchEvent } from '../../model/requests.ts';
import type { KubeObject, Resource } from '../../model/resources.ts';
import { DEFAULT_FEATURE_GATES } from '../../model/feature-gates.ts';

const machine = deploymentControllerMachine;
type Snapshot = ReturnType<typeof initialSnapshot>;
const KEY = 'default/web';
const T0 = 3_600_000;
const T1 = T0 + 60_000;

const template = (image: string): PodTemplateSpec => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image }] } });
const V1 = template('nginx:1.0');
const V2 = template('nginx:2.0');
const HASH1 = computeHash(V1, undefined);
const HASH2 = computeHash(V2, undefined);
const OWNER = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-uid', controller: true, blockOwnerDeletion: true };

const REVISION = 'deployment.kubernetes.io/revision';
const DESIRED = 'deployment.kubernetes.io/desired-replicas';
const MAX = 'deployment.kubernetes.io/max-replicas';

function condition(type: string, status: string, reason: string, message: string, transitionMs: number, updateMs = transitionMs) {
  return { type, status, reason, message, lastTransitionTime: timestamp(transitionMs), lastUpdateTime: timestamp(updateMs) };
}
const available = (atMs: number) => condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', atMs);
const rolledOut = (rs: string, atMs: number) => condition('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rs}" has successfully progressed.`, atMs);

interface DeploymentOptions {
  readonly replicas?: number;
  readonly template?: PodTemplateSpec;
  readonly generation?: number;
  readonly revision?: string;
  readonly status?: DeploymentStatus;
  readonly paused?: boolean;
  readonly strategy?: Record<string, unknown>;
  readonly revisionHistoryLimit?: number;
}

function deployment(o: DeploymentOptions = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: {
      name: 'web', namespace: 'default', uid: 'd-uid', resourceVersion: '100', generation: o.generation ?? 1, creationTimestamp: timestamp(0),
      ...(o.revision ? { annotations: { [REVISION]: o.revision } } : {}),
    },
    spec: {
      replicas: o.replicas ?? 4, selector: { matchLabels: { app: 'web' } }, template: o.template ?? V1,
      strategy: o.strategy ?? { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: o.revisionHistoryLimit ?? 10, progressDeadlineSeconds: 600, ...(o.paused ? { paused: true } : {}),
    },
    ...(o.status ? { status: o.status } : {}),
  };
}

interface ReplicaSetOptions {
  readonly template: PodTemplateSpec;
  readonly hash: string;
  readonly replicas: number;
  readonly revision: string;
  /** status.replicas = readyReplicas, and availableReplicas (default: all of them). */
  readonly running?: number;
  readonly available?: number;
  readonly desired?: number;
  readonly max?: number;
  readonly createdAtMs?: number;
}

function replicaSet(o: ReplicaSetOptions): KubeObject {
  const labels = { app: 'web', 'pod-template-hash': o.hash };
  const running = o.running ?? o.replicas;
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: {
      name: `web-${o.hash}`, namespace: 'default', uid: `uid-${o.hash}`, resourceVersion: '50', generation: 1, creationTimestamp: timestamp(o.createdAtMs ?? 0),
      labels, annotations: { [REVISION]: o.revision, [DESIRED]: String(o.desired ?? 4), [MAX]: String(o.max ?? 5) }, ownerReferences: [OWNER],
    },
    spec: { replicas: o.replicas, selector: { matchLabels: labels }, template: { ...o.template, metadata: { labels } } },
    status: { replicas: running, readyReplicas: running, availableReplicas: o.available ?? running, observedGeneration: 1 },
  };
}

function pod(name: string, owner: KubeObject, phase = 'Running'): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, namespace: 'default', uid: `uid-${name}`, labels: owner.metadata.labels,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true }],
    },
    spec: { containers: [{ name: 'nginx', image: 'nginx' }] },
    status: { phase },
  };
}

const RESOURCE_OF: Record<string, Resource> = { Deployment: 'deployments', ReplicaSet: 'replicasets', Pod: 'pods' };

function cachesOf(objects: readonly KubeObject[]): Caches {
  const caches = { deployments: new Map<string, KubeObject>(), replicasets: new Map<string, KubeObject>(), pods: new Map<string, KubeObject>() };
  for (const object of objects) caches[RESOURCE_OF[object.kind] as keyof typeof caches].set(`${object.metadata.namespace}/${object.metadata.name}`, object);
  return caches;
}

function contextOf(snapshot: Snapshot): DeploymentControllerContext {
  return snapshot.context as DeploymentControllerContext;
}

/** The calls decided on: the one in flight, then the outbox. */
function requestsOf(snapshot: Snapshot): Request[] {
  const ctx = contextOf(snapshot);
  return ctx.request ? [ctx.request, ...ctx.outbox] : [...ctx.outbox];
}

function reconcile(objects: readonly KubeObject[], nowMs: number, from: Snapshot = initialSnapshot(machine, undefined)): Snapshot {
  return transition(machine, from, { type: 'RECONCILE', key: KEY, caches: cachesOf(objects), nowMs, featureGates: DEFAULT_FEATURE_GATES });
}

function informed(resource: Resource, event: WatchEvent | null, objects: readonly KubeObject[], from: Snapshot = initialSnapshot(machine, undefined)): Snapshot {
  const caches = cachesOf(objects);
  return transition(machine, from, { type: 'INFORMED', resource, event, cache: caches[resource]!, caches, nowMs: T0 });
}

function watchEvent(type: WatchEvent['type'], object: KubeObject, previous: KubeObject | null = null): WatchEvent {
  return { type, rv: 1, resource: RESOURCE_OF[object.kind]!, key: `${object.metadata.namespace}/${object.metadata.name}`, object, previous };
}

function statusUpdate(d: KubeObject, status: DeploymentStatus, annotations?: Record<string, string>): Request {
  const metadata = annotations ? { ...d.metadata, annotations } : d.metadata;
  return { verb: 'update', resource: 'deployments', subresource: 'status', object: { ...d, metadata, status } };
}

/** The create of a Deployment's new ReplicaSet. */
function created(t: PodTemplateSpec, hash: string, replicas: number, annotations: Record<string, string>): Request {
  const labels = { app: 'web', 'pod-template-hash': hash };
  return {
    verb: 'create', resource: 'replicasets', namespace: 'default',
    object: {
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: { name: `web-${hash}`, namespace: 'default', ownerReferences: [OWNER], labels, annotations },
      spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: t.spec } },
    },
  };
}

/** The ReplicaSet written with a new size and replicas annotations. */
function scaled(rs: KubeObject, replicas: number, desired = 4, max = 5): Request {
  return {
    verb: 'update', resource: 'replicasets',
    object: { ...rs, metadata: { ...rs.metadata, annotations: { ...rs.metadata.annotations, [DESIRED]: String(desired), [MAX]: String(max) } }, spec: { ...(rs.spec as object), replicas } },
  };
}

describe('a rolling update, reconcile by reconcile', () => {
  const firstRS = replicaSet({ template: V1, hash: HASH1, replicas: 4, revision: '1', running: 0, createdAtMs: T0 });

  it('creates the first ReplicaSet, named and labelled by the template hash, at full size, then records revision 1; its second status write conflicts upstream, so the sync ends there', () => {
    const d = deployment();
    const after = reconcile([d], T0);
    expect(requestsOf(after)).toEqual([
      created(V1, HASH1, 4, { [REVISION]: '1', [DESIRED]: '4', [MAX]: '5' }),
      statusUpdate(d, { conditions: [condition('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "web-${HASH1}"`, T0)] }, { [REVISION]: '1' }),
    ]);
    expect(contextOf(after).queue).toEqual([KEY]);
    expect(contextOf(after).syncing).toBe(KEY);
  });

  it('then writes the status: observedGeneration, the counts, Available False while no pod is available', () => {
    const created = condition('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "web-${HASH1}"`, T0);
    const d = deployment({ revision: '1', status: { conditions: [created] } });
    const after = reconcile([d, firstRS], T0 + 1000);
    expect(requestsOf(after)).toEqual([
      statusUpdate(d, {
        observedGeneration: 1, unavailableReplicas: 4,
        conditions: [created, condition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', T0 + 1000)],
      }),
    ]);
    expect(contextOf(after).queue).toEqual([]);
  });

  const oldRS = replicaSet({ template: V1, hash: HASH1, replicas: 4, revision: '1', createdAtMs: T0 });
  const complete: DeploymentStatus = {
    observedGeneration: 1, replicas: 4, updatedReplicas: 4, readyReplicas: 4, availableReplicas: 4,
    conditions: [available(T0), rolledOut(`web-${HASH1}`, T0)],
  };

  it('on a template change creates the new ReplicaSet within maxSurge (1), records revision 2, and scales the old one down within maxUnavailable (to 3)', () => {
    const d = deployment({ template: V2, generation: 2, revision: '1', status: complete });
    const after = reconcile([d, oldRS], T1);
    expect(requestsOf(after)).toEqual([
      created(V2, HASH2, 1, { [REVISION]: '2', [DESIRED]: '4', [MAX]: '5' }),
      statusUpdate(d, {
        ...complete,
        // Still True: the transition time stays, the update time moves.
        conditions: [available(T0), condition('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "web-${HASH2}"`, T0, T1)],
      }, { [REVISION]: '2' }),
      scaled(oldRS, 3),
    ]);
    expect(contextOf(after).queue).toEqual([KEY]);
  });

  it('once the new pod is available, scales the new ReplicaSet up to 2 and writes the status', () => {
    const progressing = condition('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "web-${HASH2}"`, T0, T1);
    const d = deployment({ template: V2, generation: 2, revision: '2', status: { ...complete, conditions: [available(T0), progressing] } });
    const newRS = replicaSet({ template: V2, hash: HASH2, replicas: 1, revision: '2', createdAtMs: T1 });
    const old = replicaSet({ template: V1, hash: HASH1, replicas: 3, revision: '1', createdAtMs: T0 });
    const after = reconcile([d, old, newRS], T1 + 5000);
    expect(requestsOf(after)).toEqual([
      scaled(newRS, 2),
      statusUpdate(d, { observedGeneration: 2, replicas: 4, updatedReplicas: 1, readyReplicas: 4, availableReplicas: 4, conditions: [available(T0), progressing] }),
    ]);
    expect(contextOf(after).queue).toEqual([]);
  });

  it('a failed write ends the sync\'s other writes and queues the Deployment again', () => {
    const d = deployment({ template: V2, generation: 2, revision: '1', status: complete });
    const sent = reconcile([d, oldRS], T1);
    const [first] = requestsOf(sent);
    const after = transition(machine, sent, {
      type: 'REPLY', request: first!, reply: { ok: false, status: { code: 503, reason: 'ServiceUnavailable', message: 'the server is currently unable to handle the request' } }, nowMs: T1,
    });
    expect(requestsOf(after)).toEqual([]);
    expect(contextOf(after).queue).toEqual([KEY]);
  });

  it('a successful reply sends the next write, on the resourceVersion the earlier write returned when it is the same object', () => {
    const d = deployment({ template: V2, generation: 2, revision: '1', status: complete });
    const sent = reconcile([d, oldRS], T1);
    const [first, second] = requestsOf(sent);
    const after = transition(machine, sent, { type: 'REPLY', request: first!, reply: { ok: true, object: { ...oldRS } }, nowMs: T1 });
    expect(contextOf(after).request).toEqual(second);
  });
});

describe('a paused Deployment', () => {
  const oldRS = replicaSet({ template: V1, hash: HASH1, replicas: 4, revision: '1' });
  const complete: DeploymentStatus = {
    observedGeneration: 1, replicas: 4, updatedReplicas: 4, readyReplicas: 4, availableReplicas: 4,
    conditions: [available(T0), rolledOut(`web-${HASH1}`, T0)],
  };

  it('creates no new ReplicaSet for its new template: it records the pause (Progressing Unknown), and the status write after it conflicts', () => {
    const d = deployment({ template: V2, generation: 2, revision: '1', status: complete, paused: true });
    const after = reconcile([d, oldRS], T1);
    expect(requestsOf(after)).toEqual([
      statusUpdate(d, { ...complete, conditions: [available(T0), condition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', T1)] }),
    ]);
    expect(contextOf(after).queue).toEqual([KEY]);
  });

  it('then only syncs its status', () => {
    const paused = condition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', T1);
    const d = deployment({ template: V2, generation: 2, revision: '1', status: { ...complete, conditions: [available(T0), paused] }, paused: true });
    expect(requestsOf(reconcile([d, oldRS], T1 + 1000))).toEqual([
      statusUpdate(d, { ...complete, observedGeneration: 2, updatedReplicas: undefined, conditions: [available(T0), paused] }),
    ]);
  });

  it('resumed, records the resume, then creates the new ReplicaSet, whose revision write conflicts', () => {
    const paused = condition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', T1);
    const d = deployment({ template: V2, generation: 3, revision: '1', status: { ...complete, conditions: [available(T0), paused] } });
    const requests = requestsOf(reconcile([d, oldRS], T1 + 2000));
    expect(requests.map((r) => r.verb + (r.verb === 'update' && r.subresource ? '/status' : ''))).toEqual(['update/status', 'create']);
    expect(requests[0]).toEqual(statusUpdate(d, {
      ...complete, conditions: [available(T0), condition('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed', T1, T1 + 2000)],
    }));
  });
});

describe('a scaling event mid-rollout (sync_test.go TestScale "proportional scaling: 13 -> 8")', () => {
  // newDeployment in upstream's tests: maxSurge 0, maxUnavailable 0 (resolved to 1).
  const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } };
  const v3 = template('nginx:3.0');
  const hash3 = computeHash(v3, undefined);
  const rs = (t: PodTemplateSpec, hash: string, replicas: number, revision: string, createdAtMs: number) =>
    replicaSet({ template: t, hash, replicas, revision, desired: 13, max: 13, createdAtMs });
  const older = rs(V1, HASH1, 3, '1', 0);
  const old = rs(V2, HASH2, 8, '2', 1000);
  const newest = rs(v3, hash3, 2, '3', 2000);
  const progressing = condition('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "web-${hash3}" is progressing.`, T0);
  const status: DeploymentStatus = {
    observedGeneration: 1, replicas: 13, updatedReplicas: 2, readyReplicas: 13, availableReplicas: 13, conditions: [available(T0), progressing],
  };

  it('spreads the 5 replicas to remove in proportion, largest first, the older first among equals: 8 -> 5, 3 -> 2, 2 -> 1', () => {
    const d = deployment({ replicas: 8, strategy, template: v3, generation: 2, revision: '3', status });
    expect(requestsOf(reconcile([d, older, old, newest], T1))).toEqual([
      scaled(old, 5, 8, 8),
      scaled(older, 2, 8, 8),
      scaled(newest, 1, 8, 8),
      statusUpdate(d, { ...status, observedGeneration: 2 }),
    ]);
  });
});

describe('Recreate', () => {
  const strategy = { type: 'Recreate' };
  const oldRS = replicaSet({ template: V1, hash: HASH1, replicas: 2, revision: '1', desired: 2, max: 2 });
  const status: DeploymentStatus = {
    observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2,
    conditions: [available(T0), rolledOut(`web-${HASH1}`, T0)],
  };
  const d = deployment({ replicas: 2, strategy, template: V2, generation: 2, revision: '1', status });

  it('scales the old ReplicaSet to 0 first, creating nothing', () => {
    expect(requestsOf(reconcile([d, oldRS], T1))).toEqual([
      scaled(oldRS, 0, 2, 2),
      // The status is of the ReplicaSets as this sync found them.
      statusUpdate(d, { ...status, observedGeneration: 2, updatedReplicas: undefined }),
    ]);
  });

  const drained = { ...oldRS, spec: { ...(oldRS.spec as object), replicas: 0 }, status: { replicas: 0, observedGeneration: 1 } };

  it('waits while an old pod still runs, even one being deleted', () => {
    const terminating = pod('web-old-1', oldRS);
    const deleting = { ...terminating, metadata: { ...terminating.metadata, deletionTimestamp: timestamp(T1) } };
    expect(requestsOf(reconcile([d, drained, deleting], T1 + 1000))).toEqual([
      statusUpdate(d, {
        observedGeneration: 2,
        conditions: [rolledOut(`web-${HASH1}`, T0), condition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', T1 + 1000)],
      }),
    ]);
  });

  it('creates the new ReplicaSet at full size once no old pod runs (one that has finished does not count)', () => {
    expect(requestsOf(reconcile([d, drained, pod('web-old-2', oldRS, 'Succeeded')], T1 + 2000))).toEqual([
      created(V2, HASH2, 2, { [REVISION]: '2', [DESIRED]: '2', [MAX]: '2' }),
      statusUpdate(d, {
        ...status, conditions: [available(T0), condition('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "web-${HASH2}"`, T0, T1 + 2000)],
      }, { [REVISION]: '2' }),
    ]);
  });

  it('is woken by the deletion of its last pod, and only then', () => {
    const last = pod('web-old-1', oldRS);
    expect(contextOf(informed('pods', watchEvent('DELETED', last), [d, drained])).queue).toEqual([KEY]);
    expect(contextOf(informed('pods', watchEvent('DELETED', last), [d, drained, pod('web-old-2', oldRS)])).queue).toEqual([]);
  });
});

describe('cleanup past revisionHistoryLimit', () => {
  it('deletes the old ReplicaSets beyond the limit, lowest revision first, only those with no replicas, synced and not being deleted', () => {
    const v3 = template('nginx:3.0');
    const hash3 = computeHash(v3, undefined);
    const current = replicaSet({ template: v3, hash: hash3, replicas: 2, revision: '4', desired: 2, max: 3, createdAtMs: 3000 });
    const rev1 = replicaSet({ template: V1, hash: HASH1, replicas: 0, revision: '1', createdAtMs: 1000 });
    const rev2 = replicaSet({ template: V2, hash: HASH2, replicas: 0, revision: '2', createdAtMs: 2000 });
    const v4 = template('nginx:4.0');
    const unsynced = { ...replicaSet({ template: v4, hash: computeHash(v4, undefined), replicas: 0, revision: '3' }), status: { replicas: 0, observedGeneration: 0 } };
    const status: DeploymentStatus = {
      observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2,
      conditions: [available(T0), rolledOut(`web-${hash3}`, T0)],
    };
    const d = deployment({ replicas: 2, template: v3, revision: '4', revisionHistoryLimit: 1, status });
    // Three old ReplicaSets, limit 1: the two lowest revisions may go; revision 2 still has a pod.
    const withPod = { ...rev2, status: { replicas: 1, observedGeneration: 1 } };
    expect(requestsOf(reconcile([d, current, rev1, withPod, unsynced], T1))).toEqual([
      { verb: 'delete', resource: 'replicasets', namespace: 'default', name: `web-${HASH1}` },
      // The old pod counts in status.replicas.
      statusUpdate(d, { ...status, replicas: 3 }),
    ]);
    // Revision 3's controller has not seen its spec: kept.
    expect(requestsOf(reconcile([d, current, unsynced, rev2], T1))).toEqual([
      { verb: 'delete', resource: 'replicasets', namespace: 'default', name: `web-${HASH2}` },
    ]);
  });

  it('a ReplicaSet already gone when deleted is no error', () => {
    const d = deployment();
    const sent = transition(machine, reconcile([d], T0), {
      type: 'REPLY', request: { verb: 'delete', resource: 'replicasets', namespace: 'default', name: 'gone' },
      reply: { ok: false, status: { code: 404, reason: 'NotFound', message: 'replicasets.apps "gone" not found' } }, nowMs: T0,
    });
    expect(requestsOf(sent)).toHaveLength(1);
  });
});

describe('the progress deadline', () => {
  const newRS = replicaSet({ template: V2, hash: HASH2, replicas: 2, revision: '2', available: 0, createdAtMs: T0 });
  const oldRS = replicaSet({ template: V1, hash: HASH1, replicas: 3, revision: '1' });
  const progressing = condition('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "web-${HASH2}" is progressing.`, T0, T1);
  const stuck: DeploymentStatus = {
    observedGeneration: 2, replicas: 5, updatedReplicas: 2, readyReplicas: 5, availableReplicas: 3, unavailableReplicas: 2,
    conditions: [available(T0), progressing],
  };
  const d = deployment({ template: V2, generation: 2, revision: '2', status: stuck });

  it('a rollout with no progress writes nothing and looks again a second after its deadline', () => {
    const after = reconcile([d, oldRS, newRS], T1 + 100_000);
    expect(requestsOf(after)).toEqual([]);
    expect(contextOf(after).delayed).toEqual([{ atMs: T1 + 601_000, key: KEY }]);
    expect(contextOf(after).wakeAtMs).toBe(T1 + 601_000);
  });

  it('past it, Progressing turns False with ProgressDeadlineExceeded', () => {
    const waited = reconcile([d, oldRS, newRS], T1 + 100_000);
    const woken = transition(machine, waited, { type: 'TIMER', nowMs: T1 + 601_000 });
    expect(contextOf(woken).queue).toEqual([KEY]);
    expect(requestsOf(reconcile([d, oldRS, newRS], T1 + 601_000, woken))).toEqual([
      statusUpdate(d, {
        ...stuck,
        conditions: [available(T0), condition('Progressing', 'False', 'ProgressDeadlineExceeded', `ReplicaSet "web-${HASH2}" has timed out progressing.`, T1 + 601_000)],
      }),
    ]);
  });
});

describe('rollback: an old ReplicaSet becomes new again', () => {
  const rev1 = replicaSet({ template: V1, hash: HASH1, replicas: 0, revision: '1' });
  const rev2 = replicaSet({ template: V2, hash: HASH2, replicas: 4, revision: '2', createdAtMs: T0 });
  const status: DeploymentStatus = {
    observedGeneration: 2, replicas: 4, updatedReplicas: 4, readyReplicas: 4, availableReplicas: 4,
    conditions: [available(T0), rolledOut(`web-${HASH2}`, T0)],
  };

  it('takes the next revision and keeps the old one in its revision history; the stale second write of it conflicts', () => {
    const d = deployment({ template: V1, generation: 3, revision: '2', status });
    const after = reconcile([d, rev1, rev2], T1);
    expect(requestsOf(after)).toEqual([
      { verb: 'update', resource: 'replicasets', object: { ...rev1, metadata: { ...rev1.metadata, annotations: { ...rev1.metadata.annotations, [REVISION]: '3', 'deployment.kubernetes.io/revision-history': '1' } } } },
    ]);
    expect(contextOf(after).queue).toEqual([KEY]);
  });

  it('then the Deployment records revision 3 and the ReplicaSet scales up within maxSurge', () => {
    const bumped = { ...rev1, metadata: { ...rev1.metadata, annotations: { ...rev1.metadata.annotations, [REVISION]: '3', 'deployment.kubernetes.io/revision-history': '1' } } };
    const d = deployment({ template: V1, generation: 3, revision: '2', status });
    expect(requestsOf(reconcile([d, bumped, rev2], T1))).toEqual([statusUpdate(d, status, { [REVISION]: '3' }), scaled(bumped, 1)]);
  });
});

describe('a hash collision', () => {
  it('a ReplicaSet of another owner under the new name raises status.collisionCount, and the next name is tried', () => {
    const foreign = { ...replicaSet({ template: V2, hash: HASH1, replicas: 1, revision: '1' }), metadata: { name: `web-${HASH1}`, namespace: 'default', uid: 'other', labels: { app: 'other' } } };
    const d = deployment();
    const after = reconcile([d, foreign], T0);
    expect(requestsOf(after)).toEqual([statusUpdate(d, { collisionCount: 1 })]);
    expect(contextOf(after).queue).toEqual([KEY]);
    const retried = requestsOf(reconcile([deployment({ status: { collisionCount: 1 } }), foreign], T0));
    expect(retried[0]).toMatchObject({ verb: 'create', object: { metadata: { name: `web-${computeHash(V1, 1)}` } } });
  });
});

describe('adoption', () => {
  it('adopts an orphan ReplicaSet its selector matches and uses it at once', () => {
    const orphan = { ...replicaSet({ template: V1, hash: HASH1, replicas: 4, revision: '1' }), metadata: { ...replicaSet({ template: V1, hash: HASH1, replicas: 4, revision: '1' }).metadata, ownerReferences: [] } };
    const d = deployment({ revision: '1', status: { observedGeneration: 1, replicas: 4, updatedReplicas: 4, readyReplicas: 4, availableReplicas: 4, conditions: [available(T0), rolledOut(`web-${HASH1}`, T0)] } });
    const requests = requestsOf(reconcile([d, orphan], T1));
    expect(requests).toEqual([{ verb: 'update', resource: 'replicasets', object: { ...orphan, metadata: { ...orphan.metadata, ownerReferences: [OWNER] } } }]);
  });
});

describe('event handlers', () => {
  const d = deployment();
  const owned = replicaSet({ template: V1, hash: HASH1, replicas: 4, revision: '1' });

  it('a Deployment event queues it', () => {
    expect(contextOf(informed('deployments', watchEvent('MODIFIED', d, d), [d])).queue).toEqual([KEY]);
  });

  it('a ReplicaSet event queues its controller; an orphan\'s, the Deployments whose selector matches it', () => {
    expect(contextOf(informed('replicasets', watchEvent('ADDED', owned), [d, owned])).queue).toEqual([KEY]);
    const orphan = { ...owned, metadata: { ...owned.metadata, ownerReferences: [] } };
    expect(contextOf(informed('replicasets', watchEvent('ADDED', orphan), [d, orphan])).queue).toEqual([KEY]);
    const unrelated = { ...orphan, metadata: { ...orphan.metadata, labels: { app: 'db' } } };
    expect(contextOf(informed('replicasets', watchEvent('ADDED', unrelated), [d, unrelated])).queue).toEqual([]);
  });

  it('a resync of an unchanged ReplicaSet queues nothing; a deleted one queues its controller', () => {
    expect(contextOf(informed('replicasets', watchEvent('MODIFIED', owned, owned), [d, owned])).queue).toEqual([]);
    expect(contextOf(informed('replicasets', watchEvent('DELETED', owned), [d])).queue).toEqual([KEY]);
  });

  it('a pod deletion does not concern a RollingUpdate Deployment', () => {
    expect(contextOf(informed('pods', watchEvent('DELETED', pod('web-1', owned)), [d, owned])).queue).toEqual([]);
  });
});

describe('the rest of syncDeployment', () => {
  const rs = replicaSet({ template: V1, hash: HASH1, replicas: 4, revision: '1' });
  const status: DeploymentStatus = {
    observedGeneration: 1, replicas: 4, updatedReplicas: 4, readyReplicas: 4, availableReplicas: 4,
    conditions: [available(T0), rolledOut(`web-${HASH1}`, T0)],
  };

  it('a Deployment being deleted only gets its status: no ReplicaSet is created or scaled', () => {
    const d = { ...deployment({ replicas: 2, generation: 2, revision: '1', status }), metadata: { ...deployment({ revision: '1' }).metadata, generation: 2, deletionTimestamp: timestamp(T0) } };
    expect(requestsOf(reconcile([d, rs], T1))).toEqual([statusUpdate(d, { ...status, observedGeneration: 2, unavailableReplicas: undefined })]);
  });

  it('a Deployment selecting everything only gets its observedGeneration', () => {
    const d = { ...deployment({ generation: 3, status }), spec: { ...(deployment().spec as object), selector: {} } };
    expect(requestsOf(reconcile([d, rs], T1))).toEqual([statusUpdate(d, { ...status, observedGeneration: 3 })]);
  });

  it('a ReplicaFailure of the new ReplicaSet becomes the Deployment\'s', () => {
    const failure = { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "web-x" is forbidden: exceeded quota', lastTransitionTime: timestamp(T0) };
    const failing = { ...rs, status: { ...(rs.status as object), conditions: [failure] } };
    const d = deployment({ revision: '1', status });
    expect(requestsOf(reconcile([d, failing], T1))).toEqual([
      statusUpdate(d, { ...status, conditions: [...status.conditions!, { ...failure, lastUpdateTime: timestamp(T0) }] }),
    ]);
  });

  it('the new ReplicaSet takes the Deployment\'s minReadySeconds; the rollout\'s second look at the stale cached copy would write it again, and conflicts', () => {
    const d = { ...deployment({ revision: '1', status }), spec: { ...(deployment().spec as object), minReadySeconds: 10 } };
    const after = reconcile([d, rs], T1);
    expect(requestsOf(after)).toEqual([{ verb: 'update', resource: 'replicasets', object: { ...rs, spec: { ...(rs.spec as object), minReadySeconds: 10 } } }]);
    expect(contextOf(after).queue).toEqual([KEY]);
  });

  it('a spec the arithmetic rejects (a malformed maxSurge) writes nothing and is not queued again', () => {
    const d = deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 'lots', maxUnavailable: '25%' } } });
    const after = reconcile([d], T0);
    expect(requestsOf(after)).toEqual([]);
    expect(contextOf(after).queue).toEqual([]);
  });
});

describe('generateReplicaSetName (sync_test.go TestGenerateReplicaSetName)', () => {
  it.each([
    ['my-deployment', 'abcde12345', 'my-deployment-abcde12345'],
    ['a'.repeat(242), 'abcde12345', `${'a'.repeat(242)}-abcde12345`],
    ['b'.repeat(250), 'abcde12345', `${'b'.repeat(242)}-abcde12345`],
    ['d'.repeat(252), 'h'.repeat(252), `${'d'.repeat(252)}-${'h'.repeat(252)}`],
  ])('%#', (name, hash, want) => {
    expect(generateReplicaSetName(name, hash)).toBe(want);
  });
});
