// Every case of probe-worker.json (upstream worker_test.go TestDoProbe and the
// multi-step worker tests, prober_manager_test.go TestUpdatePodStatus*) against
// model/semantics/probe.ts.
import { describe, expect, it } from 'vitest';
import type { Probe } from 'kubernetes-types/core/v1.js';
import {
  INITIAL_PROBE_RESULTS,
  PROBE_DEFAULTS,
  containerStartedAndReady,
  doProbe,
  newProbeWorker,
  probeSettings,
  successThresholdAllowed,
  type ContainerProbeView,
  type ProbeInput,
  type ProbeResult,
  type ProbeType,
  type ProbeWorkerState,
  type ProbedContainerState,
  type ProbedContainerStatus,
  type ProberOutcome,
} from '../../model/semantics/probe.ts';
import type { ContainerWithRules, PodRestartPolicy } from '../../model/semantics/restart.ts';
import { DEFAULT_FEATURE_GATES, type FeatureGates } from '../../model/feature-gates.ts';
import { runEveryCase, type SampleCase } from './sample-cases.ts';

type Json = Record<string, unknown>;
type JsonCase = SampleCase<Json, Json>;

// --- converters from the file's encoding -------------------------------------

/** The instant every step is evaluated at; runningForSeconds is counted back from it. */
const NOW_MS = 1_000_000;

const PROBE_TYPES = ['liveness', 'readiness', 'startup'] as const;
const RESULTS = ['Unknown', 'Success', 'Failure'] as const;
const OUTCOMES = ['Success', 'Failure', 'error'] as const;
const PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'] as const;
const KINDS = ['regular', 'init', 'restartableInit'] as const;

function oneOf<T extends string>(allowed: readonly T[], value: unknown): T {
  if (!allowed.includes(value as T)) throw new Error(`unexpected value ${JSON.stringify(value)}`);
  return value as T;
}

function requiredNumber(json: Json, key: string): number {
  if (typeof json[key] !== 'number') throw new Error(`missing number ${key} in ${JSON.stringify(json)}`);
  return json[key];
}

/** Fails on a field the converters do not know, so none is silently ignored. */
function onlyKeys(json: Json, known: readonly string[]): Json {
  for (const key of Object.keys(json)) if (!known.includes(key)) throw new Error(`unknown field ${key}`);
  return json;
}

function resultOrNull(value: unknown): ProbeResult | null {
  return value === null ? null : oneOf(RESULTS, value);
}

function probe(json: Json): Probe {
  onlyKeys(json, ['successThreshold', 'failureThreshold', 'initialDelaySeconds']);
  return {
    successThreshold: requiredNumber(json, 'successThreshold'),
    failureThreshold: requiredNumber(json, 'failureThreshold'),
    initialDelaySeconds: requiredNumber(json, 'initialDelaySeconds'),
  };
}

function containerState(json: Json): ProbedContainerState {
  switch (json.state) {
    case 'waiting':
      return { kind: 'waiting' };
    case 'running':
      return { kind: 'running', startedAtMs: NOW_MS - requiredNumber(json, 'runningForSeconds') * 1000 };
    case 'terminated':
      return { kind: 'terminated', exitCode: requiredNumber(json, 'exitCode') };
    default:
      throw new Error(`unexpected container state ${JSON.stringify(json.state)}`);
  }
}

function containerStatus(json: Json): ProbedContainerStatus {
  onlyKeys(json, ['containerID', 'state', 'runningForSeconds', 'started', 'exitCode']);
  return { containerId: String(json.containerID), state: containerState(json), started: json.started === true };
}

function podStatus(json: Json | null): ProbeInput['podStatus'] {
  if (json === null) return null;
  onlyKeys(json, ['phase', 'container']);
  const container = json.container as Json | null;
  return { phase: oneOf(PHASES, json.phase), container: container === null ? null : containerStatus(container) };
}

function probeInput(json: Json, podDeletionRequested: boolean): ProbeInput {
  return {
    podStatus: podStatus(json.podStatus as Json | null),
    podDeletionRequested,
    nowMs: NOW_MS,
    proberReturns: oneOf<ProberOutcome>(OUTCOMES, json.proberReturns),
  };
}

function worker(input: Json): ProbeWorkerState {
  return newProbeWorker({
    probeType: oneOf<ProbeType>(PROBE_TYPES, input.probeType),
    settings: probeSettings(probe(input.probe as Json)),
    podRestartPolicy: oneOf<PodRestartPolicy>(RESTART_POLICIES, input.podRestartPolicy),
    restartableInitContainer: false,
  });
}

// --- runners -----------------------------------------------------------------

function runDoProbe(c: JsonCase): void {
  const input = onlyKeys(c.input, [
    'probeType', 'probe', 'podRestartPolicy', 'podDeletionRequested', 'podStatus', 'proberReturns',
  ]);
  const step = doProbe(worker(input), probeInput(input, input.podDeletionRequested === true));
  expect({ continue: step.continue, resultSet: step.state.result !== null, result: step.state.result }).toEqual(
    c.expected,
  );
}

