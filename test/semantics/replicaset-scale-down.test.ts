// Every case of test/k8s-semantics/replicaset-scale-down.json (upstream controller_utils_test.go
// TestSortingActivePods(WithRanks), replica_set_test.go TestGetPodsToDelete at 003e8629,
// replica_set_utils_test.go TestCalculateStatus(Conditions)) against model/semantics/replicaset.ts,
// each run by its "function", then rules the sample leaves out.
import { readFileSync } from 'node:fs';
import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { EPOCH_MS, parseTimestamp, timestamp } from '../../model/clock.ts';
import {
  POD_DELETION_COST_ANNOTATION,
  REPLICA_FAILURE,
  activePodsWithRanksLess,
  calculateStatus,
  getPodsRankedByRelatedPodsOnSameNode,
  getPodsToDelete,
  isPodActive,
  isPodAvailable,
  replicaSetStatusUpdate,
  sortActivePods,
} from '../../model/semantics/replicaset.ts';

type JsonCase = { name: string; function: string; input: Record<string, unknown>; expected: unknown };

const file = JSON.parse(
  readFileSync(new URL('../k8s-semantics/replicaset-scale-down.json', import.meta.url), 'utf8'),
) as { cases: JsonCase[] };

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

/** The file's default gates, which the model assumes. */
const LESS_GATES = { PodDeletionCost: true, LogarithmicScaleDown: true };
/** The file's name for DeploymentReplicaSetTerminatingReplicas, off by default in v1.34. */
const STATUS_GATES = { DeploymentPodReplacementPolicy: false };

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
  expect(input.featureGates).toEqual(LESS_GATES);
  const i = { pod: toPod(input.podI as EncodedPod), rank: Number(input.rankI) };
  const j = { pod: toPod(input.podJ as EncodedPod), rank: Number(input.rankJ) };
  return { lessIJ: activePodsWithRanksLess(i, j, NOW_MS), lessJI: activePodsWithRanksLess(j, i, NOW_MS) };
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
  return getPodsToDelete(pods, related, Number(input.diff), NOW_MS).map(nameOf);
}

function runCalculateStatus(input: Record<string, unknown>): unknown {
  expect(input.featureGates).toEqual(STATUS_GATES);
  // With the gate off, terminating pods do not enter the status.
  expect(input.terminatingPods).toEqual([]);
  const rs: ReplicaSet = {
    spec: {
      selector: {},
      minReadySeconds: Number(input.minReadySeconds),
      template: { metadata: { labels: input.rsTemplateLabels as Record<string, string> } },
    },
  };
  const status = calculateStatus(rs, (input.activePods as EncodedPod[]).map(toPod), null, NOW_MS);
  expect(status).not.toHaveProperty('terminatingReplicas');
  return {
    replicas: status.replicas,
    fullyLabeledReplicas: status.fullyLabeledReplicas,
    readyReplicas: status.readyReplicas,
    availableReplicas: status.availableReplicas,
    terminatingReplicas: null,
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
  const conditions = calculateStatus(rs, pods, error, NOW_MS).conditions ?? [];
  // A condition calculateStatus adds carries the time it was added; an existing one is kept as it was.
  for (const c of conditions.slice(existing.length)) expect(c.lastTransitionTime).toBe(timestamp(NOW_MS));
  expect(conditions.slice(0, existing.length)).toEqual(existing);
  return { conditions: conditions.map(withoutTime) };
}

/** Runs one case by its function; one this file does not know fails. */
function run(c: JsonCase): unknown {
  switch (c.function) {
    case 'ActivePodsWithRanks.Less': return runLess(c.input);
    case 'ActivePods sort': return runActivePodsSort(c.input);
    case 'getPodsToDelete': return runGetPodsToDelete(c.input);
    case 'calculateStatus': return runCalculateStatus(c.input);
    case 'calculateStatus conditions': return runConditions(c.input);
    default: throw new Error(`no model for ${c.function}`);
  }
}

describe('replicaset-scale-down.json', () => {
  let ran = 0;
  for (const c of file.cases) {
    it(c.name, () => {
      expect(run(c)).toEqual(c.expected);
      ran++;
    });
  }

  it('ran every case in the file', () => {
    expect(file.cases).toHaveLength(18);
    expect(ran).toBe(file.cases.length);
  });
});

// --- The rules text, beyond the sample ----------------------------------------------

function pod(overrides: Partial<EncodedPod> & { name: string }): Pod {
  return toPod({ nodeName: 'node', phase: 'Running', ready: true, restarts: [0], ...overrides });
}

function withUid(p: Pod, uid: string): Pod {
  return { ...p, metadata: { ...p.metadata, uid } };
}

describe('ActivePodsWithRanks.Less rules', () => {
  const less = (i: Pod, j: Pod, rankI = 1, rankJ = 1) =>
    activePodsWithRanksLess({ pod: i, rank: rankI }, { pod: j, rank: rankJ }, NOW_MS);

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
    const failed = calculateStatus(rs, pods, 'boom', NOW_MS);
    expect(failed.conditions?.map(withoutTime)).toEqual([
      { type: REPLICA_FAILURE, status: 'True', reason: 'FailedDelete', message: 'boom' },
    ]);
    const recovered = calculateStatus({ ...rs, status: failed }, pods, null, NOW_MS);
    expect(recovered).not.toHaveProperty('conditions');
  });

  it('the status is written with observedGeneration, except in the steady state', () => {
    const rs: ReplicaSet = {
      metadata: { generation: 2 },
      spec: { replicas: 1, selector: {}, template: {} },
      status: { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 },
    };
    const status = calculateStatus(rs, [pod({ name: 'a' })], null, NOW_MS);
    expect(status).toEqual({ ...rs.status });
    const written = replicaSetStatusUpdate(rs, status);
    expect(written).toEqual({ ...status, observedGeneration: 2 });
    expect(replicaSetStatusUpdate({ ...rs, status: written as ReplicaSetStatus }, status)).toBeNull();
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
