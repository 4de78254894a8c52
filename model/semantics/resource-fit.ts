// The scheduler's resource plugins: NodeResourcesFit (PreFilter, Filter, and Score with the
// LeastAllocated, MostAllocated and RequestedToCapacityRatio strategies) and
// NodeResourcesBalancedAllocation, with the pod request they share. Follows
// kubernetes/kubernetes pkg/scheduler/framework/plugins/noderesources (fit.go
// computePodResourceRequest, PreFilter, Filter, fitsRequest, shouldDelegateResourceToDRA;
// resource_allocation.go; least_allocated.go; most_allocated.go;
// requested_to_capacity_ratio.go; balanced_allocation.go), pkg/scheduler/framework/types.go
// (Resource, NodeInfo, calculateResource), pkg/scheduler/apis/config/validation (the plugins'
// args) and component-helpers resource/helpers.go PodRequests. Amounts are integers: cpu in
// millicores (MilliValue), everything else in whole units (Value); Go's integer arithmetic
// is kept exact with BigInt.
import type { Container, PodSpec, ResourceRequirements } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../api-status.ts';
import { parseQuantity, quantityIn } from '../quantity.ts';
import { DEFAULT_FEATURES, MAX_NODE_SCORE, type ScoreError, type SchedulerFeatures } from './scheduler-framework.ts';

/** A ResourceList as the API spells it: resource name -> quantity ("100m", "1Gi") or a number of base units. */
export type ResourceList = Readonly<Record<string, string | number>>;

/** Amounts as the scheduler counts them: cpu in millicores, everything else in whole units. */
export type Amounts = Readonly<Record<string, number>>;

/** A pod spec with spec.resources (pod-level resources, API 1.32+), which kubernetes-types 1.30 lacks. */
export type PodSpecWithResources = PodSpec & { readonly resources?: ResourceRequirements };

const CPU = 'cpu';
const MEMORY = 'memory';
const EPHEMERAL_STORAGE = 'ephemeral-storage';
const PODS = 'pods';

// --- Resource names -----------------------------------------------------------

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** validation.IsQualifiedName: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
function isQualifiedName(value: string): boolean {
  const parts = value.split('/');
  const name = parts.at(-1) ?? '';
  if (parts.length > 2) return false;
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) return false;
  }
  return name.length <= 63 && QUALIFIED_NAME.test(name);
}

/** v1helper.IsPrefixedNativeResource: a name in the *kubernetes.io/ namespace. */
function isPrefixedNativeResource(name: string): boolean {
  return name.includes('kubernetes.io/');
}

/**
 * v1helper.IsExtendedResourceName: a domain-prefixed name outside *kubernetes.io/ that quota
 * can spell as requests.<name> (e.g. example.com/gpu).
 */
export function isExtendedResourceName(name: string): boolean {
  const native = !name.includes('/') || isPrefixedNativeResource(name);
  return !native && !name.startsWith('requests.') && isQualifiedName(`requests.${name}`);
}

/** schedutil.IsScalarResourceName: extended, hugepages-*, *kubernetes.io/* and attachable-volumes-* resources. */
export function isScalarResourceName(name: string): boolean {
  return (
    isExtendedResourceName(name) ||
    name.startsWith('hugepages-') ||
    isPrefixedNativeResource(name) ||
    name.startsWith('attachable-volumes-')
  );
}

/** The requests framework.Resource keeps (SetMaxResource); any other name is ignored. */
function isCountedResource(name: string): boolean {
  return name === CPU || name === MEMORY || name === EPHEMERAL_STORAGE || isScalarResourceName(name);
}

// --- Pod requests ---------------------------------------------------------------

/** Resource name -> quantity in base units (cores, bytes), before rounding to amounts. */
type Quantities = Record<string, number>;

/** schedutil.DefaultMilliCPURequest and DefaultMemoryRequest: stand-ins for omitted requests when scoring. */
const DEFAULT_REQUESTS: ResourceList = { cpu: '100m', memory: 200 * 1024 * 1024 };

