// ShouldContainerBeRestarted and ContainerShouldRestart beyond the sample cases (which
// backoff.test.ts runs with the rest of container-restart-backoff.json): the rows of upstream's
// table the sample leaves out, and container-level restart policies and rules.
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURE_GATES } from '../../model/feature-gates.ts';
import {
  containerShouldRestart,
  shouldContainerBeRestarted,
  type ContainerWithRules,
  type PodRestartPolicy,
  type RuntimeContainerStatus,
} from '../../model/semantics/restart.ts';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'] as const;

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

describe('container-level restart policies and rules (pod/util.go ContainerShouldRestart)', () => {
  const podSpec = (restartPolicy: PodRestartPolicy): PodSpec => ({ restartPolicy, containers: [] });
  const rules: ContainerWithRules = {
    name: 'c',
    restartPolicy: 'Never',
    restartPolicyRules: [
      { action: 'Restart', exitCodes: { operator: 'In', values: [42, 43] } },
      { action: 'RestartAllContainers', exitCodes: { operator: 'NotIn', values: [0, 1, 42, 43] } },
    ],
  };
  const gatesOn = { ...DEFAULT_FEATURE_GATES, ContainerRestartRules: true };

  it('the first matching rule decides; no match falls back to the container policy, then the pod policy', () => {
    expect(containerShouldRestart(rules, podSpec('Always'), 42, gatesOn)).toBe(true);
    expect(containerShouldRestart(rules, podSpec('Always'), 1, gatesOn)).toBe(false);
    expect(containerShouldRestart({ name: 'c', restartPolicy: 'OnFailure' }, podSpec('Never'), 2, gatesOn)).toBe(true);
    expect(containerShouldRestart({ name: 'c', restartPolicy: 'OnFailure' }, podSpec('Never'), 0, gatesOn)).toBe(false);
    expect(containerShouldRestart({ name: 'c' } as Container, podSpec('OnFailure'), 0, gatesOn)).toBe(false);
    expect(containerShouldRestart({ name: 'c' } as Container, podSpec('Always'), 0, gatesOn)).toBe(true);
  });

  it('a RestartAllContainers rule restarts the container only with RestartAllContainersOnContainerExits', () => {
    expect(containerShouldRestart(rules, podSpec('Always'), 7, gatesOn)).toBe(false);
    expect(containerShouldRestart(rules, podSpec('Always'), 7, { ...gatesOn, RestartAllContainersOnContainerExits: true })).toBe(true);
  });

  it('ShouldContainerBeRestarted follows the container rules only with ContainerRestartRules', () => {
    const exited: RuntimeContainerStatus[] = [{ name: 'c', state: 'exited', exitCode: 42 }];
    const input = { container: rules, podSpec: podSpec('Never'), gates: gatesOn };
    expect(shouldContainerBeRestarted('c', 'Never', false, exited, input)).toBe(true);
    expect(shouldContainerBeRestarted('c', 'Never', false, exited, { ...input, gates: { ...DEFAULT_FEATURE_GATES, ContainerRestartRules: false } })).toBe(false);
    expect(shouldContainerBeRestarted('c', 'Never', true, exited, input)).toBe(false);
    expect(shouldContainerBeRestarted('c', 'Never', false, [{ name: 'c', state: 'running' }], input)).toBe(false);
  });
});
