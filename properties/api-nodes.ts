// The nodes as the API server has them: each Node with the non-terminal pods bound to it
// counted as the scheduler counts them (NodeInfo, host ports). What the scheduling
// properties judge a binding or a pending pod against.
import type { Node, NodeStatus, PodSpec, PodStatus } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../model/resources.ts';
import type { NodeView } from '../model/scheduler/plugins.ts';
import { podHostPorts } from '../model/semantics/node-ports.ts';
import { newNodeInfo } from '../model/semantics/resource-fit.ts';
import type { World } from '../model/world.ts';

export function isTerminalPod(pod: KubeObject): boolean {
  const phase = (pod.status as PodStatus | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export function boundNode(pod: KubeObject): string | undefined {
  return (pod.spec as PodSpec | undefined)?.nodeName || undefined;
}

/** The non-terminal pods bound to each node, by node name. */
export function podsByNode(world: World): Map<string, KubeObject[]> {
  const byNode = new Map<string, KubeObject[]>();
  for (const pod of world.store.context.objects.pods?.values() ?? []) {
    const node = boundNode(pod);
    if (node === undefined || isTerminalPod(pod)) continue;
    byNode.set(node, [...(byNode.get(node) ?? []), pod]);
  }
  return byNode;
}

/** A node as the API has it, with these pods counted on it. */
export function apiNodeView(node: KubeObject, pods: readonly KubeObject[]): NodeView {
  const specs = pods.map((p) => p.spec as PodSpec);
  return {
    node: node as Node,
    info: newNodeInfo((node.status as NodeStatus | undefined)?.allocatable ?? {}, specs),
    ports: specs.flatMap(podHostPorts),
  };
}

/** Every node the API has, with its pods counted, in name order. */
export function apiNodeViews(world: World): NodeView[] {
  const byNode = podsByNode(world);
  return [...(world.store.context.objects.nodes?.values() ?? [])]
    .sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1))
    .map((node) => apiNodeView(node, byNode.get(node.metadata.name ?? '') ?? []));
}
