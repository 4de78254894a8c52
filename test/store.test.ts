// The API server store, one rule per test, with the exact replies a real API server gives.
import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURE_GATES } from '../model/feature-gates.ts';
import { getObject, listAt, watchFrom } from '../model/store-read.ts';
import { storeMachine } from '../model/store.ts';
import { configMap } from '../scenarios/fixtures.ts';
import { deployment, pod, TestStore } from './helpers/store.ts';

const cm = (name: string, data: Record<string, string> = { v: '0' }, finalizers?: string[]) =>
  ({ verb: 'create', resource: 'configmaps', namespace: 'default', object: configMap(name, data, finalizers) }) as const;

describe('resourceVersion and metadata', () => {
  it('starts at rv 1 and gives each write the next revision, with uid and creationTimestamp from counters and the clock', () => {
    const store = new TestStore();
    store.nowMs = 1500;
    const a = store.ok(cm('a'));
    const b = store.ok(cm('b'));
    expect(a.metadata).toEqual({ name: 'a', namespace: 'default', uid: '00000000-0000-4000-8000-000000000001', creationTimestamp: '2026-01-01T00:00:01Z', resourceVersion: '2' });
    expect(b.metadata.resourceVersion).toBe('3');
    expect(store.context.rv).toBe(3);
  });

  it('generates names from generateName with a counted five-character suffix', () => {
    const store = new TestStore();
    const object = { ...configMap('', {}), metadata: { generateName: 'web-' } };
    expect(store.ok({ verb: 'create', resource: 'configmaps', namespace: 'default', object }).metadata.name).toBe('web-bbbbb');
    expect(store.ok({ verb: 'create', resource: 'configmaps', namespace: 'default', object }).metadata.name).toBe('web-bbbbc');
  });

  it('rejects a create that carries a resourceVersion', () => {
    const store = new TestStore();
    const object = { ...configMap('a', {}), metadata: { name: 'a', resourceVersion: '7' } };
    expect(store.error({ verb: 'create', resource: 'configmaps', namespace: 'default', object }))
      .toBe('400 BadRequest: resourceVersion should not be set on objects to be created');
  });

  it('bumps metadata.generation on a spec change, not on a metadata-only change', () => {
    const store = new TestStore();
    const d = store.ok({ verb: 'create', resource: 'deployments', namespace: 'default', object: deployment('web') });
    expect(d.metadata.generation).toBe(1);
    const relabelled = store.ok({ verb: 'update', resource: 'deployments', object: { ...d, metadata: { ...d.metadata, labels: { team: 'a' } } } });
    expect(relabelled.metadata.generation).toBe(1);
    const scaled = store.ok({ verb: 'update', resource: 'deployments', object: { ...relabelled, spec: { ...(relabelled.spec as object), replicas: 5 } } });
    expect(scaled.metadata.generation).toBe(2);
  });

  it('keeps status out of a main-resource update and spec out of a status update', () => {
    const store = new TestStore();
    const d = store.ok({ verb: 'create', resource: 'deployments', namespace: 'default', object: deployment('web') });
    const viaMain = store.ok({ verb: 'update', resource: 'deployments', object: { ...d, status: { replicas: 9 } } });
    expect(viaMain.metadata.resourceVersion).toBe(d.metadata.resourceVersion); // nothing changed: no new revision
    const viaStatus = store.ok({ verb: 'update', resource: 'deployments', subresource: 'status', object: { ...d, spec: { replicas: 0 }, status: { replicas: 9 } } });
    expect(viaStatus.status).toEqual({ replicas: 9 });
    expect((viaStatus.spec as { replicas: number }).replicas).toBe(2);
    expect(viaStatus.metadata.generation).toBe(1);
  });

  it('stores ownerReferences and rejects two controller references', () => {
    const store = new TestStore();
    const owner = (name: string) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid: `uid-${name}`, controller: true });
    const owned = store.ok({ verb: 'create', resource: 'pods', namespace: 'default', object: pod('p', { metadata: { ownerReferences: [owner('rs-a')] } }) });
    expect(owned.metadata.ownerReferences).toEqual([owner('rs-a')]);
    expect(store.error({ verb: 'create', resource: 'pods', namespace: 'default', object: pod('q', { metadata: { ownerReferences: [owner('rs-a'), owner('rs-b')] } }) }))
      .toBe('422 Invalid: Pod "q" is invalid: metadata.ownerReferences: Invalid value: [{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs-a","uid":"uid-rs-a","controller":true},{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs-b","uid":"uid-rs-b","controller":true}]: Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/rs-a and ReplicaSet/rs-b');
  });
});

