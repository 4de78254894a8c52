// Pod lifecycle scenarios on one node, built for short counterexamples: restarts by policy
// across node crashes and kubelet restarts, and graceful deletion with readiness. Each
// drives one slice of the kubelet; pod-basics runs them together.
import { NO_FAULTS } from '../model/system.ts';
import { createPod, deletePod, pod, POD_SCENARIO_BASE as base, READINESS } from './pod-fixtures.ts';
import type { Scenario } from './scenario.ts';

/** Small runs: half a minute after healing is enough for every status write and grace period here. */
const SHORT = { settleMs: 30_000, stepsMax: 60, convergeStepsMax: 1500 } as const;

/**
 * A Never pod whose main container fails after 1 s while its helper runs on for 3 s (so
 * the pod is Running with an exited container, then Failed), and an Always pod that
 * crash-loops; the node may crash and reboot, the kubelet may restart, and a user tries
 * to move the Never pod to another node.
 */
export const podRestarts: Scenario = {
  ...base,
  ...SHORT,
  name: 'pod-restarts',
  description: 'A two-container Never pod that fails and a crash-looping Always pod; the node may crash and reboot, the kubelet may restart, and a user tries to move the Never pod.',
  users: [{
    name: 'alice',
    script: [
      createPod(pod('once', { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36' }, { name: 'helper', image: 'busybox:1.36' }] })),
      createPod(pod('crasher', { image: 'busybox:1.36' })),
      { op: 'update', resource: 'pods', namespace: 'default', name: 'once', patch: { spec: { nodeName: 'node-2' } } },
    ],
  }],
  registry: ['busybox:1.36'],
  behaviours: [
    { pod: 'default/once', container: 'main', behaviour: { exitAfterMs: 1_000, exitCode: 1 } },
    { pod: 'default/once', container: 'helper', behaviour: { exitAfterMs: 3_000, exitCode: 0 } },
    { pod: 'default/crasher', behaviour: { exitAfterMs: 1_000, exitCode: 1 } },
  ],
  faults: { ...NO_FAULTS, nodeCrash: true, kubeletRestart: true },
  goals: ['crashLoopBackOffReached'],
};

/**
 * A web pod that becomes ready after 5 s and stops on SIGTERM, and one that ignores SIGTERM
 * (grace 3 s); both are deleted after 10 s. The kubelet may restart; probes may fail.
 */
export const podDeletion: Scenario = {
  ...base,
  ...SHORT,
  name: 'pod-deletion',
  description: 'A web pod ready after 5 s and a pod that ignores SIGTERM (grace 3 s), both deleted after 10 s; the kubelet may restart and probes may fail.',
  users: [{
    name: 'alice',
    script: [
      createPod(pod('web', { containers: [{ name: 'main', image: 'nginx:1.25', ...READINESS }] })),
      createPod(pod('stubborn', { image: 'nginx:1.25', terminationGracePeriodSeconds: 3 })),
      { op: 'wait', ms: 10_000 },
      deletePod('web'), deletePod('stubborn'),
    ],
  }],
  registry: ['nginx:1.25'],
  behaviours: [
    { pod: 'default/web', behaviour: { probes: { readiness: { passFromMs: 5_000 } } } },
    { pod: 'default/stubborn', behaviour: { ignoresSigterm: true } },
  ],
  faults: { ...NO_FAULTS, kubeletRestart: true, probeFailure: true },
  goals: ['podBecomesReady', 'gracefulTerminationCompletes'],
};

/**
 * The basic lifecycle, small enough for short counterexamples: a Never pod that fails, an
 * OnFailure pod that succeeds, a crash-looping pod, and a web pod that becomes ready late,
 * ignores SIGTERM and is deleted; a user also tries to move the web pod to another node,
 * which the API server must refuse.
 */
export const podBasics: Scenario = {
  ...base,
  name: 'pod-basics',
  description: 'A Never pod that fails, an OnFailure pod that succeeds, a crash-looper and a late-ready web pod that ignores SIGTERM and is deleted; node crash, kubelet restart and probe faults on.',
  users: [{
    name: 'alice',
    script: [
      createPod(pod('once', { image: 'busybox:1.36', restartPolicy: 'Never' })),
      createPod(pod('job', { image: 'busybox:1.36', restartPolicy: 'OnFailure' })),
      createPod(pod('crasher', { image: 'busybox:1.36' })),
      createPod(pod('web', { containers: [{ name: 'main', image: 'nginx:1.25', ...READINESS }], terminationGracePeriodSeconds: 5 })),
      { op: 'update', resource: 'pods', namespace: 'default', name: 'web', patch: { spec: { nodeName: 'node-2' } } },
      { op: 'wait', ms: 20_000 },
      deletePod('web'),
    ],
  }],
  registry: ['nginx:1.25', 'busybox:1.36'],
  behaviours: [
    { pod: 'default/once', behaviour: { exitAfterMs: 3_000, exitCode: 1 } },
    { pod: 'default/job', behaviour: { exitAfterMs: 4_000, exitCode: 0 } },
    { pod: 'default/crasher', behaviour: { exitAfterMs: 2_000, exitCode: 1 } },
    { pod: 'default/web', behaviour: { ignoresSigterm: true, probes: { readiness: { passFromMs: 12_000 } } } },
  ],
  faults: { ...NO_FAULTS, nodeCrash: true, kubeletRestart: true, probeFailure: true },
  bounds: { faultsMax: 3, historyMax: 256, streamQueueMax: 64 },
  stepsMax: 250,
  convergeStepsMax: 5000,
  goals: ['crashLoopBackOffReached', 'podBecomesReady', 'podRunsToCompletion'],
};
