// The node lifecycle controller: its pure rules (zone state, the zones' token buckets, the Unknown
// rewrite, pod conditions), its zones' tainters, and the controller itself, with the taint-eviction
// controller where the story needs both, run against the real store with perfect informers (every
// write reaches every controller's cache at once) and kubelets that renew their leases every 10 s
// until they stop. The tests pin the exact requests and the time they are sent.
import type { NodeCondition, NodeSpec, NodeStatus, PodStatus } from 'kubernetes-types/core/v1.js';
import type { AnyMachineSnapshot } from 'xstate';
import { describe, expect, it } from 'vitest';
import { conflict } from '../../model/api-status.ts';
import type { Caches, ClientEvent } from '../../model/client.ts';
import { timestamp } from '../../model/clock.ts';
import type { ControllerContext, ControllerDefinition, ReconcileEvent } from '../../model/controllers/controller.ts';
import { nodeLifecycleController, type NodeLifecycleContext } from '../../model/controllers/node-lifecycle.ts';
import { handleDisruption, NO_ZONES, addZone, queueForTainting, tryTainting, nextTaintingMs } from '../../model/controllers/node-lifecycle-zones.ts';
import { taintEvictionController, type TaintEvictionContext } from '../../model/controllers/taint-eviction.ts';
import { initialSnapshot, transition } from '../../model/machine-runner.ts';
import { PMap } from '../../model/pmap.ts';
import { describeRequest, isWrite, type Reply, type Request, type WatchEvent, type WriteRequest } from '../../model/requests.ts';
import type { KubeObject, Resource } from '../../model/resources.ts';
import {
  computeZoneState, conditionsUnknown, newTokenBucket, refillMs, swapLimiter, tryAccept, updatePodCondition, zoneKey, zoneQps,
} from '../../model/semantics/node-health.ts';
import { getObject } from '../../model/store-read.ts';
import { pod, TestStore } from '../helpers/store.ts';
import { DEFAULT_FEATURE_GATES } from '../../model/feature-gates.ts';

const s = (seconds: number): string => timestamp(seconds * 1000);

// --- The pure rules ---------------------------------------------------------------------------------

