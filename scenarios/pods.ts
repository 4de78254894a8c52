// Pod scenarios on one node, from the seed manifests: the liveness-probe pod, the
// downward-API pod, the Secret-volume pod, and a mixed workload with every node fault.
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../model/resources.ts';
import { NO_FAULTS } from '../model/system.ts';
import { createObject, createPod, deletePod, manifest, pod, POD_SCENARIO_BASE as base, READINESS } from './pod-fixtures.ts';
import type { Scenario } from './scenario.ts';

/** liveness-pod.yaml: `touch /tmp/healthy; sleep 30; rm -rf /tmp/healthy; sleep 600`, probed every 5 s after 5 s. */
export const livenessPod: Scenario = {
  ...base,
  name: 'liveness-pod',
  description: 'The liveness-probe pod: healthy for 30 s, then its probe fails 3 times and the kubelet restarts it, with back-off (CrashLoopBackOff).',
  users: [{ name: 'alice', script: [createPod(manifest('liveness-pod.yaml'))] }],
  registry: ['nginx:latest'],
  // `/bin/sh -c` runs as PID 1, which ignores SIGTERM: the kill for the failed probe ends in SIGKILL (exit 137).
  behaviours: [{ container: 'liveness', behaviour: { exitAfterMs: 630_000, exitCode: 0, ignoresSigterm: true, probes: { liveness: { passUntilMs: 30_000 } } } }],
  faults: { ...NO_FAULTS, kubeletRestart: true, probeFailure: true },
  stepsMax: 300,
  convergeStepsMax: 3000,
  goals: ['livenessRestartHappens', 'crashLoopBackOffReached'],
};

/** downwardapi-pod.yaml: a projected downward-API volume of the pod's labels; the process loops forever. */
export const downwardApiPod: Scenario = {
  ...base,
  name: 'downward-api-pod',
  description: 'The downward-API pod: its projected volume needs nothing from the API server, so it runs and is Ready; the kubelet may restart under it.',
  users: [{ name: 'alice', script: [createPod(manifest('downwardapi-pod.yaml')), { op: 'wait', ms: 60_000 }, deletePod('downwardapi-volume')] }],
  registry: ['nginx:latest'],
  behaviours: [],
  faults: { ...NO_FAULTS, kubeletRestart: true, containerCrash: true },
  stepsMax: 300,
  convergeStepsMax: 3000,
  goals: ['podBecomesReady', 'gracefulTerminationCompletes'],
};

/**
 * volume-secret-pod.yaml as its author meant it: the manifest puts `volumes:` inside the
 * container, which the API server rejects (the volumeMount names no volume; see the
 * manifest tests), so the volume is moved under spec here. The Secrets it projects,
 * `user` and `pass`, exist nowhere (secret.yaml defines `volume-secret`): the pod waits.
 */
function secretVolumePodAsMeant(): KubeObject {
  const pod = manifest('volume-secret-pod.yaml');
  const spec = pod.spec as PodSpec;
  const [container] = spec.containers as [PodSpec['containers'][0] & { volumes?: PodSpec['volumes'] }];
  const { volumes, ...fixed } = container;
  return { ...pod, spec: { ...spec, containers: [fixed], volumes } };
}

export const secretVolumePod: Scenario = {
  ...base,
  name: 'secret-volume-pod',
  description: 'The Secret-volume pod: the Secrets its projected volume needs do not exist, so it waits in ContainerCreating and never runs.',
  users: [{ name: 'alice', script: [createObject('secrets', manifest('secret.yaml')), createPod(secretVolumePodAsMeant())] }],
  registry: [],
  behaviours: [],
  faults: { ...NO_FAULTS, kubeletRestart: true, nodeCrash: true },
  stepsMax: 150,
  convergeStepsMax: 3000,
  goals: ['podWaitsForVolume'],
};

const withProbe = (name: string, image = 'nginx:1.25') => pod(name, { containers: [{ name: 'main', image, ...READINESS }] });

/** A node's worth of pods that exercise every path of the kubelet; `webCount` sizes it for the benchmark. */
export function nodeWorkload(webCount: number): Scenario {
  const webs = Array.from({ length: webCount }, (_, i) => withProbe(`web-${i}`));
  return {
    ...base,
    name: webCount === 3 ? 'node-workload' : `node-workload-${webCount}`,
    description: 'One node running web pods with readiness probes, a crash-looper, a job, a Never pod, a pod that ignores SIGTERM, one with a missing image and the liveness pod; every node fault on.',
    users: [{
      name: 'alice',
      script: [
        ...webs.map(createPod),
        createPod(pod('crasher', { image: 'busybox:1.36' })),
        createPod(pod('job', { image: 'busybox:1.36', restartPolicy: 'OnFailure' })),
        createPod(pod('once', { image: 'busybox:1.36', restartPolicy: 'Never' })),
        createPod(pod('stubborn', { image: 'stubborn:1.0', terminationGracePeriodSeconds: 10 })),
        createPod(pod('ghost', { image: 'ghost:0.1' })),
        createPod(manifest('liveness-pod.yaml')),
        { op: 'wait', ms: 40_000 },
        deletePod('web-0'), deletePod('stubborn'), deletePod('job'),
      ],
    }],
    registry: ['nginx:1.25', 'nginx:latest', 'busybox:1.36', 'stubborn:1.0'],
    behaviours: [
      { container: 'liveness', behaviour: { exitAfterMs: 630_000, ignoresSigterm: true, probes: { liveness: { passUntilMs: 30_000 } } } },
      { pod: 'default/crasher', behaviour: { exitAfterMs: 15_000, exitCode: 1 } },
      { pod: 'default/job', behaviour: { exitAfterMs: 20_000, exitCode: 0 } },
      { pod: 'default/once', behaviour: { exitAfterMs: 5_000, exitCode: 1 } },
      { pod: 'default/stubborn', behaviour: { ignoresSigterm: true } },
      { image: 'nginx:1.25', behaviour: { probes: { readiness: { passFromMs: 8_000 } } } },
    ],
    faults: { ...NO_FAULTS, nodeCrash: true, nodePartition: true, kubeletRestart: true, containerCrash: true, registryDown: true, probeFailure: true },
    bounds: { faultsMax: 4, historyMax: 512, streamQueueMax: 64 },
    stepsMax: 600,
    convergeStepsMax: 20_000,
    goals: ['crashLoopBackOffReached', 'livenessRestartHappens', 'gracefulTerminationCompletes', 'imagePullBackOffReached', 'podBecomesReady'],
  };
}
