// Every case of test/k8s-semantics/deployment-rolling.json (upstream deployment_util_test.go
// and rolling_test.go) against model/semantics/deployment.ts, each with the gates it names, then
// the rules the sample leaves out. The adapters below build apps/v1 objects from the file's encoding.
import type { DeploymentStatus } from 'kubernetes-types/apps/v1.js';
import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../model/clock.ts';
import { DEFAULT_FEATURE_GATES } from '../../model/feature-gates.ts';
import {
  MAX_REPLICAS_ANNOTATION,
  NEW_RS_AVAILABLE_REASON,
  TIMED_OUT_REASON,
  cleanupUnhealthyReplicas,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getActualReplicaCountForReplicaSets,
  getProportion,
  getReplicaCountForReplicaSets,
  getReplicaSetFraction,
  getScaledValueFromIntOrPercent,
  getTerminatingReplicaCountForReplicaSets,
  maxSurge,
  maxUnavailable,
  minAvailable,
  newRSNewReplicas,
  reconcileNewReplicaSet,
  reconcileOldReplicaSets,
  resolveFenceposts,
  scaleDownOldReplicaSetsForRollingUpdate,
  type AppsDeployment,
  type AppsReplicaSet,
  type IntOrString,
  type PodReplacementPolicy,
} from '../../model/semantics/deployment.ts';
import { caseGates } from './case-gates.ts';
import { runEveryCase, type SampleCase } from './sample-cases.ts';

type JsonCase = SampleCase;

// --- Adapters: the file's encoding as apps/v1 objects ------------------------------

/** maxSurge / maxUnavailable: an integer, a string, or null for unset. */
function intOrString(value: unknown): IntOrString | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number' || typeof value === 'string') return value;
  throw new Error(`not an IntOrString: ${JSON.stringify(value)}`);
}

type DeploymentFields = {
  replicas: number;
  strategy?: string;
  maxSurge?: unknown;
  maxUnavailable?: unknown;
  podReplacementPolicy?: PodReplacementPolicy | null;
  progressDeadlineSeconds?: number | null;
  generation?: number;
  status?: DeploymentStatus;
};

/** A Deployment as upstream's test helpers make it: rollingUpdate is set whatever the strategy. */
function deployment(f: DeploymentFields): AppsDeployment {
  const surge = intOrString(f.maxSurge);
  const unavailable = intOrString(f.maxUnavailable);
  return {
    metadata: { name: 'foo', ...(f.generation !== undefined && { generation: f.generation }) },
    spec: {
      replicas: f.replicas,
      selector: { matchLabels: { foo: 'bar' } },
      template: {},
      strategy: {
        type: f.strategy ?? 'RollingUpdate',
        rollingUpdate: {
          ...(surge !== undefined && { maxSurge: surge }),
          ...(unavailable !== undefined && { maxUnavailable: unavailable }),
        },
      },
      ...(f.podReplacementPolicy != null && { podReplacementPolicy: f.podReplacementPolicy }),
      ...(f.progressDeadlineSeconds != null && { progressDeadlineSeconds: f.progressDeadlineSeconds }),
    },
    ...(f.status !== undefined && { status: f.status }),
  };
}

type ReplicaSetFields = {
  replicas: number;
  available?: number;
  statusReplicas?: number;
  terminatingReplicas?: number | null;
  observedGeneration?: number;
  maxReplicasAnnotation?: number | null;
};

/** The `index`-th ReplicaSet, created `index` seconds after the first, so oldest first is input order. */
function replicaSet(name: string, index: number, f: ReplicaSetFields): AppsReplicaSet {
  return {
    metadata: {
      name,
      creationTimestamp: new Date(Date.UTC(2016, 0, 1) + index * 1000).toISOString(),
      ...(f.maxReplicasAnnotation != null && {
        annotations: { [MAX_REPLICAS_ANNOTATION]: String(f.maxReplicasAnnotation) },
      }),
    },
    spec: { replicas: f.replicas, selector: { matchLabels: { rs: name } } },
    status: {
      replicas: f.statusReplicas ?? 0,
      availableReplicas: f.available ?? 0,
      observedGeneration: f.observedGeneration ?? 0,
      ...(f.terminatingReplicas != null && { terminatingReplicas: f.terminatingReplicas }),
    },
  };
}

