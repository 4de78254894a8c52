// What informers promise their owners: the revision a cache reflects never goes back,
// a watch stream delivers in revision order, and once faults stop every cache
// catches up with the store.
import type { InformerContext } from '../model/informer.ts';
import { logFirst } from '../model/append-log.ts';
import { listAt } from '../model/store-read.ts';
import { keyOf } from '../model/resources.ts';
import type { World } from '../model/world.ts';
import type { EventuallyProperty, SometimesGoal, TransitionProperty } from './property.ts';

function informer(world: World, client: number): InformerContext {
  return world.clients[client]!.context as InformerContext;
}

function touchedInformer(world: World, client: number | undefined): boolean {
  return client !== undefined && world.system.clients[client]!.kind === 'informer';
}

export const informerResourceVersionNeverGoesBack: TransitionProperty = {
  kind: 'transition',
  name: 'informerResourceVersionNeverGoesBack',
  description: 'The newest resourceVersion an informer has seen never decreases, across watch drops and relists: its cache never goes back in time.',
  check(before, action, after) {
    const client = 'client' in action ? action.client : undefined;
    if (client === undefined || !touchedInformer(before, client)) return null;
    const was = informer(before, client).lastSyncRv;
    const now = informer(after, client).lastSyncRv;
    if (now >= was) return null;
    return `informer ${before.system.clients[client]!.id} went back in time: it had seen rv ${was}, and now its cache reflects rv ${now}. ` +
      'A relist must ask for state not older than the last revision seen (client-go relistResourceVersion).';
  },
};

export const watchEventsArriveInOrder: TransitionProperty = {
  kind: 'transition',
  name: 'watchEventsArriveInOrder',
  description: 'Events on one watch stream arrive in strictly increasing resourceVersion order, starting after the revision the watch began from.',
  check(before, action) {
    if (action.kind !== 'deliver') return null;
    const stream = before.streams[action.client]!;
    const event = logFirst(stream.queue);
    if (!event || event.rv > stream.lastDeliveredRv) return null;
    return `watch ${before.system.clients[action.client]!.id} delivered ${event.type} ${event.key} at rv ${event.rv} after rv ${stream.lastDeliveredRv}: ` +
      'a watch must deliver events in resourceVersion order, each newer than the last.';
  },
};

const DIFF_SHOWN_MAX = 4;

export const informerCachesMatchStore: EventuallyProperty = {
  kind: 'eventually',
  name: 'informerCachesMatchStore',
  description: 'Once faults stop and the system settles, every informer cache holds exactly the objects the store holds, at the same resourceVersions.',
  check(world, settlement) {
    const problems: string[] = [];
    const store = world.store.context;
    world.system.clients.forEach((spec, i) => {
      if (spec.kind !== 'informer') return;
      const { cache, selector } = informer(world, i);
      const truth = listAt(store, spec.resource!, store.rv, selector).items;
      const missing: string[] = [];
      const stale: string[] = [];
      const keys = new Set<string>();
      for (const object of truth) {
        const key = keyOf(spec.resource!, object);
        keys.add(key);
        const cached = cache.get(key);
        if (!cached) missing.push(key);
        else if (cached.metadata.resourceVersion !== object.metadata.resourceVersion) {
          stale.push(`${key} (cache rv ${cached.metadata.resourceVersion}, store rv ${object.metadata.resourceVersion})`);
        }
      }
      const extra = [...cache.keys()].filter((k) => !keys.has(k));
      const parts: string[] = [];
      const show = (what: string, list: string[]) => {
        if (list.length > 0) parts.push(`${list.length} ${what} (${list.slice(0, DIFF_SHOWN_MAX).join(', ')}${list.length > DIFF_SHOWN_MAX ? ', ...' : ''})`);
      };
      show('missing', missing);
      show('stale', stale);
      show('deleted in the store but still cached', extra);
      if (parts.length > 0) problems.push(`informer ${spec.id} differs from the store at rv ${store.rv}: ${parts.join('; ')}`);
    });
    if (problems.length === 0) return null;
    const unsettled = settlement.quiet ? '' : ` (the system had not settled after ${settlement.stepsTaken} converge steps)`;
    return `${problems.join('. ')}${unsettled}`;
  },
};

export const watchDropLeadsToRelist: SometimesGoal = {
  kind: 'sometimes',
  name: 'watchDropLeadsToRelist',
  description: 'An informer whose watch ended relists (after a drop, a 410 or a stream error).',
  reached(before, action) {
    if (action.kind !== 'send' || !touchedInformer(before, action.client)) return false;
    const ctx = informer(before, action.client);
    return ctx.request?.verb === 'list' && ctx.dropsSinceList > 0;
  },
};

export const goneForcesRelist: SometimesGoal = {
  kind: 'sometimes',
  name: 'goneForcesRelist',
  description: 'A watch restarted from a compacted revision gets 410 Gone and the informer relists.',
  reached(before, action, after) {
    if (action.kind !== 'send' || !touchedInformer(before, action.client)) return false;
    return before.clients[action.client]!.value === 'startingWatch' && after.clients[action.client]!.value === 'listing' &&
      informer(after, action.client).relistReason === 'expired';
  },
};
