// Every sample case of test/k8s-semantics/pod-conditions.json (kubelet pod conditions) against the
// model, each with the feature gates it names, then rules beyond the sample.
import type { Container, ContainerState, ContainerStatus, PodCondition, PodSpec } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURE_GATES } from '../../model/feature-gates.ts';
import { ALL_CONTAINERS_RESTARTING, shouldAllContainersRestart } from '../../model/semantics/all-containers-restart.ts';
import {
  allContainersRestartingCondition,
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
import type { ContainerRestartRule, ContainerWithRules, RuntimeContainerStatus } from '../../model/semantics/restart.ts';
import { caseGates } from './case-gates.ts';
import { runEveryCase, type SampleCase } from './sample-cases.ts';

interface EncodedContainer {
  name: string;
  restartPolicy?: string;
  restartPolicyRules?: ContainerRestartRule[];
}

interface EncodedSpec {
  initContainers?: EncodedContainer[];
  containers?: EncodedContainer[];
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

/** A runtime (kubecontainer.Status) instance, newest first in a list. */
interface EncodedRuntimeStatus {
  name: string;
  state: RuntimeContainerStatus['state'];
  exitCode?: number;
}

/** The fields a case's input may have; which ones depends on its `function`. */
interface ConditionsInput {
  spec: EncodedSpec;
  podSpec: EncodedSpec;
  containerStatuses: EncodedStatus[] | null;
  conditions: EncodedCondition[] | null;
  oldConditions?: EncodedCondition[];
  runtimeContainerStatuses: EncodedRuntimeStatus[];
  phase: PodPhase;
  hostNetwork: boolean;
  sandboxes: EncodedSandbox[];
  containerStatusesAfterProbeManager: EncodedStatus[];
  featureGates?: Record<string, boolean>;
}

type ConditionsCase = SampleCase<ConditionsInput, EncodedCondition & { messageFromSource?: string | null } | { conditions: EncodedCondition[] }>;

function toContainer(c: EncodedContainer): Container {
  const container: ContainerWithRules = {
    name: c.name,
    ...(c.restartPolicy !== undefined && { restartPolicy: c.restartPolicy }),
    ...(c.restartPolicyRules !== undefined && { restartPolicyRules: c.restartPolicyRules }),
  };
  return container as Container;
}

function toSpec(encoded: EncodedSpec): PodSpec {
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

const RUNTIME_STATES: readonly RuntimeContainerStatus['state'][] = ['created', 'running', 'exited', 'unknown'];

function toRuntimeStatus(encoded: EncodedRuntimeStatus): RuntimeContainerStatus {
  if (!RUNTIME_STATES.includes(encoded.state)) throw new Error(`unknown runtime container state ${JSON.stringify(encoded.state)}`);
  return { name: encoded.name, state: encoded.state, ...(encoded.exitCode !== undefined && { exitCode: encoded.exitCode }) };
}

/** A condition as the API carries it: an omitted reason or message is the empty string, which the model omits too. */
function toCondition(encoded: EncodedCondition): PodCondition {
  return expectedCondition(encoded);
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

runEveryCase<ConditionsCase>('pod-conditions.json', {
  GenerateContainersReadyCondition: (c) => {
    const { spec, containerStatuses, phase } = c.input;
    expect(containersReadyCondition(toSpec(spec), toContainerStatuses(containerStatuses), phase))
      .toEqual(expectedCondition(singleExpected(c)));
  },
  GeneratePodReadyCondition: (c) => {
    const { spec, conditions, containerStatuses, phase } = c.input;
    expect(podReadyCondition(toSpec(spec), conditions === null ? null : conditions.map(toCondition), toContainerStatuses(containerStatuses), phase))
      .toEqual(expectedCondition(singleExpected(c)));
  },
  GeneratePodInitializedCondition: (c) => {
    const { spec, containerStatuses, phase, oldConditions } = c.input;
    const previous = (oldConditions ?? []).map(toCondition);
    expect(podInitializedCondition(toSpec(spec), toContainerStatuses(containerStatuses), phase, previous, caseGates(c.input.featureGates)))
      .toEqual(expectedCondition(singleExpected(c)));
  },
  GenerateAllContainersRestartingCondition: (c) => {
    const { podSpec, runtimeContainerStatuses, oldConditions, phase } = c.input;
    const gates = caseGates(c.input.featureGates);
    // The generator runs only with RestartAllContainersOnContainerExits (generateAPIPodStatus).
    expect(gates.RestartAllContainersOnContainerExits).toBe(true);
    const previous = { conditions: (oldConditions ?? []).map(toCondition), containerStatuses: [] };
    expect(allContainersRestartingCondition(toSpec(podSpec), runtimeContainerStatuses.map(toRuntimeStatus), previous, phase))
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
    const expected = c.expected.conditions.map(expectedCondition);
    // Upstream runs the case with PodReadyToStartContainersCondition off and on, and leaves that condition out.
    const assembled = (PodReadyToStartContainersCondition: boolean) => kubeletPodConditions({
      spec: toSpec(c.input.spec),
      phase: c.input.phase,
      apiConditions: [],
      previousConditions: [],
      containerStatuses: c.input.containerStatusesAfterProbeManager.map(toContainerStatus),
      sandboxesNewestFirst: [],
      gates: { ...caseGates(c.input.featureGates), PodReadyToStartContainersCondition },
    });
    expect(assembled(false)).toEqual(expected);
    const withGate = assembled(true);
    expect(withGate[0]?.type).toBe('PodReadyToStartContainers');
    expect(withGate.slice(1)).toEqual(expected);
  },
});

describe('pod conditions beyond the sample', () => {
  const restartAll: ContainerRestartRule[] = [{ action: 'RestartAllContainers', exitCodes: { operator: 'In', values: [42] } }];
  const spec = toSpec({ containers: [{ name: 'main' }, { name: 'trigger', restartPolicy: 'Never', restartPolicyRules: restartAll }] });
  const noPrevious = { conditions: [], containerStatuses: [] };

  it('AllContainersRestarting is True while a RestartAllContainers exit leaves containers in the runtime', () => {
    const runtime: RuntimeContainerStatus[] = [{ name: 'trigger', state: 'exited', exitCode: 42 }, { name: 'main', state: 'running' }];
    expect(allContainersRestartingCondition(spec, runtime, noPrevious, 'Running')).toEqual({
      type: ALL_CONTAINERS_RESTARTING, status: 'True', reason: 'RestartAllContainersStarted', message: 'container exited with restart policy rule',
    });
    // Another exit code matches no rule.
    const other: RuntimeContainerStatus[] = [{ name: 'trigger', state: 'exited', exitCode: 1 }, { name: 'main', state: 'running' }];
    expect(allContainersRestartingCondition(spec, other, noPrevious, 'Running')).toEqual({ type: ALL_CONTAINERS_RESTARTING, status: 'False' });
    expect(allContainersRestartingCondition(spec, runtime, noPrevious, 'Failed')).toEqual({ type: ALL_CONTAINERS_RESTARTING, status: 'False', reason: 'PodFailed' });
  });

  it('a RestartAllContainers exit the last status reported counts as one the runtime still holds', () => {
    const reported: ContainerStatus[] = [{ name: 'trigger', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 42 } } }];
    expect(shouldAllContainersRestart(spec, [], { conditions: [], containerStatuses: reported })).toBe(true);
    expect(shouldAllContainersRestart(spec, [], noPrevious)).toBe(false);
  });

  it('the kubelet adds AllContainersRestarting, and owns it, only with RestartAllContainersOnContainerExits and a rule that asks for it', () => {
    const inputs = {
      spec, phase: 'Running' as const, previousConditions: [], containerStatuses: [], sandboxesNewestFirst: [],
      apiConditions: [{ type: ALL_CONTAINERS_RESTARTING, status: 'True' }],
      runtimeStatuses: [{ name: 'trigger', state: 'exited', exitCode: 42 }, { name: 'main', state: 'running' }] as RuntimeContainerStatus[],
    };
    const types = (gates: typeof DEFAULT_FEATURE_GATES) => kubeletPodConditions({ ...inputs, gates }).map((c) => `${c.type}=${c.status}`);
    // Without the gate the condition is not the kubelet's: an API writer's copy is kept as it is.
    expect(types(DEFAULT_FEATURE_GATES)).toEqual([
      'AllContainersRestarting=True', 'PodReadyToStartContainers=False', 'Initialized=True', 'Ready=False', 'ContainersReady=False', 'PodScheduled=True',
    ]);
    expect(types({ ...DEFAULT_FEATURE_GATES, RestartAllContainersOnContainerExits: true })).toEqual([
      'PodReadyToStartContainers=False', 'Initialized=True', 'Ready=False', 'ContainersReady=False', 'PodScheduled=True', 'AllContainersRestarting=True',
    ]);
    const withoutRule = toSpec({ containers: [{ name: 'main' }] });
    expect(kubeletPodConditions({ ...inputs, spec: withoutRule, apiConditions: [], gates: { ...DEFAULT_FEATURE_GATES, RestartAllContainersOnContainerExits: true } })
      .map((c) => c.type)).not.toContain(ALL_CONTAINERS_RESTARTING);
  });

  it('Initialized stays True through an in-place restart only with RestartAllContainersOnContainerExits', () => {
    const initSpec = toSpec({ initContainers: [{ name: 'init' }], containers: [{ name: 'main' }] });
    const waiting: ContainerStatus[] = [{ name: 'init', image: '', imageID: '', ready: false, restartCount: 0, state: { waiting: {} } }];
    const previous = [{ type: 'Initialized', status: 'True' }];
    expect(podInitializedCondition(initSpec, waiting, 'Running', previous, DEFAULT_FEATURE_GATES)).toEqual({
      type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [init]',
    });
  });
});
