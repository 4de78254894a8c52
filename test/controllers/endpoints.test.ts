// The Endpoints controller: which Services an informer event queues, the exact Endpoints a sync
// writes (addresses, not-ready addresses, ports resolved per pod, labels), when it writes nothing,
// and how it retries. Driven with crafted caches and events; writes are checked against the store.
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import type { Caches } from '../../model/client.ts';
import { endpointsControllerMachine, type EndpointsControllerContext } from '../../model/controllers/endpoints.ts';
import { initialSnapshot, transition } from '../../model/machine-runner.ts';
import type { Reply, Request, WatchEvent, WriteRequest } from '../../model/requests.ts';
import { keyOf, type KubeObject, type Resource } from '../../model/resources.ts';
import { TestStore } from '../helpers/store.ts';
import { DEFAULT_FEATURE_GATES } from '../../model/feature-gates.ts';

type Snapshot = ReturnType<typeof initialSnapshot> & { context: EndpointsControllerContext };

function service(name: string, spec: Service['spec'], labels: Record<string, string> = { app: name }): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', uid: `svc-${name}`, resourceVersion: '1', labels }, spec };
}

interface PodOptions {
  readonly ip?: string;
  readonly node?: string;
  readonly ready?: boolean;
  readonly labels?: Record<string, string>;
  readonly namespace?: string;
  readonly phase?: string;
  readonly deleting?: boolean;
  readonly httpPort?: number;
  readonly rv?: string;
}

function pod(name: string, o: PodOptions = {}): KubeObject {
  const status: Pod['status'] = {
    phase: o.phase ?? 'Running',
    conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
    ...(o.ip !== undefined ? { podIP: o.ip, podIPs: [{ ip: o.ip }] } : {}),
  };
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, namespace: o.namespace ?? 'default', uid: `uid-${name}`, resourceVersion: o.rv ?? '1', labels: o.labels ?? { app: 'web' },
      ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:30Z' } : {}),
    },
    spec: {
      nodeName: o.node ?? 'node-1',
      containers: [{ name: 'app', image: 'nginx:1.25', ports: [{ name: 'http', containerPort: o.httpPort ?? 8080 }] }],
    },
    status,
  };
}

class Harness {
  snapshot = initialSnapshot(endpointsControllerMachine, undefined) as Snapshot;
  readonly caches = new Map<Resource, Map<string, KubeObject>>([['services', new Map()], ['pods', new Map()], ['endpoints', new Map()]]);
  nowMs = 0;

  constructor(objects: readonly KubeObject[] = []) {
    for (const o of objects) this.put(o);
  }

  get ctx(): EndpointsControllerContext {
    return this.snapshot.context;
  }

  private resourceOf(o: KubeObject): Resource {
    return o.kind === 'Service' ? 'services' : o.kind === 'Pod' ? 'pods' : 'endpoints';
  }

  private view(): Caches {
    return Object.fromEntries(this.caches) as Caches;
  }

  private send(event: Record<string, unknown> & { type: string }): void {
    this.snapshot = transition(endpointsControllerMachine, this.snapshot, event) as Snapshot;
  }

  put(o: KubeObject): void {
    const resource = this.resourceOf(o);
    this.caches.get(resource)!.set(keyOf(resource, o), o);
  }

  /** The informer delivers a change of `object` (MODIFIED when it replaces one cached). */
  inform(object: KubeObject, type?: WatchEvent['type']): void {
    const resource = this.resourceOf(object);
    const key = keyOf(resource, object);
    const cache = this.caches.get(resource)!;
    const previous = cache.get(key) ?? null;
    const kind = type ?? (previous ? 'MODIFIED' : 'ADDED');
    if (kind === 'DELETED') cache.delete(key);
    else cache.set(key, object);
    const event: WatchEvent = { type: kind, rv: 0, resource, key, object, previous };
    this.send({ type: 'INFORMED', resource, event, cache, caches: this.view(), nowMs: this.nowMs });
  }

  reconcile(key = 'default/web'): Request | null {
    this.send({ type: 'RECONCILE', key, caches: this.view(), nowMs: this.nowMs, featureGates: DEFAULT_FEATURE_GATES });
    return this.ctx.request;
  }

  reply(reply: Reply): void {
    this.send({ type: 'REPLY', request: this.ctx.request, reply, nowMs: this.nowMs });
  }
}

const clusterIPService = (extra: Service['spec'] = {}) => service('web', {
  clusterIP: '10.96.0.10', selector: { app: 'web' },
  ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }, { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 }], ...extra,
});

const address = (name: string, ip: string, node = 'node-1') => ({ ip, nodeName: node, targetRef: { kind: 'Pod', namespace: 'default', name, uid: `uid-${name}` } });