/** resource.PodResourcesOptions, as far as the scheduler sets them. */
export type PodRequestsOptions = {
  /** SkipPodLevelResources: ignore spec.resources.requests (the PodLevelResources gate is off). */
  readonly skipPodLevelResources?: boolean;
  /** NonMissingContainerRequests: stand-ins for requests a container omits; an explicit 0 stays 0. */
  readonly nonMissingContainerRequests?: ResourceList;
};

/**
 * resource.PodRequests: max(regular containers + sidecars, each init container + the sidecars
 * declared before it); pod-level requests replace that for cpu, memory and hugepages-*; plus the
 * pod overhead. Every requested name is kept, a 0 request included.
 */
export function podRequests(spec: PodSpecWithResources, options: PodRequestsOptions = {}): Amounts {
  const aggregate = aggregateContainerRequests(spec, quantitiesOf(options.nonMissingContainerRequests));
  const podLevel = options.skipPodLevelResources ? {} : podLevelRequests(spec);
  const requests = sum({ ...aggregate, ...podLevel }, quantitiesOf(spec.overhead));
  return Object.fromEntries(Object.entries(requests).map(([name, q]) => [name, quantityIn(name, q)]));
}

/** AggregateContainerRequests (sidecar KEP 753): sidecars run beside the containers and every later init container. */
function aggregateContainerRequests(spec: PodSpec, nonMissing: Quantities): Quantities {
  let total = (spec.containers ?? []).reduce((acc, c) => sum(acc, containerRequests(c, nonMissing)), {});
  let sidecars: Quantities = {};
  let initPeak: Quantities = {};
  for (const init of spec.initContainers ?? []) {
    const own = containerRequests(init, nonMissing);
    if (isRestartable(init)) {
      total = sum(total, own);
      sidecars = sum(sidecars, own);
      initPeak = max(initPeak, sidecars);
    } else {
      initPeak = max(initPeak, sum(own, sidecars));
    }
  }
  return max(total, initPeak);
}

/** applyNonMissing: a container's requests, with a stand-in for each resource it omits. */
function containerRequests(container: Container, nonMissing: Quantities): Quantities {
  return { ...nonMissing, ...quantitiesOf(container.resources?.requests) };
}

/** IsPodLevelRequestsSet and IsSupportedPodLevelResource: spec.resources.requests for cpu, memory and hugepages-*. */
function podLevelRequests(spec: PodSpecWithResources): Quantities {
  const requests = quantitiesOf(spec.resources?.requests);
  return Object.fromEntries(
    Object.entries(requests).filter(([name]) => name === CPU || name === MEMORY || name.startsWith('hugepages-')),
  );
}

function isRestartable(container: Container): boolean {
  return container.restartPolicy === 'Always';
}

/** Each quantity in base units; an unparsable one counts as 0, as quantityIn does. */
function quantitiesOf(list: ResourceList | undefined): Quantities {
  return Object.fromEntries(Object.entries(list ?? {}).map(([name, q]) => [name, parseQuantity(q) ?? 0]));
}

/** addResourceList: a + b per resource, over the names of either. */
function sum(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): Record<string, number> {
  const result = { ...a };
  for (const [name, value] of Object.entries(b)) result[name] = (result[name] ?? 0) + value;
  return result;
}

/** maxResourceList: the larger of a and b per resource, over the names of either. */
function max(a: Quantities, b: Quantities): Quantities {
  const result = { ...a };
  for (const [name, value] of Object.entries(b)) {
    const current = result[name];
    if (current === undefined || value > current) result[name] = value;
  }
  return result;
}

/** The scheduler's framework.Resource of a pod: its requests, without names the scheduler does not count. */
function schedulerRequests(spec: PodSpecWithResources, features: SchedulerFeatures): Amounts {
  const requests = podRequests(spec, { skipPodLevelResources: !features.podLevelResources });
  return Object.fromEntries(Object.entries(requests).filter(([name]) => isCountedResource(name)));
}

// --- NodeInfo -------------------------------------------------------------------

