// Container lifecycle hooks as a real kubelet runs them, each pod run alone with no faults: the
// docs' graceful-termination example (a preStop hook that outlasts its grace period), a preStop
// hook that returns in time, the sleep action, a postStart hook that fails and one that succeeds;
// and what the API server and the scenario loader refuse.
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ProcessBehaviour } from '../model/process.ts';
import type { KubeObject } from '../model/resources.ts';
import { loadScenarioFile } from '../scenarios/load/scenario-file.ts';
import { GRACEFUL_TERMINATION_PROCESS, gracefulTerminationPod, lifecycleHooks } from '../scenarios/lifecycle-hooks.ts';
import { createPod, pod } from '../scenarios/pod-fixtures.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { UserOp } from '../scenarios/user.ts';
import { podHistory } from './helpers/pod-history.ts';
import { TestStore } from './helpers/store.ts';

const UID = '00000000-0000-4000-8000-000000000001';

/** One pod on the hooks scenario's node, what its process does, and what the user does after creating it. */
function alone(object: KubeObject, behaviour: ProcessBehaviour, then: readonly UserOp[] = [], settleMs = 150_000): Scenario {
  return {
    ...lifecycleHooks, settleMs,
    users: [{ name: 'alice', script: [createPod(object), ...then] }],
    behaviours: [{ pod: `default/${object.metadata.name}`, behaviour }],
  };
}

const deleteAfter = (seconds: number, name: string, gracePeriodSeconds?: number): UserOp[] => [
  { op: 'wait', ms: seconds * 1000 },
  { op: 'delete', resource: 'pods', namespace: 'default', name, ...(gracePeriodSeconds !== undefined ? { gracePeriodSeconds } : {}) },
];

const withMain = (name: string, main: Partial<Container>, spec: Partial<PodSpec> = {}) =>
  pod(name, { ...spec, containers: [{ name: 'main', image: 'nginx:1.25', ...main }] });

describe("the docs' graceful-termination example (pod-with-graceful-termination.yaml: preStop `sleep 180`, 120 s of grace), deleted at 10 s", () => {
  it('runs the hook, leaves it running when the grace period ends at 130 s, and sends SIGTERM, on which nginx stops', () => {
    const { rows, calls, result } = podHistory(alone(gracefulTerminationPod(), GRACEFUL_TERMINATION_PROCESS.behaviour, deleteAfter(10, 'nginx')));
    expect(result.violation).toBeNull();
    expect(calls).toEqual([
      '0s default/nginx: run pod sandbox', '0s default/nginx: create container nginx', '0s default/nginx: start container nginx',
      '10s default/nginx: run preStop hook of container nginx',
      '130s default/nginx: stop container nginx (SIGTERM)',
      '130s default/nginx: remove pod sandbox',
    ]);
    expect(rows.slice(-4)).toEqual(['0s nginx 1/1 Running 0', '10s nginx 1/1 Terminating 0', '130s nginx 0/1 Completed 0', '130s nginx deleted']);
    expect([...result.reached]).toEqual(['podBecomesReady', 'preStopOutlastsGracePeriod', 'gracefulTerminationCompletes']);
  });

  it('with a process that ignores SIGTERM, sends SIGKILL 2 s after it: the kubelet\'s minimum grace period, the one-off extension the docs describe', () => {
    const { rows, calls, result } = podHistory(alone(gracefulTerminationPod(), { ...GRACEFUL_TERMINATION_PROCESS.behaviour, ignoresSigterm: true }, deleteAfter(10, 'nginx')));
    expect(result.violation).toBeNull();
    expect(calls.slice(3)).toEqual([
      '10s default/nginx: run preStop hook of container nginx',
      '130s default/nginx: stop container nginx (SIGTERM)',
      '132s default/nginx: kill container nginx (SIGKILL)',
      '132s default/nginx: remove pod sandbox',
    ]);
    expect(rows.slice(-3)).toEqual(['10s nginx 1/1 Terminating 0', '132s nginx 0/1 Error 0', '132s nginx deleted']);
  });

  it('as a scenario file (test/scenario-files/graceful-termination.yaml): the Deployment, scaled to 0 once rolled out, has its pod deleted at 4 s and stopped at 124 s', () => {
    // The user waits for node-1 (registered by its second poll, at 2 s), creates the Deployment,
    // and sees the rollout complete at its next poll, 2 s later.
    const { scenario } = loadScenarioFile(fileURLToPath(new URL('./scenario-files/graceful-termination.yaml', import.meta.url)));
    const { rows, calls, result } = podHistory(scenario);
    expect(result.violation).toBeNull();
    const name = 'nginx-deployment-7f654b9ddb-bbbbb';
    expect(rows).toEqual([
      `2s ${name} 0/1 Pending 0`, `2s ${name} 0/1 ContainerCreating 0`, `2s ${name} 1/1 Running 0`,
      `4s ${name} 1/1 Terminating 0`, `124s ${name} 0/1 Completed 0`, `124s ${name} deleted`,
    ]);
    expect(calls.slice(3)).toEqual([
      `4s default/${name}: run preStop hook of container nginx`, `124s default/${name}: stop container nginx (SIGTERM)`, `124s default/${name}: remove pod sandbox`,
    ]);
  });

  it('force-deleted (grace 0), still runs the hook for the pod\'s own 120 s, as calculateEffectiveGracePeriod falls back on it, then gives SIGTERM 2 s', () => {
    // The API server removes the pod at once; the kubelet, told of a deletion that asked for no
    // grace, uses the pod's terminationGracePeriodSeconds (pod_workers.go), which it reads off the
    // container once the pod is gone.
    const { calls, result } = podHistory(alone(gracefulTerminationPod(), { ...GRACEFUL_TERMINATION_PROCESS.behaviour, ignoresSigterm: true }, deleteAfter(10, 'nginx', 0)));
    expect(result.violation).toBeNull();
    expect(calls.slice(3)).toEqual([
      '10s default/nginx: run preStop hook of container nginx',
      '130s default/nginx: stop container nginx (SIGTERM)',
      '132s default/nginx: kill container nginx (SIGKILL)',
      '132s default/nginx: remove pod sandbox',
    ]);
  });
});

