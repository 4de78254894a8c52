// An object as the lines a person scans: one `path: value` per leaf, and the difference
// between two versions as the leaves set and the leaves removed. A report stores these
// differences, not whole objects per step, and rebuilds any step's objects from them.

/** A leaf's path (`status.conditions[1].status`) and its value as JSON text. */
export type Leaf = readonly [path: string, value: string];

export function flatten(value: unknown, path = '', out: Leaf[] = []): Leaf[] {
  if (Array.isArray(value)) {
    if (value.length === 0) out.push([path, '[]']);
    value.forEach((v, i) => flatten(v, `${path}[${i}]`, out));
  } else if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    if (keys.length === 0 && path !== '') out.push([path, '{}']);
    for (const k of keys) flatten((value as Record<string, unknown>)[k], path === '' ? k : `${path}.${k}`, out);
  } else if (value !== undefined) {
    out.push([path, JSON.stringify(value)]);
  }
  return out;
}

export interface LeafDiff {
  readonly set: readonly Leaf[];
  readonly removed: readonly string[];
}

/** What changed from `before` (null: the object is new) to `after`. */
export function diffLeaves(before: unknown, after: unknown): LeafDiff {
  const old = new Map(before === null ? [] : flatten(before));
  const now = flatten(after);
  const set = now.filter(([p, v]) => old.get(p) !== v);
  const kept = new Set(now.map(([p]) => p));
  return { set, removed: [...old.keys()].filter((p) => !kept.has(p)) };
}
