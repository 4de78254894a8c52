// Every case of container-restart-backoff.json: ShouldContainerBeRestarted (upstream
// helpers_test.go) against model/semantics/restart.ts, the flowcontrol.Backoff scenarios and the
// kubelet CrashLoopBackOff cases against model/semantics/backoff.ts, each with the gates it names.
// The scenarios state their steps in words; each is encoded below, step by step, under its name.
import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURE_GATES } from '../../model/feature-gates.ts';
import {
  CRASH_LOOP_BACKOFF_INITIAL_MS,
  CRASH_LOOP_BACKOFF_MAX_MS,
  CRASH_LOOP_BACKOFF_RESET_MS,
  REDUCED_CRASH_LOOP_BACKOFF_INITIAL_MS,
  REDUCED_CRASH_LOOP_BACKOFF_MAX_MS,
  backoffGC,
  backoffGet,
  backoffNext,
  backoffReset,
  crashLoopBackoff,
  crashLoopBackoffPeriods,
  isInBackOffSince,
  newBackoff,
  newCrashLoopBackoff,
  type Backoff,
} from '../../model/semantics/backoff.ts';
import { shouldContainerBeRestarted, type PodRestartPolicy, type RuntimeContainerStatus } from '../../model/semantics/restart.ts';
import { caseGates } from './case-gates.ts';
import { runEveryCase, type SampleCase } from './sample-cases.ts';

type JsonCase = SampleCase;

const SECOND_MS = 1000;

function ms(seconds: unknown): number {
  return Number(seconds) * SECOND_MS;
}

// --- client-go backoff_test scenarios, as a fake clock in whole seconds ------

type Scenario = {
  /** The case's input.steps, word for word: what `run` encodes. */
  readonly steps: string;
  readonly run: (initialMs: number, maxMs: number) => unknown;
};

const SCENARIOS: Readonly<Record<string, Scenario>> = {
  'Backoff.Next/Get: TestSlowBackoff': {
    steps: 'repeat 10 times: clock += 1s; observe Get(id); then Next(id, now)',
    run: (initialMs, maxMs) => {
      const id = '_idSlow';
      let b = newBackoff(initialMs, maxMs);
      let nowMs = 0;
      const observedBackoffSeconds: number[] = [];
      for (let i = 0; i < 10; i++) {
        nowMs += SECOND_MS;
        observedBackoffSeconds.push(backoffGet(b, id) / SECOND_MS);
        b = backoffNext(b, id, nowMs, nowMs);
      }
      // The note: upstream then calls Next once more and Reset, and Get returns 0.
      b = backoffReset(backoffNext(b, id, nowMs, nowMs), id);
      expect(backoffGet(b, id)).toBe(0);
      return { observedBackoffSeconds };
    },
  },
  'Backoff.GC: TestBackoffGC': {
    steps: '6 x (clock += 1s; Next); lastUpdate=now; clock += 6s; GC(); clock += 6s; GC()',
    run: (initialMs, maxMs) => {
      const id = '_idGC';
      let b = newBackoff(initialMs, maxMs);
      let nowMs = 0;
      for (let i = 0; i < 6; i++) {
        nowMs += SECOND_MS;
        b = backoffNext(b, id, nowMs, nowMs);
      }
      const lastUpdateMs = nowMs;
      expect(b.entries[id]?.lastUpdateMs).toBe(lastUpdateMs);
      nowMs += 6 * SECOND_MS;
      b = backoffGC(b, nowMs);
      const entryAfterFirstGC = Object.hasOwn(b.entries, id);
      nowMs += 6 * SECOND_MS;
      b = backoffGC(b, nowMs);
      const entryAfterSecondGC = Object.hasOwn(b.entries, id);
      return { entryAfterFirstGC, entryAfterSecondGC };
    },
  },
};

function runScenario(c: JsonCase): void {
  const scenario = SCENARIOS[c.name];
  if (scenario === undefined) throw new Error(`no encoding of the scenario steps for ${c.name}`);
  expect(c.input.steps).toBe(scenario.steps);
  expect(scenario.run(ms(c.input.initialSeconds), ms(c.input.maxSeconds))).toEqual(c.expected);
}

// --- the kubelet's crash loop ------------------------------------------------

/**
 * A container that exits the moment it starts, `crashes` times, under doBackOff: after
 * each exit the kubelet syncs every second until the start is no longer blocked, then
 * starts it (Next). Returns Get(key) after each start and the wait from each exit.
 */
function crashLoop(initial: Backoff, crashes: number): { delaysMs: number[]; waitsMs: number[] } {
  const key = 'web_default_uid-1_app_hash';
  let b = initial;
  let nowMs = 0;
  const delaysMs: number[] = [];
  const waitsMs: number[] = [];
  for (let i = 0; i < crashes; i++) {
    const finishedAtMs = nowMs;
    let decision = crashLoopBackoff(b, key, finishedAtMs, nowMs);
    while (decision.inBackoff) {
      nowMs += SECOND_MS;
      decision = crashLoopBackoff(b, key, finishedAtMs, nowMs);
    }
    b = decision.backoff;
    delaysMs.push(decision.backoffMs);
    waitsMs.push(nowMs - finishedAtMs);
  }
  return { delaysMs, waitsMs };
}

