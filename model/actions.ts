// The actions of the transition system and their labels. A label is stable and
// readable (`deliver watch configmaps -> reader-1: MODIFIED default/cm-3 rv 12`),
// depends only on the world it is taken in, and is what a trace records and a
// replay checks step by step.
import { logFirst } from './append-log.ts';
import { describeRequest } from './requests.ts';
import { oldestServableRv } from './store-read.ts';
import type { World } from './world.ts';

export type Action =
  /** The client sends its pending request; `lagging` has a lagging API server answer a list. */
  | { readonly kind: 'send'; readonly client: number; readonly lagging: boolean }
  /** The next event, or the end, on the client's watch stream reaches the client. */
  | { readonly kind: 'deliver'; readonly client: number }
  /** The clock jumps to the next deadline and the clients due then wake. */
  | { readonly kind: 'tick'; readonly toMs: number }
  | { readonly kind: 'dropWatch'; readonly client: number }
  | { readonly kind: 'failWatch'; readonly client: number }
  | { readonly kind: 'compact' };

export function isFault(action: Action): boolean {
  return action.kind === 'dropWatch' || action.kind === 'failWatch' || action.kind === 'compact' ||
    (action.kind === 'send' && action.lagging);
}

export function label(world: World, action: Action): string {
  switch (action.kind) {
    case 'send': {
      const spec = world.system.clients[action.client]!;
      const request = world.clients[action.client]!.context.request!;
      if (spec.kind === 'informer') {
        if (request.verb === 'list') {
          return action.lagging
            ? `list ${spec.id} from a lagging apiserver at rv ${oldestServableRv(world.store.context, request.resourceVersion)}`
            : `list ${spec.id} rv=${JSON.stringify(request.resourceVersion)}`;
        }
        if (request.verb === 'watch') return `watch ${spec.id} from rv ${request.resourceVersion}`;
      }
      return `${spec.id}: ${describeRequest(request)}`;
    }
    case 'deliver': {
      const id = world.system.clients[action.client]!.id;
      const stream = world.streams[action.client]!;
      const event = logFirst(stream.queue);
      if (event) return `deliver watch ${id}: ${event.type} ${event.key} rv ${event.rv}`;
      const end = stream.end!;
      return `deliver watch ${id}: ${end.kind === 'closed' ? `closed (${end.why})` : `error ${end.status.code} ${end.status.reason}`}`;
    }
    case 'tick': return `tick to ${action.toMs}ms`;
    case 'dropWatch': return `drop watch ${world.system.clients[action.client]!.id}`;
    case 'failWatch': return `fail watch ${world.system.clients[action.client]!.id} with 500 InternalError`;
    case 'compact': return `compact store at rv ${world.store.context.rv}`;
  }
}