/** The file's RS encoding: {replicas: spec.replicas, available: status.availableReplicas}. */
type EncodedRS = { replicas: number; available: number };

function encodedRSs(prefix: string, rss: EncodedRS[]): AppsReplicaSet[] {
  return rss.map((rs, i) => replicaSet(`${prefix}-${i}`, i, rs));
}

function replicasOf(rs: AppsReplicaSet | undefined): number | undefined {
  return rs?.spec?.replicas;
}

/** The one old ReplicaSet of a case whose old replicas after are a single number. */
function onlyReplicas(rss: readonly AppsReplicaSet[]): number | undefined {
  expect(rss).toHaveLength(1);
  return replicasOf(rss[0]);
}

/** "HH:MM:SS" of upstream's timeFn, on its date. */
function at(timeOfDay: unknown): string {
  return `2016-01-01T${String(timeOfDay)}Z`;
}

// --- Runners, one per function of the file ----------------------------------------

type FenceInput = { maxSurge: unknown; maxUnavailable: unknown; desired: number };
type StrategyInput = { strategy: string; replicas: number; maxSurge: unknown; maxUnavailable: unknown };
type NewRSInput = {
  strategy: string;
  deploymentReplicas: number;
  maxSurge: unknown;
  maxUnavailable: unknown;
  newRSReplicas: number;
  allRSsReplicas: number[];
};
type ReconcileNewInput = {
  deploymentReplicas: number;
  maxSurge: unknown;
  maxUnavailable: unknown;
  podReplacementPolicy: PodReplacementPolicy | null;
  featureGates: Record<string, boolean>;
  oldReplicas: number;
  newReplicas: number;
  oldTerminatingReplicas: number | null;
  newTerminatingReplicas: number | null;
  oldStatusReplicas: number;
  newStatusReplicas: number;
  oldRSSynced: boolean;
  newRSSynced: boolean;
};
type RollingInput = { deploymentReplicas: number; maxSurge: unknown; maxUnavailable: unknown };
type ReconcileOldInput = RollingInput & { oldRS: EncodedRS; newRS: EncodedRS };
type CleanupInput = RollingInput & { oldRSs: EncodedRS[]; maxCleanupCount: number };
type ScaleDownInput = RollingInput & { allRSs: EncodedRS[]; oldRSs: EncodedRS[] };
type CompleteInput = {
  replicas: number;
  maxSurge: unknown;
  maxUnavailable: unknown;
  status: DeploymentStatus;
  generation: number;
};
type ProgressingInput = { oldStatus: DeploymentStatus; newStatus: DeploymentStatus };
type TimedOutInput = {
  progressDeadlineSeconds: number | null;
  progressingCondition: { status: string; reason: string; lastUpdateTime: string };
  now: string;
};
type FractionInput = {
  deploymentReplicas: number;
  deploymentStatusReplicas: number;
  deploymentMaxSurge: unknown;
  deploymentMaxUnavailable: unknown;
  rsReplicas: number;
  rsMaxReplicasAnnotation: number | null;
};
type CountsInput = {
  replicaSets: {
    specReplicas: number;
    statusReplicas: number;
    terminatingReplicas: number | null;
    observedGeneration: number;
  }[];
};

function rollingDeployment(input: RollingInput): AppsDeployment {
  return deployment({ replicas: input.deploymentReplicas, maxSurge: input.maxSurge, maxUnavailable: input.maxUnavailable });
}

function runResolveFenceposts(input: FenceInput): unknown {
  const fenceposts = resolveFenceposts(intOrString(input.maxSurge), intOrString(input.maxUnavailable), input.desired);
  // Go returns (0, 0, err).
  return fenceposts === undefined ? { surge: 0, unavailable: 0, error: true } : { ...fenceposts, error: false };
}

function runNewRSNewReplicas(input: NewRSInput): unknown {
  const d = deployment({
    replicas: input.deploymentReplicas,
    strategy: input.strategy,
    maxSurge: input.maxSurge,
    maxUnavailable: input.maxUnavailable,
  });
  // allRSs holds the other ReplicaSets only, as in upstream's TestNewRSNewReplicas.
  const allRSs = input.allRSsReplicas.map((replicas, i) => replicaSet(`rs-${i}`, i, { replicas }));
  const newRS = replicaSet('new', allRSs.length, { replicas: input.newRSReplicas });
  return newRSNewReplicas(d, allRSs, newRS) ?? { error: true };
}