describe('node health semantics', () => {
  const ready = (status: string): NodeCondition => ({ type: 'Ready', status });

  it('ComputeZoneState: no node Ready is a full disruption; more than 2 not Ready and at least 55% a partial one', () => {
    expect(computeZoneState([ready('Unknown'), ready('False'), undefined])).toEqual({ notReady: 3, state: 'FullDisruption' });
    expect(computeZoneState([ready('True'), ready('Unknown'), ready('Unknown')])).toEqual({ notReady: 2, state: 'Normal' });
    // 3 of 5 is 60%: partial; 3 of 6 is 50%: normal; 11 of 20 is exactly 55% in float32: partial.
    expect(computeZoneState([...Array(3).fill(ready('Unknown')), ready('True'), ready('True')]).state).toBe('PartialDisruption');
    expect(computeZoneState([...Array(3).fill(ready('Unknown')), ...Array(3).fill(ready('True'))]).state).toBe('Normal');
    expect(computeZoneState([...Array(11).fill(ready('False')), ...Array(9).fill(ready('True'))]).state).toBe('PartialDisruption');
    expect(computeZoneState([])).toEqual({ notReady: 0, state: 'Normal' });
  });

  it('a partially disrupted zone taints at the secondary rate only above 50 nodes; any other state at the normal rate', () => {
    expect([zoneQps('PartialDisruption', 50), zoneQps('PartialDisruption', 51), zoneQps('FullDisruption', 3), zoneQps('Normal', 1)]).toEqual([0, 0.01, 0.1, 0.1]);
  });

  it('GetZoneKey: region and zone with a NUL between colons, the beta labels as fallback, "" without either', () => {
    expect(zoneKey({ 'topology.kubernetes.io/region': 'eu', 'topology.kubernetes.io/zone': 'eu-1a' })).toBe('eu:\x00:eu-1a');
    expect(zoneKey({ 'failure-domain.beta.kubernetes.io/zone': 'z' })).toBe(':\x00:z');
    expect(zoneKey({ 'kubernetes.io/hostname': 'n' })).toBe('');
  });

  it('the token bucket starts full, refills in the float32 rate\'s time, and never accepts at rate 0', () => {
    expect([refillMs(0.1), refillMs(0.01)]).toEqual([10_000, 100_001]);
    const full = newTokenBucket(0.1, 5_000);
    const spent = tryAccept(full, 5_000)!;
    expect(spent).toEqual({ qps: 0.1, fullAtMs: 15_000 });
    expect([tryAccept(spent, 14_999), tryAccept(spent, 15_000)]).toEqual([null, { qps: 0.1, fullAtMs: 25_000 }]);
    expect(tryAccept(swapLimiter(full, 0, 5_000), 99_999_999)).toBeNull();
  });

  it('SwapLimiter: the same rate keeps the bucket; a new one starts full if the old had a token, drained if not', () => {
    const full = newTokenBucket(0.1, 0);
    expect(swapLimiter(full, 0.1, 7_000)).toBe(full);
    expect(swapLimiter(full, 0.01, 7_000)).toEqual({ qps: 0.01, fullAtMs: 7_000 });
    expect(swapLimiter(tryAccept(full, 0)!, 0.01, 7_000)).toEqual({ qps: 0.01, fullAtMs: 107_001 });
    expect(swapLimiter(swapLimiter(full, 0, 0), 0.1, 7_000)).toEqual({ qps: 0.1, fullAtMs: 17_000 });
  });

  it('the Unknown rewrite keeps heartbeats, leaves NetworkUnavailable and Unknown conditions alone, and adds the ones never posted', () => {
    const status: NodeStatus = { conditions: [
      { type: 'NetworkUnavailable', status: 'False', lastTransitionTime: s(0) },
      { type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: s(10), lastTransitionTime: s(0) },
      { type: 'DiskPressure', status: 'Unknown', reason: 'NodeStatusUnknown', lastTransitionTime: s(1) },
    ] };
    expect(conditionsUnknown(status, s(0), 60_000)).toEqual([
      { type: 'NetworkUnavailable', status: 'False', lastTransitionTime: s(0) },
      { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: s(10), lastTransitionTime: s(60) },
      { type: 'DiskPressure', status: 'Unknown', reason: 'NodeStatusUnknown', lastTransitionTime: s(1) },
      { type: 'MemoryPressure', status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: s(0), lastTransitionTime: s(60) },
      { type: 'PIDPressure', status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: s(0), lastTransitionTime: s(60) },
    ]);
  });

  it('UpdatePodCondition: a new status stamps the transition time; the same status keeps it; nothing new is null', () => {
    const status: PodStatus = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: s(3) }] };
    expect(updatePodCondition(status, { type: 'Ready', status: 'False' }, 9_000)).toEqual({ phase: 'Running', conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: s(9) }] });
    expect(updatePodCondition(status, { type: 'Ready', status: 'True', reason: 'R' }, 9_000)).toEqual({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True', reason: 'R', lastTransitionTime: s(3) }] });
    expect(updatePodCondition(status, { type: 'Ready', status: 'True' }, 9_000)).toBeNull();
    expect(updatePodCondition(status, { type: 'DisruptionTarget', status: 'True' }, 9_000)?.conditions?.[1]).toEqual({ type: 'DisruptionTarget', status: 'True', lastTransitionTime: s(9) });
  });
});

