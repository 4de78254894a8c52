// Reads from the API server: get, list at a resourceVersion, and the events a new
// watch starts with. Pure functions of the store's state. A list may be served
// from an older revision, as a lagging API server's watch cache serves it; which
// revisions a request accepts follows the resourceVersion semantics of
// https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions.
import { expired, notFound } from './api-status.ts';
import { filterEvent, matchesSelector, type FieldSelector } from './field-selector.ts';
import { logAt, logSize } from './append-log.ts';
import type { Reply, WatchEvent } from './requests.ts';
import { objectKey, type KubeObject, type Resource } from './resources.ts';
import type { StoreContext } from './store.ts';

export function getObject(store: StoreContext, resource: Resource, namespace: string, name: string): Reply {
  const object = store.objects[resource]?.get(objectKey(resource, namespace, name));
  return object ? { ok: true, object } : { ok: false, status: notFound(resource, name) };
}

/**
 * The oldest revision a list with this resourceVersion may be served at, or null when
 * only the newest state will do ("" asks for a consistent read). Older than the
 * compaction point nothing can be reconstructed.
 */
export function oldestServableRv(store: StoreContext, resourceVersion: string): number | null {
  if (resourceVersion === '') return null;
  const notOlderThan = Number(resourceVersion);
  return Math.max(notOlderThan, store.compactedRv);
}

/** The objects of `resource` (matching `selector`, if given) as they were at revision `atRv`, sorted by key. */
export function listAt(store: StoreContext, resource: Resource, atRv: number, selector?: FieldSelector): { items: KubeObject[]; rv: number } {
  const state = new Map(store.objects[resource] ?? []);
  for (let i = logSize(store.history) - 1; i >= 0; i--) {
    const event = logAt(store.history, i);
    if (event.rv <= atRv) break;
    if (event.resource !== resource) continue;
    if (event.previous) state.set(event.key, event.previous);
    else state.delete(event.key);
  }
  const keys = [...state.keys()].sort();
  const items = keys.map((k) => state.get(k) as KubeObject).filter((o) => matchesSelector(o, selector));
  return { items, rv: atRv };
}

/** The events of `resource` after `fromRv`, in history order; 410 Gone when compacted past it. */
export function watchFrom(store: StoreContext, resource: Resource, fromRv: number, selector?: FieldSelector):
  { ok: true; events: WatchEvent[] } | { ok: false; status: ReturnType<typeof expired> } {
  if (fromRv < store.compactedRv) return { ok: false, status: expired(fromRv, store.compactedRv) };
  const events: WatchEvent[] = [];
  for (let i = 0; i < logSize(store.history); i++) {
    const event = logAt(store.history, i);
    if (event.rv <= fromRv || event.resource !== resource) continue;
    const seen = filterEvent(event, selector);
    if (seen) events.push(seen);
  }
  return { ok: true, events };
}
