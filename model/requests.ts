// The requests a client sends the API server and the replies it gets back.
// Every component talks to the cluster only through these.
import type { ApiStatus } from './api-status.ts';
import { selectorText, type FieldSelector } from './field-selector.ts';
import type { KubeObject, Resource } from './resources.ts';

/** metav1.DeletionPropagation. */
export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

/** metav1.FinalizerOrphanDependents: the garbage collector orphans the object's dependents, then removes it. */
export const ORPHAN_FINALIZER = 'orphan';
/** metav1.FinalizerDeleteDependents: the garbage collector deletes the object's blocking dependents first. */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';

export type WriteRequest =
  | { readonly verb: 'create'; readonly resource: Resource; readonly namespace: string; readonly object: KubeObject }
  | { readonly verb: 'update'; readonly resource: Resource; readonly object: KubeObject; readonly subresource?: 'status' }
  | {
      readonly verb: 'delete'; readonly resource: Resource; readonly namespace: string; readonly name: string;
      readonly gracePeriodSeconds?: number;
      readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
      /** DeleteOptions.propagationPolicy: what becomes of the object's dependents (left out: the resource's default). */
      readonly propagationPolicy?: PropagationPolicy;
    }
  /** POST pods/{name}/binding; `uid` is the Binding's metadata.uid, a precondition. */
  | { readonly verb: 'bind'; readonly namespace: string; readonly name: string; readonly uid: string; readonly nodeName: string }
  /** PATCH with a strategic merge patch, of the object or its status subresource; no resourceVersion precondition. */
  | {
      readonly verb: 'patch'; readonly resource: Resource; readonly namespace: string; readonly name: string;
      readonly subresource?: 'status'; readonly patch: Readonly<Record<string, unknown>>;
    };

export type ReadRequest =
  | { readonly verb: 'get'; readonly resource: Resource; readonly namespace: string; readonly name: string }
  /**
   * resourceVersion as client-go sends it: "" is a consistent read of the newest state,
   * "0" accepts any state the server has, "N" accepts any state not older than N.
   */
  | { readonly verb: 'list'; readonly resource: Resource; readonly resourceVersion: string; readonly selector?: FieldSelector }
  /** Events after resourceVersion; 410 Gone when the store has compacted past it. */
  | { readonly verb: 'watch'; readonly resource: Resource; readonly resourceVersion: number; readonly selector?: FieldSelector };

export type Request = WriteRequest | ReadRequest;

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  readonly type: WatchEventType;
  readonly rv: number;
  readonly resource: Resource;
  readonly key: string;
  /** The object after the change; for DELETED, the last state stamped with the deletion's rv. */
  readonly object: KubeObject;
  /** The object before the change, so a lagging read can be served by undoing history. */
  readonly previous: KubeObject | null;
}

export type Reply =
  | { readonly ok: true; readonly object?: KubeObject; readonly items?: readonly KubeObject[]; readonly rv?: number }
  | { readonly ok: false; readonly status: ApiStatus };

export function isWrite(request: Request): request is WriteRequest {
  return request.verb === 'create' || request.verb === 'update' || request.verb === 'delete' || request.verb === 'bind' || request.verb === 'patch';
}

function withSelector(selector: FieldSelector | undefined): string {
  const text = selectorText(selector);
  return text === '' ? '' : ` ${text}`;
}

/** `create configmaps default/cm-1`, `list pods rv=0`, `watch pods from rv 12`. */
export function describeRequest(request: Request): string {
  switch (request.verb) {
    case 'create': return `create ${request.resource} ${request.namespace ? `${request.namespace}/` : ''}${request.object.metadata.name ?? `${request.object.metadata.generateName ?? ''}*`}`;
    case 'update': {
      const m = request.object.metadata;
      const target = `${request.resource}${request.subresource ? `/${request.subresource}` : ''} ${m.namespace ? `${m.namespace}/` : ''}${m.name}`;
      return `update ${target}${m.resourceVersion ? ` at rv ${m.resourceVersion}` : ''}`;
    }
    case 'delete': {
      const grace = request.gracePeriodSeconds !== undefined ? ` grace ${request.gracePeriodSeconds}s` : '';
      const propagation = request.propagationPolicy !== undefined ? ` propagation ${request.propagationPolicy}` : '';
      return `delete ${request.resource} ${request.namespace ? `${request.namespace}/` : ''}${request.name}${grace}${propagation}`;
    }
    case 'bind': return `bind pods ${request.namespace}/${request.name} to ${request.nodeName}`;
    case 'patch': return `patch ${request.resource}${request.subresource ? `/${request.subresource}` : ''} ${request.namespace ? `${request.namespace}/` : ''}${request.name}`;
    case 'get': return `get ${request.resource} ${request.namespace ? `${request.namespace}/` : ''}${request.name}`;
    case 'list': return `list ${request.resource}${withSelector(request.selector)} rv=${JSON.stringify(request.resourceVersion)}`;
    case 'watch': return `watch ${request.resource}${withSelector(request.selector)} from rv ${request.resourceVersion}`;
  }
}
