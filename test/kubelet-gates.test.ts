// The kubelet under its feature gates, run with no exploration (fair scheduling, no faults,
// every property checked) and read as `kubectl get pods` prints it, with its runtime calls and
// the pod conditions it writes: its CrashLoopBackOff by ReduceDefaultCrashLoopBackOffDecay and
// KubeletCrashLoopBackOffMax, a container's own restart rule (ContainerRestartRules, on by
// default), and a restart of every container in place (RestartAllContainersOnContainerExits, alpha
// in 1.35: turned on here with NodeDeclaredFeatures, which it depends on).
import type { ContainerStatus, PodStatus } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURE_GATES, type FeatureGates } from '../model/feature-gates.ts';
import { NO_FAULTS } from '../model/system.ts';
import { createPod, pod, POD_SCENARIO_BASE } from '../scenarios/pod-fixtures.ts';
import type { BehaviourRule, Scenario } from '../scenarios/scenario.ts';
import type { UserOp } from '../scenarios/user.ts';
import { podHistory } from './helpers/pod-history.ts';

function scenario(name: string, create: UserOp, behaviours: readonly BehaviourRule[], featureGates: FeatureGates, settleMs: number): Scenario {
  return {
    ...POD_SCENARIO_BASE, name, description: name, stepsMax: 0, convergeStepsMax: 4000, settleMs,
    users: [{ name: 'alice', script: [create] }], registry: ['busybox:1.36'], behaviours, faults: NO_FAULTS, goals: [], featureGates,
  };
}

/** A container that exits 1 a second after each start. */
const crasher = (gates: FeatureGates) =>
  scenario('crasher', createPod(pod('crasher', { image: 'busybox:1.36' })), [{ pod: 'default/crasher', behaviour: { exitAfterMs: 1_000, exitCode: 1 } }], gates, 150_000);

describe('CrashLoopBackOff by the gates (kubelet.go newCrashLoopBackOff)', () => {
  const restarts = (gates: FeatureGates) => podHistory(crasher(gates)).calls.filter((c) => c.endsWith('start container main')).map((c) => c.split(' ')[0]);

  it('10 s doubling by default: restarts at 1, 12, 33 and 74 s, each one second after the back-off since the exit before', () => {
    const { rows, waiting, result } = podHistory(crasher(DEFAULT_FEATURE_GATES));
    expect(result.violation).toBeNull();
    expect(rows.slice(-4)).toEqual([
      '33s crasher 1/1 Running 3 (20s ago)', '34s crasher 0/1 CrashLoopBackOff 3 (0s ago)',
      '74s crasher 1/1 Running 4 (40s ago)', '75s crasher 0/1 CrashLoopBackOff 4 (0s ago)',
    ]);
    expect(waiting.map((w) => w.replace(/ restarting.*/, ''))).toEqual([
      '0s default/crasher/main ContainerCreating: ', '2s default/crasher/main CrashLoopBackOff: back-off 10s',
      '13s default/crasher/main CrashLoopBackOff: back-off 20s', '34s default/crasher/main CrashLoopBackOff: back-off 40s',
      '75s default/crasher/main CrashLoopBackOff: back-off 1m20s',
    ]);
  });

  const reduced = { ...DEFAULT_FEATURE_GATES, ReduceDefaultCrashLoopBackOffDecay: true };

  it('1 s doubling to at most 60 s with ReduceDefaultCrashLoopBackOffDecay, without KubeletCrashLoopBackOffMax', () => {
    const alone = { ...reduced, KubeletCrashLoopBackOffMax: false };
    expect(restarts(alone)).toEqual(['0s', '1s', '3s', '6s', '11s', '20s', '37s', '70s', '131s']);
    const { waiting } = podHistory(crasher(alone));
    expect(waiting.slice(-2).map((w) => w.replace(/ restarting.*/, ''))).toEqual([
      '71s default/crasher/main CrashLoopBackOff: back-off 1m0s', '132s default/crasher/main CrashLoopBackOff: back-off 1m0s',
    ]);
  });

  it('with KubeletCrashLoopBackOffMax (on from 1.35) the maximum is maxContainerRestartPeriod, 300 s unless configured, whichever initial back-off', () => {
    expect(restarts({ ...DEFAULT_FEATURE_GATES, KubeletCrashLoopBackOffMax: false })).toEqual(['0s', '1s', '12s', '33s', '74s']);
    expect(restarts(DEFAULT_FEATURE_GATES)).toEqual(['0s', '1s', '12s', '33s', '74s']);
    // ReduceDefaultCrashLoopBackOffDecay's 1 s start, doubling past its 60 s cap: 64 s before the last.
    expect(restarts(reduced)).toEqual(['0s', '1s', '3s', '6s', '11s', '20s', '37s', '70s', '135s']);
    expect(podHistory(crasher(reduced)).waiting.at(-1)!.replace(/ restarting.*/, '')).toBe('136s default/crasher/main CrashLoopBackOff: back-off 2m8s');
  });
});

