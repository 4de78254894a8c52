// The seed manifests' pods behave as a real cluster runs them. Each scenario is run with
// no exploration (fair scheduling, no faults) and its pods are read as `kubectl get pods`
// prints them, at the instants that matter.
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { readManifests } from '../scenarios/manifests.ts';
import { createPod, manifest } from '../scenarios/pod-fixtures.ts';
import { downwardApiPod, livenessPod, secretVolumePod } from '../scenarios/pods.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { podHistory } from './helpers/pod-history.ts';
import { TestStore } from './helpers/store.ts';

/**
 * The liveness pod for ten minutes (its scenario settles after five), with the manifest's pull
 * policy or another: long enough for its back-off to outgrow the 70 s each of its attempts runs.
 */
function livenessForTenMinutes(imagePullPolicy?: string): Scenario {
  const pod = manifest('liveness-pod.yaml');
  const spec = pod.spec as PodSpec;
  const containers = spec.containers.map((c) => ({ ...c, ...(imagePullPolicy ? { imagePullPolicy } : {}) }));
  return { ...livenessPod, settleMs: 600_000, convergeStepsMax: 7_000, users: [{ name: 'alice', script: [createPod({ ...pod, spec: { ...spec, containers } })] }] };
}

/**
 * Each attempt is healthy for 30 s, fails its probe three times (SIGTERM at +40 s, which `/bin/sh`
 * as PID 1 ignores) and is SIGKILLed at +70 s; the SyncPod that kills it starts it again and judges
 * the back-off on the exit before (its pod status was taken before the kill). The back-off, 10 s
 * and doubling, first outgrows the 70 s between those exits at the sixth kill (80 s), and again at
 * the seventh (160 s, counted from the fifth exit at 420 s).
 */
const LIVENESS_ROWS = [
  '0s test-liveness 0/1 Pending 0',
  '0s test-liveness 0/1 ContainerCreating 0',
  '0s test-liveness 1/1 Running 0',
  '70s test-liveness 1/1 Running 1 (0s ago)',
  '140s test-liveness 1/1 Running 2 (0s ago)',
  '210s test-liveness 1/1 Running 3 (0s ago)',
  '280s test-liveness 1/1 Running 4 (0s ago)',
  '350s test-liveness 1/1 Running 5 (0s ago)',
  '420s test-liveness 0/1 CrashLoopBackOff 5 (0s ago)',
  '500s test-liveness 1/1 Running 6 (80s ago)',
  '570s test-liveness 0/1 CrashLoopBackOff 6 (0s ago)',
];

describe('the seed pods, as a cluster runs them', () => {
  it('liveness-pod.yaml: killed by its probe every 70 s and restarted by the same SyncPod, in CrashLoopBackOff once the back-off outgrows 70 s', () => {
    const { rows, pulls, result } = podHistory(livenessForTenMinutes());
    expect(result.violation).toBeNull();
    expect(rows).toEqual(LIVENESS_ROWS);
    expect(pulls).toBe(1);
    expect([...result.reached]).toEqual(['podBecomesReady', 'livenessRestartHappens', 'crashLoopBackOffReached']);
  });

  it('liveness-pod.yaml with imagePullPolicy Always restarts on the same schedule, pulling at every start: the back-off is decided once per start', () => {
    const always = podHistory(livenessForTenMinutes('Always'));
    const ifNotPresent = podHistory(livenessForTenMinutes('IfNotPresent'));
    expect(always.result.violation).toBeNull();
    expect(always.rows).toEqual(ifNotPresent.rows);
    expect(always.rows).toEqual(LIVENESS_ROWS);
    expect([always.pulls, ifNotPresent.pulls]).toEqual([7, 1]);
  });

  it('downwardapi-pod.yaml: runs and is Ready, then is deleted gracefully', () => {
    const { rows, result } = podHistory(downwardApiPod);
    expect(result.violation).toBeNull();
    expect(rows).toEqual([
      '0s downwardapi-volume 0/1 Pending 0',
      '0s downwardapi-volume 0/1 ContainerCreating 0',
      '0s downwardapi-volume 1/1 Running 0',
      '60s downwardapi-volume 1/1 Terminating 0',
      '60s downwardapi-volume 0/1 Completed 0',
      '60s downwardapi-volume deleted',
    ]);
    expect(result.world.store.context.objects.pods?.size ?? 0).toBe(0);
    expect([...result.reached]).toEqual(['podBecomesReady', 'gracefulTerminationCompletes']);
  });

  it('volume-secret-pod.yaml (volumes moved under spec): its Secrets do not exist, so it waits in ContainerCreating and the model goes on', () => {
    const { rows, result } = podHistory(secretVolumePod);
    expect(result.violation).toBeNull();
    expect(rows).toEqual(['0s volume-secret 0/1 Pending 0', '0s volume-secret 0/1 ContainerCreating 0']);
    expect(result.settlement?.quiet).toBe(true);
    expect([...result.reached]).toEqual(['podWaitsForVolume']);
  });

  it('volume-secret-pod.yaml as written: the API server rejects it, naming the field', () => {
    const [pod] = readManifests('volume-secret-pod.yaml');
    expect(new TestStore().error({ verb: 'create', resource: 'pods', namespace: 'default', object: pod! })).toBe(
      '422 Invalid: Pod "volume-secret" is invalid: spec.containers[0].volumeMounts[0].name: Not found: "mysql-cred"');
  });
});
