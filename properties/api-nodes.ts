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

/** podsByNode's answers, per state of the store's pods: most steps leave the pods as they were. */
const byNodeOf = new WeakMap<object, ReadonlyMap<string, readonly KubeObject[]>>();
const NO_PODS = {};

/** The non-terminal pods bound to each node, by node name. */
export function podsByNode(world: World): ReadonlyMap<string, readonly KubeObject[]> {
  const pods = world.store.context.objects.pods;
  const known = byNodeOf.get(pods ?? NO_PODS);
  if (known) return known;
  const byNode = new Map<string, KubeObject[]>();
  for (const pod of pods?.values() ?? []) {
    const node = boundNode(pod);
    if (node === undefined || isTerminalPod(pod)) continue;
    const list = byNode.get(node);
    if (list) list.push(pod);
    else byNode.set(node, [pod]);
  }
  byNodeOf.set(pods ?? NO_PODS, byNode);
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