function runSequence(c: JsonCase): void {
  const input = onlyKeys(c.input, ['probeType', 'probe', 'podRestartPolicy', 'steps', 'presetCachedResult']);
  // A preset is what the results manager already holds for the container before step 1.
  let state: ProbeWorkerState = { ...worker(input), result: resultOrNull(input.presetCachedResult ?? null) };
  const steps = input.steps as Json[];
  const expected = c.expected.afterEachStep as Json[];
  expect(steps.length).toBe(expected.length);
  steps.forEach((stepJson, i) => {
    const step = doProbe(state, probeInput(onlyKeys(stepJson, ['podStatus', 'proberReturns']), false));
    state = step.state;
    const observed = { continue: step.continue, result: state.result, resultRun: state.resultRun, onHold: state.onHold };
    expect(observed, `after step ${i + 1}`).toEqual(expected[i]);
  });
}

function containerView(input: Json): ContainerProbeView {
  onlyKeys(input, ['containerKind', 'state', 'exitCode', 'workers', 'readinessResult', 'startupResult']);
  const workers = (input.workers as unknown[]).map((w) => oneOf(PROBE_TYPES, w));
  const state: ProbedContainerState =
    input.state === 'running' ? { kind: 'running', startedAtMs: NOW_MS } : containerState(input);
  return {
    kind: oneOf(KINDS, input.containerKind),
    state,
    startupWorker: workers.includes('startup'),
    readinessWorker: workers.includes('readiness'),
    startupResult: resultOrNull(input.startupResult),
    readinessResult: resultOrNull(input.readinessResult),
  };
}

function runUpdatePodStatus(c: JsonCase): void {
  expect(containerStartedAndReady(containerView(c.input))).toEqual(c.expected);
}

runEveryCase<JsonCase>('probe-worker.json', {
  doProbe: runDoProbe,
  'doProbe sequence': runSequence,
  'doProbe sequence (derived)': runSequence,
  UpdatePodStatus: runUpdatePodStatus,
});

// --- the rules text, beyond the sample ---------------------------------------

describe('probe defaults and initial values', () => {
  it('SetDefaults_Probe: period 10, timeout 1, success 1, failure 3, for unset or 0 fields', () => {
    const expected = { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 };
    expect(PROBE_DEFAULTS).toEqual(expected);
    expect(probeSettings({})).toEqual(expected);
    expect(probeSettings({ periodSeconds: 0, timeoutSeconds: 0, successThreshold: 0, failureThreshold: 0 })).toEqual(
      expected,
    );
    expect(probeSettings({ periodSeconds: 3, failureThreshold: 7 })).toMatchObject({ periodSeconds: 3, failureThreshold: 7 });
  });

  it('liveness and startup probes must have successThreshold 1', () => {
    expect(successThresholdAllowed('liveness', 2)).toBe(false);
    expect(successThresholdAllowed('startup', 2)).toBe(false);
    expect(successThresholdAllowed('readiness', 2)).toBe(true);
    expect(successThresholdAllowed('liveness', 1)).toBe(true);
  });

  it('initial cached values: liveness Success, readiness Failure, startup Unknown; lastResult starts Success', () => {
    expect(INITIAL_PROBE_RESULTS).toEqual({ liveness: 'Success', readiness: 'Failure', startup: 'Unknown' });
    const w = newProbeWorker({
      probeType: 'readiness',
      settings: probeSettings({}),
      podRestartPolicy: 'Always',
      restartableInitContainer: false,
    });
    expect(w).toMatchObject({ containerId: '', result: null, lastResult: 'Success', resultRun: 0, onHold: false });
  });
});

