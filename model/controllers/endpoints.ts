// The Endpoints controller (pkg/controller/endpoint/endpoints_controller.go syncService, with
// staging/src/k8s.io/endpointslice/util controller_utils.go ShouldPodBeInEndpoints and the pod
// update projection, pkg/api/v1/pod FindPort, pkg/api/v1/endpoints RepackSubsets): for every
// Service with a selector, an Endpoints object of the same name lists the pods the selector
// matches that have an IP and are neither terminal nor terminating (unless the Service publishes
// not-ready addresses): ready ones under addresses, the others under notReadyAddresses, with the
// Service's ports resolved against each pod. It is written only when it changed, and deleted
// with its Service. A write at a resourceVersion the informer already superseded is not tried
// (the stale-endpoints tracker); a failed sync is retried with back-off, at most 15 times.
//
// Left out: the endpoints.kubernetes.io/last-change-trigger-time annotation (a latency metric's
// input; never written, so removed like a zero trigger time removes it upstream). Subsets and
// their ports are sorted by their JSON text, where upstream sorts by an md5 of Go's printed form
// (as model/controllers/hash.ts explains): stable, but not upstream's order.
import type { Endpoints, EndpointAddress, EndpointPort, EndpointSubset, Pod, Service, ServicePort } from 'kubernetes-types/core/v1.js';
import type { Caches, InformedEvent } from '../client.ts';
import { deepEqual } from '../equal.ts';
import { PMap } from '../pmap.ts';
import { selectorMatches, type Labels } from '../labels.ts';
import type { Reply, Request } from '../requests.ts';
import type { KubeObject } from '../resources.ts';
import { isPodReady } from '../semantics/replicaset.ts';
import {
  cacheOf, type ControllerDefinition, controllerMachine, EMPTY_CONTROLLER, enqueue, keyOfObject, send,
} from './controller.ts';
import { addRateLimited, forgetFailures, NO_FAILURES, numRequeues, type RateLimitedContext } from './garbage-collector-rate-limiter.ts';

/** maxRetries: a Service failing this often is dropped from the queue until its next change. */
export const MAX_RETRIES = 15;
/** maxCapacity: addresses beyond it are truncated, and the Endpoints says so. */
export const MAX_CAPACITY = 1000;
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';
const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';

export interface EndpointsControllerContext extends RateLimitedContext {
  /** staleEndpointsTracker: the resourceVersion each Endpoints had before this controller's last update of it. */
  readonly staleEndpoints: PMap<string>;
}

type Context = EndpointsControllerContext;

const asService = (o: KubeObject) => o as unknown as Service;
const asPod = (o: KubeObject) => o as unknown as Pod;

/** utilnet.IsIPv6String, for the well-formed addresses the model hands out. */
function isIPv6(ip: string | undefined): boolean {
  return ip !== undefined && ip.includes(':');
}

/** getServicesForPod: the Services of the namespace whose (non-nil) selector matches the labels. */
function servicesFor(caches: Caches, namespace: string | undefined, labels: Labels | undefined): string[] {
  return [...cacheOf(caches, 'services').values()]
    .filter((s) => s.metadata.namespace === namespace && asService(s).spec?.selector !== undefined && selectorMatches({ matchLabels: asService(s).spec!.selector }, labels))
    .map(keyOfObject);
}

/**
 * GetPodUpdateProjectionKey + GetServicesToUpdate: an update that changes neither the pod's
 * endpoint nor its labels queues nothing. A deletionTimestamp counts as changed whenever either
 * side has one (upstream compares the two pointers).
 */
function servicesOnPodUpdate(caches: Caches, old: Pod, pod: Pod): string[] {
  if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return [];
  const labelsChanged = !deepEqual(old.metadata?.labels, pod.metadata?.labels) ||
    old.spec?.hostname !== pod.spec?.hostname || old.spec?.subdomain !== pod.spec?.subdomain;
  const oldIPs = (old.status?.podIPs ?? []).map((p) => p.ip);
  const newIPs = (pod.status?.podIPs ?? []).map((p) => p.ip);
  const podChanged = old.metadata?.deletionTimestamp !== undefined || pod.metadata?.deletionTimestamp !== undefined ||
    isPodReady(old) !== isPodReady(pod) || !deepEqual(oldIPs, newIPs);
  if (!podChanged && !labelsChanged) return [];
  const now = servicesFor(caches, pod.metadata?.namespace, pod.metadata?.labels);
  if (!labelsChanged) return now;
  const before = servicesFor(caches, old.metadata?.namespace, old.metadata?.labels);
  // Labels alone changed: only the Services the pod joined or left.
  return podChanged ? [...new Set([...now, ...before])] : [...now.filter((k) => !before.includes(k)), ...before.filter((k) => !now.includes(k))];
}