function runReconcileNewReplicaSet(input: ReconcileNewInput): unknown {
  const d = deployment({
    replicas: input.deploymentReplicas,
    maxSurge: input.maxSurge,
    maxUnavailable: input.maxUnavailable,
    podReplacementPolicy: input.podReplacementPolicy,
  });
  const synced = (isSynced: boolean) => (isSynced ? 1 : 0);
  const oldRS = replicaSet('foo-v1', 0, {
    replicas: input.oldReplicas,
    statusReplicas: input.oldStatusReplicas,
    terminatingReplicas: input.oldTerminatingReplicas,
    observedGeneration: synced(input.oldRSSynced),
  });
  const newRS = replicaSet('foo-v2', 1, {
    replicas: input.newReplicas,
    statusReplicas: input.newStatusReplicas,
    terminatingReplicas: input.newTerminatingReplicas,
    observedGeneration: synced(input.newRSSynced),
  });
  // DeploymentReplicaSetTerminatingReplicas decides only whether the ReplicaSet controller fills
  // status.terminatingReplicas, which the case gives directly.
  return reconcileNewReplicaSet([newRS, oldRS], newRS, d, caseGates(input.featureGates)) ?? { error: true };
}

function runReconcileOldReplicaSets(input: ReconcileOldInput): unknown {
  const oldRS = replicaSet('foo-old', 0, input.oldRS);
  const newRS = replicaSet('foo-new', 1, input.newRS);
  const decision = reconcileOldReplicaSets([oldRS, newRS], [oldRS], newRS, rollingDeployment(input));
  if (!decision.scaled) {
    expect(decision.oldRSs).toEqual([oldRS]);
    return { scaled: false };
  }
  return { scaled: true, oldReplicasAfter: onlyReplicas(decision.oldRSs) };
}

function runCleanupUnhealthyReplicas(input: CleanupInput): unknown {
  // Upstream passes the Deployment only to record events; the decision does not read it.
  const cleanup = cleanupUnhealthyReplicas(encodedRSs('old', input.oldRSs), input.maxCleanupCount);
  expect(cleanup.failed).toBe(false);
  return { cleanupCount: cleanup.cleanupCount, oldReplicasAfter: cleanup.oldRSs.map(replicasOf) };
}

function runScaleDownOldReplicaSets(input: ScaleDownInput): unknown {
  const oldRSs = encodedRSs('old', input.oldRSs);
  const allRSs = encodedRSs('old', input.allRSs);
  const scaleDown = scaleDownOldReplicaSetsForRollingUpdate(allRSs, oldRSs, rollingDeployment(input));
  const scaled = scaleDown.scaledDownCount > 0;
  if (!scaled) {
    expect(scaleDown.oldRSs).toEqual(oldRSs);
    return { scaled, scaledDownCount: scaleDown.scaledDownCount };
  }
  return { scaled, oldReplicasAfter: onlyReplicas(scaleDown.oldRSs), scaledDownCount: scaleDown.scaledDownCount };
}

function runDeploymentTimedOut(input: TimedOutInput): unknown {
  const d = deployment({ replicas: 1, progressDeadlineSeconds: input.progressDeadlineSeconds });
  const { status, reason, lastUpdateTime } = input.progressingCondition;
  const newStatus: DeploymentStatus = {
    conditions: [{ type: 'Progressing', status, reason, lastUpdateTime: at(lastUpdateTime) }],
  };
  return deploymentTimedOut(d, newStatus, parseTimestamp(at(input.now)));
}

function runGetReplicaSetFraction(input: FractionInput): unknown {
  const d = deployment({
    replicas: input.deploymentReplicas,
    maxSurge: input.deploymentMaxSurge,
    maxUnavailable: input.deploymentMaxUnavailable,
    status: { replicas: input.deploymentStatusReplicas },
  });
  const rs = replicaSet('foo', 0, { replicas: input.rsReplicas, maxReplicasAnnotation: input.rsMaxReplicasAnnotation });
  return getReplicaSetFraction(rs, d);
}

