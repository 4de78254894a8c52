// Every case of scheduler-noderesources.json (upstream fit_test.go, least_allocated_test.go,
// balanced_allocation_test.go) against model/semantics/resource-fit.ts, then rules the
// sample leaves out. Filter vectors spell cpu in millicores; score vectors spell quantities
// as the upstream tests write them (cpu 4000 is 4000 cores; only ratios matter).
import type { Container } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../model/api-status.ts';
import {
  RESOURCES_NOT_FOUND,
  SIDECARS_DISABLED_REASON,
  mostAllocatedScore,
  newNodeInfo,
  nodeResourcesBalancedAllocationPreScore,
  nodeResourcesBalancedAllocationScore,
  nodeResourcesFitFilter,
  nodeResourcesFitPreFilter,
  nodeResourcesFitScore,
  podRequests,
  validateBalancedAllocationResources,
  validateScoringStrategy,
  type FitArgs,
  type DraDevices,
  type FitFilterResult,
  type PodSpecWithResources,
  type ResourceList,
  type ScoringResource,
  type ScoringStrategy,
  type ShapePoint,
} from '../../model/semantics/resource-fit.ts';
import { DEFAULT_FEATURES, schedulerFeatures, type SchedulerFeatures } from '../../model/semantics/scheduler-framework.ts';
import { caseGates } from './case-gates.ts';
import { runEveryCase, type SampleCase } from './sample-cases.ts';

type JsonCase = SampleCase;
type JsonRequests = Record<string, number>;
type JsonContainer = { requests: JsonRequests; restartPolicy?: string };
type JsonPod = {
  containers: JsonContainer[];
  initContainers: JsonContainer[];
  overhead?: JsonRequests;
  podLevelRequests?: JsonRequests;
};
type JsonNode = { name: string; allocatable: JsonRequests; draDevicesForResource?: number };
type JsonInsufficient = Record<string, unknown> & { unresolvable?: boolean };

/** The extended resource least_allocated_test.go calls extendedRes. */
const EXTENDED_RES = 'abc.com/xyz';
/** The extended resource a DeviceClass maps in the DRA vectors. */
const DRA_RESOURCE = 'extended.resource.dra.io/something';

type CpuUnit = 'millicores' | 'cores';

function resourceName(name: string): string {
  return name === 'extendedRes' ? EXTENDED_RES : name;
}

function quantities(json: JsonRequests | undefined, cpu: CpuUnit): Record<string, string> {
  return Object.fromEntries(
    Object.entries(json ?? {}).map(([name, n]) => [
      resourceName(name),
      name === 'cpu' && cpu === 'millicores' ? `${n}m` : String(n),
    ]),
  );
}

function container(json: JsonContainer, name: string, cpu: CpuUnit): Container {
  const c: Container = { name, resources: { requests: quantities(json.requests, cpu) } };
  return json.restartPolicy === undefined ? c : { ...c, restartPolicy: json.restartPolicy };
}

function podSpec(json: JsonPod, cpu: CpuUnit): PodSpecWithResources {
  return {
    containers: json.containers.map((c, i) => container(c, `c${i}`, cpu)),
    initContainers: json.initContainers.map((c, i) => container(c, `init${i}`, cpu)),
    ...(json.overhead && { overhead: quantities(json.overhead, cpu) }),
    ...(json.podLevelRequests && { resources: { requests: quantities(json.podLevelRequests, cpu) } }),
  };
}

/**
 * The case's gates, the ones it leaves unset at their defaults; TestRestartableInitContainers
 * spells SidecarContainers as sidecarContainersEnabled. DRA vectors back DRA_RESOURCE with a DeviceClass.
 */
function featuresOf(input: Record<string, unknown>): SchedulerFeatures {
  const gates = caseGates(input.featureGates);
  const sidecars = input.sidecarContainersEnabled as boolean | undefined;
  const draBacked = (input.draBackedExtendedResources as string[] | undefined) ?? [DRA_RESOURCE];
  return schedulerFeatures(sidecars === undefined ? gates : { ...gates, SidecarContainers: sidecars }, new Set(draBacked));
}

// --- Filter vectors ---------------------------------------------------------------------

/** Each existingPodRequests entry is one pod already on the node. */
function filterNode(input: Record<string, unknown>, features: SchedulerFeatures) {
  const existing = (input.existingPodRequests as JsonRequests[]).map((requests) =>
    podSpec({ containers: [{ requests }], initContainers: [] }, 'millicores'),
  );
  return newNodeInfo(quantities(input.nodeAllocatable as JsonRequests, 'millicores'), existing, features);
}