describe('the zones\' tainters', () => {
  it('take one node per token, spend a token on a head not yet due, and put a node to retry after those due', () => {
    let zones = addZone(NO_ZONES, '', 0);
    for (const node of ['a', 'b', 'c']) zones = queueForTainting(zones, '', node, 0);
    expect(queueForTainting(zones, '', 'a', 0)).toBe(zones);
    const tried: string[] = [];
    zones = tryTainting(zones, 0, (node) => { tried.push(node); return node !== 'a'; });
    expect(tried).toEqual(['a']);
    expect(zones.tainters['']!.queue).toEqual([{ node: 'b', processAtMs: 0 }, { node: 'c', processAtMs: 0 }, { node: 'a', processAtMs: 51 }]);
    expect(nextTaintingMs(zones)).toBe(10_000);
    zones = tryTainting(zones, 10_000, (node) => { tried.push(node); return true; });
    expect(tried).toEqual(['a', 'b']);
    expect(zones.tainters['']!.added).toEqual(['a', 'b', 'c']);
  });

  it('handleDisruption: all zones fully disrupted stops every tainter; a Ready node again restarts them drained', () => {
    const zones = handleDisruption(addZone(addZone(NO_ZONES, 'x', 0), 'y', 0), new Map([['x', [{ type: 'Ready', status: 'True' }]], ['y', [undefined]]]), 0).zones;
    expect(zones.states).toEqual({ x: 'Normal', y: 'FullDisruption' });
    const down = handleDisruption(zones, new Map([['x', [{ type: 'Ready', status: 'Unknown' }]], ['y', [undefined]]]), 5_000);
    expect(down.mode).toBe('entered');
    expect(Object.values(down.zones.tainters).map((t) => t.bucket.qps)).toEqual([0, 0]);
    expect(handleDisruption(down.zones, new Map([['x', [undefined]], ['y', [undefined]]]), 10_000)).toEqual({ zones: down.zones, mode: null });
    const up = handleDisruption(down.zones, new Map([['x', [{ type: 'Ready', status: 'True' }]]]), 20_000);
    expect(up.mode).toBe('exited');
    expect(up.zones.states).toEqual({ x: 'Normal' });
    expect(up.zones.tainters.x!.bucket).toEqual({ qps: 0.1, fullAtMs: 30_000 });
  });
});

// --- The controller, against the store ------------------------------------------------------------

const RENEW_MS = 10_000;

interface Running { readonly definition: ControllerDefinition; snapshot: AnyMachineSnapshot }

/** A store, controllers with perfect informers, and kubelets that only renew their leases every 10 s while alive. */
class Cluster {
  readonly store = new TestStore(10_000);
  readonly controllers: Running[];
  /** The requests the controllers sent, when, and by whom. */
  readonly sent: { readonly atMs: number; readonly by: string; readonly request: Request }[] = [];
  readonly renewing = new Set<string>();
  /** Requests the API server turns away with a 409, unapplied. */
  refuse: (request: Request) => boolean = () => false;
  private nextRenewMs = RENEW_MS;

  constructor(definitions: readonly ControllerDefinition[]) {
    this.controllers = definitions.map((definition) => ({ definition, snapshot: initialSnapshot(definition.machine, {}) }));
  }

  get nowMs(): number { return this.store.nowMs; }

  context<C extends ControllerContext>(name: string): C {
    return this.controllers.find((c) => c.definition.name === name)!.snapshot.context as C;
  }

  object(resource: Resource, key: string): KubeObject | undefined {
    return this.store.context.objects[resource]?.get(key);
  }

  caches(): Caches {
    const objects = this.store.context.objects;
    return { nodes: objects.nodes ?? PMap.empty(), leases: objects.leases ?? PMap.empty(), pods: objects.pods ?? PMap.empty() };
  }

  private deliver(running: Running, event: ClientEvent | ReconcileEvent): void {
    running.snapshot = transition(running.definition.machine, running.snapshot, event);
  }

  private inform(resource: Resource, event: WatchEvent | null): void {
    for (const c of this.controllers) {
      if (!c.definition.resources.includes(resource)) continue;
      const caches = this.caches();
      this.deliver(c, { type: 'INFORMED', resource, event, cache: caches[resource]!, caches, nowMs: this.nowMs });
    }
  }

  /** A write by someone else (a kubelet, a user), seen at once by every controller. */
  write(request: WriteRequest): KubeObject {
    const object = this.store.ok(request);
    const event = this.store.context.event;
    if (event) this.inform(event.resource, event);
    return object;
  }

  /** Every informer lists. */
  start(): void {
    for (const resource of ['nodes', 'leases', 'pods'] as const) this.inform(resource, null);
  }

  /** The kubelet is back: it renews its lease and reports its node Ready with a new heartbeat. */
  kubeletReturns(node: string): void {
    this.renewing.add(node);
    while (this.nextRenewMs < this.nowMs) this.nextRenewMs += RENEW_MS;
    this.renewLease(node);
    const at = timestamp(this.nowMs);
    this.write({ verb: 'patch', resource: 'nodes', namespace: '', name: node, subresource: 'status', patch: { status: { conditions: [
      { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: at, lastTransitionTime: at },
    ] } } });
  }

