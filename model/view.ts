// What a kubelet sees: its informers' caches, its node's runtime, the image registry.
import type { KubeletView } from './kubelet/context.ts';
import type { InformerContext } from './informer.ts';
import type { World } from './world.ts';

function cacheOf(world: World, client: number): InformerContext['cache'] {
  return (world.clients[client]!.context as InformerContext).cache;
}

export function kubeletView(world: World, node: number): KubeletView {
  const spec = world.system.nodes[node]!;
  return {
    pods: cacheOf(world, spec.informers.pods),
    configmaps: cacheOf(world, spec.informers.configmaps),
    secrets: cacheOf(world, spec.informers.secrets),
    runtime: world.nodes[node]!.runtime.context,
    registry: { down: world.registryDown, images: world.system.registry },
    nowMs: world.nowMs,
  };
}
