// The seed manifests' pods behave as a real cluster runs them. Each scenario is run with
// no exploration (fair scheduling, no faults) and its pods are read as `kubectl get pods`
// prints them, at the instants that matter.
import { describe, expect, it } from 'vitest';
import { arrayChooser } from '../checker/chooser.ts';
import { runConfig } from '../checker/explore.ts';
import { run } from '../checker/run.ts';
import { PROPERTIES } from '../properties/index.ts';
import { podEvent } from '../properties/observe.ts';
import type { TransitionProperty } from '../properties/property.ts';
import { podRow } from '../reports/pod-table.ts';
import { readManifests } from '../scenarios/manifests.ts';
import { downwardApiPod, livenessPod, secretVolumePod } from '../scenarios/pods.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { TestStore } from './helpers/store.ts';

/** Every pod row the API server stored, as "<seconds>s <name> <ready> <status> <restarts>", without repeats. */
function podHistory(scenario: Scenario) {
  const rows: string[] = [];
  const recorder: TransitionProperty = {
    kind: 'transition', name: 'recordPods', description: 'records every pod the API server stores',
    check(before, _action, after) {
      const event = podEvent(before, after);
      if (event && event.type !== 'DELETED') {
        const r = podRow(event.object, after.nowMs);
        const row = `${after.nowMs / 1000}s ${r.name} ${r.ready} ${r.status} ${r.restarts}`;
        if (rows.at(-1) !== row) rows.push(row);
      }
      return null;
    },
  };
  const result = run({ ...runConfig(scenario, undefined, [...PROPERTIES, recorder], false), stepsMax: 0 }, arrayChooser([]));
  return { rows, result };
}

describe('the seed pods, as a cluster runs them', () => {
  it('liveness-pod.yaml: healthy for 30 s, then killed by its probe (SIGKILL after 30 s of grace), restarted, then backed off', () => {
    const { rows, result } = podHistory(livenessPod);
    expect(result.violation).toBeNull();
    expect(rows).toEqual([
      '0s test-liveness 0/1 Pending 0',
      '0s test-liveness 0/1 ContainerCreating 0',
      '0s test-liveness 1/1 Running 0',
      '70s test-liveness 0/1 Error 0',
      '70s test-liveness 1/1 Running 1 (0s ago)',
      '140s test-liveness 0/1 CrashLoopBackOff 1 (0s ago)',
      '150s test-liveness 1/1 Running 2 (10s ago)',
      '220s test-liveness 0/1 CrashLoopBackOff 2 (0s ago)',
      '240s test-liveness 1/1 Running 3 (20s ago)',
    ]);
    expect([...result.reached]).toEqual(['podBecomesReady', 'livenessRestartHappens', 'crashLoopBackOffReached']);
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