describe('optimistic concurrency and existence', () => {
  it('answers a stale resourceVersion with 409 Conflict', () => {
    const store = new TestStore();
    const a = store.ok(cm('a'));
    store.ok({ verb: 'update', resource: 'configmaps', object: { ...a, data: { v: '1' } } });
    expect(store.error({ verb: 'update', resource: 'configmaps', object: { ...a, data: { v: '2' } } }))
      .toBe('409 Conflict: Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again');
  });

  it('answers a second create of a name with 409 AlreadyExists', () => {
    const store = new TestStore();
    store.ok(cm('a'));
    expect(store.error(cm('a'))).toBe('409 AlreadyExists: configmaps "a" already exists');
  });

  it('answers an update, delete or get of a missing object with 404 NotFound', () => {
    const store = new TestStore();
    expect(store.error({ verb: 'update', resource: 'configmaps', object: configMap('ghost', {}) })).toBe('404 NotFound: configmaps "ghost" not found');
    expect(store.error({ verb: 'delete', resource: 'configmaps', namespace: 'default', name: 'ghost' })).toBe('404 NotFound: configmaps "ghost" not found');
    expect(getObject(store.context, 'deployments', 'default', 'ghost')).toEqual({ ok: false, status: { code: 404, reason: 'NotFound', message: 'deployments.apps "ghost" not found' } });
  });

  it('checks delete preconditions on uid and resourceVersion', () => {
    const store = new TestStore();
    store.ok(cm('a'));
    expect(store.error({ verb: 'delete', resource: 'configmaps', namespace: 'default', name: 'a', preconditions: { uid: 'other' } }))
      .toBe('409 Conflict: Operation cannot be fulfilled on configmaps "a": Precondition failed: UID in precondition: other, UID in object meta: 00000000-0000-4000-8000-000000000001');
    expect(store.error({ verb: 'delete', resource: 'configmaps', namespace: 'default', name: 'a', preconditions: { resourceVersion: '1' } }))
      .toBe('409 Conflict: Operation cannot be fulfilled on configmaps "a": Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: 2');
  });
});

