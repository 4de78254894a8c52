// The taint-eviction controller, driven with crafted informer events, reconciles, replies and timers:
// which pods it deletes and when, the deletion's requests (DisruptionTarget, then delete), and the
// scheduled deletions it cancels. The same controller behind the node lifecycle controller, against the
// store, is in node-lifecycle.test.ts.
import type { PodStatus, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { AnyMachineSnapshot } from 'xstate';
import { describe, expect, it } from 'vitest';
import { notFound } from '../../model/api-status.ts';
import type { Caches } from '../../model/client.ts';
import { timestamp } from '../../model/clock.ts';
import { getMatchingTolerations, taintEvictionControllerMachine, type TaintEvictionContext } from '../../model/controllers/taint-eviction.ts';
import { initialSnapshot, transition } from '../../model/machine-runner.ts';
import { PMap } from '../../model/pmap.ts';
import type { Reply, Request, WatchEvent } from '../../model/requests.ts';
import type { KubeObject, Resource } from '../../model/resources.ts';
import { DEFAULT_FEATURE_GATES } from '../../model/feature-gates.ts';

const s = (seconds: number): string => timestamp(seconds * 1000);
const unreachable = (atSeconds: number): Taint => ({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: s(atSeconds) });
/** DefaultTolerationSeconds' two tolerations. */
const DEFAULT_TOLERATIONS: Toleration[] = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']
  .map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }));

function node(name: string, taints: Taint[] = []): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, uid: `uid-${name}` }, spec: taints.length > 0 ? { taints } : {} };
}

function pod(name: string, nodeName: string, tolerations: Toleration[] = DEFAULT_TOLERATIONS, status: PodStatus = { phase: 'Running' }): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { nodeName, tolerations, containers: [{ name: 'app', image: 'nginx' }] }, status,
  };
}

/** The controller and the cluster it sees: its caches, and the time. */
class Harness {
  snapshot: AnyMachineSnapshot = initialSnapshot(taintEvictionControllerMachine, {});
  nodes = PMap.empty<KubeObject>();
  pods = PMap.empty<KubeObject>();
  nowMs = 0;

  get ctx(): TaintEvictionContext { return this.snapshot.context as TaintEvictionContext; }
  get request(): Request | null { return this.ctx.request; }

  /** The named fields of the controller's context, to compare whole. */
  state<K extends keyof TaintEvictionContext>(...names: K[]): Pick<TaintEvictionContext, K> {
    return Object.fromEntries(names.map((name) => [name, this.ctx[name]])) as Pick<TaintEvictionContext, K>;
  }

  private caches(): Caches { return { nodes: this.nodes, pods: this.pods }; }

  private send(event: { type: string; [field: string]: unknown }): void {
    this.snapshot = transition(taintEvictionControllerMachine, this.snapshot, event);
  }

  /** The informers list what the cluster holds. */
  relist(resource: Resource): void {
    this.send({ type: 'INFORMED', resource, event: null, cache: this.caches()[resource], caches: this.caches(), nowMs: this.nowMs });
  }

  /** An object changes (null: it goes), and the informer tells the controller. */
  change(resource: 'nodes' | 'pods', key: string, object: KubeObject | null): void {
    const map = resource === 'nodes' ? this.nodes : this.pods;
    const previous = map.get(key) ?? null;
    const next = object === null ? map.delete(key) : map.set(key, object);
    if (resource === 'nodes') this.nodes = next; else this.pods = next;
    const event: WatchEvent = {
      type: object === null ? 'DELETED' : previous === null ? 'ADDED' : 'MODIFIED', rv: 0, resource, key,
      object: object ?? (previous as KubeObject), previous: object === null ? null : previous,
    };
    this.send({ type: 'INFORMED', resource, event, cache: next, caches: this.caches(), nowMs: this.nowMs });
  }

  /** Reconciles the queued keys in order. */
  reconcileAll(): string[] {
    const keys: string[] = [];
    for (let key = this.ctx.queue[0]; key !== undefined; key = this.ctx.queue[0]) {
      keys.push(key);
      this.send({ type: 'RECONCILE', key, caches: this.caches(), nowMs: this.nowMs, featureGates: DEFAULT_FEATURE_GATES });
    }
    return keys;
  }

  /** The clock moves to the controller's next timer, which rings. */
  tick(): void {
    this.nowMs = this.ctx.wakeAtMs!;
    this.send({ type: 'TIMER', nowMs: this.nowMs });
  }

  reply(reply: Reply): void {
    this.send({ type: 'REPLY', request: this.request, reply, nowMs: this.nowMs });
  }

  /** Answers the deletion's requests as the API server would for a pod still there. */
  completeDeletion(): Request[] {
    const sent: Request[] = [];
    for (let request = this.request; request !== null; request = this.request) {
      sent.push(request);
      if (request.verb === 'get') this.reply({ ok: true, object: this.pods.get(`${request.namespace}/${request.name}`)! });
      else this.reply({ ok: true });
    }
    return sent;
  }
}