describe('preStop hooks that return within the grace period', () => {
  it('an httpGet hook that takes 4.5 s of 10 s: SIGTERM when it returns, with what is left in whole seconds (6 s)', () => {
    const slow = withMain('slow', { lifecycle: { preStop: { httpGet: { path: '/drain', port: 80 } } } }, { terminationGracePeriodSeconds: 10 });
    const { calls, result } = podHistory(alone(slow, { ignoresSigterm: true, hooks: { preStop: { takesMs: 4_500 } } }, deleteAfter(10, 'slow')));
    expect(result.violation).toBeNull();
    expect(calls.slice(3)).toEqual([
      '10s default/slow: run preStop hook of container main',
      '14.5s default/slow: stop container main (SIGTERM)',
      '20.5s default/slow: kill container main (SIGKILL)',
      '20.5s default/slow: remove pod sandbox',
    ]);
  });

  it('a sleep action takes its seconds, whatever the process rule says', () => {
    const sleeper = withMain('sleeper', { lifecycle: { preStop: { sleep: { seconds: 3 } } } });
    const { calls } = podHistory(alone(sleeper, { hooks: { preStop: { takesMs: 100_000 } } }, deleteAfter(10, 'sleeper')));
    expect(calls.slice(3, 5)).toEqual(['10s default/sleeper: run preStop hook of container main', '13s default/sleeper: stop container main (SIGTERM)']);
  });

  it('with no process rule, an exec hook returns at once', () => {
    const quick = withMain('quick', { lifecycle: { preStop: { exec: { command: ['/usr/sbin/nginx', '-s', 'quit'] } } } });
    const { calls } = podHistory(alone(quick, {}, deleteAfter(10, 'quick')));
    expect(calls.slice(3, 5)).toEqual(['10s default/quick: run preStop hook of container main', '10s default/quick: stop container main (SIGTERM)']);
  });
});

