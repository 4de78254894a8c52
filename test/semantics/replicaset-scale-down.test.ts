// Every case of test/k8s-semantics/replicaset-scale-down.json (upstream controller_utils_test.go
// TestSortingActivePods(WithRanks), replica_set_test.go TestGetPodsToDelete at 003e8629,
// replica_set_utils_test.go TestCalculateStatus(Conditions)) against model/semantics/replicaset.ts,
// each run by its "function" with the gates it names, then rules the sample leaves out.
import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { EPOCH_MS, parseTimestamp, timestamp } from '../../model/clock.ts';
import { DEFAULT_FEATURE_GATES, type FeatureGates } from '../../model/feature-gates.ts';
import {
  POD_DELETION_COST_ANNOTATION,
  REPLICA_FAILURE,
  activePodsWithRanksLess,
  calculateStatus,
  getPodsRankedByRelatedPodsOnSameNode,
  getPodsToDelete,
  isPodActive,
  isPodAvailable,
  isPodTerminating,
  replicaSetStatusUpdate,
  sortActivePods,
} from '../../model/semantics/replicaset.ts';
import { caseGates } from './case-gates.ts';
import { runEveryCase, type SampleCase } from './sample-cases.ts';

type JsonCase = SampleCase;

/** A pod as the file's encoding spells it. */
interface EncodedPod {
  name?: string;
  nodeName?: string;
  phase: string;
  ready: boolean;
  /** restartCount per container. */
  restarts?: number[];
  /** The Ready condition's lastTransitionTime, in seconds before now; null or absent: the zero time. */
  readySinceAgeSeconds?: number | null;
  /** creationTimestamp, in seconds before now; null or absent: the zero time. */
  createdAgeSeconds?: number | null;
  deletionCost?: number;
  labels?: Record<string, string>;
}

const SECOND_MS = 1000;
const DAY_MS = 86_400 * SECOND_MS;
/** The comparisons' 'now' (ActivePodsWithRanks.Now): late enough that a month's age stays after the epoch. */
const NOW_MS = 90 * DAY_MS;

/**
 * The calculateStatus cases come from a TestCalculateStatus that named the gate
 * DeploymentPodReplacementPolicy (v1.32); since v1.33 calculateStatus reads
 * DeploymentReplicaSetTerminatingReplicas, split from it (KEP-3973). The case's value is that gate's.
 */
function statusGates(encoded: unknown): FeatureGates {
  const gates = caseGates(encoded);
  return { ...gates, DeploymentReplicaSetTerminatingReplicas: gates.DeploymentPodReplacementPolicy, DeploymentPodReplacementPolicy: false };
}

function ago(seconds: number | null | undefined): string | undefined {
  return seconds == null ? undefined : timestamp(NOW_MS - seconds * SECOND_MS);
}

function readyCondition(encoded: EncodedPod): PodCondition {
  const lastTransitionTime = ago(encoded.readySinceAgeSeconds);
  return {
    type: 'Ready',
    status: encoded.ready ? 'True' : 'False',
    ...(lastTransitionTime !== undefined && { lastTransitionTime }),
  };
}

function toPod(encoded: EncodedPod): Pod {
  const creationTimestamp = ago(encoded.createdAgeSeconds);
  return {
    metadata: {
      ...(encoded.name !== undefined && { name: encoded.name }),
      ...(encoded.labels !== undefined && { labels: encoded.labels }),
      ...(creationTimestamp !== undefined && { creationTimestamp }),
      ...(encoded.deletionCost !== undefined && {
        annotations: { [POD_DELETION_COST_ANNOTATION]: String(encoded.deletionCost) },
      }),
    },
    spec: { containers: [], ...(encoded.nodeName !== undefined && { nodeName: encoded.nodeName }) },
    status: {
      phase: encoded.phase,
      conditions: [readyCondition(encoded)],
      containerStatuses: (encoded.restarts ?? []).map((restartCount, i) => ({
        name: `c${i}`,
        image: '',
        imageID: '',
        ready: encoded.ready,
        restartCount,
      })),
    },
  };
}

function nameOf(pod: Pod): string | undefined {
  return pod.metadata?.name;
}

/** Every rotation of `items` and of its reverse: the orders the ActivePods case sorts from. */
function startingOrders<T>(items: readonly T[]): T[][] {
  const rotations = (list: readonly T[]) => list.map((_, k) => [...list.slice(k), ...list.slice(0, k)]);
  return [...rotations(items), ...rotations([...items].reverse())];
}