function runReplicaCounts(input: CountsInput): unknown {
  const rss = input.replicaSets.map((rs, i) =>
    replicaSet(`rs${i + 1}`, i, {
      replicas: rs.specReplicas,
      statusReplicas: rs.statusReplicas,
      terminatingReplicas: rs.terminatingReplicas,
      observedGeneration: rs.observedGeneration,
    }),
  );
  return {
    replicaCount: getReplicaCountForReplicaSets(rss),
    actualReplicaCount: getActualReplicaCountForReplicaSets(rss),
    terminatingReplicaCount: getTerminatingReplicaCountForReplicaSets(rss),
  };
}

/** A runner per function of the file: what it returns must equal the case's expected value. */
const runners: Readonly<Record<string, (input: Record<string, unknown>) => unknown>> = {
  ResolveFenceposts: (input) => runResolveFenceposts(input as FenceInput),
  MaxUnavailable: (input) => maxUnavailable(deployment(input as StrategyInput)),
  MinAvailable: (input) => minAvailable(deployment(input as StrategyInput)),
  NewRSNewReplicas: (input) => runNewRSNewReplicas(input as NewRSInput),
  reconcileNewReplicaSet: (input) => runReconcileNewReplicaSet(input as ReconcileNewInput),
  reconcileOldReplicaSets: (input) => runReconcileOldReplicaSets(input as ReconcileOldInput),
  cleanupUnhealthyReplicas: (input) => runCleanupUnhealthyReplicas(input as CleanupInput),
  scaleDownOldReplicaSetsForRollingUpdate: (input) => runScaleDownOldReplicaSets(input as ScaleDownInput),
  DeploymentComplete: (input) => {
    const { status, ...fields } = input as CompleteInput;
    return deploymentComplete(deployment(fields), status);
  },
  DeploymentProgressing: (input) => {
    const { oldStatus, newStatus } = input as ProgressingInput;
    return deploymentProgressing(deployment({ replicas: 10, status: oldStatus }), newStatus);
  },
  DeploymentTimedOut: (input) => runDeploymentTimedOut(input as TimedOutInput),
  getReplicaSetFraction: (input) => runGetReplicaSetFraction(input as FractionInput),
  GetReplicaCountForReplicaSets: (input) => runReplicaCounts(input as CountsInput),
};

runEveryCase<JsonCase>(
  'deployment-rolling.json',
  Object.fromEntries(Object.entries(runners).map(([name, run]) => [name, (c: JsonCase) => expect(run(c.input)).toEqual(c.expected)])),
);

// --- The rules text, beyond the sample ----------------------------------------------

describe('intstr and fencepost rules', () => {
  it('GetScaledValueFromIntOrPercent: percent rounds up or down; ints pass; other strings and nil are errors', () => {
    expect(getScaledValueFromIntOrPercent('25%', 10, true)).toBe(3);
    expect(getScaledValueFromIntOrPercent('25%', 10, false)).toBe(2);
    expect(getScaledValueFromIntOrPercent(7, 10, true)).toBe(7);
    for (const bad of ['5', 'urg', '%', '5%%', '1.5%', ' 5%']) {
      expect(getScaledValueFromIntOrPercent(bad, 10, true)).toBeUndefined();
    }
    expect(getScaledValueFromIntOrPercent(undefined, 10, true)).toBeUndefined();
  });

  it('ResolveFenceposts: 39%/39% of 10 is surge 4, unavailable 3; 0%/1% of 1 is unavailable 1', () => {
    expect(resolveFenceposts('39%', '39%', 10)).toEqual({ surge: 4, unavailable: 3 });
    expect(resolveFenceposts('0%', '1%', 1)).toEqual({ surge: 0, unavailable: 1 });
    expect(resolveFenceposts('oops', '1%', 10)).toBeUndefined();
  });

  it('MaxSurge is not capped; Recreate has no fenceposts; a malformed value reads as 0/0', () => {
    expect(maxSurge(deployment({ replicas: 2, maxSurge: 5, maxUnavailable: 0 }))).toBe(5);
    const recreate = deployment({ replicas: 10, strategy: 'Recreate', maxSurge: 1, maxUnavailable: 1 });
    expect([maxSurge(recreate), maxUnavailable(recreate), minAvailable(recreate)]).toEqual([0, 0, 0]);
    expect(maxUnavailable(deployment({ replicas: 10, maxSurge: 'bad', maxUnavailable: 3 }))).toBe(0);
    expect(maxUnavailable(deployment({ replicas: 0, maxSurge: 0, maxUnavailable: 3 }))).toBe(0);
  });
});