describe('syncService', () => {
  it('lists ready and not-ready pods with an IP, each port resolved per pod, and leaves out the rest', () => {
    const h = new Harness([
      clusterIPService(),
      pod('a', { ip: '10.244.1.2' }),
      pod('b', { ip: '10.244.2.3', node: 'node-2', ready: false, httpPort: 9090 }),
      pod('no-ip'),
      pod('terminating', { ip: '10.244.1.4', deleting: true }),
      pod('done', { ip: '10.244.1.5', phase: 'Succeeded' }),
      pod('other-app', { ip: '10.244.1.6', labels: { app: 'db' } }),
      pod('elsewhere', { ip: '10.244.1.7', namespace: 'prod' }),
    ]);
    const request = h.reconcile();
    expect(request).toEqual({
      verb: 'create', resource: 'endpoints', namespace: 'default',
      object: {
        apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', labels: { app: 'web' } },
        subsets: [
          { addresses: [address('a', '10.244.1.2')], notReadyAddresses: [address('b', '10.244.2.3', 'node-2')], ports: [{ name: 'https', port: 8443, protocol: 'TCP' }] },
          { addresses: [address('a', '10.244.1.2')], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
          { notReadyAddresses: [address('b', '10.244.2.3', 'node-2')], ports: [{ name: 'http', port: 9090, protocol: 'TCP' }] },
        ],
      },
    });
    // The API server takes it as it is.
    const stored = new TestStore().ok(request as WriteRequest);
    expect(stored.subsets).toEqual((request as Extract<Request, { verb: 'create' }>).object.subsets);
  });

  it('packs pods offering the same ports into one subset, addresses sorted by IP', () => {
    const h = new Harness([
      service('web', { clusterIP: '10.96.0.10', selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] }),
      pod('c', { ip: '10.244.3.9' }), pod('a', { ip: '10.244.1.2' }), pod('b', { ip: '10.244.10.1' }),
    ]);
    const request = h.reconcile() as Extract<Request, { verb: 'create' }>;
    expect(request.object.subsets).toEqual([{
      addresses: [address('a', '10.244.1.2'), address('b', '10.244.10.1'), address('c', '10.244.3.9')],
      ports: [{ port: 8080, protocol: 'TCP' }],
    }]);
  });

  it('writes nothing when the Endpoints already says it all', () => {
    const h = new Harness([clusterIPService(), pod('a', { ip: '10.244.1.2' })]);
    const created = new TestStore().ok(h.reconcile() as WriteRequest);
    h.reply({ ok: true, object: created });
    h.inform(created);
    expect(h.ctx.queue).toEqual([]);
    expect(h.reconcile()).toBeNull();
  });

  it('updates at the cached resourceVersion when a pod turns ready, and then waits out a cache still at that version', () => {
    const store = new TestStore();
    const h = new Harness([clusterIPService(), pod('a', { ip: '10.244.1.2', ready: false })]);
    const created = store.ok(h.reconcile() as WriteRequest);
    h.reply({ ok: true, object: created });
    h.put(created);
    h.inform(pod('a', { ip: '10.244.1.2', rv: '2' }));
    expect(h.ctx.queue).toEqual(['default/web']);
    const update = h.reconcile() as Extract<Request, { verb: 'update' }>;
    expect(update.verb).toBe('update');
    expect(update.object.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    expect(update.object.subsets).toEqual([
      { addresses: [address('a', '10.244.1.2')], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'https', port: 8443, protocol: 'TCP' }] },
    ]);
    const updated = store.ok(update);
    h.reply({ ok: true, object: updated });
    // The informer has not delivered the update yet: its Endpoints is stale, so no write is tried.
    h.nowMs = 100;
    expect(h.reconcile()).toBeNull();
    expect(h.ctx.delayed).toEqual([{ atMs: 105, key: 'default/web' }]);
    // Once it has, there is nothing left to write, and the back-off is forgotten.
    h.inform(updated);
    expect(h.reconcile()).toBeNull();
    expect(h.ctx.failures.size).toBe(0);
  });

  it('publishes not-ready and terminating pods as ready addresses when the Service asks', () => {
    const h = new Harness([
      clusterIPService({ publishNotReadyAddresses: true, ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] }),
      pod('a', { ip: '10.244.1.2', ready: false }), pod('b', { ip: '10.244.1.3', deleting: true }),
    ]);
    const request = h.reconcile() as Extract<Request, { verb: 'create' }>;
    expect(request.object.subsets).toEqual([{ addresses: [address('a', '10.244.1.2'), address('b', '10.244.1.3')], ports: [{ port: 8080, protocol: 'TCP' }] }]);
  });

  it('gives a headless Service without ports its addresses alone, and the headless label', () => {
    const h = new Harness([service('web', { clusterIP: 'None', selector: { app: 'web' } }), pod('a', { ip: '10.244.1.2' })]);
    const request = h.reconcile() as Extract<Request, { verb: 'create' }>;
    expect(request.object.metadata).toEqual({ name: 'web', labels: { app: 'web', 'service.kubernetes.io/headless': '' } });
    expect(request.object.subsets).toEqual([{ addresses: [address('a', '10.244.1.2')] }]);
  });

  it('leaves alone a Service without a selector, and an ExternalName Service', () => {
    expect(new Harness([service('web', { clusterIP: '10.96.0.10', ports: [{ port: 80 }] })]).reconcile()).toBeNull();
    expect(new Harness([service('web', { type: 'ExternalName', externalName: 'example.com', selector: { app: 'web' } })]).reconcile()).toBeNull();
  });

  it('truncates beyond 1000 addresses and says so', () => {
    const pods = Array.from({ length: 1002 }, (_, i) => pod(`p${i}`, { ip: `10.244.${Math.floor(i / 250)}.${i % 250}` }));
    const h = new Harness([clusterIPService({ ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] }), ...pods]);
    const request = h.reconcile() as Extract<Request, { verb: 'create' }>;
    expect(request.object.metadata.annotations).toEqual({ 'endpoints.kubernetes.io/over-capacity': 'truncated' });
    const subsets = request.object.subsets as { addresses: unknown[] }[];
    expect(subsets.map((s) => s.addresses.length)).toEqual([1000]);
  });
});