function runLess(input: Record<string, unknown>): unknown {
  const gates = caseGates(input.featureGates);
  const i = { pod: toPod(input.podI as EncodedPod), rank: Number(input.rankI) };
  const j = { pod: toPod(input.podJ as EncodedPod), rank: Number(input.rankJ) };
  return { lessIJ: activePodsWithRanksLess(i, j, NOW_MS, gates), lessJI: activePodsWithRanksLess(j, i, NOW_MS, gates) };
}

/** The upstream test shuffles the input 20 times; here every rotation, forwards and backwards, must sort alike. */
function runActivePodsSort(input: Record<string, unknown>): unknown {
  const pods = (input.pods as EncodedPod[]).map(toPod);
  const orders = startingOrders(pods).map((start) => sortActivePods(start).map(nameOf));
  for (const order of orders) expect(order).toEqual(orders[0]);
  return { order: orders[0] };
}

function runGetPodsToDelete(input: Record<string, unknown>): unknown {
  const definitions = input.podDefinitions as Record<string, EncodedPod>;
  const byName = (name: string): Pod => {
    const encoded = definitions[name];
    if (encoded === undefined) throw new Error(`no pod definition ${name}`);
    return toPod(encoded);
  };
  const pods = (input.pods as string[]).map(byName);
  // The note: relatedPods null means the same list as pods.
  const related = input.relatedPods === null ? pods : (input.relatedPods as string[]).map(byName);
  return getPodsToDelete(pods, related, Number(input.diff), NOW_MS, caseGates(input.featureGates)).map(nameOf);
}

/** A pod being deleted, as the encoding's terminatingPods lists it. */
function terminatingPod(encoded: EncodedPod): Pod {
  const p = toPod(encoded);
  return { ...p, metadata: { ...p.metadata, deletionTimestamp: timestamp(NOW_MS) } };
}

function runCalculateStatus(input: Record<string, unknown>): unknown {
  const rs: ReplicaSet = {
    spec: {
      selector: {},
      minReadySeconds: Number(input.minReadySeconds),
      template: { metadata: { labels: input.rsTemplateLabels as Record<string, string> } },
    },
  };
  const terminating = (input.terminatingPods as EncodedPod[]).map(terminatingPod);
  const status = calculateStatus(rs, (input.activePods as EncodedPod[]).map(toPod), terminating, null, NOW_MS, statusGates(input.featureGates));
  return {
    replicas: status.replicas,
    fullyLabeledReplicas: status.fullyLabeledReplicas,
    readyReplicas: status.readyReplicas,
    availableReplicas: status.availableReplicas,
    // A nil pointer: absent from the status.
    terminatingReplicas: status.terminatingReplicas ?? null,
  };
}

function withoutTime({ lastTransitionTime: _, ...rest }: ReplicaSetCondition): ReplicaSetCondition {
  return rest;
}

function runConditions(input: Record<string, unknown>): unknown {
  const existing: ReplicaSetCondition[] = input.existingReplicaFailureCondition === true
    ? [{ type: REPLICA_FAILURE, status: 'True' }]
    : [];
  const rs: ReplicaSet = {
    spec: { replicas: Number(input.specReplicas), selector: {}, template: {} },
    status: { replicas: 0, conditions: existing },
  };
  const pods = Array.from({ length: Number(input.activePodCount) }, () => toPod({ phase: 'Running', ready: true }));
  const error = input.manageReplicasError === null ? null : String(input.manageReplicasError);
  const conditions = calculateStatus(rs, pods, [], error, NOW_MS, caseGates(input.featureGates)).conditions ?? [];
  // A condition calculateStatus adds carries the time it was added; an existing one is kept as it was.
  for (const c of conditions.slice(existing.length)) expect(c.lastTransitionTime).toBe(timestamp(NOW_MS));
  expect(conditions.slice(0, existing.length)).toEqual(existing);
  return { conditions: conditions.map(withoutTime) };
}

runEveryCase<JsonCase>('replicaset-scale-down.json', {
  'ActivePodsWithRanks.Less': (c) => expect(runLess(c.input)).toEqual(c.expected),
  'ActivePods sort': (c) => expect(runActivePodsSort(c.input)).toEqual(c.expected),
  getPodsToDelete: (c) => expect(runGetPodsToDelete(c.input)).toEqual(c.expected),
  calculateStatus: (c) => expect(runCalculateStatus(c.input)).toEqual(c.expected),
  'calculateStatus conditions': (c) => expect(runConditions(c.input)).toEqual(c.expected),
});

// --- The rules text, beyond the sample ----------------------------------------------

function pod(overrides: Partial<EncodedPod> & { name: string }): Pod {
  return toPod({ nodeName: 'node', phase: 'Running', ready: true, restarts: [0], ...overrides });
}

function withUid(p: Pod, uid: string): Pod {
  return { ...p, metadata: { ...p.metadata, uid } };
}

