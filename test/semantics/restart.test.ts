// Every ShouldContainerBeRestarted case of container-restart-backoff.json (upstream
// helpers_test.go TestShouldContainerBeRestarted) against model/semantics/restart.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  shouldContainerBeRestarted,
  type PodRestartPolicy,
  type RuntimeContainerStatus,
} from '../../model/semantics/restart.ts';

type JsonCase = { name: string; function: string; input: Record<string, unknown>; expected: unknown };

const file = JSON.parse(
  readFileSync(new URL('../k8s-semantics/container-restart-backoff.json', import.meta.url), 'utf8'),
) as { cases: JsonCase[] };
const cases = file.cases.filter((c) => c.function === 'ShouldContainerBeRestarted');

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

function restartPolicy(json: unknown): PodRestartPolicy {
  return oneOf(RESTART_POLICIES, json);
}

describe('ShouldContainerBeRestarted', () => {
  for (const c of cases) {
    it(c.name, () => {
      const input = c.input;
      const statuses = (input.runtimeStatuses as Record<string, unknown>[]).map(runtimeStatus);
      const got = shouldContainerBeRestarted(
        String(input.containerName),
        restartPolicy(input.podRestartPolicy),
        input.podDeleted as boolean,
        statuses,
      );
      expect(got).toBe(c.expected);
    });
  }
});

// The sample holds only the Never rows of the upstream table; the README's rules give
// the rest (exited: OnFailure restarts only on a non-zero exit code, Always always).
describe('ShouldContainerBeRestarted rules beyond the sample', () => {
  const statuses: RuntimeContainerStatus[] = [
    { name: 'alive', state: 'running' },
    { name: 'succeed', state: 'exited', exitCode: 0 },
    { name: 'failed', state: 'exited', exitCode: 1 },
    { name: 'alive', state: 'exited', exitCode: 2 },
    { name: 'unknown', state: 'unknown' },
    { name: 'created', state: 'created' },
  ];
  const expected: Record<PodRestartPolicy, Record<string, boolean>> = {
    Never: { 'no-history': true, alive: false, succeed: false, failed: false, unknown: true, created: true },
    OnFailure: { 'no-history': true, alive: false, succeed: false, failed: true, unknown: true, created: true },
    Always: { 'no-history': true, alive: false, succeed: true, failed: true, unknown: true, created: true },
  };
  for (const policy of RESTART_POLICIES) {
    for (const [name, restarts] of Object.entries(expected[policy])) {
      it(`container=${name} restartPolicy=${policy}`, () => {
        expect(shouldContainerBeRestarted(name, policy, false, statuses)).toBe(restarts);
        expect(shouldContainerBeRestarted(name, policy, true, statuses)).toBe(false);
      });
    }
  }

  it('an exited status without an exit code reads as 0 (Go zero value)', () => {
    expect(shouldContainerBeRestarted('c', 'OnFailure', false, [{ name: 'c', state: 'exited' }])).toBe(false);
  });
});