function onInformed(ctx: Context, informed: InformedEvent): Context {
  const { resource, event, caches } = informed;
  const services = cacheOf(caches, 'services');
  const endpoints = cacheOf(caches, 'endpoints');
  if (resource === 'services') {
    // A relist: every Service, and the Endpoints of Services gone meanwhile.
    if (event === null) return enqueue(ctx, [...services.keys(), ...[...endpoints.keys()].filter((k) => !services.has(k))]);
    return enqueue(ctx, [keyOfObject(event.object)]);
  }
  if (resource === 'pods') {
    if (event === null) return enqueue(ctx, [...services.values()].filter((s) => asService(s).spec?.selector !== undefined).map(keyOfObject));
    const pod = asPod(event.object);
    if (event.type === 'MODIFIED' && event.previous !== null) return enqueue(ctx, servicesOnPodUpdate(caches, asPod(event.previous), pod));
    return enqueue(ctx, servicesFor(caches, pod.metadata?.namespace, pod.metadata?.labels));
  }
  if (resource === 'endpoints') {
    // A relist: checkLeftoverEndpoints, and the Services whose Endpoints went meanwhile.
    if (event === null) return enqueue(ctx, [...endpoints.keys(), ...[...services.keys()].filter((k) => !endpoints.has(k))]);
    return event.type === 'DELETED' ? enqueue(ctx, [keyOfObject(event.object)]) : ctx;
  }
  return ctx;
}

/** podToEndpointAddressForService: the pod's IP of the Service's family, where it runs, and which pod it is. */
function endpointAddress(service: Service, pod: Pod): EndpointAddress | null {
  const spec = service.spec ?? {};
  const clusterIP = spec.clusterIP;
  const ipv6 = spec.ipFamilies?.length ? spec.ipFamilies[0] === 'IPv6'
    : clusterIP && clusterIP !== 'None' ? isIPv6(clusterIP) : isIPv6(pod.status?.podIP);
  const ip = (pod.status?.podIPs ?? []).find((p) => isIPv6(p.ip) === ipv6)?.ip;
  if (ip === undefined) return null;
  const m = pod.metadata ?? {};
  // ShouldSetHostname: the pod asked for a hostname in this Service's subdomain.
  const hostname = pod.spec?.hostname && pod.spec.subdomain === service.metadata?.name && service.metadata?.namespace === m.namespace ? pod.spec.hostname : undefined;
  return {
    ip, ...(hostname !== undefined ? { hostname } : {}), nodeName: pod.spec?.nodeName ?? '',
    targetRef: { kind: 'Pod', namespace: m.namespace, name: m.name, uid: m.uid },
  };
}

/** FindPort: a number as it is; a name looked up among the containers' (and sidecars') ports of the same protocol. */
function findPort(pod: Pod, servicePort: ServicePort): number | null {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  const protocol = servicePort.protocol ?? 'TCP';
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const container of [...(pod.spec?.containers ?? []), ...sidecars]) {
    const port = (container.ports ?? []).find((p) => p.name === target && (p.protocol ?? 'TCP') === protocol);
    if (port) return port.containerPort;
  }
  return null;
}

function endpointPort(servicePort: ServicePort, port: number): EndpointPort {
  return {
    ...(servicePort.name ? { name: servicePort.name } : {}), port, protocol: servicePort.protocol ?? 'TCP',
    ...(servicePort.appProtocol !== undefined ? { appProtocol: servicePort.appProtocol } : {}),
  };
}

/** LessEndpointAddress: by IP, then by the pod's uid. */
function lessAddress(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid ?? '';
  const ub = b.targetRef?.uid ?? '';
  return ua === ub ? 0 : ua < ub ? -1 : 1;
}

const byText = <T>(a: T, b: T) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0);

/**
 * RepackSubsets: one address per (IP, pod uid); for each port, which addresses offer it and
 * whether ready (not ready wins); ports offered by the same addresses with the same readiness
 * share a subset. A subset without ports (a headless Service without ports) keeps its addresses.
 */
