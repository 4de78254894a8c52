// What a kubelet sees: its informers' caches, its node's runtime, the image registry.
import type { KubeletView } from './kubelet/context.ts';
import type { InformerContext } from './informer.ts';
import type { World } from './world.ts';

export function kubeletView(world: World, node: number): KubeletView {
  const spec = world.system.nodes[node]!;
  const cache = (client: number) => (world.clients[client]!.context as InformerContext).cache;
  return {
    pods: cache(spec.informers.pods),
    configmaps: cache(spec.informers.configmaps),
    secrets: cache(spec.informers.secrets),
    runtime: world.nodes[node]!.runtime.context,
    registry: { down: world.registryDown, images: world.system.registry },
  };
}