/** The first restart is immediate; each later one waits the back-off the previous set. */
function expectedWaitsMs(delaysMs: readonly number[]): number[] {
  return delaysMs.map((_, i) => (i === 0 ? 0 : (delaysMs[i - 1] as number)));
}

/** The kubelet's crash loop with the case's gates: its periods as the case states them, then its delays. */
function runKubeletSchedule(c: JsonCase): void {
  const gates = caseGates(c.input.featureGates);
  const backoff = newCrashLoopBackoff(gates);
  expect({ initialMs: backoff.initialMs, maxMs: backoff.maxMs, expiresAfterMs: backoff.expiresAfterMs }).toEqual({
    initialMs: ms(c.input.initialSeconds), maxMs: ms(c.input.maxSeconds), expiresAfterMs: ms(c.input.resetAfterSecondsWithoutBackoffUpdate),
  });
  const { delaysMs, waitsMs } = crashLoop(backoff, Number(c.input.consecutiveCrashes));
  const expected = c.expected as { delaysSeconds: number[] };
  expect(delaysMs.map((d) => d / SECOND_MS)).toEqual(expected.delaysSeconds);
  expect(waitsMs).toEqual(expectedWaitsMs(delaysMs));
}

// --- ShouldContainerBeRestarted ------------------------------------------------

const RUNTIME_STATES = ['created', 'running', 'exited', 'unknown'] as const;
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'] as const;

function oneOf<T extends string>(allowed: readonly T[], value: unknown): T {
  if (!allowed.includes(value as T)) throw new Error(`unexpected value ${JSON.stringify(value)}`);
  return value as T;
}

function runtimeStatus(json: Record<string, unknown>): RuntimeContainerStatus {
  const status = { name: String(json.name), state: oneOf(RUNTIME_STATES, json.state) };
  return json.exitCode === undefined ? status : { ...status, exitCode: Number(json.exitCode) };
}

function runShouldContainerBeRestarted(c: JsonCase): void {
  const input = c.input;
  const policy: PodRestartPolicy = oneOf(RESTART_POLICIES, input.podRestartPolicy);
  const statuses = (input.runtimeStatuses as Record<string, unknown>[]).map(runtimeStatus);
  expect(shouldContainerBeRestarted(String(input.containerName), policy, input.podDeleted as boolean, statuses)).toBe(c.expected);
}

runEveryCase<JsonCase>('container-restart-backoff.json', {
  ShouldContainerBeRestarted: runShouldContainerBeRestarted,
  'Backoff.Next/Get': runScenario,
  'Backoff.GC': runScenario,
  'kubelet CrashLoopBackOff (derived)': runKubeletSchedule,
});

// --- the rules text, beyond the sample ---------------------------------------

describe('flowcontrol.Backoff rules', () => {
  const id = 'k';
  const maxMs = 5 * SECOND_MS;
  const started = backoffNext(newBackoff(SECOND_MS, maxMs), id, 0, 0);

  it('Next resets only when eventTime - lastUpdate > 2*max (strict)', () => {
    expect(backoffGet(backoffNext(started, id, 2 * maxMs, 2 * maxMs), id)).toBe(2 * SECOND_MS);
    expect(backoffGet(backoffNext(started, id, 2 * maxMs + 1, 2 * maxMs + 1), id)).toBe(SECOND_MS);
  });

  it('Next judges expiry at the event time and records the clock as lastUpdate', () => {
    const b = backoffNext(started, id, 1, 2 * maxMs + 5);
    expect(b.entries[id]).toEqual({ backoffMs: 2 * SECOND_MS, lastUpdateMs: 2 * maxMs + 5 });
  });

  it('IsInBackOffSince: now - eventTime < backoff (strict), and never for an expired or missing entry', () => {
    expect(isInBackOffSince(started, id, 0, SECOND_MS - 1)).toBe(true);
    expect(isInBackOffSince(started, id, 0, SECOND_MS)).toBe(false);
    expect(isInBackOffSince(started, id, 2 * maxMs + 1, 2 * maxMs + 1)).toBe(false);
    expect(isInBackOffSince(started, 'other', 0, 0)).toBe(false);
  });

  it('Get is 0 without an entry; Reset forgets only its key', () => {
    const both = backoffNext(started, 'other', 0, 0);
    expect(backoffGet(newBackoff(SECOND_MS, maxMs), id)).toBe(0);
    expect(Object.keys(backoffReset(both, id).entries)).toEqual(['other']);
  });

  it('a key named like an Object.prototype member is an ordinary key', () => {
    const b = newBackoff(SECOND_MS, maxMs);
    expect(backoffGet(b, 'constructor')).toBe(0);
    expect(isInBackOffSince(b, '__proto__', 0, 0)).toBe(false);
    expect(backoffGet(backoffNext(b, '__proto__', 0, 0), '__proto__')).toBe(SECOND_MS);
  });
});

