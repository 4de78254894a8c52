// Planted defects in the informer (client-go Reflector), each a real bug class.
import { assign } from 'xstate';
import type { Defect } from '../../checker/defect.ts';
import { informerMachine } from '../../model/informer.ts';

/** Treats 410 Gone on a rewatch as retriable: it rewatches from the compacted revision forever instead of relisting. */
export const informerIgnoresGone: Defect = {
  name: 'informerIgnoresGone',
  description: 'an informer that does not relist after 410 Gone',
  machines: { informer: informerMachine.provide({ guards: { isResourceExpired: () => false } }) },
};

/**
 * Relists with resourceVersion "0" (any revision) instead of the last one seen, as
 * reflectors did before kubernetes/kubernetes#83520 (issue #59848): a lagging API server can then
 * hand it an older state than it already had.
 */
export const informerAcceptsOlderList: Defect = {
  name: 'informerAcceptsOlderList',
  description: 'an informer whose relist accepts a list older than what it has seen',
  machines: {
    informer: informerMachine.provide({
      actions: { prepareListRequest: assign(({ context }) => ({ request: { verb: 'list' as const, resource: context.resource, resourceVersion: '0' } })) },
    }),
  },
};

/** Treats every watch ending as a clean close and every 410 as retriable: it never relists at all. */
export const informerNeverRelists: Defect = {
  name: 'informerNeverRelists',
  description: 'an informer that only ever rewatches, never relists',
  machines: {
    informer: informerMachine.provide({ guards: { isResourceExpired: () => false, streamClosed: () => true } }),
  },
};