describe('postStart hooks', () => {
  const registers = withMain('registers', { lifecycle: { postStart: { exec: { command: ['/bin/sh', '-c', 'register'] } } } });
  const execFailure = `Exec lifecycle hook ([/bin/sh -c register]) for Container "main" in Pod "registers_default(${UID})" failed - error: command '/bin/sh -c register' exited with 1: , message: ""`;

  it('a hook that fails after 2 s: the container is killed (FailedPostStartHook) and waits in PostStartHookError with the hook\'s message, restarted under its policy, into CrashLoopBackOff', () => {
    const { rows, calls, result } = podHistory(alone(registers, { hooks: { postStart: { takesMs: 2_000, fails: true } } }, [], 60_000));
    expect(result.violation).toBeNull();
    expect(rows).toEqual([
      '0s registers 0/1 Pending 0',
      '0s registers 0/1 ContainerCreating 0',
      '2s registers 0/1 PostStartHookError 0',
      '4s registers 0/1 PostStartHookError 1 (0s ago)',
      '4s registers 0/1 CrashLoopBackOff 1 (0s ago)',
      '16s registers 0/1 PostStartHookError 2 (0s ago)',
      '16s registers 0/1 CrashLoopBackOff 2 (0s ago)',
      '38s registers 0/1 PostStartHookError 3 (0s ago)',
      '38s registers 0/1 CrashLoopBackOff 3 (0s ago)',
    ]);
    expect(calls.slice(0, 8)).toEqual([
      '0s default/registers: run pod sandbox', '0s default/registers: create container main', '0s default/registers: start container main',
      '2s default/registers: stop container main (SIGTERM)',
      '2s default/registers: create container main', '2s default/registers: start container main',
      '4s default/registers: stop container main (SIGTERM)',
      '14s default/registers: create container main',
    ]);
    const status = result.world.store.context.objects.pods!.get('default/registers')!.status as { containerStatuses: { lastState: unknown }[] };
    expect(status.containerStatuses[0]!.lastState).toMatchObject({ terminated: { exitCode: 0, reason: 'Completed' } });
    expect([...result.reached]).toEqual(['postStartHookFailed', 'crashLoopBackOffReached']);
  });

  it('the waiting reasons carry the handler runner\'s message, then the back-off\'s', () => {
    const { waiting } = podHistory(alone(registers, { hooks: { postStart: { takesMs: 2_000, fails: true } } }, [], 20_000));
    expect(waiting).toEqual([
      '0s default/registers/main ContainerCreating: ',
      `2s default/registers/main PostStartHookError: ${execFailure}`,
      `4s default/registers/main CrashLoopBackOff: back-off 10s restarting failed container=main pod=registers_default(${UID})`,
      `16s default/registers/main PostStartHookError: ${execFailure}`,
      `16s default/registers/main CrashLoopBackOff: back-off 20s restarting failed container=main pod=registers_default(${UID})`,
    ]);
  });

  it('a hook that succeeds after 5 s: the container is not Running until then, and is not probed before', () => {
    const probed = withMain('probed', {
      lifecycle: { postStart: { exec: { command: ['/bin/sh', '-c', 'warm-up'] } } },
      livenessProbe: { httpGet: { path: '/healthz', port: 80 }, periodSeconds: 1, failureThreshold: 1 },
    });
    const { rows, result } = podHistory(alone(probed, { hooks: { postStart: { takesMs: 5_000 } }, probes: { liveness: { passFromMs: 5_000 } } }, [], 30_000));
    expect(result.violation).toBeNull();
    expect(rows).toEqual(['0s probed 0/1 Pending 0', '0s probed 0/1 ContainerCreating 0', '5s probed 1/1 Running 0']);
  });

  it('an httpGet hook is sent to the pod\'s IP and a named port; one whose port cannot be resolved fails at once', () => {
    const http = (port: string) => withMain('http', { ports: [{ name: 'web', containerPort: 8080 }], lifecycle: { postStart: { httpGet: { path: 'ready', port } } } });
    const firstFailure = (port: string, behaviour: ProcessBehaviour) =>
      podHistory(alone(http(port), behaviour, [], 0)).waiting.find((w) => w.includes('PostStartHookError'));
    const where = `for Container "main" in Pod "http_default(${UID})"`;
    expect(firstFailure('web', { hooks: { postStart: { fails: true } } })).toBe(
      `0s default/http/main PostStartHookError: HTTP lifecycle hook (ready) ${where} failed - error: Get "http://10.244.1.2:8080/ready": dial tcp 10.244.1.2:8080: connect: connection refused`);
    expect(firstFailure('admin', {})).toBe(`0s default/http/main PostStartHookError: HTTP lifecycle hook (ready) ${where} failed - error: strconv.Atoi: parsing "admin": invalid syntax`);
  });
});