function runFilter(input: Record<string, unknown>): FitFilterResult {
  const features = featuresOf(input);
  const preFilter = nodeResourcesFitPreFilter(podSpec(input.pod as JsonPod, 'millicores'), features);
  if (preFilter.status !== 'Success') throw new Error(`PreFilter failed: ${preFilter.reason}`);
  const args: FitArgs = {
    ignoredResources: input.ignoredResources as string[],
    ignoredResourceGroups: input.ignoredResourceGroups as string[],
  };
  return nodeResourcesFitFilter(preFilter.podRequest, filterNode(input, features), args, features);
}

/**
 * The JSON omits unresolvable when false (Go's zero value). TestNotEnoughRequests and
 * TestStorageRequests assert the status only, so their expected value has no entries.
 */
function comparableFilter(result: FitFilterResult, expected: Record<string, unknown>): [unknown, unknown] {
  const entries = expected.insufficientResources as JsonInsufficient[] | undefined;
  if (entries === undefined) {
    const { insufficientResources: _entries, ...status } = result;
    return [status, expected];
  }
  const normalised = entries.map((e) => ({ ...e, unresolvable: e.unresolvable ?? false }));
  return [result, { ...expected, insufficientResources: normalised }];
}

function runRestartable(input: Record<string, unknown>): { preFilter: string; filter?: string } {
  const features = featuresOf(input);
  const preFilter = nodeResourcesFitPreFilter(podSpec(input.pod as JsonPod, 'millicores'), features);
  if (preFilter.status !== 'Success') return { preFilter: preFilter.status };
  const filter = nodeResourcesFitFilter(preFilter.podRequest, filterNode(input, features), {}, features);
  return { preFilter: preFilter.status, filter: filter.fits ? 'Success' : filter.code };
}

// --- Score vectors ----------------------------------------------------------------------

/** field.ErrorType strings of the FieldError types the args validation produces. */
const FIELD_ERROR_TYPES: Partial<Record<FieldError['type'], string>> = {
  Required: 'FieldValueRequired',
  Invalid: 'FieldValueInvalid',
  Duplicate: 'FieldValueDuplicate',
};

/** The plugin could not be built; one error is spelled configError, several would not match. */
function configError(errors: readonly FieldError[]) {
  const spelled = errors.map((e) => ({ type: FIELD_ERROR_TYPES[e.type], field: e.field }));
  return spelled.length === 1 ? { configError: spelled[0] } : { configErrors: spelled };
}

/** The vectors have no ResourceClaims, so no device is allocated. */
function scoreNodes(input: Record<string, unknown>, features: SchedulerFeatures) {
  const existing = input.existingPods as (JsonPod & { node: string })[];
  return (input.nodes as JsonNode[]).map((n) => {
    const pods = existing.filter((p) => p.node === n.name).map((p) => podSpec(p, 'cores'));
    const devices = n.draDevicesForResource;
    const draDevices: Record<string, DraDevices> =
      devices === undefined ? {} : { [DRA_RESOURCE]: { capacity: devices, allocated: 0 } };
    return { name: n.name, info: newNodeInfo(quantities(n.allocatable, 'cores'), pods, features, draDevices) };
  });
}

function scoringStrategy(input: Record<string, unknown>, resources: ScoringResource[]): ScoringStrategy {
  switch (input.strategy) {
    case 'LeastAllocated':
    case 'MostAllocated':
      return { type: input.strategy, resources };
    case 'RequestedToCapacityRatio':
      return { type: input.strategy, resources, shape: input.shape as ShapePoint[] };
    default:
      throw new Error(`unknown strategy ${JSON.stringify(input.strategy)}`);
  }
}

function runScore(input: Record<string, unknown>): unknown {
  const features = featuresOf(input);
  const resources = (input.resources as ScoringResource[]).map((r) => ({ ...r, name: resourceName(r.name) }));
  if (input.strategy === 'BalancedAllocation') {
    const errors = validateBalancedAllocationResources(resources);
    if (errors.length > 0) return configError(errors);
    const pod = podSpec(input.pod as JsonPod, 'cores');
    if (nodeResourcesBalancedAllocationPreScore(pod, resources, features) === 'Skip') return { preScore: 'Skip' };
    return scoreNodes(input, features).map(({ name, info }) => ({
      node: name,
      score: nodeResourcesBalancedAllocationScore(pod, info, resources, features),
    }));
  }
  const strategy = scoringStrategy(input, resources);
  const errors = validateScoringStrategy(strategy);
  if (errors.length > 0) return configError(errors);
  const pod = podSpec(input.pod as JsonPod, 'cores');
  return scoreNodes(input, features).map(({ name, info }) => ({
    node: name,
    score: nodeResourcesFitScore(pod, info, strategy, features),
  }));
}