/** DRA devices on a node for one DRA-backed extended resource: those of its DeviceClass, and how many are allocated. */
export type DraDevices = { readonly capacity: number; readonly allocated: number };

/** The scheduler's NodeInfo, as far as these plugins read it. */
export type NodeInfo = {
  /** node.status.allocatable as amounts (NewResource), pods included. */
  readonly allocatable: Amounts;
  /** How many pods are assigned to the node. */
  readonly podCount: number;
  /** Requested: the sum of the assigned pods' requests. */
  readonly requested: Amounts;
  /** NonZeroRequested: cpu and memory, with the default for a request a pod's containers omit. */
  readonly nonZeroRequested: Amounts;
  /** Per DRA-backed extended resource, the node's devices (read only with DRAExtendedResource). */
  readonly draDevices: Readonly<Record<string, DraDevices>>;
};

/** NodeInfo of a node with `allocatable` and the pods assigned to it (SetNode, then AddPod for each). */
export function newNodeInfo(
  allocatable: ResourceList,
  pods: readonly PodSpecWithResources[],
  features: SchedulerFeatures = DEFAULT_FEATURES,
  draDevices: Readonly<Record<string, DraDevices>> = {},
): NodeInfo {
  const counted = Object.entries(allocatable).filter(([name]) => name === PODS || isCountedResource(name));
  return {
    allocatable: Object.fromEntries(counted.map(([name, q]) => [name, quantityIn(name, q)])),
    podCount: pods.length,
    requested: pods.reduce<Amounts>((acc, pod) => sum(acc, schedulerRequests(pod, features)), {}),
    nonZeroRequested: pods.reduce<Amounts>((acc, pod) => sum(acc, nonZeroRequests(pod, features)), {}),
    draDevices,
  };
}

/**
 * NodeInfo.AddPod (`sign` 1) and RemovePod (-1): the node's counts with one pod more or less,
 * for a scheduler cache that keeps NodeInfo as pods come and go rather than summing anew.
 */
export function nodeInfoWithPod(
  node: NodeInfo,
  pod: PodSpecWithResources,
  sign: 1 | -1,
  features: SchedulerFeatures = DEFAULT_FEATURES,
): NodeInfo {
  const scaled = (amounts: Amounts) => Object.fromEntries(Object.entries(amounts).map(([name, q]) => [name, sign * q]));
  return {
    ...node,
    podCount: node.podCount + sign,
    requested: sum(node.requested, scaled(schedulerRequests(pod, features))),
    nonZeroRequested: sum(node.nonZeroRequested, scaled(nonZeroRequests(pod, features))),
  };
}

/**
 * PodInfo.calculateResource's non0CPU and non0Mem: without pod-level requests every container
 * omitting cpu or memory counts the default; with them, a default fills only a resource
 * neither the pod nor any container requests.
 */
function nonZeroRequests(spec: PodSpecWithResources, features: SchedulerFeatures): Amounts {
  const options = { skipPodLevelResources: !features.podLevelResources };
  const requests = podRequests(spec, options);
  const podLevelSet = features.podLevelResources && Object.keys(podLevelRequests(spec)).length > 0;
  const nonMissing = podLevelSet
    ? Object.fromEntries(Object.entries(DEFAULT_REQUESTS).filter(([name]) => requests[name] === undefined))
    : DEFAULT_REQUESTS;
  const nonZero = podRequests(spec, { ...options, nonMissingContainerRequests: nonMissing });
  return { cpu: nonZero.cpu ?? 0, memory: nonZero.memory ?? 0 };
}

// --- NodeResourcesFit: PreFilter and Filter ---------------------------------------

export const SIDECARS_DISABLED_REASON =
  'Pod has a restartable init container and the SidecarContainers feature is disabled';

export type FitPreFilterResult =
  | { readonly status: 'Success'; readonly podRequest: Amounts }
  | { readonly status: 'UnschedulableAndUnresolvable'; readonly reason: string };