  private renewLease(node: string): void {
    const lease = this.object('leases', `kube-node-lease/${node}`)!;
    this.write({ verb: 'update', resource: 'leases', object: { ...lease, spec: { ...(lease.spec as object), renewTime: timestamp(this.nowMs) } } });
  }

  /** Runs the controllers' requests, keys and timers, and the lease renewals, up to `untilMs` (or just before it). */
  run(untilMs: number, { before = false } = {}): void {
    for (;;) {
      const busy = this.controllers.find((c) => (c.snapshot.context as ControllerContext).request !== null);
      if (busy) { this.answer(busy); continue; }
      const queued = this.controllers.find((c) => (c.snapshot.context as ControllerContext).queue.length > 0);
      if (queued) {
        const key = (queued.snapshot.context as ControllerContext).queue[0]!;
        this.deliver(queued, { type: 'RECONCILE', key, caches: this.caches(), nowMs: this.nowMs, featureGates: DEFAULT_FEATURE_GATES });
        continue;
      }
      const timers = this.controllers.map((c) => (c.snapshot.context as ControllerContext).wakeAtMs).filter((t): t is number => t !== null);
      const renewAtMs = this.renewing.size > 0 ? this.nextRenewMs : Infinity;
      const nextMs = Math.min(renewAtMs, ...timers);
      if (nextMs > untilMs || (before && nextMs === untilMs)) break;
      this.store.nowMs = Math.max(this.nowMs, nextMs);
      if (nextMs === renewAtMs) {
        for (const node of this.renewing) this.renewLease(node);
        this.nextRenewMs += RENEW_MS;
        continue;
      }
      for (const c of this.controllers) {
        const wake = (c.snapshot.context as ControllerContext).wakeAtMs;
        if (wake !== null && wake <= this.nowMs) this.deliver(c, { type: 'TIMER', nowMs: this.nowMs });
      }
    }
    this.store.nowMs = untilMs;
  }

  private answer(running: Running): void {
    const request = (running.snapshot.context as ControllerContext).request!;
    this.sent.push({ atMs: this.nowMs, by: running.definition.name, request });
    if (this.refuse(request)) {
      const reply: Reply = { ok: false, status: conflict('pods', describeRequest(request), 'the object has been modified') };
      this.deliver(running, { type: 'REPLY', request, reply, nowMs: this.nowMs });
      return;
    }
    if (!isWrite(request)) {
      if (request.verb !== 'get') throw new Error(`unexpected ${describeRequest(request)}`);
      this.deliver(running, { type: 'REPLY', request, reply: getObject(this.store.context, request.resource, request.namespace, request.name), nowMs: this.nowMs });
      return;
    }
    const reply = this.store.write(request);
    const event = this.store.context.event;
    this.deliver(running, { type: 'REPLY', request, reply, nowMs: this.nowMs });
    if (reply.ok && event) this.inform(event.resource, event);
  }

  /** `<seconds>s <controller>: <request>`, for each request sent. */
  log(): string[] {
    return this.sent.map((sent) => `${sent.atMs / 1000}s ${sent.by}: ${describeRequest(sent.request)}`);
  }

  /** The objects of the requests sent at `seconds` that match. */
  written(seconds: number, match: (request: Request) => boolean): unknown[] {
    return this.sent.filter((sent) => sent.atMs === seconds * 1000 && match(sent.request))
      .map(({ request }) => (request.verb === 'update' ? request.object : request));
  }
}

/** A node as a kubelet registers it at 0 s: its four conditions, Ready. */
function registeredNode(name: string, labels: Record<string, string> = {}): KubeObject {
  const condition = (type: string, status: string, reason: string, message: string): NodeCondition =>
    ({ type, status, lastHeartbeatTime: s(0), lastTransitionTime: s(0), reason, message });
  return {
    apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, spec: {},
    status: { conditions: [
      condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
    ] },
  };
}