function repackSubsets(offers: readonly { readonly address: EndpointAddress; readonly ready: boolean; readonly port: EndpointPort | null }[]): EndpointSubset[] {
  const byPort = new Map<string, { port: EndpointPort | null; ready: Map<string, boolean> }>();
  const addresses = new Map<string, EndpointAddress>();
  for (const { address, ready, port } of offers) {
    const id = JSON.stringify([address.ip, address.targetRef?.uid ?? '']);
    if (!addresses.has(id)) addresses.set(id, address);
    const portKey = JSON.stringify(port);
    const entry = byPort.get(portKey) ?? { port, ready: new Map<string, boolean>() };
    byPort.set(portKey, entry);
    if (entry.ready.get(id) !== false) entry.ready.set(id, ready);
  }
  const groups = new Map<string, { ports: EndpointPort[]; ready: Map<string, boolean> }>();
  for (const { port, ready } of byPort.values()) {
    const key = JSON.stringify([...ready].sort(([a], [b]) => lessAddress(addresses.get(a)!, addresses.get(b)!)));
    const group = groups.get(key) ?? { ports: [], ready };
    groups.set(key, group);
    if (port !== null) group.ports.push(port);
  }
  const subsets = [...groups.values()].map(({ ports, ready }): EndpointSubset => {
    const pick = (want: boolean) => [...ready].filter(([, r]) => r === want).map(([id]) => addresses.get(id)!).sort(lessAddress);
    const [yes, no] = [pick(true), pick(false)];
    return { ...(yes.length ? { addresses: yes } : {}), ...(no.length ? { notReadyAddresses: no } : {}), ...(ports.length ? { ports: ports.sort(byText) } : {}) };
  });
  return subsets.sort(byText);
}

/** truncateEndpoints: beyond maxCapacity, each subset keeps its share (rounded up), ready addresses first. */
function truncate(subsets: readonly EndpointSubset[]): EndpointSubset[] | null {
  const ready = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
  const notReady = subsets.reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0);
  if (ready + notReady <= MAX_CAPACITY) return null;
  const truncateReady = ready > MAX_CAPACITY;
  const max = truncateReady ? MAX_CAPACITY : MAX_CAPACITY - ready;
  const total = truncateReady ? ready : notReady;
  let canBeAdded = max;
  return subsets.map((s) => {
    const list = (truncateReady ? s.addresses : s.notReadyAddresses) ?? [];
    const kept = list.slice(0, Math.min(Math.ceil((list.length / total) * max), canBeAdded));
    canBeAdded -= kept.length;
    const { addresses: _a, notReadyAddresses: _n, ...rest } = s;
    return truncateReady
      ? { ...(kept.length ? { addresses: kept } : {}), ...rest }
      : { ...(s.addresses?.length ? { addresses: s.addresses } : {}), ...(kept.length ? { notReadyAddresses: kept } : {}), ...rest };
  });
}

/** Semantic equality ignores the pods' resourceVersion in targetRef, and empty lists. */
function semanticSubsets(subsets: readonly EndpointSubset[] | undefined): unknown {
  const addresses = (list: readonly EndpointAddress[] | undefined) =>
    list?.length ? list.map((a) => (a.targetRef ? { ...a, targetRef: { ...a.targetRef, resourceVersion: undefined } } : a)) : undefined;
  return (subsets ?? []).map((s) => ({ addresses: addresses(s.addresses), notReadyAddresses: addresses(s.notReadyAddresses), ports: s.ports?.length ? s.ports : undefined }));
}

function withoutKey(map: Readonly<Record<string, string>> | undefined, key: string): Record<string, string> {
  const { [key]: _dropped, ...rest } = map ?? {};
  return rest;
}

/** The Endpoints the Service should have, from the pods it selects. */
function desiredSubsets(service: Service, pods: readonly Pod[]): EndpointSubset[] {
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const ports = service.spec?.ports ?? [];
  const offers: { address: EndpointAddress; ready: boolean; port: EndpointPort | null }[] = [];
  for (const pod of pods) {
    // ShouldPodBeInEndpoints: not terminal, with an IP, and not terminating unless not-ready addresses are published.
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    if (!pod.status?.podIP && !pod.status?.podIPs?.length) continue;
    if (!publishNotReady && pod.metadata?.deletionTimestamp !== undefined) continue;
    const address = endpointAddress(service, pod);
    if (address === null) continue;
    const ready = publishNotReady || isPodReady(pod);
    if (ports.length === 0) {
      if (service.spec?.clusterIP === 'None') offers.push({ address, ready, port: null });
      continue;
    }
    for (const servicePort of ports) {
      const port = findPort(pod, servicePort);
      if (port !== null) offers.push({ address, ready, port: endpointPort(servicePort, port) });
    }
  }
  return repackSubsets(offers);
}

