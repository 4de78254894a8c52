// The store against a reference: for any sequence of creates, updates and deletes,
// every committed write takes the next resourceVersion, and a list at any retained
// revision equals the state obtained by applying the writes up to it from scratch.
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { listAt } from '../model/store-read.ts';
import { configMap } from '../scenarios/fixtures.ts';
import { TestStore } from './helpers/store.ts';

const names = fc.constantFrom('a', 'b', 'c');
const op = fc.oneof(
  fc.record({ verb: fc.constant('create' as const), name: names }),
  fc.record({ verb: fc.constant('update' as const), name: names, value: fc.string({ maxLength: 2 }) }),
  fc.record({ verb: fc.constant('delete' as const), name: names }),
);

test.prop([fc.array(op, { maxLength: 40 })])('lists at every revision match a from-scratch replay of the writes', (ops) => {
  const store = new TestStore(1000);
  const states: Map<string, string>[] = [new Map()]; // states[i] = data.v by name at rv i + 1
  for (const o of ops) {
    const current = new Map(states[states.length - 1]);
    const existing = listAt(store.context, 'configmaps', store.context.rv).items.find((x) => x.metadata.name === o.name);
    const rvBefore = store.context.rv;
    if (o.verb === 'create') {
      const reply = store.write({ verb: 'create', resource: 'configmaps', namespace: 'default', object: configMap(o.name, { v: '' }) });
      expect(reply.ok).toBe(!existing);
      if (reply.ok) current.set(o.name, '');
    } else if (o.verb === 'update') {
      const reply = store.write({ verb: 'update', resource: 'configmaps', object: { ...(existing ?? configMap(o.name, {})), data: { v: o.value } } });
      expect(reply.ok).toBe(!!existing);
      if (reply.ok) current.set(o.name, o.value);
    } else {
      const reply = store.write({ verb: 'delete', resource: 'configmaps', namespace: 'default', name: o.name });
      expect(reply.ok).toBe(!!existing);
      if (reply.ok) current.delete(o.name);
    }
    const committed = store.context.event !== null;
    expect(store.context.rv).toBe(committed ? rvBefore + 1 : rvBefore);
    if (committed) states.push(current);
  }
  states.forEach((state, i) => {
    const listed = listAt(store.context, 'configmaps', i + 1).items.map((x) => [x.metadata.name, (x.data as { v: string }).v]);
    expect(listed).toEqual([...state.entries()].sort(([a], [b]) => a.localeCompare(b)));
  });
});