const deletionOf = (name: string, atSeconds: number): Request[] => [
  { verb: 'get', resource: 'pods', namespace: 'default', name },
  {
    verb: 'patch', resource: 'pods', namespace: 'default', name, subresource: 'status',
    patch: { metadata: { uid: `uid-${name}` }, status: { conditions: [
      { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: s(atSeconds) },
    ] } },
  },
  { verb: 'delete', resource: 'pods', namespace: 'default', name },
];

/** node-1 with web (default tolerations) on it, and the informers synced. */
function started(pods: KubeObject[] = [pod('web', 'node-1')]): Harness {
  const h = new Harness();
  h.nodes = h.nodes.set('node-1', node('node-1'));
  for (const p of pods) h.pods = h.pods.set(`default/${p.metadata.name}`, p);
  h.relist('nodes');
  h.relist('pods');
  return h;
}

describe('GetMatchingTolerations', () => {
  it('takes the first toleration of each taint, and fails on a taint none tolerates', () => {
    const wildcard: Toleration = { operator: 'Exists', tolerationSeconds: 10 };
    const taints: Taint[] = [unreachable(0), { key: 'dedicated', value: 'db', effect: 'NoExecute' }];
    expect(getMatchingTolerations(taints, [...DEFAULT_TOLERATIONS, wildcard], false)).toEqual({ allTolerated: true, used: [DEFAULT_TOLERATIONS[1], wildcard] });
    expect(getMatchingTolerations(taints, DEFAULT_TOLERATIONS, false)).toEqual({ allTolerated: false, used: [] });
  });

  it('a Gt toleration counts only with TaintTolerationComparisonOperators', () => {
    const taints: Taint[] = [{ key: 'tier', value: '5', effect: 'NoExecute' }];
    const gt: Toleration = { key: 'tier', operator: 'Gt', value: '3', effect: 'NoExecute', tolerationSeconds: 30 };
    expect(getMatchingTolerations(taints, [gt], true)).toEqual({ allTolerated: true, used: [gt] });
    expect(getMatchingTolerations(taints, [gt], false)).toEqual({ allTolerated: false, used: [] });
  });
});

describe('a pod on a node tainted NoExecute', () => {
  it('that tolerates the taint for 300 s is deleted 300 s after the controller sees the taint: DisruptionTarget, then delete', () => {
    const h = started();
    expect(h.reconcileAll()).toEqual([]);
    h.nowMs = 60_000;
    h.change('nodes', 'node-1', node('node-1', [unreachable(60)]));
    expect(h.reconcileAll()).toEqual(['node/node-1']);
    expect(h.state('workers', 'delayed', 'wakeAtMs', 'request')).toEqual({
      workers: { 'default/web': { createdAtMs: 60_000, fireAtMs: 360_000 } }, delayed: [{ atMs: 360_000, key: 'evict/default/web' }], wakeAtMs: 360_000, request: null,
    });
    h.tick();
    expect(h.nowMs).toBe(360_000);
    expect(h.reconcileAll()).toEqual(['evict/default/web']);
    expect(h.completeDeletion()).toEqual(deletionOf('web', 360));
    expect(h.state('workers', 'evicting', 'queue', 'delayed')).toEqual({ workers: {}, evicting: {}, queue: [], delayed: [] });
  });

  it('counts the 300 s from when it handles the taint, not from the taint\'s timeAdded (upstream keeps its own clock)', () => {
    const h = started();
    h.nowMs = 45_000;
    h.change('nodes', 'node-1', node('node-1', [unreachable(0)]));
    h.reconcileAll();
    expect(h.ctx.workers).toEqual({ 'default/web': { createdAtMs: 45_000, fireAtMs: 345_000 } });
  });

  it('that does not tolerate it is deleted at once', () => {
    const h = started([pod('web', 'node-1', [])]);
    h.nowMs = 5_000;
    h.change('nodes', 'node-1', node('node-1', [unreachable(5)]));
    h.reconcileAll();
    expect(h.completeDeletion()).toEqual(deletionOf('web', 5));
  });

  it('that tolerates it without a limit stays; tolerations of several taints count the least seconds', () => {
    const forever: Toleration = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' };
    const dedicated: Toleration = { key: 'dedicated', operator: 'Exists', tolerationSeconds: 100 };
    const h = started([pod('web', 'node-1', [forever]), pod('db', 'node-1', [...DEFAULT_TOLERATIONS, dedicated])]);
    h.change('nodes', 'node-1', node('node-1', [unreachable(0), { key: 'dedicated', effect: 'NoExecute' }]));
    h.reconcileAll();
    expect(h.ctx.workers).toEqual({ 'default/db': { createdAtMs: 0, fireAtMs: 100_000 } });
  });

  it('keeps a deletion scheduled sooner when the taints change; cancels it when they go, and when the node is back', () => {
    const h = started();
    h.change('nodes', 'node-1', node('node-1', [unreachable(0)]));
    h.reconcileAll();
    h.nowMs = 100_000;
    h.change('nodes', 'node-1', node('node-1', [unreachable(0), { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]));
    h.reconcileAll();
    expect(h.state('workers', 'wakeAtMs')).toEqual({ workers: { 'default/web': { createdAtMs: 0, fireAtMs: 300_000 } }, wakeAtMs: 300_000 });
    h.change('nodes', 'node-1', node('node-1'));
    h.reconcileAll();
    expect(h.state('workers', 'taintedNodes', 'delayed', 'wakeAtMs', 'request')).toEqual({ workers: {}, taintedNodes: {}, delayed: [], wakeAtMs: null, request: null });
  });

  it('cancels the deletion when the pod goes, or comes to tolerate the taint forever; a toleration added after a limited one changes nothing', () => {
    const h = started([pod('web', 'node-1'), pod('api', 'node-1'), pod('db', 'node-1')]);
    h.change('nodes', 'node-1', node('node-1', [unreachable(0)]));
    h.reconcileAll();
    expect(Object.keys(h.ctx.workers)).toEqual(['default/api', 'default/db', 'default/web']);
    h.nowMs = 10_000;
    h.change('pods', 'default/web', null);
    // Crafted: the API server only lets tolerations be added; the first that matches a taint is the one that counts.
    h.change('pods', 'default/api', pod('api', 'node-1', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }]));
    h.change('pods', 'default/db', pod('db', 'node-1', [...DEFAULT_TOLERATIONS, { operator: 'Exists' }]));
    expect(h.reconcileAll()).toEqual(['pod/default/web', 'pod/default/api', 'pod/default/db']);
    expect(h.state('workers', 'delayed', 'wakeAtMs')).toEqual({
      workers: { 'default/db': { createdAtMs: 0, fireAtMs: 300_000 } }, delayed: [{ atMs: 300_000, key: 'evict/default/db' }], wakeAtMs: 300_000,
    });
  });

  it('keeps its deletion when the node goes (pods of a deleted node are for the pod garbage collector)', () => {
    const h = started();
    h.change('nodes', 'node-1', node('node-1', [unreachable(0)]));
    h.reconcileAll();
    h.change('nodes', 'node-1', null);
    h.reconcileAll();
    expect(h.state('taintedNodes', 'workers')).toEqual({ taintedNodes: {}, workers: { 'default/web': { createdAtMs: 0, fireAtMs: 300_000 } } });
  });
});

