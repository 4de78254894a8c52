// The persistent map against a plain Map, on random operation sequences with
// colliding and non-colliding keys, keeping every earlier version intact.
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { PMap } from '../model/pmap.ts';

const key = fc.oneof(fc.constantFrom('a', 'b', 'default/web-1', 'default/web-2'), fc.string({ maxLength: 3 }));
const op = fc.oneof(
  fc.record({ set: key, value: fc.integer() }),
  fc.record({ del: key }),
);

test.prop([fc.array(op, { maxLength: 200 })])('behaves as a Map and never changes an earlier version', (ops) => {
  let map = PMap.empty<number>();
  const reference = new Map<string, number>();
  const versions: [PMap<number>, [string, number][]][] = [];
  for (const o of ops) {
    if ('set' in o) {
      map = map.set(o.set, o.value);
      reference.set(o.set, o.value);
    } else {
      map = map.delete(o.del);
      reference.delete(o.del);
    }
    versions.push([map, [...reference.entries()].sort()]);
  }
  for (const [version, entries] of versions) {
    expect([...version.entries()].sort()).toEqual(entries);
    expect(version.size).toBe(entries.length);
    for (const [k, v] of entries) expect(version.get(k)).toBe(v);
  }
});

test('holds thousands of keys, including ones whose hashes share long prefixes', () => {
  let map = PMap.empty<number>();
  for (let i = 0; i < 5000; i++) map = map.set(`default/pod-${i}`, i);
  for (let i = 0; i < 5000; i += 2) map = map.delete(`default/pod-${i}`);
  expect(map.size).toBe(2500);
  expect(map.get('default/pod-4999')).toBe(4999);
  expect(map.get('default/pod-4998')).toBeUndefined();
  expect([...map.keys()]).toHaveLength(2500);
});
