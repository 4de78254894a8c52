// Nodes carry the labels a kubelet registers them with (kubelet_node_status.go initialNode):
// the hostname, and the os and arch of the kubelet's platform with their beta twins. A manifest
// that selects `kubernetes.io/os: linux`, as charts and operators do, is scheduled; one that
// selects an architecture no node has waits, and the scheduler says why.
import type { PodStatus } from 'kubernetes-types/core/v1.js';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { arrayChooser } from '../checker/chooser.ts';
import { runConfig } from '../checker/explore.ts';
import { run } from '../checker/run.ts';
import type { World } from '../model/world.ts';
import { PROPERTIES } from '../properties/index.ts';
import { loadScenarioFile } from '../scenarios/load/scenario-file.ts';
import type { Scenario } from '../scenarios/scenario.ts';

const { scenario } = loadScenarioFile(fileURLToPath(new URL('./scenario-files/node-platforms.yaml', import.meta.url)));

/** The scenario run without faults until it settles; every property is checked on the way. */
function settle(s: Scenario): World {
  const result = run({ ...runConfig(s, undefined, PROPERTIES, false), stepsMax: 0 }, arrayChooser([]));
  expect(result.violation).toBeNull();
  return result.world;
}

const nodeOf = (world: World, name: string) => world.store.context.objects.nodes?.get(name);
const podOf = (world: World, name: string) => world.store.context.objects.pods?.get(`default/${name}`);

describe('node labels as a kubelet sets them', () => {
  const world = settle(scenario);

  it('a kubelet registers hostname, os and arch (and the beta twins), linux/amd64 unless the scenario says, then the node\'s own labels', () => {
    expect(nodeOf(world, 'node-1')!.metadata.labels).toEqual({
      'kubernetes.io/hostname': 'node-1', 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64',
    });
    expect(nodeOf(world, 'node-2')!.metadata.labels).toEqual({
      'kubernetes.io/hostname': 'node-2', 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64', 'topology.kubernetes.io/zone': 'zone-a',
    });
  });

  it('an API-only node carries the labels its kubelet registered it with before the run', () => {
    expect(nodeOf(world, 'win-1')!.metadata.labels).toEqual({
      'kubernetes.io/hostname': 'win-1', 'kubernetes.io/os': 'windows', 'kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'windows', 'beta.kubernetes.io/arch': 'amd64',
    });
  });

  it('a pod that selects kubernetes.io/os: linux runs on a Linux node, never on the Windows one', () => {
    const pod = podOf(world, 'on-linux')!;
    expect(['node-1', 'node-2']).toContain((pod.spec as { nodeName?: string }).nodeName);
    expect((pod.status as PodStatus).phase).toBe('Running');
  });

  it('a pod that selects kubernetes.io/arch: arm64 waits as Unschedulable on amd64 nodes, with the scheduler\'s message', () => {
    const pod = podOf(world, 'on-arm64')!;
    expect((pod.spec as { nodeName?: string }).nodeName).toBeUndefined();
    expect((pod.status as PodStatus).conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({
      status: 'False', reason: 'Unschedulable',
      message: "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. "
        + 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    });
  });

  it("the kubelet turns away a pod meant for another OS, by its spec.os or its own kubernetes.io/os label (predicate.go), before any fit", () => {
    expect(podOf(world, 'iis')!.status).toMatchObject({
      phase: 'Failed', reason: 'PodOSNotSupported', message: "Pod was rejected: Failed to admit pod as the OS field doesn't match node OS",
    });
    expect(podOf(world, 'labelled-windows')!.status).toMatchObject({
      phase: 'Failed', reason: 'PodOSSelectorNodeLabelDoesNotMatch',
      message: "Pod was rejected: Failed to admit pod as the `kubernetes.io/os` label doesn't match node label",
    });
  });

  it('an arm64 node takes the arm64 pod', () => {
    const arm = settle({ ...scenario, nodes: scenario.nodes.map((n) => (n.name === 'node-2' ? { ...n, arch: 'arm64' as const } : n)) });
    expect(nodeOf(arm, 'node-2')!.metadata.labels).toMatchObject({ 'kubernetes.io/arch': 'arm64', 'beta.kubernetes.io/arch': 'arm64' });
    const pod = podOf(arm, 'on-arm64')!;
    expect((pod.spec as { nodeName?: string }).nodeName).toBe('node-2');
    expect((pod.status as PodStatus).phase).toBe('Running');
  });
});