describe('validation', () => {
  const invalid = (object: Parameters<typeof pod>[0] extends string ? ReturnType<typeof pod> : never, resource: 'pods' | 'deployments' | 'configmaps' | 'services' = 'pods') =>
    new TestStore().error({ verb: 'create', resource, namespace: 'default', object });

  it('rejects a name that is not a DNS-1123 subdomain', () => {
    expect(invalid(configMap('Web_1', {}), 'configmaps')).toBe(
      `422 Invalid: ConfigMap "Web_1" is invalid: metadata.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`);
  });

  it('rejects a Service name that is not a DNS-1035 label', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: '1web' }, spec: { ports: [{ port: 80 }] } };
    expect(invalid(svc, 'services')).toBe(
      `422 Invalid: Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`);
  });

  it('requires a name', () => {
    expect(invalid({ ...configMap('', {}), metadata: {} }, 'configmaps')).toBe('422 Invalid: ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required');
  });

  it('requires containers, and a name and an image for each', () => {
    expect(invalid(pod('p', { spec: { containers: [] } }))).toBe('422 Invalid: Pod "p" is invalid: spec.containers: Required value');
    expect(invalid(pod('p', { spec: { containers: [{ name: 'app' }] } }))).toBe('422 Invalid: Pod "p" is invalid: spec.containers[0].image: Required value');
  });

  it('lists every field error of one object, bracketed, as apimachinery aggregates them', () => {
    expect(invalid(pod('p', { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'a' }], restartPolicy: 'Sometimes' } })))
      .toBe('422 Invalid: Pod "p" is invalid: [spec.containers[1].name: Duplicate value: "a", spec.containers[1].image: Required value, spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"]');
  });

  it('rejects negative replicas', () => {
    expect(invalid(deployment('web', { replicas: -1 }), 'deployments'))
      .toBe('422 Invalid: Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  });

  it('rejects a Deployment whose selector does not match its template labels', () => {
    const d = deployment('web');
    const mismatched = { ...d, spec: { ...(d.spec as object), selector: { matchLabels: { app: 'other' } } } };
    expect(invalid(mismatched, 'deployments'))
      .toBe('422 Invalid: Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`');
  });

  it('rejects a Deployment without a selector', () => {
    const d = deployment('web');
    const { selector: _s, ...spec } = d.spec as Record<string, unknown>;
    expect(invalid({ ...d, spec }, 'deployments')).toBe('422 Invalid: Deployment.apps "web" is invalid: spec.selector: Required value');
  });

  it('rejects a change to a Deployment\'s spec.selector as immutable', () => {
    const store = new TestStore();
    const d = store.ok({ verb: 'create', resource: 'deployments', namespace: 'default', object: deployment('web') });
    const spec = d.spec as Record<string, unknown>;
    const moved = {
      ...d,
      spec: { ...spec, selector: { matchLabels: { app: 'web', tier: 'front' } }, template: { metadata: { labels: { app: 'web', tier: 'front' } }, spec: (spec.template as { spec: unknown }).spec } },
    };
    expect(store.error({ verb: 'update', resource: 'deployments', object: moved }))
      .toBe('422 Invalid: Deployment.apps "web" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"front"}}: field is immutable');
  });

  it('forbids changing a bound pod\'s spec.nodeName by update, and binding it twice', () => {
    const store = new TestStore();
    const created = store.ok({ verb: 'create', resource: 'pods', namespace: 'default', object: pod('p') });
    const uid = created.metadata.uid!;
    expect(store.error({ verb: 'bind', namespace: 'default', name: 'p', uid: 'another', nodeName: 'node-1' }))
      .toBe(`409 Conflict: Operation cannot be fulfilled on pods/binding "p": Precondition failed: UID in precondition: another, UID in object meta: ${uid}`);
    const bound = store.ok({ verb: 'bind', namespace: 'default', name: 'p', uid, nodeName: 'node-1' });
    expect((bound.spec as { nodeName: string }).nodeName).toBe('node-1');
    expect(bound.status).toEqual({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] });
    expect(store.error({ verb: 'update', resource: 'pods', object: { ...bound, spec: { ...(bound.spec as object), nodeName: 'node-2' } } }))
      .toBe('422 Invalid: Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)');
    expect(store.error({ verb: 'bind', namespace: 'default', name: 'p', uid, nodeName: 'node-2' }))
      .toBe('409 Conflict: Operation cannot be fulfilled on pods/binding "p": pod p is already assigned to node "node-1"');
  });

  it('patches a pod\'s status with a strategic merge: a condition is merged by type, the rest left as it is', () => {
    const store = new TestStore();
    store.ok({ verb: 'create', resource: 'pods', namespace: 'default', object: pod('p') });
    const condition = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: 1 Too many pods.' };
    const patched = store.ok({ verb: 'patch', resource: 'pods', namespace: 'default', name: 'p', subresource: 'status', patch: { status: { conditions: [condition] } } });
    expect(patched.status).toEqual({ phase: 'Pending', conditions: [condition] });
    expect(patched.metadata.resourceVersion).toBe('3');
    const again = store.ok({ verb: 'patch', resource: 'pods', namespace: 'default', name: 'p', subresource: 'status', patch: { status: { conditions: [{ ...condition, message: 'm' }] } } });
    expect(again.status).toEqual({ phase: 'Pending', conditions: [{ ...condition, message: 'm' }] });
    const same = store.ok({ verb: 'patch', resource: 'pods', namespace: 'default', name: 'p', subresource: 'status', patch: { status: { conditions: [{ ...condition, message: 'm' }] } } });
    expect(same.metadata.resourceVersion).toBe('4'); // nothing changed: no new revision
    expect(store.error({ verb: 'patch', resource: 'pods', namespace: 'default', name: 'q', subresource: 'status', patch: {} })).toBe('404 NotFound: pods "q" not found');
  });

  it('lets a pod update change a container image', () => {
    const store = new TestStore();
    const p = store.ok({ verb: 'create', resource: 'pods', namespace: 'default', object: pod('p') });
    const updated = store.ok({ verb: 'update', resource: 'pods', object: { ...p, spec: { containers: [{ name: 'app', image: 'nginx:1.26' }] } } });
    expect(updated.metadata.generation).toBe(2);
  });
});