describe('kubelet CrashLoopBackOff rules', () => {
  it('its periods by the gates and the kubelet configuration (kubelet.go newCrashLoopBackOff)', () => {
    const reduced = { ...DEFAULT_FEATURE_GATES, ReduceDefaultCrashLoopBackOffDecay: true, KubeletCrashLoopBackOffMax: false };
    const withMax = { ...DEFAULT_FEATURE_GATES, KubeletCrashLoopBackOffMax: true };
    expect(crashLoopBackoffPeriods()).toEqual({ initialMs: CRASH_LOOP_BACKOFF_INITIAL_MS, maxMs: CRASH_LOOP_BACKOFF_MAX_MS });
    expect(crashLoopBackoffPeriods(reduced)).toEqual({ initialMs: REDUCED_CRASH_LOOP_BACKOFF_INITIAL_MS, maxMs: REDUCED_CRASH_LOOP_BACKOFF_MAX_MS });
    // KubeletCrashLoopBackOffMax takes the configured maximum, whatever the other gate says; the initial never exceeds it.
    expect(crashLoopBackoffPeriods(withMax, 30 * SECOND_MS)).toEqual({ initialMs: 10 * SECOND_MS, maxMs: 30 * SECOND_MS });
    expect(crashLoopBackoffPeriods(withMax, 5 * SECOND_MS)).toEqual({ initialMs: 5 * SECOND_MS, maxMs: 5 * SECOND_MS });
    expect(crashLoopBackoffPeriods({ ...reduced, KubeletCrashLoopBackOffMax: true })).toEqual({ initialMs: SECOND_MS, maxMs: CRASH_LOOP_BACKOFF_MAX_MS });
  });

  it('defaults: 10 s initial, 300 s max, reset after a fixed 600 s', () => {
    expect([CRASH_LOOP_BACKOFF_INITIAL_MS, CRASH_LOOP_BACKOFF_MAX_MS, CRASH_LOOP_BACKOFF_RESET_MS]).toEqual([
      10_000, 300_000, 600_000,
    ]);
    const { delaysMs, waitsMs } = crashLoop(newCrashLoopBackoff(), 8);
    expect(delaysMs.map((d) => d / SECOND_MS)).toEqual([10, 20, 40, 80, 160, 300, 300, 300]);
    expect(waitsMs).toEqual(expectedWaitsMs(delaysMs));
  });

  it('expiry is 600 s since the last update, not 2*max', () => {
    const key = 'c';
    const reduced = crashLoopBackoff(
      newCrashLoopBackoff({ ...DEFAULT_FEATURE_GATES, ReduceDefaultCrashLoopBackOffDecay: true }),
      key,
      0,
      0,
    ).backoff;
    // A crash finishing at `finishedAtMs`, restarted 1 s later (past the 1 s back-off).
    const restartedAfter = (finishedAtMs: number) =>
      crashLoopBackoff(reduced, key, finishedAtMs, finishedAtMs + SECOND_MS);
    // 121 s > 2*max = 120 s, but not > 600 s: the back-off still doubles.
    expect(restartedAfter(121 * SECOND_MS)).toMatchObject({ inBackoff: false, backoffMs: 2 * SECOND_MS });
    expect(restartedAfter(600 * SECOND_MS)).toMatchObject({ inBackoff: false, backoffMs: 2 * SECOND_MS });
    expect(restartedAfter(600 * SECOND_MS + 1)).toMatchObject({ inBackoff: false, backoffMs: SECOND_MS });
    // A plain flowcontrol.Backoff with the same initial and max resets after 2*max.
    const plain = backoffNext(newBackoff(SECOND_MS, 60 * SECOND_MS), key, 0, 0);
    expect(backoffGet(backoffNext(plain, key, 121 * SECOND_MS, 122 * SECOND_MS), key)).toBe(SECOND_MS);
  });

  it('is measured from FinishedAt of the newest exited container; none means no back-off', () => {
    const key = 'c';
    const b = crashLoopBackoff(newCrashLoopBackoff(), key, 0, 0).backoff;
    const blocked = crashLoopBackoff(b, key, 5 * SECOND_MS, 14 * SECOND_MS);
    expect(blocked).toEqual({ inBackoff: true, backoffMs: 10 * SECOND_MS, backoff: b });
    const started = crashLoopBackoff(b, key, 5 * SECOND_MS, 15 * SECOND_MS);
    expect(started.inBackoff).toBe(false);
    expect(started.backoff.entries[key]).toEqual({ backoffMs: 20 * SECOND_MS, lastUpdateMs: 15 * SECOND_MS });
    expect(crashLoopBackoff(b, key, null, 0)).toEqual({ inBackoff: false, backoffMs: 10 * SECOND_MS, backoff: b });
  });
});
