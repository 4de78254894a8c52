// Every sample case of test/k8s-semantics/pod-conditions.json (kubelet pod conditions) against the
// model, except the few that need an alpha feature gate, which are named below.
import { readFileSync } from 'node:fs';
import type { Container, ContainerState, ContainerStatus, PodCondition, PodSpec } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import {
  containersReadyCondition,
  kubeletPodConditions,
  podInitializedCondition,
  podReadyCondition,
  podReadyToStartContainersCondition,
  podSandboxNotReadyMessages,
  podSandboxNotReadyReason,
  type PodSandboxStatus,
} from '../../model/semantics/pod-conditions.ts';
import type { PodPhase } from '../../model/semantics/pod-phase.ts';

interface EncodedSpec {
  initContainers?: { name: string; restartPolicy?: string }[];
  containers?: { name: string }[];
  readinessGates?: string[];
}

interface EncodedStatus {
  name: string;
  ready?: boolean;
  started?: boolean;
  state?: 'waiting' | 'running' | 'terminated';
}

interface EncodedCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

interface EncodedSandbox {
  attempt: number;
  state: 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
  ip: string;
}

/** The fields a case's input may have; which ones depends on its `function`. */
interface ConditionsInput {
  spec: EncodedSpec;
  containerStatuses: EncodedStatus[] | null;
  conditions: EncodedCondition[] | null;
  phase: PodPhase;
  hostNetwork: boolean;
  sandboxes: EncodedSandbox[];
  containerStatusesAfterProbeManager: EncodedStatus[];
  featureGates?: Record<string, boolean>;
}

interface ConditionsCase {
  name: string;
  function: string;
  input: ConditionsInput;
  expected: EncodedCondition & { messageFromSource?: string | null } | { conditions: EncodedCondition[] };
}

const file = JSON.parse(readFileSync(new URL('../k8s-semantics/pod-conditions.json', import.meta.url), 'utf8')) as {
  cases: ConditionsCase[];
};

function toSpec(encoded: EncodedSpec): PodSpec {
  const toContainer = (c: { name: string; restartPolicy?: string }): Container =>
    ({ name: c.name, ...(c.restartPolicy !== undefined && { restartPolicy: c.restartPolicy }) });
  return {
    containers: (encoded.containers ?? []).map(toContainer),
    ...(encoded.initContainers !== undefined && { initContainers: encoded.initContainers.map(toContainer) }),
    ...(encoded.readinessGates !== undefined && {
      readinessGates: encoded.readinessGates.map((conditionType) => ({ conditionType })),
    }),
  };
}

const states: Record<NonNullable<EncodedStatus['state']>, ContainerState> = {
  waiting: { waiting: {} },
  running: { running: {} },
  terminated: { terminated: { exitCode: 0 } },
};

function toContainerStatus(encoded: EncodedStatus): ContainerStatus {
  return {
    name: encoded.name,
    image: '',
    imageID: '',
    ready: encoded.ready ?? false,
    restartCount: 0,
    ...(encoded.started !== undefined && { started: encoded.started }),
    ...(encoded.state !== undefined && { state: states[encoded.state] }),
  };
}

function toContainerStatuses(encoded: EncodedStatus[] | null): ContainerStatus[] | null {
  return encoded === null ? null : encoded.map(toContainerStatus);
}

function toSandbox(encoded: EncodedSandbox): PodSandboxStatus {
  return { state: encoded.state, network: { ip: encoded.ip } };
}

/** The file gives PodReadyToStartContainers' reason and messages as Go constant names (pkg/kubelet/types). */
const goConstants: Record<string, string> = {
  PodSandboxNotReadyReason: podSandboxNotReadyReason,
  PodSandboxNotReadyMsgNoPodSandbox: podSandboxNotReadyMessages.noPodSandbox,
  PodSandboxNotReadyMsgMultipleSandboxes: podSandboxNotReadyMessages.multipleSandboxes,
  PodSandboxNotReadyMsgSandboxNotReady: podSandboxNotReadyMessages.sandboxNotReady,
  PodSandboxNotReadyMsgNetworkNamespaceMode: podSandboxNotReadyMessages.networkNamespaceMode,
  PodSandboxNotReadyMsgNoIPAddress: podSandboxNotReadyMessages.noIPAddress,
};

function fromGoConstant(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const value = goConstants[name];
  if (value === undefined) throw new Error(`unknown Go constant ${name}`);
  return value;
}