describe('the deletion', () => {
  it('skips the patch when the pod already has the DisruptionTarget condition', () => {
    const target = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: s(0) };
    const h = started([pod('web', 'node-1', [], { phase: 'Running', conditions: [target] })]);
    h.change('nodes', 'node-1', node('node-1', [unreachable(0)]));
    h.reconcileAll();
    expect(h.completeDeletion()).toEqual([deletionOf('web', 0)[0], deletionOf('web', 0)[2]]);
  });

  it('is tried 5 times, each from the read, then given up', () => {
    const h = started([pod('web', 'node-1', [])]);
    h.change('nodes', 'node-1', node('node-1', [unreachable(0)]));
    h.reconcileAll();
    const sent: string[] = [];
    for (let request = h.request; request !== null; request = h.request) {
      sent.push(request.verb);
      h.reply({ ok: false, status: notFound('pods', 'web') });
    }
    expect(sent).toEqual(['get', 'get', 'get', 'get', 'get']);
    expect(h.ctx.evicting).toEqual({});
  });

  it('under way, is not started again by another decision on the pod', () => {
    const h = started([pod('web', 'node-1', [])]);
    h.change('nodes', 'node-1', node('node-1', [unreachable(0)]));
    h.reconcileAll();
    h.change('pods', 'default/web', pod('web', 'node-1', [{ key: 'other', operator: 'Exists' }]));
    h.reconcileAll();
    expect(h.completeDeletion()).toEqual(deletionOf('web', 0));
  });
});

describe('informer events', () => {
  it('a pod change that keeps its node and tolerations, or a node change that keeps its NoExecute taints, queues nothing', () => {
    const h = started();
    h.change('pods', 'default/web', pod('web', 'node-1', DEFAULT_TOLERATIONS, { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] }));
    h.change('nodes', 'node-1', { ...node('node-1'), metadata: { name: 'node-1', labels: { tier: 'a' } }, spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } });
    expect(h.ctx.queue).toEqual([]);
  });

  it('a relist queues the nodes whose NoExecute taints differ from those handled, and the pods on tainted nodes or with a deletion waiting', () => {
    const h = started([pod('web', 'node-1'), pod('api', 'node-2')]);
    h.nodes = h.nodes.set('node-2', node('node-2', [unreachable(0)])).set('node-3', node('node-3'));
    h.relist('nodes');
    expect(h.reconcileAll()).toEqual(['node/node-2']);
    h.pods = h.pods.delete('default/api').set('default/db', pod('db', 'node-2')).set('default/cache', pod('cache', 'node-1'));
    h.relist('pods');
    expect(h.ctx.queue).toEqual(['pod/default/db', 'pod/default/api']);
  });
});