function leaseFor(node: string): KubeObject {
  return {
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: node, namespace: 'kube-node-lease' },
    spec: { holderIdentity: node, leaseDurationSeconds: 40, renewTime: s(0) },
  };
}

/** A pod created (with DefaultTolerationSeconds' tolerations), bound and reported Ready. */
function readyPod(c: Cluster, name: string, node: string, spec: Record<string, unknown> = {}): void {
  const created = c.write({ verb: 'create', resource: 'pods', namespace: 'default', object: pod(name, { spec }) });
  c.write({ verb: 'bind', namespace: 'default', name, uid: created.metadata.uid!, nodeName: node });
  const bound = c.object('pods', `default/${name}`)!;
  c.write({ verb: 'update', resource: 'pods', subresource: 'status', object: { ...bound, status: { ...(bound.status as object), conditions: [{ type: 'Ready', status: 'True' }] } } });
}

/** Nodes registered at 0 s with their leases, each kubelet renewing, a ready pod web-<node> on each; the informers listed. */
function cluster(nodes: readonly string[], definitions: readonly ControllerDefinition[] = [nodeLifecycleController]): Cluster {
  const c = new Cluster(definitions);
  for (const name of nodes) {
    c.write({ verb: 'create', resource: 'nodes', namespace: '', object: registeredNode(name) });
    c.write({ verb: 'create', resource: 'leases', namespace: 'kube-node-lease', object: leaseFor(name) });
    c.renewing.add(name);
    readyPod(c, `web-${name}`, name);
  }
  c.start();
  return c;
}

const unknownConditions = (atSeconds: number): NodeCondition[] => ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((type) => ({
  type, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: s(0), lastTransitionTime: s(atSeconds),
}));
const taintsOf = (c: Cluster, node: string) => (c.object('nodes', node)!.spec as NodeSpec).taints;
const readyOf = (c: Cluster, podKey: string) => (c.object('pods', podKey)!.status as PodStatus).conditions?.find((x) => x.type === 'Ready');

describe('a node whose kubelet stops renewing its lease at 0 s', () => {
  it('goes Unknown at the first pass after the 50 s grace (55 s), its pods not Ready, and is tainted NoExecute at the next pass', () => {
    const c = cluster(['node-1', 'node-2']);
    c.renewing.delete('node-1');
    c.run(300_000);
    expect(c.log()).toEqual([
      '55s node-lifecycle: update nodes/status node-1 at rv 2',
      '55s node-lifecycle: update pods/status default/web-node-1 at rv 6',
      '55s node-lifecycle: update nodes node-1 at rv 17',
      '60s node-lifecycle: update nodes node-1 at rv 19',
    ]);
    const [status, podStatus, noSchedule, noExecute] = c.sent.map((sent) => (sent.request as Extract<Request, { verb: 'update' }>).object);
    expect((status!.status as NodeStatus).conditions).toEqual(unknownConditions(55));
    expect((podStatus!.status as PodStatus).conditions).toEqual([{ type: 'Ready', status: 'False', lastTransitionTime: s(55) }]);
    expect((noSchedule!.spec as NodeSpec).taints).toEqual([{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: s(55) }]);
    expect((noExecute!.spec as NodeSpec).taints).toEqual([
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: s(55) },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: s(60) },
    ]);
    expect(readyOf(c, 'default/web-node-2')?.status).toBe('True');
  });

  it('has its pod, which tolerates unreachable for 300 s, deleted 300 s after the taint: DisruptionTarget first', () => {
    const c = cluster(['node-1', 'node-2'], [nodeLifecycleController, taintEvictionController]);
    c.renewing.delete('node-1');
    c.run(359_999);
    expect(c.object('pods', 'default/web-node-1')!.metadata.deletionTimestamp).toBeUndefined();
    c.run(400_000);
    expect(c.log().slice(4)).toEqual([
      '360s taint-eviction: get pods default/web-node-1',
      '360s taint-eviction: patch pods/status default/web-node-1',
      '360s taint-eviction: delete pods default/web-node-1',
    ]);
    expect(c.written(360, (r) => r.verb === 'patch')).toEqual([{
      verb: 'patch', resource: 'pods', namespace: 'default', name: 'web-node-1', subresource: 'status',
      patch: { metadata: { uid: c.object('pods', 'default/web-node-1')!.metadata.uid }, status: { conditions: [
        { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: s(360) },
      ] } },
    }]);
    // Deleted with the pod's own grace period.
    expect(c.object('pods', 'default/web-node-1')!.metadata).toMatchObject({ deletionTimestamp: s(390), deletionGracePeriodSeconds: 30 });
  });

  it('when it comes back (100 s), loses its taints at the next pass, and the eviction is cancelled', () => {
    const c = cluster(['node-1', 'node-2'], [nodeLifecycleController, taintEvictionController]);
    c.renewing.delete('node-1');
    c.run(100_000, { before: true });
    c.kubeletReturns('node-1');
    c.run(400_000);
    expect(c.log().slice(4)).toEqual([
      '100s node-lifecycle: update nodes node-1 at rv 26',
      '100s node-lifecycle: update nodes node-1 at rv 27',
    ]);
    expect(c.written(100, () => true).map((node) => (node as KubeObject).spec)).toEqual([
      { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: s(60) }] },
      {},
    ]);
    expect(taintsOf(c, 'node-1')).toBeUndefined();
    expect(c.context<TaintEvictionContext>('taint-eviction')).toEqual(expect.objectContaining({ workers: {}, taintedNodes: {}, delayed: [] }));
    expect(c.object('pods', 'default/web-node-1')!.metadata.deletionTimestamp).toBeUndefined();
  });
});