describe('ActivePodsWithRanks.Less rules', () => {
  const less = (i: Pod, j: Pod, rankI = 1, rankJ = 1, gates = DEFAULT_FEATURE_GATES) =>
    activePodsWithRanksLess({ pod: i, rank: rankI }, { pod: j, rank: rankJ }, NOW_MS, gates);

  it('without PodDeletionCost the annotation is not read: the rank decides', () => {
    const cheap = pod({ name: 'cheap', deletionCost: -100 });
    const dear = pod({ name: 'dear', deletionCost: 100 });
    expect([less(dear, cheap, 2, 1), less(cheap, dear, 1, 2)]).toEqual([false, true]);
    const off = { ...DEFAULT_FEATURE_GATES, PodDeletionCost: false };
    expect([less(dear, cheap, 2, 1, off), less(cheap, dear, 1, 2, off)]).toEqual([true, false]);
  });

  it('without LogarithmicScaleDown the more recent time goes first, even within one log2 bucket', () => {
    const linear = { ...DEFAULT_FEATURE_GATES, LogarithmicScaleDown: false };
    const early = withUid(pod({ name: 'early', readySinceAgeSeconds: 50 }), 'a');
    const late = withUid(pod({ name: 'late', readySinceAgeSeconds: 40 }), 'b');
    expect([less(late, early, 1, 1, linear), less(early, late, 1, 1, linear)]).toEqual([true, false]);
    // With it, the UID decides within the bucket.
    expect([less(late, early), less(early, late)]).toEqual([false, true]);
  });

  it('a higher rank goes first when the deletion costs are equal', () => {
    const a = pod({ name: 'a' });
    expect([less(a, a, 2, 1), less(a, a, 1, 2)]).toEqual([true, false]);
  });

  it('a deletion cost that starts with + or a leading zero, or overflows int32, reads as 0', () => {
    for (const cost of ['+10', '008', '2147483648', 'ten']) {
      const odd = pod({ name: 'odd' });
      const annotated = { ...odd, metadata: { ...odd.metadata, annotations: { [POD_DELETION_COST_ANNOTATION]: cost } } };
      // Read as a positive cost, the annotated pod would go last despite its higher rank.
      expect(less(annotated, pod({ name: 'zero', deletionCost: 0 }), 2, 1)).toBe(true);
    }
    expect(less(pod({ name: 'low', deletionCost: -5 }), pod({ name: 'zero' }), 1, 2)).toBe(true);
  });

  it('ready times in one log2 bucket are ordered by UID, and restarts are then not read', () => {
    // 40 and 50 s are both in bucket floor(log2(age in ns)) = 35.
    const early = withUid(pod({ name: 'early', readySinceAgeSeconds: 50 }), 'b');
    const late = withUid(pod({ name: 'late', readySinceAgeSeconds: 40, restarts: [9] }), 'a');
    expect([less(late, early), less(early, late)]).toEqual([true, false]);
    expect([less(withUid(late, 'b'), early), less(early, withUid(late, 'b'))]).toEqual([false, false]);
  });

  it('a zero ready time goes before any other; a newer bucket before an older one', () => {
    const zero = pod({ name: 'zero', readySinceAgeSeconds: null });
    const hour = pod({ name: 'hour', readySinceAgeSeconds: 3600 });
    const day = pod({ name: 'day', readySinceAgeSeconds: 86_400 });
    expect([less(zero, hour), less(hour, zero), less(hour, day), less(day, hour)]).toEqual([true, false, true, false]);
  });
});

describe('getPodsToDelete and ranks', () => {
  it('deleting every pod keeps the input order', () => {
    const pods = [pod({ name: 'ready' }), pod({ name: 'unscheduled', nodeName: '', phase: 'Pending', ready: false })];
    expect(getPodsToDelete(pods, pods, 2, NOW_MS).map(nameOf)).toEqual(['ready', 'unscheduled']);
    expect(getPodsToDelete(pods, pods, 1, NOW_MS).map(nameOf)).toEqual(['unscheduled']);
  });

  it('a rank counts the active related pods on the same node, including other ReplicaSets', () => {
    const mine = [pod({ name: 'on-1', nodeName: 'node-1' }), pod({ name: 'on-2', nodeName: 'node-2' })];
    const other = [
      pod({ name: 'other-on-2', nodeName: 'node-2' }),
      pod({ name: 'done-on-1', nodeName: 'node-1', phase: 'Succeeded' }),
      pod({ name: 'failed-on-1', nodeName: 'node-1', phase: 'Failed' }),
    ];
    const ranks = getPodsRankedByRelatedPodsOnSameNode(mine, [...mine, ...other]).map((r) => r.rank);
    expect(ranks).toEqual([1, 2]);
    expect(getPodsToDelete(mine, [...mine, ...other], 1, NOW_MS).map(nameOf)).toEqual(['on-2']);
  });

  it('IsPodActive: terminal or being deleted is inactive', () => {
    const running = pod({ name: 'running' });
    const deleting = { ...running, metadata: { ...running.metadata, deletionTimestamp: timestamp(NOW_MS) } };
    expect([running, deleting, pod({ name: 'ok', phase: 'Succeeded' })].map(isPodActive)).toEqual([true, false, false]);
  });
});