/** syncService. */
export function syncService(ctx: Context, key: string, caches: Caches, nowMs: number): Context {
  const [namespace = '', name = ''] = key.split('/');
  const serviceObject = cacheOf(caches, 'services').get(key);
  if (!serviceObject) return send(ctx, { verb: 'delete', resource: 'endpoints', namespace, name });
  const service = asService(serviceObject);
  if (service.spec?.type === 'ExternalName' || service.spec?.selector === undefined) return forgetFailures(ctx, key);
  const selector = { matchLabels: service.spec.selector };
  const pods = [...cacheOf(caches, 'pods').values()].filter((p) => p.metadata.namespace === namespace && selectorMatches(selector, p.metadata.labels)).map(asPod);
  const subsets = desiredSubsets(service, pods);

  const current = cacheOf(caches, 'endpoints').get(key) as (KubeObject & Endpoints) | undefined;
  if (current && ctx.staleEndpoints.get(key) === current.metadata.resourceVersion) return handleError(ctx, key, nowMs);
  const serviceLabels = service.metadata?.labels ?? {};
  const currentAnnotations = current?.metadata.annotations ?? {};
  const currentCount = (current?.subsets ?? []).reduce((n, s) => n + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0), 0);
  const capacityAnnotationCorrect = currentCount <= MAX_CAPACITY && currentAnnotations[OVER_CAPACITY_ANNOTATION] === undefined;
  if (current && deepEqual(semanticSubsets(current.subsets), semanticSubsets(subsets)) &&
    deepEqual(withoutKey(current.metadata.labels, HEADLESS_LABEL), serviceLabels) && capacityAnnotationCorrect) {
    return forgetFailures(ctx, key);
  }

  const truncated = truncate(subsets);
  const annotations = withoutKey(withoutKey(currentAnnotations, TRIGGER_TIME_ANNOTATION), OVER_CAPACITY_ANNOTATION);
  if (truncated !== null) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
  // IsServiceIPSet: a Service without a cluster IP is headless.
  const headless = !service.spec.clusterIP || service.spec.clusterIP === 'None';
  const labels = headless ? { ...serviceLabels, [HEADLESS_LABEL]: '' } : withoutKey(serviceLabels, HEADLESS_LABEL);
  const { labels: _l, annotations: _a, ...meta } = current?.metadata ?? { name };
  const { subsets: _s, ...base } = current ?? { apiVersion: 'v1', kind: 'Endpoints' };
  const finalSubsets = truncated ?? subsets;
  const object: KubeObject = {
    ...base,
    metadata: { ...meta, ...(Object.keys(labels).length ? { labels } : {}), ...(Object.keys(annotations).length ? { annotations } : {}) },
    ...(finalSubsets.length ? { subsets: finalSubsets } : {}),
  };
  const request: Request = current ? { verb: 'update', resource: 'endpoints', object } : { verb: 'create', resource: 'endpoints', namespace, object };
  return send(ctx, request);
}

/** handleErr: back-off, until MAX_RETRIES failures drop the key. */
function handleError(ctx: Context, key: string, nowMs: number): Context {
  return numRequeues(ctx, key) < MAX_RETRIES ? addRateLimited(ctx, key, nowMs) : forgetFailures(ctx, key);
}

function onReply(ctx: Context, request: Request, reply: Reply, nowMs: number): Context {
  const cleared: Context = { ...ctx, request: null };
  if (request.verb !== 'create' && request.verb !== 'update' && request.verb !== 'delete') return cleared;
  const key = request.verb === 'delete' ? `${request.namespace}/${request.name}` : request.verb === 'create' ? `${request.namespace}/${request.object.metadata.name}` : keyOfObject(request.object);
  if (request.verb === 'delete' && (reply.ok || reply.status.code === 404)) return forgetFailures({ ...cleared, staleEndpoints: cleared.staleEndpoints.delete(key) }, key);
  if (!reply.ok) return handleError(cleared, key, nowMs);
  const before = request.verb === 'update' ? request.object.metadata.resourceVersion : undefined;
  // The cache still holding the version this update replaced is stale: wait for the informer.
  const staleEndpoints = before !== undefined && reply.object?.metadata.resourceVersion !== before ? cleared.staleEndpoints.set(key, before) : cleared.staleEndpoints;
  return forgetFailures({ ...cleared, staleEndpoints }, key);
}

export const endpointsControllerMachine = controllerMachine<Context>('endpoints-controller', () => ({ ...EMPTY_CONTROLLER, failures: NO_FAILURES, staleEndpoints: PMap.empty<string>() }), {
  informed: onInformed,
  reconcile: (ctx, { key, caches, nowMs }) => syncService(ctx, key, caches, nowMs),
  reply: (ctx, { request, reply, nowMs }) => onReply(ctx, request, reply, nowMs),
});

export const endpointsController: ControllerDefinition = { name: 'endpoints', machine: endpointsControllerMachine, resources: ['services', 'pods', 'endpoints'] };