describe('a node its kubelet reports not Ready', () => {
  it('is tainted not-ready at once (its pods are the kubelet\'s to mark); gone silent, the taint is swapped for unreachable without waiting for a token', () => {
    const c = cluster(['node-1', 'node-2']);
    c.run(10_000, { before: true });
    c.write({ verb: 'patch', resource: 'nodes', namespace: '', name: 'node-1', subresource: 'status', patch: { status: { conditions: [
      { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'container runtime is down', lastHeartbeatTime: s(10), lastTransitionTime: s(10) },
    ] } } });
    c.run(20_000);
    c.renewing.delete('node-1');
    c.run(100_000);
    const taintWrites = c.sent.filter((sent) => sent.request.verb === 'update' && sent.request.subresource === undefined)
      .map((sent) => `${sent.atMs / 1000}s ${((sent.request as Extract<Request, { verb: 'update' }>).object.spec as NodeSpec).taints?.map((t) => `${t.key.split('/')[1]}:${t.effect}@${t.timeAdded?.slice(14, 19)}`).join(' ')}`);
    expect(taintWrites).toEqual([
      '10s not-ready:NoSchedule@00:10',
      '10s not-ready:NoSchedule@00:10 not-ready:NoExecute@00:10',
      // Lease last renewed at 20 s: Unknown at 75 s.
      '75s not-ready:NoSchedule@00:10 not-ready:NoExecute@00:10 unreachable:NoSchedule@01:15',
      '75s not-ready:NoExecute@00:10 unreachable:NoSchedule@01:15',
      // The next pass sees Unknown on a node tainted not-ready: SwapNodeControllerTaint, two writes, the second on the first.
      '80s not-ready:NoExecute@00:10 unreachable:NoSchedule@01:15 unreachable:NoExecute@01:20',
      '80s unreachable:NoSchedule@01:15 unreachable:NoExecute@01:20',
    ]);
    expect(c.log().filter((line) => line.includes('pods/status'))).toEqual([]);
  });
});

