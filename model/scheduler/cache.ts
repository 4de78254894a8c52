// The scheduler's cache (pkg/scheduler/backend/cache/cache.go): each node with what the pods
// counted on it request (NodeInfo) and the host ports they take. A pod counts from the moment
// the scheduler assumes it (before its binding is even sent) until the informer says it is
// gone or terminal, or the scheduler forgets it after a failed binding. Assumed pods never
// expire: durationToExpireAssumedPod is 0 in pkg/scheduler/scheduler.go (issue #106361).
import type { Node, NodeStatus, PodSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../resources.ts';
import { podHostPorts, type HostPort } from '../semantics/node-ports.ts';
import { newNodeInfo, nodeInfoWithPod } from '../semantics/resource-fit.ts';
import type { CachedPod, SchedulerContext } from './context.ts';
import type { NodeView } from './plugins.ts';

type Cache = Pick<SchedulerContext, 'nodes' | 'nodeOrder' | 'pods' | 'features'>;

function withoutPorts(inUse: readonly HostPort[], removed: readonly HostPort[]): HostPort[] {
  const left = [...inUse];
  for (const port of removed) {
    const at = left.findIndex((p) => p.hostIP === port.hostIP && p.protocol === port.protocol && p.port === port.port);
    if (at >= 0) left.splice(at, 1);
  }
  return left;
}

/** The node's view with one pod more (`sign` 1) or less (-1). */
function withPod(cache: Cache, view: NodeView, pod: KubeObject, sign: 1 | -1): NodeView {
  const spec = pod.spec as PodSpec;
  const ports = podHostPorts(spec);
  return {
    ...view,
    info: nodeInfoWithPod(view.info, spec, sign, cache.features),
    ports: sign === 1 ? [...view.ports, ...ports] : withoutPorts(view.ports, ports),
  };
}

/** AddNode / UpdateNode: the node as the informer now has it, with the pods already counted on it. */
export function setNode(cache: Cache, node: KubeObject): Partial<SchedulerContext> {
  const name = node.metadata.name ?? '';
  const old = cache.nodes.get(name);
  const allocatable = (node.status as NodeStatus | undefined)?.allocatable ?? {};
  let view: NodeView;
  if (old) {
    view = { ...old, node: node as Node, info: { ...old.info, allocatable: newNodeInfo(allocatable, [], cache.features).allocatable } };
  } else {
    view = { node: node as Node, info: newNodeInfo(allocatable, [], cache.features), ports: [] };
    for (const pod of cache.pods.values()) if (pod.nodeName === name) view = withPod(cache, view, pod.pod, 1);
  }
  const nodeOrder = old ? cache.nodeOrder : [...cache.nodeOrder, name].sort();
  return { nodes: cache.nodes.set(name, view), nodeOrder };
}

/** RemoveNode: the node goes; pods on it stay counted, against a node the cache no longer has. */
export function removeNode(cache: Cache, name: string): Partial<SchedulerContext> {
  if (!cache.nodes.has(name)) return {};
  return { nodes: cache.nodes.delete(name), nodeOrder: cache.nodeOrder.filter((n) => n !== name) };
}

/** AddPod (or AssumePod): the pod counts on its node. */
export function addPod(cache: Cache, pod: CachedPod): Partial<SchedulerContext> {
  const view = cache.nodes.get(pod.nodeName);
  return { pods: cache.pods.set(pod.uid, pod), ...(view ? { nodes: cache.nodes.set(pod.nodeName, withPod(cache, view, pod.pod, 1)) } : {}) };
}

/** RemovePod (or ForgetPod): the pod no longer counts. */
export function removePod(cache: Cache, uid: string): Partial<SchedulerContext> {
  const pod = cache.pods.get(uid);
  if (!pod) return {};
  const view = cache.nodes.get(pod.nodeName);
  return { pods: cache.pods.delete(uid), ...(view ? { nodes: cache.nodes.set(pod.nodeName, withPod(cache, view, pod.pod, -1)) } : {}) };
}
