// The field selectors kubeprop models: spec.nodeName=<node>, with which a kubelet lists and
// watches only its own pods; metadata.name=<node>, with which it watches its own Node; and
// status.phase!=Succeeded,status.phase!=Failed, with which the
// scheduler watches only pods that still hold resources (pkg/scheduler/scheduler.go
// newPodInformer). A watch with a selector sees an object that starts to match as ADDED and
// one that stops matching as DELETED, as the API server's watch cache filters events
// (staging/src/k8s.io/apiserver/pkg/storage/cacher cache_watcher.go convertToWatchEvent).
import type { WatchEvent } from './requests.ts';
import type { KubeObject } from './resources.ts';

export interface FieldSelector {
  /** metadata.name=<name>. */
  readonly name?: string;
  /** spec.nodeName=<node>. */
  readonly nodeName?: string;
  /** status.phase!=Succeeded,status.phase!=Failed. */
  readonly nonTerminal?: boolean;
}

export const NON_TERMINAL_PODS: FieldSelector = { nonTerminal: true };

export function matchesSelector(object: KubeObject, selector: FieldSelector | undefined): boolean {
  if (selector === undefined) return true;
  if (selector.name !== undefined && object.metadata.name !== selector.name) return false;
  if (selector.nodeName !== undefined && (object.spec as { nodeName?: string } | undefined)?.nodeName !== selector.nodeName) return false;
  if (selector.nonTerminal) {
    const phase = (object.status as { phase?: string } | undefined)?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return false;
  }
  return true;
}

/** The selector as a request spells it: "spec.nodeName=node-1", "status.phase!=Succeeded,status.phase!=Failed". */
export function selectorText(selector: FieldSelector | undefined): string {
  const terms = [
    ...(selector?.name !== undefined ? [`metadata.name=${selector.name}`] : []),
    ...(selector?.nodeName !== undefined ? [`spec.nodeName=${selector.nodeName}`] : []),
    ...(selector?.nonTerminal ? ['status.phase!=Succeeded,status.phase!=Failed'] : []),
  ];
  return terms.join(',');
}

/** The event as a watch with this selector sees it, or null when it does not see it. */
export function filterEvent(event: WatchEvent, selector: FieldSelector | undefined): WatchEvent | null {
  if (selector === undefined) return event;
  const before = event.previous !== null && matchesSelector(event.previous, selector);
  const after = event.type !== 'DELETED' && matchesSelector(event.object, selector);
  if (event.type === 'DELETED') return matchesSelector(event.object, selector) ? event : null;
  if (before && after) return event;
  if (after) return { ...event, type: 'ADDED' };
  if (before) {
    const last = event.previous as KubeObject;
    return { ...event, type: 'DELETED', object: { ...last, metadata: { ...last.metadata, resourceVersion: String(event.rv) } } };
  }
  return null;
}
