// The one field selector kubeprop models: spec.nodeName=<node>, with which a kubelet
// lists and watches only its own pods. A watch with a selector sees an object that
// starts to match as ADDED and one that stops matching as DELETED, as the API server's
// watch cache filters events (staging/src/k8s.io/apiserver/pkg/storage/cacher
// cache_watcher.go convertToWatchEvent).
import type { WatchEvent } from './requests.ts';
import type { KubeObject } from './resources.ts';

export function matchesNode(object: KubeObject, nodeName: string | undefined): boolean {
  return nodeName === undefined || (object.spec as { nodeName?: string } | undefined)?.nodeName === nodeName;
}

/** The event as a watch with this selector sees it, or null when it does not see it. */
export function filterEvent(event: WatchEvent, nodeName: string | undefined): WatchEvent | null {
  if (nodeName === undefined) return event;
  const before = event.previous !== null && matchesNode(event.previous, nodeName);
  const after = event.type !== 'DELETED' && matchesNode(event.object, nodeName);
  if (event.type === 'DELETED') return matchesNode(event.object, nodeName) ? event : null;
  if (before && after) return event;
  if (after) return { ...event, type: 'ADDED' };
  if (before) {
    const last = event.previous as KubeObject;
    return { ...event, type: 'DELETED', object: { ...last, metadata: { ...last.metadata, resourceVersion: String(event.rv) } } };
  }
  return null;
}