const runFilterCase = (c: JsonCase) => {
  const [got, want] = comparableFilter(runFilter(c.input), c.expected as Record<string, unknown>);
  expect(got).toEqual(want);
};
const runScoreCase = (c: JsonCase) => expect(runScore(c.input)).toEqual(c.expected);

runEveryCase<JsonCase>('scheduler-noderesources.json', {
  'NodeResourcesFit.Filter': runFilterCase,
  'NodeResourcesFit.Filter (TestNotEnoughRequests)': runFilterCase,
  'NodeResourcesFit.Filter (TestStorageRequests)': runFilterCase,
  'NodeResourcesFit (TestRestartableInitContainers)': (c) => expect(runRestartable(c.input)).toEqual(c.expected),
  'NodeResourcesFit.Score (TestFitScore)': runScoreCase,
  'NodeResourcesFit.Score LeastAllocated (TestLeastAllocatedScoringStrategy)': runScoreCase,
  'NodeResourcesBalancedAllocation.Score (TestNodeResourcesBalancedAllocation)': runScoreCase,
});

// --- Rules beyond the sample --------------------------------------------------------------

type InitContainer = { readonly requests: ResourceList; readonly sidecar?: true };

function pod(containers: ResourceList[], initContainers: InitContainer[] = []): PodSpecWithResources {
  return {
    containers: containers.map((requests, i) => ({ name: `c${i}`, resources: { requests: strings(requests) } })),
    initContainers: initContainers.map(({ requests, sidecar }, i) => ({
      name: `init${i}`,
      resources: { requests: strings(requests) },
      ...(sidecar && { restartPolicy: 'Always' }),
    })),
  };
}

function strings(list: ResourceList): Record<string, string> {
  return Object.fromEntries(Object.entries(list).map(([name, q]) => [name, String(q)]));
}

describe('podRequests', () => {
  it("computePodResourceRequest's example: the max of the init containers and the containers' sum", () => {
    const spec = pod([{ cpu: '2', memory: '1G' }, { cpu: '1', memory: '1G' }], [
      { requests: { cpu: '2', memory: '1G' } },
      { requests: { cpu: '2', memory: '3G' } },
    ]);
    expect(podRequests(spec)).toEqual({ cpu: 3000, memory: 3e9 });
  });

  it('a sidecar runs beside the containers and every later init container', () => {
    const sidecarFirst = pod([{ cpu: '1' }], [{ requests: { cpu: '1' }, sidecar: true }, { requests: { cpu: '2' } }]);
    expect(podRequests(sidecarFirst)).toEqual({ cpu: 3000 });
    const sidecarLast = pod([{ cpu: '1' }], [{ requests: { cpu: '2' } }, { requests: { cpu: '1' }, sidecar: true }]);
    expect(podRequests(sidecarLast)).toEqual({ cpu: 2000 });
  });

  it('pod-level requests replace the aggregate only when the gate is on; overhead adds on top', () => {
    const spec = { ...pod([{ cpu: '1', memory: '1Gi' }]), resources: { requests: { cpu: '3' } }, overhead: { cpu: '250m' } };
    expect(podRequests(spec)).toEqual({ cpu: 3250, memory: 2 ** 30 });
    expect(podRequests(spec, { skipPodLevelResources: true })).toEqual({ cpu: 1250, memory: 2 ** 30 });
  });
});