describe('the grace a kill gets', () => {
  it('a liveness probe\'s terminationGracePeriodSeconds replaces the pod\'s for the kill it causes, preStop hook included', () => {
    const probed = withMain('probed', {
      livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, periodSeconds: 5, terminationGracePeriodSeconds: 7 },
      lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 10'] } } },
    });
    const { calls, result } = podHistory(alone(probed, { ignoresSigterm: true, probes: { liveness: { passUntilMs: 20_000 } }, hooks: { preStop: { takesMs: 10_000 } } }, [], 45_000));
    expect(result.violation).toBeNull();
    // Three failed probes at 20, 25 and 30 s: the hook runs the probe's 7 s, then SIGTERM gets its 2 s.
    expect(calls.slice(3, 7)).toEqual([
      '30s default/probed: run preStop hook of container main',
      '37s default/probed: stop container main (SIGTERM)',
      '39s default/probed: kill container main (SIGKILL)',
      '39s default/probed: create container main',
    ]);
  });
});

describe('a container its liveness probe failed', () => {
  it('in an OnFailure pod, is started again though the kill made it exit 0: the restart is decided with the kill (shouldRestartOnFailure)', () => {
    const probed = withMain('probed', { livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, periodSeconds: 5 } }, { restartPolicy: 'OnFailure' });
    const { calls, result } = podHistory(alone(probed, { sigtermExitCode: 0, probes: { liveness: { passUntilMs: 20_000 } } }, [], 45_000));
    expect(result.violation).toBeNull();
    // Three failed probes at 20, 25 and 30 s: SIGTERM, the process exits 0, and the same SyncPod starts it again.
    expect(calls.slice(3, 6)).toEqual([
      '30s default/probed: stop container main (SIGTERM)',
      '30s default/probed: create container main',
      '30s default/probed: start container main',
    ]);
  });
});

describe('what the API server refuses in what stops a container (validateLifecycle, validateProbe)', () => {
  const refused = (lifecycle: Container['lifecycle'], grace?: number) => new TestStore().error({
    verb: 'create', resource: 'pods', namespace: 'default',
    object: withMain('p', { lifecycle }, grace !== undefined ? { terminationGracePeriodSeconds: grace } : {}),
  });

  it.each([
    ['a sleep longer than the grace period', { preStop: { sleep: { seconds: 180 } } }, 120, 'spec.containers[0].lifecycle.preStop.sleep: Invalid value: 180: must be non-negative and less than terminationGracePeriodSeconds (120)'],
    ['no action', { postStart: {} }, undefined, 'spec.containers[0].lifecycle.postStart: Required value: must specify a handler type'],
    ['two actions', { preStop: { exec: { command: ['true'] }, sleep: { seconds: 1 } } }, undefined, 'spec.containers[0].lifecycle.preStop.sleep: Forbidden: may not specify more than 1 handler type'],
    ['an exec with no command', { postStart: { exec: {} } }, undefined, 'spec.containers[0].lifecycle.postStart.exec.command: Required value'],
  ])('%s', (_what, lifecycle, grace, message) => {
    expect(refused(lifecycle as Container['lifecycle'], grace)).toBe(`422 Invalid: Pod "p" is invalid: ${message}`);
  });

  it('and a liveness probe whose terminationGracePeriodSeconds is not above 0', () => {
    expect(new TestStore().error({ verb: 'create', resource: 'pods', namespace: 'default', object: withMain('p', { livenessProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 0 } }) }))
      .toBe('422 Invalid: Pod "p" is invalid: spec.containers[0].livenessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0');
  });
});
