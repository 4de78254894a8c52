// Container lifecycle hooks on one node: the documentation's graceful-termination example (its
// preStop hook outlasts the grace period), a preStop hook that outlasts a short grace period in a
// process that ignores SIGTERM, and a postStart hook that fails, so its container is killed and
// restarted into CrashLoopBackOff.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../model/resources.ts';
import { NO_FAULTS } from '../model/system.ts';
import { createPod, deletePod, manifest, pod, POD_SCENARIO_BASE as base } from './pod-fixtures.ts';
import type { Scenario } from './scenario.ts';

/**
 * The pod of pod-with-graceful-termination.yaml (the "Explore Termination Behavior for Pods And
 * Their Endpoints" tutorial) as its Deployment creates it, named `nginx`: nginx:latest, a preStop
 * hook `sleep 180` and 120 s of grace.
 */
export function gracefulTerminationPod(): KubeObject {
  const template = (manifest('pod-with-graceful-termination.yaml').spec as { template: PodTemplateSpec }).template;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nginx', labels: template.metadata?.labels ?? {} }, spec: template.spec };
}

/** The documentation example's process: its preStop hook is `sleep 180`; nginx stops on SIGTERM. */
export const GRACEFUL_TERMINATION_PROCESS = { pod: 'default/nginx', behaviour: { hooks: { preStop: { takesMs: 180_000 } } } } as const;

/**
 * The graceful-termination pod and `slow-stop` (an httpGet preStop hook that takes 15 s of its
 * 10 s grace period, in a process that ignores SIGTERM) are deleted after 10 s; `registers` has a
 * postStart hook that fails after 2 s and a 3 s preStop sleep, so each attempt is killed and
 * started again, into CrashLoopBackOff. The kubelet may restart and containers may crash.
 */
export const lifecycleHooks: Scenario = {
  ...base,
  name: 'lifecycle-hooks',
  description: 'The docs\' graceful-termination pod (a 180 s preStop hook, 120 s of grace) and a SIGTERM-ignoring pod whose preStop hook outlasts its 10 s, both deleted; a pod whose postStart hook fails crash-loops; the kubelet may restart and containers may crash.',
  users: [{
    name: 'alice',
    script: [
      createPod(gracefulTerminationPod()),
      createPod(pod('slow-stop', {
        terminationGracePeriodSeconds: 10,
        containers: [{ name: 'main', image: 'nginx:1.25', lifecycle: { preStop: { httpGet: { path: '/drain', port: 80 } } } }],
      })),
      createPod(pod('registers', {
        containers: [{
          name: 'main', image: 'nginx:1.25',
          lifecycle: { postStart: { exec: { command: ['/bin/sh', '-c', 'register'] } }, preStop: { sleep: { seconds: 3 } } },
        }],
      })),
      { op: 'wait', ms: 10_000 },
      deletePod('nginx'), deletePod('slow-stop'),
    ],
  }],
  registry: ['nginx:latest', 'nginx:1.25'],
  behaviours: [
    GRACEFUL_TERMINATION_PROCESS,
    { pod: 'default/slow-stop', behaviour: { ignoresSigterm: true, hooks: { preStop: { takesMs: 15_000 } } } },
    { pod: 'default/registers', behaviour: { hooks: { postStart: { takesMs: 2_000, fails: true } } } },
  ],
  faults: { ...NO_FAULTS, kubeletRestart: true, containerCrash: true },
  // Two and a half minutes cover the 120 s grace period from the last delete; the crash-looping pod makes every settled minute cost steps.
  settleMs: 150_000,
  stepsMax: 100,
  convergeStepsMax: 3000,
  goals: ['preStopOutlastsGracePeriod', 'postStartHookFailed', 'gracefulTerminationCompletes', 'crashLoopBackOffReached'],
};
