// kubectl drain as a scenario's user does it: refused while a pod no controller manages runs
// on the node, then forced; what it prints is what kubectl prints.
import { describe, expect, it } from 'vitest';
import { seededChooser } from '../checker/chooser.ts';
import { explore, runConfig } from '../checker/explore.ts';
import { run } from '../checker/run.ts';
import { findProperty } from '../properties/index.ts';
import type { UserContext } from '../scenarios/user.ts';
import { nodeDrain } from '../scenarios/workloads.ts';
import { drainSkipsManagedPods } from './defects/user.ts';

describe('node-drain', () => {
  const config = runConfig(nodeDrain, undefined, [findProperty('drainEvictsManagedPods')!, findProperty('replicaSetsOwnTheirReplicas')!], false);

  // Seed 5 drained node-1 before its kubelet had registered it (both drains printed `Error from server (NotFound): nodes "node-1" not found`)
  // when the script did not wait for the node first.
  it.each([1, 2, 3, 5])('seed %i: the drain is refused for the unmanaged pod, then forced, and the ReplicaSet keeps its 3 pods off the drained node', (seed) => {
    const result = run(config, seededChooser(String(seed), nodeDrain.stepsMax));
    expect(result.violation).toBeNull();
    const alice = result.world.system.clients.findIndex((c) => c.kind === 'user');
    expect((result.world.clients[alice]!.context as UserContext).printed).toEqual([
      'node/node-1 condition met',
      'error: cannot delete Pods that declare no controller (use --force to override): default/standalone',
      'node/node-1 drained',
    ]);
    const pods = [...(result.world.store.context.objects.pods?.values() ?? [])];
    expect(pods.map((p) => (p.spec as { nodeName?: string }).nodeName)).toEqual(['node-2', 'node-2', 'node-2']);
    expect((result.world.store.context.objects.nodes?.get('node-1')?.spec as { unschedulable?: boolean }).unschedulable).toBe(true);
  });
});

describe('drainEvictsManagedPods goes unreached with a drain that leaves managed pods alone, and is reached without it', () => {
  it('in 30 runs of node-drain', () => {
    const properties = [findProperty('drainEvictsManagedPods')!];
    expect(explore(nodeDrain, { runs: 30, seed: 1, defect: drainSkipsManagedPods, properties, outDir: null }).missingGoals).toEqual(['drainEvictsManagedPods']);
    expect(explore(nodeDrain, { runs: 30, seed: 1, properties, outDir: null }).missingGoals).toEqual([]);
  });
});