describe('master disruption mode', () => {
  it('all nodes down at once: every zone fully disrupted, so no NoExecute taint and no eviction', () => {
    const c = cluster(['node-1', 'node-2'], [nodeLifecycleController, taintEvictionController]);
    c.renewing.clear();
    c.run(600_000);
    expect(c.log()).toEqual([
      '55s node-lifecycle: update nodes/status node-1 at rv 2',
      '55s node-lifecycle: update pods/status default/web-node-1 at rv 6',
      '55s node-lifecycle: update nodes/status node-2 at rv 7',
      '55s node-lifecycle: update pods/status default/web-node-2 at rv 11',
      '55s node-lifecycle: update nodes node-1 at rv 12',
      '55s node-lifecycle: update nodes node-2 at rv 14',
    ]);
    expect([taintsOf(c, 'node-1'), taintsOf(c, 'node-2')]).toEqual([
      [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: s(55) }],
      [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: s(55) }],
    ]);
    expect(c.context<NodeLifecycleContext>('node-lifecycle').zones.states).toEqual({ '': 'FullDisruption' });
  });

  it('the last node going down takes the NoExecute taint off the others, and cancels their evictions', () => {
    const c = cluster(['node-1', 'node-2'], [nodeLifecycleController, taintEvictionController]);
    c.renewing.delete('node-1');
    c.run(30_000);
    c.renewing.delete('node-2');
    c.run(600_000);
    expect(c.log()).toEqual([
      '55s node-lifecycle: update nodes/status node-1 at rv 2',
      '55s node-lifecycle: update pods/status default/web-node-1 at rv 6',
      '55s node-lifecycle: update nodes node-1 at rv 15',
      '60s node-lifecycle: update nodes node-1 at rv 17',
      // node-2's lease was last renewed at 30 s: Unknown at 85 s, and every zone is fully disrupted.
      '85s node-lifecycle: update nodes/status node-2 at rv 7',
      '85s node-lifecycle: update pods/status default/web-node-2 at rv 11',
      '85s node-lifecycle: update nodes node-1 at rv 18',
      '85s node-lifecycle: update nodes node-2 at rv 19',
    ]);
    expect(taintsOf(c, 'node-1')).toEqual([{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: s(55) }]);
    expect(c.context<TaintEvictionContext>('taint-eviction')).toEqual(expect.objectContaining({ workers: {}, taintedNodes: {}, delayed: [] }));
    expect(c.object('pods', 'default/web-node-1')!.metadata.deletionTimestamp).toBeUndefined();
  });

  it('ends when a node is Ready again: tainting resumes with a drained bucket, 10 s later', () => {
    const c = cluster(['node-1', 'node-2']);
    c.renewing.clear();
    c.run(100_000, { before: true });
    c.kubeletReturns('node-2');
    c.run(200_000);
    expect(c.log().slice(6)).toEqual([
      '100s node-lifecycle: update nodes node-2 at rv 19',
      '110s node-lifecycle: update nodes node-1 at rv 16',
    ]);
    expect(taintsOf(c, 'node-1')).toEqual([
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: s(55) },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: s(110) },
    ]);
    expect(c.context<NodeLifecycleContext>('node-lifecycle').zones.states).toEqual({ '': 'Normal' });
  });
});

describe('the zone\'s rate limit', () => {
  const noExecuteTaints = (c: Cluster) => c.sent.flatMap((sent) => (sent.request.verb === 'update' && sent.request.subresource === undefined
    ? ((sent.request.object.spec as NodeSpec).taints ?? []).filter((t) => t.effect === 'NoExecute' && t.timeAdded === timestamp(sent.atMs)).map((t) => `${sent.request.verb === 'update' ? sent.request.object.metadata.name : ''} at ${sent.atMs / 1000}s`)
    : []));

  it('taints one node per token: the bucket starts full, then refills every 10 s', () => {
    const c = cluster(['node-1', 'node-2', 'node-3', 'node-4', 'node-5']);
    c.renewing.delete('node-1');
    c.renewing.delete('node-2');
    c.run(200_000);
    expect(noExecuteTaints(c)).toEqual(['node-1 at 60s', 'node-2 at 70s']);
  });

  it('3 of 5 nodes down is a partial disruption, and a zone of 50 nodes or fewer then taints none', () => {
    const c = cluster(['node-1', 'node-2', 'node-3', 'node-4', 'node-5']);
    for (const node of ['node-1', 'node-2', 'node-3']) c.renewing.delete(node);
    c.run(600_000);
    expect(noExecuteTaints(c)).toEqual([]);
    expect(c.context<NodeLifecycleContext>('node-lifecycle').zones.states).toEqual({ '': 'PartialDisruption' });
  });
});

