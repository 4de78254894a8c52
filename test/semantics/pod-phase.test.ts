// Every sample case of test/k8s-semantics/pod-phase.json (kubelet getPhase) against the model,
// except the few that need an alpha feature gate, which are named below.
import { readFileSync } from 'node:fs';
import type { Container, ContainerState, ContainerStatus, PodSpec } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { podPhase, type PodPhase } from '../../model/semantics/pod-phase.ts';

interface EncodedContainer {
  name: string;
  restartPolicy?: string;
}

interface EncodedStatus {
  name: string;
  state: 'waiting' | 'running' | 'terminated';
  reason?: string;
  exitCode?: number;
  started?: boolean;
  lastTerminated?: { exitCode: number; reason?: string };
}

interface PhaseCase {
  name: string;
  function: string;
  input: {
    restartPolicy: string;
    podIsTerminal: boolean;
    podHasInitialized: boolean;
    isStaticPod: boolean;
    featureGates: Record<string, boolean>;
    initContainers: EncodedContainer[];
    containers: EncodedContainer[];
    initContainerStatuses: EncodedStatus[];
    containerStatuses: EncodedStatus[];
  };
  expected: PodPhase;
}

const file = JSON.parse(readFileSync(new URL('../k8s-semantics/pod-phase.json', import.meta.url), 'utf8')) as {
  cases: PhaseCase[];
};

function toContainer(encoded: EncodedContainer): Container {
  return { name: encoded.name, ...(encoded.restartPolicy !== undefined && { restartPolicy: encoded.restartPolicy }) };
}

function withReason(reason: string | undefined): { reason?: string } {
  return reason ? { reason } : {};
}

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

function toSpec(input: PhaseCase['input']): PodSpec {
  return {
    restartPolicy: input.restartPolicy,
    initContainers: input.initContainers.map(toContainer),
    containers: input.containers.map(toContainer),
  };
}

function needsAlphaGate(c: PhaseCase): boolean {
  return Object.values(c.input.featureGates).some((on) => on);
}

const modelled = file.cases.filter((c) => !needsAlphaGate(c));
const excluded = file.cases.filter(needsAlphaGate);

describe('getPhase (pod-phase.json)', () => {
  for (const c of modelled) {
    it(c.name, () => {
      const statuses = [...c.input.initContainerStatuses, ...c.input.containerStatuses].map(toContainerStatus);
      expect(c.input.isStaticPod).toBe(false);
      expect(podPhase(toSpec(c.input), statuses, c.input.podIsTerminal, c.input.podHasInitialized)).toBe(c.expected);
    });
  }

  it('leaves out exactly the cases that need an alpha feature gate', () => {
    expect(modelled).toHaveLength(24);
    expect(excluded.map((c) => c.name)).toEqual([
      // ContainerRestartRules: container-level restartPolicy on regular containers.
      'TestPodPhaseWithContainerRestartPolicy [gate ContainerRestartRules=on]: container with restart policy Always failed',
      'TestPodPhaseWithContainerRestartPolicy [gate ContainerRestartRules=on]: All containers succeeded',
      'TestPodPhaseWithContainerRestartPolicyInitContainers [gate ContainerRestartRules=on]: container with restart policy Always failed (init container with restartPolicy Always = sidecar)',
      // ContainerRestartRules + RestartAllContainersOnContainerExits (+ NodeDeclaredFeatures): restartPolicyRules
      // with action RestartAllContainers and the RestartingAllContainers termination reason.
      'TestPodPhaseWithRestartAllContainers [alpha gates ContainerRestartRules, RestartAllContainersOnContainerExits, NodeDeclaredFeatures = on]: sidecar container triggers RestartAllContainers',
      'TestPodPhaseWithRestartAllContainers [alpha gates ContainerRestartRules, RestartAllContainersOnContainerExits, NodeDeclaredFeatures = on]: init container triggers RestartAllContainers, cleaned up',
      'TestPodPhaseWithRestartAllContainers [alpha gates ContainerRestartRules, RestartAllContainersOnContainerExits, NodeDeclaredFeatures = on]: regular container triggered RestartAllContainers; init container succeeded',
      'TestPodPhaseWithRestartAllContainers [alpha gates ContainerRestartRules, RestartAllContainersOnContainerExits, NodeDeclaredFeatures = on]: init container triggered RestartAllContainers; init container succeeds',
      'TestPodPhaseWithRestartAllContainers [alpha gates ContainerRestartRules, RestartAllContainersOnContainerExits, NodeDeclaredFeatures = on]: sidecar container triggered RestartAllContainers; kills init container; sidecar running',
    ]);
  });
});