describe('rolling update rules', () => {
  const d = deployment({ replicas: 10, maxSurge: 2, maxUnavailable: 2 });

  it('NewRSNewReplicas: caps at spec.replicas; errs for a nil maxSurge or an unknown strategy', () => {
    const old = [replicaSet('old', 0, { replicas: 1 })];
    expect(newRSNewReplicas(d, old, replicaSet('new', 1, { replicas: 8 }))).toBe(10);
    expect(newRSNewReplicas(deployment({ replicas: 10, maxUnavailable: 2 }), old, old[0] as AppsReplicaSet)).toBeUndefined();
    expect(newRSNewReplicas(deployment({ replicas: 10, strategy: 'Canary' }), old, old[0] as AppsReplicaSet)).toBeUndefined();
  });

  it('reconcileNewReplicaSet: a new RS above spec.replicas scales down; the gate off ignores TerminationComplete', () => {
    const big = replicaSet('new', 1, { replicas: 11 });
    expect(reconcileNewReplicaSet([big], big, d)).toEqual({ scaled: true, newReplicas: 10 });
    const complete = deployment({ replicas: 10, maxSurge: 2, maxUnavailable: 0, podReplacementPolicy: 'TerminationComplete' });
    const old = replicaSet('old', 0, { replicas: 5, terminatingReplicas: 1, observedGeneration: 1 });
    const fresh = replicaSet('new', 1, { replicas: 0, terminatingReplicas: 10, observedGeneration: 1 });
    expect(reconcileNewReplicaSet([fresh, old], fresh, complete)).toEqual({ scaled: true, newReplicas: 7 });
    expect(reconcileNewReplicaSet([fresh, old], fresh, complete, { ...DEFAULT_FEATURE_GATES, DeploymentPodReplacementPolicy: true })).toEqual({ scaled: false });
  });

  it('reconcileNewReplicaSet errs when a synced RS has no terminating count (TerminationComplete, gate on)', () => {
    const complete = deployment({ replicas: 10, maxSurge: 0, maxUnavailable: 0, podReplacementPolicy: 'TerminationComplete' });
    const old = replicaSet('old', 0, { replicas: 5, terminatingReplicas: 1, observedGeneration: 1 });
    const broken = replicaSet('new', 1, { replicas: 1, observedGeneration: 1 });
    expect(reconcileNewReplicaSet([broken, old], broken, complete, { ...DEFAULT_FEATURE_GATES, DeploymentPodReplacementPolicy: true })).toBeUndefined();
  });

  it('cleanupUnhealthyReplicas: oldest first, within maxCleanupCount, skipping healthy and empty RSs', () => {
    const rss = [
      replicaSet('b', 2, { replicas: 4, available: 1 }),
      replicaSet('a', 0, { replicas: 3, available: 3 }),
      replicaSet('c', 1, { replicas: 0 }),
      replicaSet('d', 3, { replicas: 2, available: 0 }),
    ];
    const cleanup = cleanupUnhealthyReplicas(rss, 4);
    expect(cleanup.oldRSs.map((rs) => [rs.metadata?.name, replicasOf(rs)])).toEqual([
      ['a', 3],
      ['c', 0],
      ['b', 1],
      ['d', 1],
    ]);
    expect(cleanup).toMatchObject({ cleanupCount: 4, failed: false });
  });

  it('cleanupUnhealthyReplicas fails on more available than desired, keeping the earlier writes', () => {
    const rss = [replicaSet('a', 0, { replicas: 4, available: 2 }), replicaSet('b', 1, { replicas: 2, available: 3 })];
    const cleanup = cleanupUnhealthyReplicas(rss, 5);
    expect(cleanup).toMatchObject({ cleanupCount: 0, failed: true });
    expect(cleanup.oldRSs.map(replicasOf)).toEqual([2, 2]);
    // maxScaledDown = 6 - (4 - 2) - 0 = 4: the cleanup runs, and its failure ends the reconcile unscaled.
    const newRS = replicaSet('new', 2, { replicas: 0 });
    const small = deployment({ replicas: 4, maxSurge: 0, maxUnavailable: 2 });
    expect(reconcileOldReplicaSets([...rss, newRS], rss, newRS, small)).toEqual({ scaled: false, oldRSs: cleanup.oldRSs });
  });

  it('scaleDownOldReplicaSetsForRollingUpdate takes from the oldest RSs first', () => {
    const rss = [replicaSet('new-old', 1, { replicas: 4, available: 4 }), replicaSet('old-old', 0, { replicas: 3, available: 3 })];
    const scaleDown = scaleDownOldReplicaSetsForRollingUpdate(rss, rss, deployment({ replicas: 5, maxSurge: 0, maxUnavailable: 1 }));
    expect(scaleDown.scaledDownCount).toBe(3);
    expect(scaleDown.oldRSs.map(replicasOf)).toEqual([0, 4]);
  });
});