/** A Never pod: `main` exits 42 five seconds after each start, under its own Never policy and a rule restarting it on 42; `keeper` exits 1 at 40 s. */
const retry = (gates: FeatureGates) => scenario('retry', createPod(pod('retry', {
  restartPolicy: 'Never',
  containers: [
    { name: 'main', image: 'busybox:1.36', restartPolicy: 'Never', restartPolicyRules: [{ action: 'Restart', exitCodes: { operator: 'In', values: [42] } }] } as never,
    { name: 'keeper', image: 'busybox:1.36' },
  ],
})), [
  { pod: 'default/retry', container: 'main', behaviour: { exitAfterMs: 5_000, exitCode: 42 } },
  { pod: 'default/retry', container: 'keeper', behaviour: { exitAfterMs: 40_000, exitCode: 1 } },
], gates, 60_000);

describe("a container's own restart policy and rules (ContainerRestartRules; helpers.go ShouldContainerBeRestarted, kubelet_pods.go getPhase)", () => {
  it('restart the container its rule names the exit code of, with the CrashLoopBackOff, in a Never pod that stays Running while it will be restarted', () => {
    const { rows, calls, result } = podHistory(retry(DEFAULT_FEATURE_GATES));
    expect(result.violation).toBeNull();
    expect(rows).toEqual([
      '0s retry 0/2 Pending 0', '0s retry 0/2 ContainerCreating 0', '0s retry 1/2 ContainerCreating 0', '0s retry 2/2 Running 0',
      '5s retry 1/2 Error 0', '5s retry 2/2 Running 1 (0s ago)', '10s retry 1/2 CrashLoopBackOff 1 (0s ago)',
      '20s retry 2/2 Running 2 (10s ago)', '25s retry 1/2 CrashLoopBackOff 2 (0s ago)',
      // keeper exits 1 under the pod's Never: it stays down, and main is still restarted by its rule.
      '40s retry 0/2 CrashLoopBackOff 2 (15s ago)', '45s retry 1/2 Error 3 (20s ago)', '50s retry 0/2 CrashLoopBackOff 3 (0s ago)',
    ]);
    expect(calls.filter((c) => c.endsWith('start container main')).map((c) => c.split(' ')[0])).toEqual(['0s', '5s', '20s', '45s']);
    expect(calls.filter((c) => c.endsWith('start container keeper'))).toEqual(['0s default/retry: start container keeper']);
    expect([...result.reached]).toEqual(['podBecomesReady', 'containerRestartedByRule', 'crashLoopBackOffReached']);
  });

  it('without the gate (off before 1.35), the API server drops the policy and rules (dropDisabledFields): the pod\'s Never decides, and the pod fails', () => {
    const { rows, calls, result } = podHistory(retry({ ...DEFAULT_FEATURE_GATES, ContainerRestartRules: false }));
    expect(result.violation).toBeNull();
    expect(rows).toEqual([
      '0s retry 0/2 Pending 0', '0s retry 0/2 ContainerCreating 0', '0s retry 1/2 ContainerCreating 0', '0s retry 2/2 Running 0',
      '5s retry 1/2 Error 0', '40s retry 0/2 Error 0',
    ]);
    expect(calls.filter((c) => c.includes('start container'))).toHaveLength(2);
    expect((result.world.store.context.objects.pods?.get('default/retry')?.status as PodStatus).phase).toBe('Failed');
  });
});

