// Every sample case of test/k8s-semantics/pod-phase.json (kubelet getPhase) against the model,
// each with the feature gates it names, then the rules the file states beyond its cases.
import type { Container, ContainerState, ContainerStatus, PodSpec } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURE_GATES } from '../../model/feature-gates.ts';
import { podPhase, RESTARTING_ALL_CONTAINERS, type PodPhase } from '../../model/semantics/pod-phase.ts';
import type { ContainerRestartRule, ContainerWithRules } from '../../model/semantics/restart.ts';
import { caseGates } from './case-gates.ts';
import { runEveryCase, sampleCases, type SampleCase } from './sample-cases.ts';

interface EncodedContainer {
  name: string;
  restartPolicy?: string;
  restartPolicyRules?: ContainerRestartRule[];
}

interface EncodedStatus {
  name: string;
  state: 'waiting' | 'running' | 'terminated';
  reason?: string;
  exitCode?: number;
  started?: boolean;
  lastTerminated?: { exitCode: number; reason?: string };
}

interface PhaseInput {
  restartPolicy: string;
  podIsTerminal: boolean;
  podHasInitialized: boolean;
  isStaticPod: boolean;
  featureGates: Record<string, boolean>;
  initContainers: EncodedContainer[];
  containers: EncodedContainer[];
  initContainerStatuses: EncodedStatus[];
  containerStatuses: EncodedStatus[];
}

type PhaseCase = SampleCase<PhaseInput, PodPhase>;

function toContainer(encoded: EncodedContainer): ContainerWithRules {
  return {
    name: encoded.name,
    ...(encoded.restartPolicy !== undefined && { restartPolicy: encoded.restartPolicy }),
    ...(encoded.restartPolicyRules !== undefined && { restartPolicyRules: encoded.restartPolicyRules }),
  };
}

function withReason(reason: string | undefined): { reason?: string } {
  return reason ? { reason } : {};
}

/** A terminated state: exitCode absent is Go's zero value (the upstream stoppedState helper is Terminated{}). */
function toState(encoded: EncodedStatus): ContainerState {
  switch (encoded.state) {
    case 'waiting': return { waiting: withReason(encoded.reason) };
    case 'running': return { running: {} };
    case 'terminated': return { terminated: { exitCode: encoded.exitCode ?? 0, ...withReason(encoded.reason) } };
  }
}

function toContainerStatus(encoded: EncodedStatus): ContainerStatus {
  const last = encoded.lastTerminated;
  return {
    name: encoded.name,
    image: '',
    imageID: '',
    ready: false,
    restartCount: 0,
    state: toState(encoded),
    ...(last !== undefined && { lastState: { terminated: { exitCode: last.exitCode, ...withReason(last.reason) } } }),
    ...(encoded.started !== undefined && { started: encoded.started }),
  };
}

function toSpec(input: PhaseInput): PodSpec {
  return {
    restartPolicy: input.restartPolicy,
    initContainers: input.initContainers.map(toContainer) as Container[],
    containers: input.containers.map(toContainer) as Container[],
  };
}

function statusesOf(input: PhaseInput): ContainerStatus[] {
  return [...input.initContainerStatuses, ...input.containerStatuses].map(toContainerStatus);
}

function phaseOf(input: PhaseInput, gates = caseGates(input.featureGates)): PodPhase {
  // Static pods are not modelled; no upstream case is one.
  expect(input.isStaticPod).toBe(false);
  return podPhase(toSpec(input), statusesOf(input), input.podIsTerminal, input.podHasInitialized, gates);
}

runEveryCase<PhaseCase>('pod-phase.json', {
  getPhase: (c) => expect(phaseOf(c.input)).toBe(c.expected),
});

/** A case whose containers set no restart policy or rules of their own (sidecars aside). */
function hasNoContainerRestartPolicies(input: PhaseInput): boolean {
  const own = (c: EncodedContainer, init: boolean) => c.restartPolicyRules !== undefined || (c.restartPolicy !== undefined && !(init && c.restartPolicy === 'Always'));
  return !input.initContainers.some((c) => own(c, true)) && !input.containers.some((c) => own(c, false));
}

describe('getPhase rules beyond the sample', () => {
  it('with no container-level restart policies, ContainerRestartRules gives the legacy phase', () => {
    const legacy = sampleCases<PhaseCase>('pod-phase.json').filter((c) => hasNoContainerRestartPolicies(c.input));
    expect(legacy.length).toBeGreaterThan(0);
    for (const c of legacy) {
      const on = phaseOf(c.input, { ...caseGates(c.input.featureGates), ContainerRestartRules: true });
      const off = phaseOf(c.input, { ...caseGates(c.input.featureGates), ContainerRestartRules: false });
      expect([c.name, on]).toEqual([c.name, off]);
    }
  });

  const spec = (restartPolicy: string, container: ContainerWithRules): PodSpec => ({ restartPolicy, containers: [container as Container] });
  const exited = (exitCode: number, reason?: string): ContainerStatus[] =>
    [{ name: 'c', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode, ...withReason(reason) } } }];
  const onExit42: ContainerRestartRule[] = [{ action: 'Restart', exitCodes: { operator: 'In', values: [42] } }];

  it('a container restart rule keeps a Never pod Running while its container will be restarted', () => {
    const pod = spec('Never', { name: 'c', restartPolicy: 'Never', restartPolicyRules: onExit42 });
    const gates = { ...DEFAULT_FEATURE_GATES, ContainerRestartRules: true };
    expect(podPhase(pod, exited(42), false, true, gates)).toBe('Running');
    expect(podPhase(pod, exited(1), false, true, gates)).toBe('Failed');
    // Without the gate the pod's policy alone decides.
    expect(podPhase(pod, exited(42), false, true, { ...gates, ContainerRestartRules: false })).toBe('Failed');
  });

  it('a container terminated by RestartAllContainers counts as restarting only with RestartAllContainersOnContainerExits', () => {
    const pod = spec('Never', { name: 'c', restartPolicy: 'Never' });
    const gates = { ...DEFAULT_FEATURE_GATES, ContainerRestartRules: true, RestartAllContainersOnContainerExits: true };
    expect(podPhase(pod, exited(137, RESTARTING_ALL_CONTAINERS), false, true, gates)).toBe('Running');
    expect(podPhase(pod, exited(137, RESTARTING_ALL_CONTAINERS), false, true, { ...gates, RestartAllContainersOnContainerExits: false })).toBe('Failed');
  });

  it('a failed init container fails the pod only when it will not be restarted (ContainerRestartRules)', () => {
    const init = (restartPolicy?: string): PodSpec => ({
      restartPolicy: 'Always',
      initContainers: [{ name: 'c', ...(restartPolicy !== undefined && { restartPolicy }), restartPolicyRules: onExit42 } as Container],
      containers: [{ name: 'main' }],
    });
    const gates = { ...DEFAULT_FEATURE_GATES, ContainerRestartRules: true };
    // restartPolicy Never on the init container overrides the pod's Always: exit 1 is final, 42 is retried.
    expect(podPhase(init('Never'), exited(1), false, false, gates)).toBe('Failed');
    expect(podPhase(init('Never'), exited(42), false, false, gates)).toBe('Pending');
    expect(podPhase(init('Never'), exited(1), false, false, { ...DEFAULT_FEATURE_GATES, ContainerRestartRules: false })).toBe('Pending');
  });
});