/** An expected condition as the model returns it: empty reason/message omitted. */
function expectedCondition(e: EncodedCondition & { messageFromSource?: string | null }): PodCondition {
  // Initialized cases carry the message the source produces in messageFromSource (upstream asserts no message).
  const message = 'messageFromSource' in e ? e.messageFromSource ?? undefined : e.message;
  return {
    type: e.type,
    status: e.status,
    ...(e.reason !== undefined && { reason: e.reason }),
    ...(message !== undefined && { message }),
  };
}

function singleExpected(c: ConditionsCase): EncodedCondition & { messageFromSource?: string | null } {
  if ('conditions' in c.expected) throw new Error(`${c.name} expects a list of conditions`);
  return c.expected;
}

const checks: Record<string, (c: ConditionsCase) => void> = {
  GenerateContainersReadyCondition: (c) => {
    const { spec, containerStatuses, phase } = c.input;
    expect(containersReadyCondition(toSpec(spec), toContainerStatuses(containerStatuses), phase))
      .toEqual(expectedCondition(singleExpected(c)));
  },
  GeneratePodReadyCondition: (c) => {
    const { spec, conditions, containerStatuses, phase } = c.input;
    expect(podReadyCondition(toSpec(spec), conditions, toContainerStatuses(containerStatuses), phase))
      .toEqual(expectedCondition(singleExpected(c)));
  },
  GeneratePodInitializedCondition: (c) => {
    const { spec, containerStatuses, phase } = c.input;
    expect(podInitializedCondition(toSpec(spec), toContainerStatuses(containerStatuses), phase))
      .toEqual(expectedCondition(singleExpected(c)));
  },
  GeneratePodReadyToStartContainersCondition: (c) => {
    const expected = singleExpected(c);
    const { reason, message } = expected;
    const spec: PodSpec = { containers: [], hostNetwork: c.input.hostNetwork };
    expect(podReadyToStartContainersCondition(spec, c.input.sandboxes.map(toSandbox)))
      .toEqual(expectedCondition({ ...expected, reason: fromGoConstant(reason), message: fromGoConstant(message) }));
  },
  'kubelet generateAPIPodStatus conditions': (c) => {
    if (!('conditions' in c.expected)) throw new Error(`${c.name} expects a list of conditions`);
    const conditions = kubeletPodConditions({
      spec: toSpec(c.input.spec),
      phase: c.input.phase,
      apiConditions: [],
      previousConditions: [],
      containerStatuses: c.input.containerStatusesAfterProbeManager.map(toContainerStatus),
      sandboxesNewestFirst: [],
    });
    // The case leaves PodReadyToStartContainers out (upstream runs it with that gate off and on);
    // the model has the gate on, so the condition comes first and the rest must match exactly.
    expect(conditions[0]?.type).toBe('PodReadyToStartContainers');
    expect(conditions.slice(1)).toEqual(c.expected.conditions.map(expectedCondition));
  },
};

function needsAlphaGate(c: ConditionsCase): boolean {
  const gateOn = Object.values(c.input.featureGates ?? {}).some((on) => on);
  return gateOn || c.function === 'GenerateAllContainersRestartingCondition';
}

const modelled = file.cases.filter((c) => !needsAlphaGate(c));
const excluded = file.cases.filter(needsAlphaGate);

describe('kubelet pod conditions (pod-conditions.json)', () => {
  for (const c of modelled) {
    it(c.name, () => {
      const check = checks[c.function];
      if (check === undefined) throw new Error(`no check for function ${c.function}`);
      check(c);
    });
  }

  it('leaves out exactly the cases that need an alpha feature gate', () => {
    expect(modelled).toHaveLength(16);
    expect(excluded.map((c) => c.name)).toEqual([
      // RestartAllContainersOnContainerExits: keeps an old Initialized=True during an in-place restart.
      'GeneratePodInitializedCondition: derived: with RestartAllContainersOnContainerExits, an already-True Initialized stays True during in-place restart',
      // AllContainersRestarting exists only with ContainerRestartRules + RestartAllContainersOnContainerExits
      // (+ NodeDeclaredFeatures); its generator is alpha-only and not modelled.
      'GenerateAllContainersRestartingCondition: TestGenerateAllContainersRestartingCondition pod succeeded',
      'GenerateAllContainersRestartingCondition: TestGenerateAllContainersRestartingCondition container triggers RestartAllContainers rule, cleaned up',
    ]);
  });
});