/** A Never pod whose sidecar `watcher` exits 88 five seconds after it starts, which its rule answers by restarting every container; `main` ignores SIGTERM and has a 20 s preStop hook. */
const gang = (gates: FeatureGates) => scenario('gang', createPod(pod('gang', {
  restartPolicy: 'Never',
  initContainers: [
    { name: 'setup', image: 'busybox:1.36' },
    { name: 'watcher', image: 'busybox:1.36', restartPolicy: 'Always', restartPolicyRules: [{ action: 'RestartAllContainers', exitCodes: { operator: 'In', values: [88] } }] } as never,
  ],
  containers: [{ name: 'main', image: 'busybox:1.36', lifecycle: { preStop: { exec: { command: ['/drain'] } } } }],
})), [
  { pod: 'default/gang', container: 'setup', behaviour: { exitAfterMs: 1_000, exitCode: 0 } },
  { pod: 'default/gang', container: 'watcher', behaviour: { exitAfterMs: 5_000, exitCode: 88 } },
  { pod: 'default/gang', container: 'main', behaviour: { ignoresSigterm: true, hooks: { preStop: { takesMs: 20_000 } } } },
], gates, 10_000);

/** The cluster with RestartAllContainersOnContainerExits and what it depends on (ContainerRestartRules is on by default). */
const RESTART_ALL = { ...DEFAULT_FEATURE_GATES, RestartAllContainersOnContainerExits: true, NodeDeclaredFeatures: true };

const brief = (s: ContainerStatus) => `${s.name} ${s.restartCount} ${Object.keys(s.state ?? {})[0]}${s.lastState?.terminated ? ` last ${s.lastState.terminated.exitCode} ${s.lastState.terminated.reason}` : ''}`;

describe('restarting every container in place (RestartAllContainersOnContainerExits; KEP-5532, kuberuntime computePodActions and SyncPod, generate.go)', () => {
  const { rows, calls, conditions, result } = podHistory(gang(RESTART_ALL));

  it('kills the running containers with no grace period (no preStop hook, SIGTERM\'s 2 s, SIGKILL), removes every container, those that asked last, and runs the pod again from its first init container in its sandbox', () => {
    expect(result.violation).toBeNull();
    expect(calls).toEqual([
      '0s default/gang: run pod sandbox', '0s default/gang: create container setup', '0s default/gang: start container setup',
      '1s default/gang: create container watcher', '1s default/gang: start container watcher', '1s default/gang: create container main', '1s default/gang: start container main',
      '6s default/gang: remove container setup', '6s default/gang: stop container main (SIGTERM)', '8s default/gang: kill container main (SIGKILL)',
      '8s default/gang: remove container main', '8s default/gang: remove container watcher',
      '8s default/gang: create container setup', '8s default/gang: start container setup',
      '9s default/gang: create container watcher', '9s default/gang: start container watcher', '9s default/gang: create container main', '9s default/gang: start container main',
    ]);
    expect(rows.slice(5)).toEqual([
      '6s gang 1/2 Init:Error 0', '8s gang 0/2 RestartingAllContainers 2', '8s gang 0/2 PodInitializing 2',
      '9s gang 0/2 PodInitializing 2', '9s gang 1/2 PodInitializing 2', '9s gang 2/2 Running 2',
    ]);
    expect([...result.reached]).toEqual(['podBecomesReady', 'allContainersRestarted']);
  });

  it('reports AllContainersRestarting True as it begins and False once every container is gone; Initialized stays True', () => {
    expect(conditions.filter((c) => /AllContainersRestarting|Initialized/.test(c))).toEqual([
      '0s gang Initialized=False ContainersNotInitialized', '0s gang AllContainersRestarting=False', '1s gang Initialized=True',
      '6s gang AllContainersRestarting=True RestartAllContainersStarted', '8s gang AllContainersRestarting=False',
    ]);
  });

  it('keeps each container\'s restart count, one more, with RestartingAllContainers as its last termination (convertToAPIContainerStatuses)', () => {
    const status = result.world.store.context.objects.pods?.get('default/gang')?.status as PodStatus;
    expect(status.phase).toBe('Running');
    expect([...status.initContainerStatuses!, ...status.containerStatuses!].map(brief)).toEqual([
      'setup 1 terminated last 137 RestartingAllContainers', 'watcher 1 running last 137 RestartingAllContainers', 'main 1 running last 137 RestartingAllContainers',
    ]);
  });
});
