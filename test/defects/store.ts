// Planted defects in the API server's store.
import { assign } from 'xstate';
import type { Defect } from '../../checker/defect.ts';
import { logAppend, logSize, logToArray, type Log } from '../../model/append-log.ts';
import type { WatchEvent } from '../../model/requests.ts';
import { storeMachine, updateObject } from '../../model/store.ts';

/** Records each new event before the previous one in its history, so a watch that replays history replays it out of order. */
export const storeRecordsHistoryOutOfOrder: Defect = {
  name: 'storeRecordsHistoryOutOfOrder',
  description: 'a store whose event history is not in resourceVersion order',
  machines: {
    store: storeMachine.provide({
      actions: {
        recordEvent: assign(({ context }) => {
          if (!context.event) return {};
          const events = logToArray(context.history);
          const last = events.pop();
          let history: Log<WatchEvent> = { items: [], start: 0, end: 0 };
          for (const e of [...events, context.event, ...(last ? [last] : [])]) history = logAppend(history, e);
          return logSize(history) > context.historyMax ? {} : { history };
        }),
      },
    }),
  },
};

/** Ignores the resourceVersion precondition on update: last writer wins, and no one ever sees a Conflict. */
export const storeIgnoresResourceVersion: Defect = {
  name: 'storeIgnoresResourceVersion',
  description: 'a store without optimistic concurrency on update',
  machines: {
    store: storeMachine.provide({
      actions: {
        update: assign(({ context, event }) => {
          if (event.type !== 'update') return {};
          const { resourceVersion: _ignored, ...metadata } = event.request.object.metadata;
          return updateObject(context, { ...event.request, object: { ...event.request.object, metadata } });
        }),
      },
    }),
  },
};