describe('proportional scaling and status rules', () => {
  it('getReplicaSetFraction rounds half away from zero; -rs when scaling to 0', () => {
    const d = deployment({ replicas: 3, maxSurge: 0, maxUnavailable: 1 });
    expect(getReplicaSetFraction(replicaSet('a', 0, { replicas: 1, maxReplicasAnnotation: 2 }), d)).toBe(1);
    const zero = deployment({ replicas: 0, maxSurge: 0, maxUnavailable: 1 });
    expect(getReplicaSetFraction(replicaSet('a', 0, { replicas: 4, maxReplicasAnnotation: 2 }), zero)).toBe(-4);
  });

  it('GetProportion clamps to what is left to add or remove', () => {
    const d = deployment({ replicas: 20, maxSurge: 0, maxUnavailable: 1 });
    const rs = replicaSet('a', 0, { replicas: 5, maxReplicasAnnotation: 10 });
    expect(getProportion(rs, d, 10, 7)).toBe(3);
    expect(getProportion(rs, d, 10, 10)).toBe(0);
    const down = deployment({ replicas: 5, maxSurge: 0, maxUnavailable: 1 });
    expect(getProportion(rs, down, -5, -4)).toBe(-1);
    expect(getProportion(replicaSet('b', 0, { replicas: 0 }), d, 10, 0)).toBe(0);
  });

  it('DeploymentComplete needs the observed generation', () => {
    const status = { replicas: 3, updatedReplicas: 3, availableReplicas: 3, observedGeneration: 1 };
    expect(deploymentComplete(deployment({ replicas: 3, generation: 1 }), status)).toBe(true);
    expect(deploymentComplete(deployment({ replicas: 3, generation: 2 }), status)).toBe(false);
  });

  it('DeploymentTimedOut: strict deadline, MaxInt32, and the two reasons', () => {
    const condition = (reason: string) => ({
      conditions: [{ type: 'Progressing', status: 'True', reason, lastUpdateTime: at('00:01:10') }],
    });
    const now = (timeOfDay: string) => parseTimestamp(at(timeOfDay));
    const d = deployment({ replicas: 1, progressDeadlineSeconds: 10 });
    expect(deploymentTimedOut(d, condition(''), now('00:01:20'))).toBe(false);
    expect(deploymentTimedOut(d, condition(''), now('00:01:21'))).toBe(true);
    expect(deploymentTimedOut(d, condition(NEW_RS_AVAILABLE_REASON), now('00:09:00'))).toBe(false);
    expect(deploymentTimedOut(d, condition(TIMED_OUT_REASON), now('00:01:00'))).toBe(true);
    expect(deploymentTimedOut(d, {}, now('00:09:00'))).toBe(false);
    const never = deployment({ replicas: 1, progressDeadlineSeconds: 2_147_483_647 });
    expect(deploymentTimedOut(never, condition(TIMED_OUT_REASON), now('00:09:00'))).toBe(false);
  });
});