describe('calculateStatus rules', () => {
  it('available once ready for strictly more than minReadySeconds', () => {
    const readyFor = (seconds: number) => pod({ name: 'p', readySinceAgeSeconds: seconds });
    expect(isPodAvailable(readyFor(10), 10, NOW_MS)).toBe(false);
    expect(isPodAvailable(readyFor(11), 10, NOW_MS)).toBe(true);
    expect(isPodAvailable(pod({ name: 'p', ready: false }), 0, NOW_MS)).toBe(false);
  });

  it('an error with more pods than replicas adds FailedDelete; success removes the condition', () => {
    const rs: ReplicaSet = { spec: { replicas: 1, selector: {}, template: {} }, status: { replicas: 2 } };
    const pods = [pod({ name: 'a' }), pod({ name: 'b' })];
    const failed = calculateStatus(rs, pods, [], 'boom', NOW_MS);
    expect(failed.conditions?.map(withoutTime)).toEqual([
      { type: REPLICA_FAILURE, status: 'True', reason: 'FailedDelete', message: 'boom' },
    ]);
    const recovered = calculateStatus({ ...rs, status: failed }, pods, [], null, NOW_MS);
    expect(recovered).not.toHaveProperty('conditions');
  });

  it('the status is written with observedGeneration, except in the steady state', () => {
    const rs: ReplicaSet = {
      metadata: { generation: 2 },
      spec: { replicas: 1, selector: {}, template: {} },
      status: { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 },
    };
    const status = calculateStatus(rs, [pod({ name: 'a' })], [], null, NOW_MS, { ...DEFAULT_FEATURE_GATES, DeploymentReplicaSetTerminatingReplicas: false });
    expect(status).toEqual({ ...rs.status });
    const written = replicaSetStatusUpdate(rs, status);
    expect(written).toEqual({ ...status, observedGeneration: 2 });
    expect(replicaSetStatusUpdate({ ...rs, status: written as ReplicaSetStatus }, status)).toBeNull();
  });

  it('with DeploymentReplicaSetTerminatingReplicas, terminatingReplicas counts the terminating pods, and a change of it is written', () => {
    const gates = { ...DEFAULT_FEATURE_GATES, DeploymentReplicaSetTerminatingReplicas: true };
    const rs: ReplicaSet = {
      metadata: { generation: 1 },
      spec: { replicas: 1, selector: {}, template: {} },
      status: { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 },
    };
    const going = terminatingPod({ name: 'going', phase: 'Running', ready: true });
    const status = calculateStatus(rs, [pod({ name: 'a' })], [going], null, NOW_MS, gates);
    expect(status).toEqual({ ...rs.status, terminatingReplicas: 1 });
    expect(replicaSetStatusUpdate(rs, status)).toEqual({ ...status, observedGeneration: 1 });
    expect(replicaSetStatusUpdate({ ...rs, status }, status)).toBeNull();
    // Without the gate the field stays absent (a nil pointer), not 0.
    expect(calculateStatus(rs, [pod({ name: 'a' })], [going], null, NOW_MS, { ...gates, DeploymentReplicaSetTerminatingReplicas: false })).not.toHaveProperty('terminatingReplicas');
  });

  it('IsPodTerminating: being deleted and not yet Succeeded or Failed', () => {
    const going = terminatingPod({ name: 'going', phase: 'Running', ready: true });
    const gone = terminatingPod({ name: 'gone', phase: 'Succeeded', ready: false });
    expect([going, gone, pod({ name: 'running' })].map(isPodTerminating)).toEqual([true, false, false]);
  });
});

describe('metav1.Time', () => {
  it('reads RFC 3339 with offsets and fractions, and rejects what the API would not decode', () => {
    expect(parseTimestamp('2026-01-01T00:00:00Z')).toBe(0);
    expect(parseTimestamp('2026-01-01T01:00:00.25+01:00')).toBe(250);
    expect(parseTimestamp('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29) - EPOCH_MS);
    for (const bad of ['2026-02-29T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01 00:00:00Z', '2026-01-01T00:00:00']) {
      expect(() => parseTimestamp(bad)).toThrow();
    }
  });
});