describe('NodeResourcesFit Filter beyond the sample', () => {
  const allocatable = { cpu: '10m', memory: 20, pods: 32, 'example.com/aaa': 5, 'kubernetes.io/something': 0 };
  const node = newNodeInfo(allocatable, [pod([{ cpu: '9m', memory: '19', 'example.com/aaa': '5' }])]);
  const filter = (requests: ResourceList, args: FitArgs = {}, features = DEFAULT_FEATURES) => {
    const preFilter = nodeResourcesFitPreFilter(pod([requests]), features);
    if (preFilter.status !== 'Success') throw new Error(preFilter.reason);
    return nodeResourcesFitFilter(preFilter.podRequest, node, args, features);
  };

  it('lists every shortage, cpu before memory, with Used and Capacity', () => {
    expect(filter({ cpu: '2m', memory: '2' })).toEqual({
      fits: false,
      code: 'Unschedulable',
      reasons: ['Insufficient cpu', 'Insufficient memory'],
      insufficientResources: [
        { resource: 'cpu', reason: 'Insufficient cpu', requested: 2, used: 9, capacity: 10, unresolvable: false },
        { resource: 'memory', reason: 'Insufficient memory', requested: 2, used: 19, capacity: 20, unresolvable: false },
      ],
    });
  });

  it('ignores an extended resource by name or by domain, never a kubernetes.io one', () => {
    expect(filter({ 'example.com/aaa': '1' }, { ignoredResources: ['example.com/aaa'] }).fits).toBe(true);
    expect(filter({ 'example.com/aaa': '1' }, { ignoredResourceGroups: ['example.com'] }).fits).toBe(true);
    expect(filter({ 'kubernetes.io/something': '1' }, { ignoredResourceGroups: ['kubernetes.io'] }).fits).toBe(false);
  });

  it('with DRAExtendedResource, leaves to DRA a mapped resource the node has none of', () => {
    const features = { ...DEFAULT_FEATURES, draExtendedResources: new Set([DRA_RESOURCE, 'example.com/aaa']) };
    expect(filter({ [DRA_RESOURCE]: '1' }, {}, features).fits).toBe(true);
    expect(filter({ 'example.com/aaa': '1' }, {}, features).fits).toBe(false);
  });

  it('with SidecarContainers off, PreFilter rejects a restartable init container', () => {
    const features = { ...DEFAULT_FEATURES, sidecarContainers: false };
    expect(nodeResourcesFitPreFilter(pod([{}], [{ requests: {}, sidecar: true }]), features)).toEqual({
      status: 'UnschedulableAndUnresolvable',
      reason: SIDECARS_DISABLED_REASON,
    });
  });
});

describe('scoring beyond the sample', () => {
  const cpuAndMemory: ScoringResource[] = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];
  const node = newNodeInfo({ cpu: '1', memory: '1000Mi' }, []);

  it('LeastAllocated counts 100m cpu and 200Mi memory for a container that omits them, 0 for an explicit 0', () => {
    const leastAllocated: ScoringStrategy = { type: 'LeastAllocated', resources: cpuAndMemory };
    // cpu (1000 - 100) * 100 / 1000 = 90, memory (1000Mi - 200Mi) * 100 / 1000Mi = 80.
    expect(nodeResourcesFitScore(pod([{}]), node, leastAllocated)).toBe(85);
    expect(nodeResourcesFitScore(pod([{ cpu: 0, memory: 0 }]), node, leastAllocated)).toBe(100);
  });

  it('BalancedAllocation uses actual requests: a pod omitting them is skipped, and scores 0 without PreScore', () => {
    expect(nodeResourcesBalancedAllocationPreScore(pod([{}]), cpuAndMemory)).toBe('Skip');
    expect(nodeResourcesBalancedAllocationScore(pod([{}]), node, cpuAndMemory)).toBe(0);
  });

  it('NodeResourcesFit with no scoring resources fails with an Error status on every node (resource_allocation.go score)', () => {
    for (const type of ['LeastAllocated', 'MostAllocated'] as const) {
      expect(nodeResourcesFitScore(pod([{ cpu: '1' }]), node, { type, resources: [] })).toEqual({ code: 'Error', message: 'resources not found' });
    }
    expect(RESOURCES_NOT_FOUND).toEqual({ code: 'Error', message: 'resources not found' });
    // BalancedAllocation never gets there: with no resources every pod is best-effort.
    expect(nodeResourcesBalancedAllocationPreScore(pod([{ cpu: '1' }]), [])).toBe('Skip');
    expect(nodeResourcesBalancedAllocationScore(pod([{ cpu: '1' }]), node, [])).toBe(0);
  });

  it('MostAllocated counts an over-committed resource as full', () => {
    expect(mostAllocatedScore([
      { weight: 1, allocatable: 4000, requested: 6000 },
      { weight: 3, allocatable: 100, requested: 50 },
    ])).toBe(Math.trunc((100 + 50 * 3) / 4));
  });

  it('rejects weights outside 1..100 and an unsorted shape', () => {
    const strategy: ScoringStrategy = {
      type: 'RequestedToCapacityRatio',
      resources: [{ name: 'cpu', weight: 101 }],
      shape: [{ utilization: 50, score: 1 }, { utilization: 50, score: 2 }],
    };
    expect(validateScoringStrategy(strategy).map((e) => e.field)).toEqual([
      'scoringStrategy.resources[0].weight',
      'scoringStrategy.shape[1].utilization',
    ]);
  });

  it('BalancedAllocation takes each resource once, with weight 1', () => {
    const resources = [{ name: 'cpu', weight: 1 }, { name: 'cpu', weight: 2 }];
    expect(validateBalancedAllocationResources(resources).map((e) => `${e.type} ${e.field}`)).toEqual([
      'Duplicate resources[1].name',
      'Invalid resources[1].weight',
    ]);
  });
});
