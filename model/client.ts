// What every client of the API server shares: it may have one request to send
// (the world offers sending it as an action), it may be waiting for a timer, and
// it learns of the cluster only through replies and watch streams.
import type { ApiStatus } from './api-status.ts';
import type { Reply, Request, WatchEvent } from './requests.ts';
import type { KubeObject, Resource } from './resources.ts';

export interface ClientContext {
  readonly request: Request | null;
  /** Logical time at which the client wants a TIMER event, or null. */
  readonly wakeAtMs: number | null;
}

/** How a watch stream ended: closed (the client rewatches) or with an error status (it relists). */
export type StreamEnd = { readonly kind: 'closed'; readonly why: string } | { readonly kind: 'error'; readonly status: ApiStatus };

/** A process's shared informer caches, by resource. */
export type Caches = Partial<Record<Resource, ReadonlyMap<string, KubeObject>>>;

/**
 * What an informer tells the component it feeds, as client-go's event handlers do: one
 * object changed (the watch event), or the cache was replaced by a list (`event` null).
 * `cache` is the informer's cache after the change; `caches`, every shared informer's of the
 * component's process (a controller's handlers read other listers).
 */
export type InformedEvent = {
  readonly type: 'INFORMED';
  readonly resource: Resource;
  readonly event: WatchEvent | null;
  readonly cache: ReadonlyMap<string, KubeObject>;
  /** On a relist, the cache the list replaced: what client-go's Replace diffs into adds and deletes. */
  readonly replaced?: ReadonlyMap<string, KubeObject>;
  readonly caches: Caches;
  readonly nowMs: number;
};

export type ClientEvent =
  | { readonly type: 'REPLY'; readonly request: Request; readonly reply: Reply; readonly nowMs: number }
  | { readonly type: 'TIMER'; readonly nowMs: number }
  | { readonly type: 'WATCH_EVENT'; readonly event: WatchEvent; readonly nowMs: number }
  | { readonly type: 'WATCH_END'; readonly end: StreamEnd; readonly nowMs: number }
  | InformedEvent;
