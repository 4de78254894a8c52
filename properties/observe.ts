// What properties observe of a step: the store event it committed, the runtime call a
// kubelet made, a controller's reconcile, what users printed, the pods as the API server holds them.
import type { PodSpec, PodStatus } from 'kubernetes-types/core/v1.js';
import type { Action } from '../model/actions.ts';
import type { Caches } from '../model/client.ts';
import type { KubeletContext } from '../model/kubelet/context.ts';
import type { Request, WatchEvent } from '../model/requests.ts';
import type { KubeObject } from '../model/resources.ts';
import type { RuntimeContainer, RuntimeEvent } from '../model/runtime.ts';
import { cachesOf } from '../model/step-api.ts';
import type { World } from '../model/world.ts';
import type { UserContext } from '../scenarios/user.ts';

/** The store event this step committed, if it wrote one. */
export function committedEvent(before: World, after: World): WatchEvent | null {
  return after.store.context.rv > before.store.context.rv ? after.store.context.event : null;
}

/** The committed event if it is about a pod. */
export function podEvent(before: World, after: World): WatchEvent | null {
  const event = committedEvent(before, after);
  return event?.resource === 'pods' ? event : null;
}

/** The runtime call a kubelet sync made in this step. */
export function syncOp(action: Action, after: World): RuntimeEvent | null {
  if (action.kind !== 'sync') return null;
  return (after.clients[after.system.nodes[action.node]!.kubelet]!.context as KubeletContext).op;
}

export function phaseOf(pod: KubeObject | null | undefined): string | undefined {
  return (pod?.status as PodStatus | undefined)?.phase;
}

export function specOf(pod: KubeObject): PodSpec {
  return pod.spec as PodSpec;
}

/** The pod with this uid as the API server holds it, found by its runtime key (namespace/name). */
export function apiPod(world: World, podKey: string, uid: string): KubeObject | undefined {
  const pod = world.store.context.objects.pods?.get(podKey);
  return pod?.metadata.uid === uid ? pod : undefined;
}

export function nodeIndex(world: World, name: string | undefined): number {
  return world.system.nodes.findIndex((n) => n.name === name);
}

export function keyOfPod(pod: KubeObject): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

/** The client index of the named controller of the controller-manager, or null when the scenario does not run it. */
export function controllerClient(world: World, controller: string): number | null {
  return world.system.controllerManager?.controllers.find((c) => c.name === controller)?.client ?? null;
}

/** A controller's reconcile: the key, the caches it read, and the writes it decided on. */
export interface Reconcile {
  readonly client: number;
  readonly key: string;
  readonly caches: Caches;
  readonly writes: readonly Request[];
}

/**
 * The reconcile in this step by the named controller. Its writes are all it queued: the
 * controller-manager reconciles a key only once the writes of the one before have gone out.
 */
export function reconcileOf(controller: string, before: World, action: Action, after: World): Reconcile | null {
  if (action.kind !== 'reconcile' || action.client !== controllerClient(after, controller)) return null;
  const { request, outbox } = after.clients[action.client]!.context as { request: Request | null; outbox: readonly Request[] };
  const writes = request === null ? outbox : [request, ...outbox];
  return { client: action.client, key: action.key, caches: cachesOf(before, action.client), writes };
}

/** Every line the scripted users have printed so far, as kubectl would have. */
export function printedByUsers(world: World): string[] {
  return world.system.clients.flatMap((c, i) => (c.kind === 'user' ? (world.clients[i]!.context as UserContext).printed : []));
}

/**
 * How long the container's postStart or preStop hook takes, as the scenario's process rules say
 * (a sleep hook takes its own seconds, whatever the rules), and whether an exec or httpGet hook fails.
 */
export function hookRun(c: RuntimeContainer, hook: 'postStart' | 'preStop'): { takesMs: number; fails: boolean } | null {
  const handler = c.spec.lifecycle?.[hook];
  if (!handler) return null;
  if (handler.sleep) return { takesMs: handler.sleep.seconds * 1000, fails: false };
  const behaviour = c.behaviour.hooks?.[hook];
  return { takesMs: behaviour?.takesMs ?? 0, fails: behaviour?.fails === true };
}
