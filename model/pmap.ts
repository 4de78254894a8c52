// A persistent map from strings (a hash array mapped trie), for the store's objects and
// the informer caches. Worlds are values, so a write must leave the old map intact;
// copying a Map costs O(n) per write, a trie update O(log32 n). Iteration order
// depends only on the keys' hashes and the order of operations: deterministic.
import { fnv1a32 } from './fnv.ts';

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;

interface Leaf<V> { readonly kind: 0; readonly hash: number; readonly key: string; readonly value: V }
interface Branch<V> { readonly kind: 1; readonly bitmap: number; readonly children: readonly Node<V>[] }
interface Collision<V> { readonly kind: 2; readonly hash: number; readonly leaves: readonly Leaf<V>[] }
type Node<V> = Leaf<V> | Branch<V> | Collision<V>;


function popcount(x: number): number {
  let n = x - ((x >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function spliced<T>(list: readonly T[], at: number, remove: number, ...insert: T[]): T[] {
  const copy = list.slice();
  copy.splice(at, remove, ...insert);
  return copy;
}

/** A branch holding two leaves whose hashes differ at or below `shift`. */
function pair<V>(shift: number, a: Leaf<V>, b: Leaf<V> | Collision<V>): Node<V> {
  const ia = (a.hash >>> shift) & MASK;
  const ib = (b.hash >>> shift) & MASK;
  if (ia === ib) return { kind: 1, bitmap: 1 << ia, children: [pair(shift + BITS, a, b)] };
  return { kind: 1, bitmap: (1 << ia) | (1 << ib), children: ia < ib ? [a, b] : [b, a] };
}

function set<V>(node: Node<V>, shift: number, leaf: Leaf<V>, grew: { added: boolean }): Node<V> {
  switch (node.kind) {
    case 0:
      if (node.key === leaf.key) return node.value === leaf.value ? node : leaf;
      grew.added = true;
      if (node.hash === leaf.hash) return { kind: 2, hash: node.hash, leaves: [node, leaf] };
      return pair(shift, leaf, node);
    case 2: {
      if (node.hash !== leaf.hash) {
        grew.added = true;
        return pair(shift, leaf, node);
      }
      const at = node.leaves.findIndex((l) => l.key === leaf.key);
      if (at < 0) grew.added = true;
      return { kind: 2, hash: node.hash, leaves: at < 0 ? [...node.leaves, leaf] : spliced(node.leaves, at, 1, leaf) };
    }
    case 1: {
      const bit = 1 << ((leaf.hash >>> shift) & MASK);
      const pos = popcount(node.bitmap & (bit - 1));
      if ((node.bitmap & bit) === 0) {
        grew.added = true;
        return { kind: 1, bitmap: node.bitmap | bit, children: spliced(node.children, pos, 0, leaf) };
      }
      const child = node.children[pos]!;
      const next = set(child, shift + BITS, leaf, grew);
      return next === child ? node : { kind: 1, bitmap: node.bitmap, children: spliced(node.children, pos, 1, next) };
    }
  }
}

/** The node without `key`; null when nothing is left; the same node when the key was absent. */
function remove<V>(node: Node<V>, shift: number, hash: number, key: string): Node<V> | null {
  switch (node.kind) {
    case 0: return node.key === key ? null : node;
    case 2: {
      const at = node.leaves.findIndex((l) => l.key === key);
      if (at < 0) return node;
      const leaves = spliced(node.leaves, at, 1);
      return leaves.length === 1 ? leaves[0]! : { kind: 2, hash: node.hash, leaves };
    }
    case 1: {
      const bit = 1 << ((hash >>> shift) & MASK);
      if ((node.bitmap & bit) === 0) return node;
      const pos = popcount(node.bitmap & (bit - 1));
      const child = node.children[pos]!;
      const next = remove(child, shift + BITS, hash, key);
      if (next === child) return node;
      if (next !== null) return { kind: 1, bitmap: node.bitmap, children: spliced(node.children, pos, 1, next) };
      const bitmap = node.bitmap & ~bit;
      return bitmap === 0 ? null : { kind: 1, bitmap, children: spliced(node.children, pos, 1) };
    }
  }
}

/** Every leaf, in trie order. A plain recursion: generators cost several times more per element here. */
function collect<V>(node: Node<V> | null, out: Leaf<V>[]): Leaf<V>[] {
  if (node === null) return out;
  if (node.kind === 0) out.push(node);
  else if (node.kind === 2) for (const leaf of node.leaves) out.push(leaf);
  else for (const child of node.children) collect(child, out);
  return out;
}

export class PMap<V> implements ReadonlyMap<string, V> {
  static empty<V>(): PMap<V> {
    return new PMap<V>(null, 0);
  }

  static from<V>(entries: Iterable<readonly [string, V]>): PMap<V> {
    let map = PMap.empty<V>();
    for (const [k, v] of entries) map = map.set(k, v);
    return map;
  }

  private constructor(private readonly root: Node<V> | null, readonly size: number) {}

  get(key: string): V | undefined {
    const hash = fnv1a32(key);
    let node = this.root;
    let shift = 0;
    while (node !== null) {
      if (node.kind === 0) return node.key === key ? node.value : undefined;
      if (node.kind === 2) return node.leaves.find((l) => l.key === key)?.value;
      const bit = 1 << ((hash >>> shift) & MASK);
      if ((node.bitmap & bit) === 0) return undefined;
      node = node.children[popcount(node.bitmap & (bit - 1))]!;
      shift += BITS;
    }
    return undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: V): PMap<V> {
    const leaf: Leaf<V> = { kind: 0, hash: fnv1a32(key), key, value };
    if (this.root === null) return new PMap(leaf, 1);
    const grew = { added: false };
    const root = set(this.root, 0, leaf, grew);
    return root === this.root ? this : new PMap(root, this.size + (grew.added ? 1 : 0));
  }

  delete(key: string): PMap<V> {
    if (this.root === null) return this;
    const root = remove(this.root, 0, fnv1a32(key), key);
    return root === this.root ? this : new PMap(root, this.size - 1);
  }

  // A map never changes, so what iteration collects is kept: the hot loop iterates the same
  // small maps (a kubelet's probes, a node's containers) many times between writes.
  private leafList: readonly Leaf<V>[] | undefined;
  private keyList: readonly string[] | undefined;
  private valueList: readonly V[] | undefined;
  private entryList: readonly [string, V][] | undefined;

  private leaves(): readonly Leaf<V>[] {
    return (this.leafList ??= collect(this.root, []));
  }

  entries(): MapIterator<[string, V]> {
    return (this.entryList ??= this.leaves().map((l): [string, V] => [l.key, l.value]))[Symbol.iterator]();
  }

  keys(): MapIterator<string> {
    return (this.keyList ??= this.leaves().map((l) => l.key))[Symbol.iterator]();
  }

  values(): MapIterator<V> {
    return (this.valueList ??= this.leaves().map((l) => l.value))[Symbol.iterator]();
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    for (const leaf of this.leaves()) callback(leaf.value, leaf.key, this);
  }
}