describe('other paths', () => {
  it('a node that never posted a Ready condition gets the startup grace (60 s), then conditions never updated and, now with a Ready condition, its taints', () => {
    const c = cluster(['node-1']);
    c.write({ verb: 'create', resource: 'nodes', namespace: '', object: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'bare' }, spec: {} } });
    c.run(100_000);
    expect(c.log()).toEqual([
      '65s node-lifecycle: update nodes/status bare at rv 7',
      '65s node-lifecycle: update nodes bare at rv 14',
      '65s node-lifecycle: update nodes bare at rv 15',
    ]);
    expect(taintsOf(c, 'bare')).toEqual([
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: s(65) },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: s(65) },
    ]);
    expect((c.object('nodes', 'bare')!.status as NodeStatus).conditions).toEqual(['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'].map((type) => ({
      type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: s(0), lastTransitionTime: s(65),
    })));
  });

  it('a pod bound to a node already seen not Ready is marked not Ready at once (processPod)', () => {
    const c = cluster(['node-1', 'node-2']);
    c.renewing.delete('node-1');
    c.run(70_000);
    const created = c.write({ verb: 'create', resource: 'pods', namespace: 'default', object: { ...pod('late'), status: { conditions: [{ type: 'Ready', status: 'True' }] } } });
    c.write({ verb: 'bind', namespace: 'default', name: 'late', uid: created.metadata.uid!, nodeName: 'node-1' });
    c.run(70_000);
    expect(c.log().slice(4)).toEqual(['70s node-lifecycle: update pods/status default/late at rv 24']);
    expect(readyOf(c, 'default/late')).toEqual({ type: 'Ready', status: 'False', lastTransitionTime: s(70) });
  });

  it('a pod status update that fails leaves the node to mark again at the next pass', () => {
    const c = cluster(['node-1', 'node-2']);
    c.renewing.delete('node-1');
    c.refuse = (request) => request.verb === 'update' && request.resource === 'pods';
    c.run(55_000);
    expect(c.context<NodeLifecycleContext>('node-lifecycle').nodesToRetry).toEqual(['node-1']);
    c.refuse = () => false;
    c.run(60_000);
    expect(c.log().filter((line) => line.includes('pods/status'))).toEqual([
      '55s node-lifecycle: update pods/status default/web-node-1 at rv 6',
      '60s node-lifecycle: update pods/status default/web-node-1 at rv 6',
    ]);
    expect(readyOf(c, 'default/web-node-1')).toEqual({ type: 'Ready', status: 'False', lastTransitionTime: s(60) });
    expect(c.context<NodeLifecycleContext>('node-lifecycle').nodesToRetry).toEqual([]);
  });

  it('a cordoned node gets the unschedulable NoSchedule taint, and loses it when uncordoned', () => {
    const c = cluster(['node-1']);
    c.run(1_000);
    const node = c.object('nodes', 'node-1')!;
    c.write({ verb: 'update', resource: 'nodes', object: { ...node, spec: { unschedulable: true } } });
    c.run(2_000);
    expect(taintsOf(c, 'node-1')).toEqual([{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: s(1) }]);
    const cordoned = c.object('nodes', 'node-1')!;
    c.write({ verb: 'update', resource: 'nodes', object: { ...cordoned, spec: { taints: (cordoned.spec as NodeSpec).taints } } });
    c.run(3_000);
    expect(c.object('nodes', 'node-1')!.spec).toEqual({});
  });
});

describe('with the taint-eviction controller, a NoExecute taint a pod does not tolerate', () => {
  it('deletes the pod at once; a pod that tolerates it without a limit stays', () => {
    const c = cluster(['node-1'], [nodeLifecycleController, taintEvictionController]);
    readyPod(c, 'db', 'node-1', { tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }] });
    c.run(1_000);
    const node = c.object('nodes', 'node-1')!;
    c.write({ verb: 'update', resource: 'nodes', object: { ...node, spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }] } } });
    c.run(2_000);
    expect(c.log()).toEqual([
      '1s taint-eviction: get pods default/web-node-1',
      '1s taint-eviction: patch pods/status default/web-node-1',
      '1s taint-eviction: delete pods default/web-node-1',
    ]);
    expect(c.object('pods', 'default/db')!.metadata.deletionTimestamp).toBeUndefined();
  });
});