/** PreFilter: the pod's request (computePodResourceRequest), or a rejection of sidecars with the gate off. */
export function nodeResourcesFitPreFilter(
  spec: PodSpecWithResources,
  features: SchedulerFeatures = DEFAULT_FEATURES,
): FitPreFilterResult {
  if (!features.sidecarContainers && (spec.initContainers ?? []).some(isRestartable)) {
    return { status: 'UnschedulableAndUnresolvable', reason: SIDECARS_DISABLED_REASON };
  }
  return { status: 'Success', podRequest: schedulerRequests(spec, features) };
}

/** NodeResourcesFitArgs' filter settings. */
export type FitArgs = {
  /** Extended resources the filter ignores. */
  readonly ignoredResources?: readonly string[];
  /** Extended resource domains (the part before '/') the filter ignores. */
  readonly ignoredResourceGroups?: readonly string[];
};

/** What the pod lacks on the node; Unresolvable when even an empty node could not fit it. */
export type InsufficientResource = {
  readonly resource: string;
  readonly reason: string;
  readonly requested: number;
  readonly used: number;
  readonly capacity: number;
  readonly unresolvable: boolean;
};

/**
 * fitsRequest: "Too many pods" first (even for a pod requesting nothing), then cpu, memory,
 * ephemeral-storage and the scalar resources, each short when the request exceeds
 * allocatable - requested. Scalars come in the pod request's order (upstream: Go map order).
 */
export function fitsRequest(
  podRequest: Amounts,
  node: NodeInfo,
  args: FitArgs = {},
  features: SchedulerFeatures = DEFAULT_FEATURES,
): InsufficientResource[] {
  const insufficient: InsufficientResource[] = [];
  const allowedPods = node.allocatable[PODS] ?? 0;
  if (node.podCount + 1 > allowedPods) {
    insufficient.push({
      resource: PODS, reason: 'Too many pods', requested: 1, used: node.podCount, capacity: allowedPods, unresolvable: false,
    });
  }
  if (requestsNothing(podRequest)) return insufficient;
  for (const name of checkOrder(podRequest)) {
    const request = podRequest[name] ?? 0;
    if (isChecked(name, request, node, args, features) && request > free(node, name)) {
      insufficient.push(shortage(name, request, node));
    }
  }
  return insufficient;
}

function requestsNothing(podRequest: Amounts): boolean {
  const nativeZero = [CPU, MEMORY, EPHEMERAL_STORAGE].every((name) => (podRequest[name] ?? 0) === 0);
  return nativeZero && Object.keys(podRequest).every((name) => !isScalarResourceName(name));
}

function checkOrder(podRequest: Amounts): string[] {
  return [CPU, MEMORY, EPHEMERAL_STORAGE, ...Object.keys(podRequest).filter(isScalarResourceName)];
}

/**
 * cpu, memory and ephemeral-storage are checked when requested; a scalar when its request
 * is not 0, it is not an ignored extended resource, and it is not left to DRA.
 */
function isChecked(name: string, request: number, node: NodeInfo, args: FitArgs, features: SchedulerFeatures): boolean {
  if (!isScalarResourceName(name)) return request > 0;
  return request !== 0 && !isIgnored(name, args) && !delegatedToDra(name, node, features);
}

/** Only extended resources can be ignored, by name or by domain; kubernetes.io/* names never are. */
function isIgnored(name: string, args: FitArgs): boolean {
  if (!isExtendedResourceName(name)) return false;
  const group = name.split('/')[0] ?? '';
  return (args.ignoredResources ?? []).includes(name) || (args.ignoredResourceGroups ?? []).includes(group);
}

/** shouldDelegateResourceToDRA: the gate is on, the node has none of it, and a DeviceClass maps it. */
function delegatedToDra(name: string, node: NodeInfo, features: SchedulerFeatures): boolean {
  const dra = features.draExtendedResources;
  return dra !== null && !((node.allocatable[name] ?? 0) > 0) && dra.has(name);
}

function free(node: NodeInfo, name: string): number {
  return (node.allocatable[name] ?? 0) - (node.requested[name] ?? 0);
}