describe('validation under the API server\'s feature gates', () => {
  const withPolicy = (restartPolicy: string) =>
    ({ verb: 'create', resource: 'pods', namespace: 'default', object: pod('p', { spec: { containers: [{ name: 'app', image: 'nginx:1.25', restartPolicy }] } }) }) as const;

  it('drops a container\'s own restartPolicy and rules without ContainerRestartRules (off before 1.35), as dropDisabledFields does; a sidecar keeps Always', () => {
    const spec = {
      initContainers: [
        { name: 'setup', image: 'busybox:1.36', restartPolicy: 'Never' },
        { name: 'watcher', image: 'busybox:1.36', restartPolicy: 'Always' },
      ],
      containers: [{ name: 'app', image: 'nginx:1.25', restartPolicy: 'Never', restartPolicyRules: [{ action: 'Restart', exitCodes: { operator: 'In', values: [42] } }] }],
    };
    const created = new TestStore(100, storeMachine, { ...DEFAULT_FEATURE_GATES, ContainerRestartRules: false })
      .ok({ verb: 'create', resource: 'pods', namespace: 'default', object: pod('p', { spec }) });
    expect((created.spec as { initContainers: unknown[]; containers: unknown[] }).initContainers).toEqual([
      { name: 'setup', image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' },
      { name: 'watcher', image: 'busybox:1.36', restartPolicy: 'Always', imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' },
    ]);
    expect((created.spec as { containers: unknown[] }).containers).toEqual([
      { name: 'app', image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' },
    ]);
  });

  it('with ContainerRestartRules takes one of Always, Never and OnFailure, and no other', () => {
    const store = new TestStore(100, storeMachine, { ...DEFAULT_FEATURE_GATES, ContainerRestartRules: true });
    expect(store.ok(withPolicy('OnFailure')).spec).toMatchObject({ containers: [{ restartPolicy: 'OnFailure' }] });
    expect(store.error({ ...withPolicy('Sometimes'), object: { ...withPolicy('Sometimes').object, metadata: { name: 'q' } } }))
      .toBe('422 Invalid: Pod "q" is invalid: spec.containers[0].restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"');
  });

  it('with ContainerRestartRules judges the rules: a policy beside them, at most 20, each a known action and exit codes with a known operator and at most 255 values', () => {
    const store = new TestStore(100, storeMachine, { ...DEFAULT_FEATURE_GATES, ContainerRestartRules: true });
    const rule = (action: string, operator: string, values: number[] = [42]) => ({ action, exitCodes: { operator, values } });
    const containers = [
      { name: 'no-policy', image: 'busybox:1.36', restartPolicyRules: [rule('Restart', 'In')] },
      { name: 'too-many', image: 'busybox:1.36', restartPolicy: 'Never', restartPolicyRules: Array.from({ length: 21 }, (_, i) => rule('Restart', 'In', [i + 1])) },
      { name: 'all', image: 'busybox:1.36', restartPolicy: 'Never', restartPolicyRules: [rule('RestartAllContainers', 'In')] },
      { name: 'bad', image: 'busybox:1.36', restartPolicy: 'Never', restartPolicyRules: [rule('DoNotRestart', 'Equals', Array.from({ length: 256 }, (_, i) => i)), { action: 'Restart' }] },
    ];
    const initContainers = [{ name: 'watcher', image: 'busybox:1.36', restartPolicy: 'Always', restartPolicyRules: [rule('RestartAllContainers', 'In', [88])] }];
    expect(store.error({ verb: 'create', resource: 'pods', namespace: 'default', object: pod('r', { spec: { initContainers, containers } }) })).toBe('422 Invalid: Pod "r" is invalid: ['
      + 'spec.initContainers[0].restartPolicyRules: Forbidden: may not be set for a restartable init container without RestartAllContainersOnContainerExits, '
      + 'spec.containers[0].restartPolicy: Required value: must specify restartPolicy when restart rules are used, '
      + 'spec.containers[1].restartPolicyRules: Too many: 21: must have at most 20 items, '
      + 'spec.containers[2].restartPolicyRules[0].action: Unsupported value: "RestartAllContainers": supported values: "Restart", '
      + 'spec.containers[3].restartPolicyRules[0].action: Unsupported value: "DoNotRestart": supported values: "Restart", '
      + 'spec.containers[3].restartPolicyRules[0].exitCodes.operator: Unsupported value: "Equals": supported values: "In", "NotIn", '
      + 'spec.containers[3].restartPolicyRules[0].exitCodes.values: Too many: 256: must have at most 255 items, '
      + 'spec.containers[3].restartPolicyRules[1].exitCodes: Required value: must be specified]');
    const all = new TestStore(100, storeMachine, { ...DEFAULT_FEATURE_GATES, ContainerRestartRules: true, RestartAllContainersOnContainerExits: true });
    const accepted = all.ok({ verb: 'create', resource: 'pods', namespace: 'default', object: pod('s', { spec: { initContainers, containers: [containers[2]!] } }) });
    expect((accepted.spec as { initContainers: unknown[] }).initContainers).toMatchObject(initContainers);
  });
});

describe('graceful deletion and finalizers', () => {
  it('deletes an object without finalizers at once, with a DELETED event at the next revision', () => {
    const store = new TestStore();
    store.ok(cm('a'));
    const gone = store.ok({ verb: 'delete', resource: 'configmaps', namespace: 'default', name: 'a' });
    expect(gone.metadata.resourceVersion).toBe('3');
    expect(store.context.event?.type).toBe('DELETED');
    expect(getObject(store.context, 'configmaps', 'default', 'a').ok).toBe(false);
  });

  it('keeps an object with finalizers, marked for deletion, until the last finalizer is removed', () => {
    const store = new TestStore();
    store.nowMs = 4000;
    store.ok(cm('held', {}, ['example.com/hold']));
    const marked = store.ok({ verb: 'delete', resource: 'configmaps', namespace: 'default', name: 'held' });
    expect(marked.metadata.deletionTimestamp).toBe('2026-01-01T00:00:04Z');
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(0);
    expect(store.context.event?.type).toBe('MODIFIED');
    expect(store.error({ verb: 'update', resource: 'configmaps', object: { ...marked, metadata: { ...marked.metadata, finalizers: ['example.com/hold', 'example.com/late'] } } }))
      .toBe('422 Invalid: ConfigMap "held" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/late"}');
    store.ok({ verb: 'update', resource: 'configmaps', object: { ...marked, metadata: { ...marked.metadata, finalizers: [] } } });
    expect(store.context.event?.type).toBe('DELETED');
    expect(getObject(store.context, 'configmaps', 'default', 'held').ok).toBe(false);
  });

  it('gives a bound pod its grace period, lets a later delete shorten it, and removes it at grace 0', () => {
    const store = new TestStore();
    const created = store.ok({ verb: 'create', resource: 'pods', namespace: 'default', object: pod('p', { spec: { terminationGracePeriodSeconds: 30 } }) });
    store.ok({ verb: 'bind', namespace: 'default', name: 'p', uid: created.metadata.uid!, nodeName: 'node-1' });
    store.nowMs = 10_000;
    const terminating = store.ok({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'p' });
    expect(terminating.metadata).toMatchObject({ deletionTimestamp: '2026-01-01T00:00:40Z', deletionGracePeriodSeconds: 30, generation: 2 });
    const longer = store.ok({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'p', gracePeriodSeconds: 60 });
    expect(longer.metadata.resourceVersion).toBe(terminating.metadata.resourceVersion); // a delete cannot lengthen the grace period
    const shorter = store.ok({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'p', gracePeriodSeconds: 5 });
    expect(shorter.metadata).toMatchObject({ deletionTimestamp: '2026-01-01T00:00:15Z', deletionGracePeriodSeconds: 5 });
    store.ok({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'p', gracePeriodSeconds: 0 });
    expect(store.context.event?.type).toBe('DELETED');
  });

  it('deletes an unscheduled pod at once, whatever grace period is asked for', () => {
    const store = new TestStore();
    store.ok({ verb: 'create', resource: 'pods', namespace: 'default', object: pod('p') });
    store.ok({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'p', gracePeriodSeconds: 30 });
    expect(store.context.event?.type).toBe('DELETED');
  });
});

describe('history, watches and compaction', () => {
  it('starts a watch with the events after its revision, for its resource only', () => {
    const store = new TestStore();
    store.ok(cm('a'));
    store.ok({ verb: 'create', resource: 'pods', namespace: 'default', object: pod('p') });
    store.ok(cm('b'));
    const started = watchFrom(store.context, 'configmaps', 2);
    expect(started.ok && started.events.map((e) => `${e.type} ${e.key} ${e.rv}`)).toEqual(['ADDED default/b 4']);
  });

  it('answers a watch from before the compaction point with 410 Gone, and one from it with its events', () => {
    const store = new TestStore();
    store.ok(cm('a'));
    store.ok(cm('b'));
    store.compact();
    expect(watchFrom(store.context, 'configmaps', 2)).toEqual({ ok: false, status: { code: 410, reason: 'Expired', message: 'too old resource version: 2 (3)' } });
    store.ok(cm('c'));
    const started = watchFrom(store.context, 'configmaps', 3);
    expect(started.ok && started.events.map((e) => e.key)).toEqual(['default/c']);
  });

  it('compacts the oldest events once history exceeds historyMax', () => {
    const store = new TestStore(2);
    for (const name of ['a', 'b', 'c']) store.ok(cm(name));
    expect(store.context.compactedRv).toBe(2);
    expect(watchFrom(store.context, 'configmaps', 1).ok).toBe(false);
    expect(watchFrom(store.context, 'configmaps', 2).ok).toBe(true);
  });

  it('serves a list at an older revision by undoing the history after it', () => {
    const store = new TestStore();
    const a = store.ok(cm('a'));
    store.ok({ verb: 'update', resource: 'configmaps', object: { ...a, data: { v: '1' } } });
    store.ok({ verb: 'delete', resource: 'configmaps', namespace: 'default', name: 'a' });
    store.ok(cm('b'));
    const at = (rv: number) => listAt(store.context, 'configmaps', rv).items.map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`);
    expect(at(1)).toEqual([]);
    expect(at(2)).toEqual(['a@2']);
    expect(at(3)).toEqual(['a@3']);
    expect(at(4)).toEqual([]);
    expect(at(5)).toEqual(['b@5']);
  });
});
