// An informer: one client's cache of one resource, fed by list then watch, as
// client-go's Reflector runs it (tools/cache/reflector.go ListAndWatch, watch,
// relistResourceVersion). The first list accepts any revision ("0"); a relist asks
// for state not older than the last revision seen, so the cache never goes back in
// time; a watch that ends cleanly is restarted from the last revision seen; a watch
// that fails with 410 Gone (history compacted) or ends with an error forces a relist.
import { assign, setup } from 'xstate';
import type { ClientContext, ClientEvent } from './client.ts';
import type { FieldSelector } from './field-selector.ts';
import { PMap } from './pmap.ts';
import type { Request } from './requests.ts';
import { keyOf, type KubeObject, type Resource } from './resources.ts';

export interface InformerContext extends ClientContext {
  readonly resource: Resource;
  readonly selector?: FieldSelector;
  readonly cache: PMap<KubeObject>;
  /** The newest revision this informer has seen (client-go lastSyncResourceVersion); 0 before the first list. */
  readonly lastSyncRv: number;
  /** Why the informer is (re)listing. */
  readonly relistReason: 'initial' | 'expired' | 'watchError';
  /** Watches that ended since the last list. */
  readonly dropsSinceList: number;
}

export interface InformerInput {
  readonly resource: Resource;
  /** Only objects this field selector matches (a kubelet's own pods; the pods that still hold resources). */
  readonly selector?: FieldSelector;
}

function listRequest(context: InformerContext): Request {
  return {
    verb: 'list', resource: context.resource, resourceVersion: context.lastSyncRv === 0 ? '0' : String(context.lastSyncRv),
    ...(context.selector !== undefined ? { selector: context.selector } : {}),
  };
}

export const informerMachine = setup({
  types: {
    context: {} as InformerContext,
    events: {} as ClientEvent,
    input: {} as InformerInput,
  },
  actions: {
    /** relistResourceVersion: "0" the first time, then the last revision seen. */
    prepareListRequest: assign(({ context }) => ({ request: listRequest(context) })),
    prepareWatchRequest: assign(({ context }) => ({
      request: {
        verb: 'watch', resource: context.resource, resourceVersion: context.lastSyncRv,
        ...(context.selector !== undefined ? { selector: context.selector } : {}),
      } satisfies Request,
    })),
    clearRequest: assign({ request: null }),
    /** A list replaces the cache wholesale (DeltaFIFO.Replace): keys missing from the list are dropped. */
    replaceCache: assign(({ event }) => {
      if (event.type !== 'REPLY' || !event.reply.ok) return {};
      const resource = (event.request as { resource: Resource }).resource;
      const cache = PMap.from((event.reply.items ?? []).map((item) => [keyOf(resource, item), item] as const));
      return { cache, lastSyncRv: event.reply.rv ?? 0, dropsSinceList: 0, request: null };
    }),
    applyEvent: assign(({ context, event }) => {
      if (event.type !== 'WATCH_EVENT') return {};
      const w = event.event;
      const cache = w.type === 'DELETED' ? context.cache.delete(w.key) : context.cache.set(w.key, w.object);
      return { cache, lastSyncRv: w.rv };
    }),
    countDrop: assign(({ context }) => ({ dropsSinceList: context.dropsSinceList + 1 })),
    relistAfterExpiry: assign({ relistReason: 'expired' as const }),
    relistAfterError: assign({ relistReason: 'watchError' as const }),
  },
  guards: {
    replyOk: ({ event }) => event.type === 'REPLY' && event.reply.ok,
    /** isExpiredError: 410 Gone is not retriable; the informer must relist. */
    isResourceExpired: ({ event }) =>
      (event.type === 'REPLY' && !event.reply.ok && event.reply.status.code === 410) ||
      (event.type === 'WATCH_END' && event.end.kind === 'error' && event.end.status.code === 410),
    streamClosed: ({ event }) => event.type === 'WATCH_END' && event.end.kind === 'closed',
  },
}).createMachine({
  id: 'informer',
  context: ({ input }) => ({
    resource: input.resource, ...(input.selector !== undefined ? { selector: input.selector } : {}), cache: PMap.empty(), lastSyncRv: 0, request: null, wakeAtMs: null,
    relistReason: 'initial', dropsSinceList: 0,
  }),
  initial: 'listing',
  states: {
    listing: {
      entry: 'prepareListRequest',
      on: { REPLY: { guard: 'replyOk', target: 'startingWatch', actions: 'replaceCache' } },
    },
    startingWatch: {
      entry: 'prepareWatchRequest',
      on: {
        REPLY: [
          { guard: 'replyOk', target: 'watching', actions: 'clearRequest' },
          { guard: 'isResourceExpired', target: 'listing', actions: 'relistAfterExpiry' },
          // Any other failure is retried with a fresh watch from the same revision.
          { target: 'startingWatch', reenter: true },
        ],
      },
    },
    watching: {
      on: {
        WATCH_EVENT: { actions: 'applyEvent' },
        WATCH_END: [
          { guard: 'streamClosed', target: 'startingWatch', actions: 'countDrop' },
          { guard: 'isResourceExpired', target: 'listing', actions: ['countDrop', 'relistAfterExpiry'] },
          { target: 'listing', actions: ['countDrop', 'relistAfterError'] },
        ],
      },
    },
  },
});

export type InformerMachine = typeof informerMachine;

/**
 * HasSynced: the informer has completed its first list since its process started. A relist
 * after an error keeps the cache (and the informer synced), as client-go's does.
 */
export function hasSynced(snapshot: { readonly value: unknown; readonly context: InformerContext }): boolean {
  return !(snapshot.value === 'listing' && snapshot.context.relistReason === 'initial');
}