describe('doProbe rules', () => {
  const running = (containerId: string, started = true): ProbeInput['podStatus'] => ({
    phase: 'Running',
    container: { containerId, state: { kind: 'running', startedAtMs: 0 }, started },
  });
  const input = (podStatus: ProbeInput['podStatus'], proberReturns: ProberOutcome = 'Success'): ProbeInput => ({
    podStatus,
    podDeletionRequested: false,
    nowMs: 0,
    proberReturns,
  });
  const newWorker = (probeType: ProbeType, podRestartPolicy: PodRestartPolicy = 'Never', restartableInitContainer = false) =>
    newProbeWorker({ probeType, settings: probeSettings({}), podRestartPolicy, restartableInitContainer });

  it('a terminated sidecar, or any container of a pod that restarts, keeps its worker', () => {
    const terminated: ProbeInput['podStatus'] = {
      phase: 'Running',
      container: { containerId: 'c1', state: { kind: 'terminated', exitCode: 1 }, started: false },
    };
    expect(doProbe(newWorker('readiness', 'Never', true), input(terminated)).continue).toBe(true);
    expect(doProbe(newWorker('readiness', 'OnFailure'), input(terminated)).continue).toBe(true);
    expect(doProbe(newWorker('readiness', 'Never'), input(terminated)).continue).toBe(false);
  });

  it('with ContainerRestartRules, a terminated container keeps its worker only if its own rules, or a restart of all containers, restart it (worker.go)', () => {
    const exited = (exitCode: number): ProbeInput['podStatus'] => ({
      phase: 'Running',
      container: { containerId: 'c1', state: { kind: 'terminated', exitCode }, started: false },
    });
    const container: ContainerWithRules = {
      name: 'app', restartPolicy: 'Never', restartPolicyRules: [{ action: 'Restart', exitCodes: { operator: 'In', values: [42] } }],
    };
    const gates = { ...DEFAULT_FEATURE_GATES, ContainerRestartRules: true };
    const withRules = (g: FeatureGates) => newProbeWorker({
      probeType: 'readiness', settings: probeSettings({}), podRestartPolicy: 'Always', restartableInitContainer: false,
      restartRules: { container, podSpec: { restartPolicy: 'Always', containers: [] }, gates: g },
    });
    expect(doProbe(withRules(gates), input(exited(42))).continue).toBe(true);
    expect(doProbe(withRules(gates), input(exited(1))).continue).toBe(false);
    const restartAll = { ...gates, RestartAllContainersOnContainerExits: true };
    expect(doProbe(withRules(restartAll), { ...input(exited(1)), allContainersRestarting: true }).continue).toBe(true);
    expect(doProbe(withRules(gates), { ...input(exited(1)), allContainersRestarting: true }).continue).toBe(false);
    // Without the gate the pod's Always keeps it.
    expect(doProbe(withRules({ ...DEFAULT_FEATURE_GATES, ContainerRestartRules: false }), input(exited(1))).continue).toBe(true);
  });

  it('pod deletion does not stop a readiness worker', () => {
    const step = doProbe(newWorker('readiness'), { ...input(running('c1')), podDeletionRequested: true });
    expect(step).toMatchObject({ continue: true, state: { result: 'Success', resultRun: 1 } });
  });

  it('a prober error is thrown away', () => {
    const step = doProbe(newWorker('liveness'), input(running('c1'), 'error'));
    expect(step.state).toMatchObject({ containerId: 'c1', result: 'Success', lastResult: 'Success', resultRun: 0 });
  });

  it('on hold until a new container ID, which resets the cache but not resultRun', () => {
    const failed = doProbe({ ...newWorker('liveness'), resultRun: 2, lastResult: 'Failure' }, input(running('c1'), 'Failure'));
    expect(failed.state).toMatchObject({ result: 'Failure', onHold: true, resultRun: 0 });
    expect(doProbe(failed.state, input(running('c1'))).state).toBe(failed.state);
    const restarted = doProbe({ ...failed.state, resultRun: 5 }, input(running('c2'), 'error')).state;
    expect(restarted).toMatchObject({ containerId: 'c2', result: 'Success', onHold: false, resultRun: 5 });
  });

  it('readiness is never put on hold: the run keeps growing past the threshold', () => {
    let state = newWorker('readiness');
    for (let i = 0; i < 5; i++) state = doProbe(state, input(running('c1'), 'Failure')).state;
    expect(state).toMatchObject({ result: 'Failure', resultRun: 5, onHold: false });
  });

  it('initialDelaySeconds compares whole seconds since startedAt, truncated', () => {
    const w = newProbeWorker({
      probeType: 'liveness',
      settings: probeSettings({ initialDelaySeconds: 2 }),
      podRestartPolicy: 'Always',
      restartableInitContainer: false,
    });
    expect(doProbe(w, { ...input(running('c1'), 'Failure'), nowMs: 1999 }).state.lastResult).toBe('Success');
    expect(doProbe(w, { ...input(running('c1'), 'Failure'), nowMs: 2000 }).state.lastResult).toBe('Failure');
  });
});

describe('UpdatePodStatus rules', () => {
  const view = (over: Partial<ContainerProbeView>): ContainerProbeView => ({
    kind: 'regular',
    state: { kind: 'running', startedAtMs: 0 },
    startupWorker: false,
    readinessWorker: false,
    startupResult: null,
    readinessResult: null,
    ...over,
  });

  it('a container that is not running is neither started nor ready', () => {
    expect(containerStartedAndReady(view({ state: { kind: 'waiting' } }))).toEqual({ started: false, ready: false });
  });

  it('a startup worker that has not yet succeeded holds back started and ready', () => {
    expect(containerStartedAndReady(view({ startupWorker: true }))).toEqual({ started: false, ready: false });
    expect(containerStartedAndReady(view({ startupWorker: true, startupResult: 'Failure' }))).toEqual({
      started: false,
      ready: false,
    });
  });

  it('a plain init container is ready iff it terminated with exit code 0', () => {
    const init = (exitCode: number) => view({ kind: 'init', state: { kind: 'terminated', exitCode } });
    expect(containerStartedAndReady(init(0))).toEqual({ started: false, ready: true });
    expect(containerStartedAndReady(init(1))).toEqual({ started: false, ready: false });
  });
});