describe('a deleted Service', () => {
  it('has its Endpoints deleted; NotFound is success', () => {
    const h = new Harness();
    expect(h.reconcile()).toEqual({ verb: 'delete', resource: 'endpoints', namespace: 'default', name: 'web' });
    h.reply({ ok: false, status: { code: 404, reason: 'NotFound', message: 'endpoints "web" not found' } });
    expect(h.ctx.request).toBeNull();
    expect(h.ctx.delayed).toEqual([]);
  });
});

describe('informer events', () => {
  it('queue the Services a pod joins or leaves, and none for a change that moves nothing', () => {
    const h = new Harness([clusterIPService(), service('db', { clusterIP: '10.96.0.11', selector: { tier: 'db' } }), service('bare', { clusterIP: '10.96.0.12' })]);
    h.inform(pod('a', { ip: '10.244.1.2', labels: { app: 'web', tier: 'db' } }));
    expect(h.ctx.queue).toEqual(['default/web', 'default/db']);
    h.snapshot = { ...h.snapshot, context: { ...h.ctx, queue: [] } } as Snapshot;
    // The same resourceVersion (a resync) queues nothing; a label no selector reads, nothing either.
    h.inform(pod('a', { ip: '10.244.1.2', labels: { app: 'web', tier: 'db' } }));
    h.inform(pod('a', { ip: '10.244.1.2', labels: { app: 'web', tier: 'db', x: 'y' }, rv: '2' }));
    expect(h.ctx.queue).toEqual([]);
    // Leaving db: only db (the symmetric difference).
    h.inform(pod('a', { ip: '10.244.1.2', labels: { app: 'web', x: 'y' }, rv: '3' }));
    expect(h.ctx.queue).toEqual(['default/db']);
    // Turning not ready: every Service it is in.
    h.inform(pod('a', { ip: '10.244.1.2', labels: { app: 'web', x: 'y' }, ready: false, rv: '4' }));
    expect(h.ctx.queue).toEqual(['default/db', 'default/web']);
  });

  it('queue a Service whose Endpoints was deleted', () => {
    const h = new Harness([clusterIPService()]);
    h.inform({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default' } }, 'ADDED');
    expect(h.ctx.queue).toEqual([]);
    h.inform({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default' } }, 'DELETED');
    expect(h.ctx.queue).toEqual(['default/web']);
  });
});

describe('failures', () => {
  it('retry with back-off doubling from 5 ms, and drop the Service after 15', () => {
    const h = new Harness([clusterIPService(), pod('a', { ip: '10.244.1.2' })]);
    const conflict: Reply = { ok: false, status: { code: 409, reason: 'AlreadyExists', message: 'endpoints "web" already exists' } };
    const delays: number[] = [];
    for (let i = 0; i < 16; i++) {
      h.reconcile();
      h.reply(conflict);
      delays.push((h.ctx.delayed[0]?.atMs ?? h.nowMs) - h.nowMs);
      h.nowMs = h.ctx.delayed[0]?.atMs ?? h.nowMs;
      h.snapshot = { ...h.snapshot, context: { ...h.ctx, delayed: [] } } as Snapshot;
    }
    expect(delays).toEqual([5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 5120, 10240, 20480, 40960, 81920, 0]);
    expect(h.ctx.failures.size).toBe(0);
  });
});