function shortage(name: string, request: number, node: NodeInfo): InsufficientResource {
  const capacity = node.allocatable[name] ?? 0;
  return {
    resource: name,
    reason: `Insufficient ${name}`,
    requested: request,
    used: node.requested[name] ?? 0,
    capacity,
    unresolvable: request > capacity,
  };
}

export type FitFilterResult =
  | { readonly fits: true; readonly insufficientResources: readonly [] }
  | {
      readonly fits: false;
      readonly code: 'Unschedulable' | 'UnschedulableAndUnresolvable';
      readonly reasons: readonly string[];
      readonly insufficientResources: readonly InsufficientResource[];
    };

/** Filter: every reason, with code UnschedulableAndUnresolvable if any shortage is Unresolvable. */
export function nodeResourcesFitFilter(
  podRequest: Amounts,
  node: NodeInfo,
  args: FitArgs = {},
  features: SchedulerFeatures = DEFAULT_FEATURES,
): FitFilterResult {
  const insufficientResources = fitsRequest(podRequest, node, args, features);
  if (insufficientResources.length === 0) return { fits: true, insufficientResources: [] };
  return {
    fits: false,
    code: insufficientResources.some((r) => r.unresolvable) ? 'UnschedulableAndUnresolvable' : 'Unschedulable',
    reasons: insufficientResources.map((r) => r.reason),
    insufficientResources,
  };
}

// --- Scoring ------------------------------------------------------------------------

/** config.ResourceSpec: a resource the score reads, and its weight. */
export type ScoringResource = { readonly name: string; readonly weight: number };

/** config.UtilizationShapePoint: utilization 0..100 and score 0..10. */
export type ShapePoint = { readonly utilization: number; readonly score: number };

/** config.ScoringStrategy of NodeResourcesFit. */
export type ScoringStrategy =
  | { readonly type: 'LeastAllocated' | 'MostAllocated'; readonly resources: readonly ScoringResource[] }
  | {
      readonly type: 'RequestedToCapacityRatio';
      readonly resources: readonly ScoringResource[];
      readonly shape: readonly ShapePoint[];
    };

/** One scoring resource on one node; allocatable 0 leaves it out of the score. */
export type ResourceAllocation = {
  readonly weight: number;
  readonly allocatable: number;
  /** The node's requests plus the pod's. */
  readonly requested: number;
};

/** config.MaxCustomPriorityScore: the top of a RequestedToCapacityRatio shape's score. */
const MAX_CUSTOM_PRIORITY_SCORE = 10;
const MAX_UTILIZATION = 100;

