// A whole run with a feature gate set in the scenario file: the gates reach the
// controller-manager through the System, and every property still holds. The run takes no
// exploration step: the user's script and the fair scheduler drive it to its settlement.
import { fileURLToPath } from 'node:url';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { describe, expect, it } from 'vitest';
import { arrayChooser } from '../checker/chooser.ts';
import { runConfig } from '../checker/explore.ts';
import { run } from '../checker/run.ts';
import { DEFAULT_FEATURE_GATES } from '../model/feature-gates.ts';
import type { World } from '../model/world.ts';
import { PROPERTIES } from '../properties/index.ts';
import type { SometimesGoal } from '../properties/property.ts';
import { loadScenarioFile } from '../scenarios/load/scenario-file.ts';

/** The terminatingReplicas the ReplicaSets' statuses in the store say (absent: not counted). */
function terminatingReplicas(world: World): (number | undefined)[] {
  return [...(world.store.context.objects.replicasets?.values() ?? [])]
    .map((rs) => ((rs as unknown as ReplicaSet).status as { terminatingReplicas?: number } | undefined)?.terminatingReplicas);
}

/** Reached when a ReplicaSet's status first counts a terminating replica. */
const countsATerminatingReplica: SometimesGoal = {
  kind: 'sometimes',
  name: 'countsATerminatingReplica',
  description: 'a ReplicaSet status says terminatingReplicas 1',
  reached: (_before, _action, after) => terminatingReplicas(after).includes(1),
};

function runWith(scenarioFile: string, gates: 'as written' | 'gate off') {
  const { scenario } = loadScenarioFile(fileURLToPath(new URL(`./scenario-files/${scenarioFile}`, import.meta.url)));
  const withGates = gates === 'gate off'
    ? { ...scenario, featureGates: { ...DEFAULT_FEATURE_GATES, DeploymentReplicaSetTerminatingReplicas: false } }
    : scenario;
  return run(runConfig(withGates, undefined, [...PROPERTIES, countsATerminatingReplica], false), arrayChooser([]));
}

describe('a run with DeploymentReplicaSetTerminatingReplicas set in the scenario file', () => {
  it('counts the scaled-down pod as terminating while it terminates, then 0; every property holds', () => {
    const result = runWith('terminating-replicas.yaml', 'as written');
    expect(result.violation).toBeNull();
    expect(result.settlement?.quiet).toBe(true);
    expect(result.reached.has('countsATerminatingReplica')).toBe(true);
    expect(terminatingReplicas(result.world)).toEqual([0]);
  });

  it('with the gate off (its default before 1.35) the status never carries the field', () => {
    const result = runWith('terminating-replicas.yaml', 'gate off');
    expect(result.violation).toBeNull();
    expect(result.reached.has('countsATerminatingReplica')).toBe(false);
    expect(terminatingReplicas(result.world)).toEqual([undefined]);
  });
});