/** Go's int64 a * b / c: the product is exact and the quotient truncates toward zero. */
function mulDiv(a: number, b: number, c: number): number {
  const product = a * b;
  // Below 2^52 a double holds the product exactly and floor(product / c) cannot round across an integer.
  if (product >= 0 && product < 2 ** 52 && c > 0) return Math.floor(product / c);
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

/** leastResourceScorer: the weighted mean of (allocatable - requested) * 100 / allocatable, 0 when over. */
export function leastAllocatedScore(resources: readonly ResourceAllocation[]): number {
  const scores = resourceScores(resources, (r) =>
    r.requested > r.allocatable ? 0 : mulDiv(r.allocatable - r.requested, MAX_NODE_SCORE, r.allocatable),
  );
  return weightedMean(scores);
}

/** mostResourceScorer: the weighted mean of min(requested, allocatable) * 100 / allocatable. */
export function mostAllocatedScore(resources: readonly ResourceAllocation[]): number {
  const scores = resourceScores(resources, (r) =>
    mulDiv(Math.min(r.requested, r.allocatable), MAX_NODE_SCORE, r.allocatable),
  );
  return weightedMean(scores);
}

/**
 * requestedToCapacityRatioScorer: the shape, its scores scaled to 0..100, maps each resource's
 * utilization (100 when over) to a score; only scores above 0 enter the mean, rounded to nearest.
 */
export function requestedToCapacityRatioScore(
  resources: readonly ResourceAllocation[],
  shape: readonly ShapePoint[],
): number {
  const scaled = shape.map((p) => ({ ...p, score: p.score * (MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE) }));
  const scores = resourceScores(resources, (r) => brokenLinear(scaled, utilization(r))).filter((s) => s.score > 0);
  const weightSum = scores.reduce((acc, s) => acc + s.weight, 0);
  // math.Round rounds half away from zero; the mean is never negative, so Math.round agrees.
  return weightSum === 0 ? 0 : Math.round(weightedTotal(scores) / weightSum);
}

function utilization(r: ResourceAllocation): number {
  return r.requested > r.allocatable ? MAX_UTILIZATION : mulDiv(r.requested, MAX_UTILIZATION, r.allocatable);
}

/** helper.BuildBrokenLinearFunction: flat outside the points, linear (integer division) between them. */
function brokenLinear(shape: readonly ShapePoint[], p: number): number {
  const i = shape.findIndex((point) => p <= point.utilization);
  if (i === -1) return shape.at(-1)?.score ?? 0;
  const next = shape[i];
  const prev = shape[i - 1];
  if (next === undefined || prev === undefined) return next?.score ?? 0;
  return prev.score + mulDiv(next.score - prev.score, p - prev.utilization, next.utilization - prev.utilization);
}

/**
 * balancedResourceScorer: fraction = min(requested / allocatable, 1) per resource (weights
 * unused); std is |f1 - f2| / 2 for two fractions, the population std for more, 0 for fewer;
 * the score is int((1 - std) * 100), float arithmetic as upstream.
 */
export function balancedAllocationScore(resources: readonly ResourceAllocation[]): number {
  const fractions = resources.filter((r) => r.allocatable !== 0).map((r) => Math.min(r.requested / r.allocatable, 1));
  return Math.trunc((1 - standardDeviation(fractions)) * MAX_NODE_SCORE);
}

function standardDeviation(fractions: readonly number[]): number {
  const [first, second] = fractions;
  if (fractions.length === 2 && first !== undefined && second !== undefined) return Math.abs((first - second) / 2);
  if (fractions.length < 2) return 0;
  const mean = fractions.reduce((acc, f) => acc + f, 0) / fractions.length;
  const squares = fractions.reduce((acc, f) => acc + (f - mean) * (f - mean), 0);
  return Math.sqrt(squares / fractions.length);
}

type WeightedScore = { readonly score: number; readonly weight: number };

/** The score of each resource the node has (allocatable > 0), with its weight. */
function resourceScores(
  resources: readonly ResourceAllocation[],
  score: (r: ResourceAllocation) => number,
): WeightedScore[] {
  return resources.filter((r) => r.allocatable !== 0).map((r) => ({ score: score(r), weight: r.weight }));
}

function weightedTotal(scores: readonly WeightedScore[]): number {
  return scores.reduce((acc, s) => acc + s.score * s.weight, 0);
}

/** sum(score * weight) / sum(weight), integer division; 0 when no resource counts. */
function weightedMean(scores: readonly WeightedScore[]): number {
  const weightSum = scores.reduce((acc, s) => acc + s.weight, 0);
  return weightSum === 0 ? 0 : mulDiv(weightedTotal(scores), 1, weightSum);
}

/**
 * calculatePodResourceRequestList: the pod's request of each scoring resource. Unless
 * `useRequested` (BalancedAllocation), defaults stand in for cpu and memory a container omits.
 */
export function scoringPodRequests(
  spec: PodSpecWithResources,
  resources: readonly ScoringResource[],
  useRequested: boolean,
  features: SchedulerFeatures = DEFAULT_FEATURES,
): number[] {
  const requests = podRequests(spec, {
    skipPodLevelResources: !features.podLevelResources,
    nonMissingContainerRequests: useRequested ? {} : DEFAULT_REQUESTS,
  });
  return resources.map((r) => requests[r.name] ?? 0);
}

/**
 * calculateResourceAllocatableRequest for each scoring resource. A scalar the pod does not
 * request is bypassed; a scalar the node lacks falls back, with DRAExtendedResource, to the
 * node's devices of its DeviceClass. cpu and memory use NonZeroRequested unless `useRequested`.
 */
export function resourceAllocations(
  resources: readonly ScoringResource[],
  podRequests: readonly number[],
  node: NodeInfo,
  useRequested: boolean,
  features: SchedulerFeatures = DEFAULT_FEATURES,
): ResourceAllocation[] {
  return resources.map((r, i) => {
    const podRequest = podRequests[i] ?? 0;
    return { weight: r.weight, ...allocatableAndRequested(r.name, podRequest, node, useRequested, features) };
  });
}

const BYPASSED = { allocatable: 0, requested: 0 };

function allocatableAndRequested(
  name: string,
  podRequest: number,
  node: NodeInfo,
  useRequested: boolean,
  features: SchedulerFeatures,
): { allocatable: number; requested: number } {
  if (podRequest === 0 && isScalarResourceName(name)) return BYPASSED;
  if (name === CPU || name === MEMORY) return onNode(name, podRequest, node, useRequested ? node.requested : node.nonZeroRequested);
  if (name === EPHEMERAL_STORAGE) return onNode(name, podRequest, node, node.requested);
  if (!isScalarResourceName(name)) return BYPASSED;
  const devices = node.draDevices[name];
  const draBacked = features.draExtendedResources?.has(name) === true && devices !== undefined;
  if ((node.allocatable[name] ?? 0) === 0 && draBacked && devices.capacity > 0) {
    return { allocatable: devices.capacity, requested: devices.allocated + podRequest };
  }
  return onNode(name, podRequest, node, node.requested);
}

/** The node's allocatable of `name`, and what it would have requested of it with the pod. */
function onNode(name: string, podRequest: number, node: NodeInfo, requested: Amounts): { allocatable: number; requested: number } {
  return { allocatable: node.allocatable[name] ?? 0, requested: (requested[name] ?? 0) + podRequest };
}

/** resourceAllocationScorer.score with no resources to score: an Error status, whatever the node. */
export const RESOURCES_NOT_FOUND: ScoreError = { code: 'Error', message: 'resources not found' };

/** NodeResourcesFit Score (PreScore folded in): the strategy's score of the node for the pod. */
export function nodeResourcesFitScore(
  spec: PodSpecWithResources,
  node: NodeInfo,
  strategy: ScoringStrategy,
  features: SchedulerFeatures = DEFAULT_FEATURES,
): number | ScoreError {
  return nodeResourcesFitScoreOf(scoringPodRequests(spec, strategy.resources, false, features), node, strategy, features);
}

/**
 * Score, given the pod's scoring requests (PreScore's, computed once per cycle); with no
 * scoring resources, resourceAllocationScorer.score's Error status RESOURCES_NOT_FOUND (PreScore
 * does not skip the pod: Fit has no best-effort shortcut).
 */
export function nodeResourcesFitScoreOf(
  podRequests: readonly number[],
  node: NodeInfo,
  strategy: ScoringStrategy,
  features: SchedulerFeatures = DEFAULT_FEATURES,
): number | ScoreError {
  if (strategy.resources.length === 0) return RESOURCES_NOT_FOUND;
  const allocations = resourceAllocations(strategy.resources, podRequests, node, false, features);
  switch (strategy.type) {
    case 'LeastAllocated':
      return leastAllocatedScore(allocations);
    case 'MostAllocated':
      return mostAllocatedScore(allocations);
    case 'RequestedToCapacityRatio':
      return requestedToCapacityRatioScore(allocations, strategy.shape);
  }
}

/** BalancedAllocation PreScore: Skip for a pod that requests none of the resources (isBestEffortPod). */
export function nodeResourcesBalancedAllocationPreScore(
  spec: PodSpecWithResources,
  resources: readonly ScoringResource[],
  features: SchedulerFeatures = DEFAULT_FEATURES,
): 'Success' | 'Skip' {
  return isBestEffort(scoringPodRequests(spec, resources, true, features)) ? 'Skip' : 'Success';
}

/** BalancedAllocation Score: 0 for a pod that requests none of the resources, else balancedAllocationScore. */
export function nodeResourcesBalancedAllocationScore(
  spec: PodSpecWithResources,
  node: NodeInfo,
  resources: readonly ScoringResource[],
  features: SchedulerFeatures = DEFAULT_FEATURES,
): number {
  return nodeResourcesBalancedAllocationScoreOf(scoringPodRequests(spec, resources, true, features), node, resources, features);
}

/**
 * BalancedAllocation Score, given the pod's requests of the resources (PreScore's, computed once
 * per cycle). With no resources every pod is best-effort, so the scorer's Error is never reached.
 */
export function nodeResourcesBalancedAllocationScoreOf(
  podRequests: readonly number[],
  node: NodeInfo,
  resources: readonly ScoringResource[],
  features: SchedulerFeatures = DEFAULT_FEATURES,
): number {
  if (isBestEffort(podRequests)) return 0;
  return balancedAllocationScore(resourceAllocations(resources, podRequests, node, true, features));
}

function isBestEffort(podRequests: readonly number[]): boolean {
  return podRequests.every((request) => request === 0);
}

// --- Plugin args validation ---------------------------------------------------------

/** ValidateNodeResourcesFitArgs for the scoring strategy: weights in 1..100, and a valid shape. */
export function validateScoringStrategy(strategy: ScoringStrategy): FieldError[] {
  const path = 'scoringStrategy';
  const errors = strategy.resources.flatMap((r, i): FieldError[] =>
    r.weight <= 0 || r.weight > 100
      ? [invalid(`${path}.resources[${i}].weight`, r.weight, `resource weight of ${r.name} not in valid range (0, 100]`)]
      : [],
  );
  return strategy.type === 'RequestedToCapacityRatio' ? [...errors, ...validateShape(strategy.shape, `${path}.shape`)] : errors;
}

/** validateFunctionShape: at least one point, utilization strictly increasing and in 0..100, score in 0..10. */
function validateShape(shape: readonly ShapePoint[], path: string): FieldError[] {
  if (shape.length === 0) return [{ field: path, type: 'Required', detail: 'at least one point must be specified' }];
  const unsorted = shape.findIndex((p, i) => i > 0 && (shape[i - 1]?.utilization ?? 0) >= p.utilization);
  const order = unsorted === -1 ? [] : [
    invalid(`${path}[${unsorted}].utilization`, shape[unsorted]?.utilization, 'values must be sorted in increasing order'),
  ];
  const ranges = shape.flatMap((p, i): FieldError[] => [
    ...(p.utilization < 0 || p.utilization > MAX_UTILIZATION
      ? [invalid(`${path}[${i}].utilization`, p.utilization, `not in valid range [0, ${MAX_UTILIZATION}]`)]
      : []),
    ...(p.score < 0 || p.score > MAX_CUSTOM_PRIORITY_SCORE
      ? [invalid(`${path}[${i}].score`, p.score, `not in valid range [0, ${MAX_CUSTOM_PRIORITY_SCORE}]`)]
      : []),
  ]);
  return [...order, ...ranges];
}

/** ValidateNodeResourcesBalancedAllocationArgs: no resource twice, every weight exactly 1. */
export function validateBalancedAllocationResources(resources: readonly ScoringResource[]): FieldError[] {
  return resources.flatMap((r, i): FieldError[] => [
    ...(resources.findIndex((other) => other.name === r.name) < i
      ? [{ field: `resources[${i}].name`, type: 'Duplicate' as const, value: r.name }]
      : []),
    ...(r.weight !== 1 ? [invalid(`resources[${i}].weight`, r.weight, 'must be 1')] : []),
  ]);
}

function invalid(field: string, value: unknown, detail: string): FieldError {
  return { field, type: 'Invalid', value, detail };
}
