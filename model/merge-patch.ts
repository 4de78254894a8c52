// JSON merge patch (RFC 7386), as `kubectl patch --type merge` applies it:
// objects merge key by key, null removes a key, anything else replaces.

export function mergePatch<T>(target: T, patch: unknown): T {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch as T;
  const base: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === null) delete base[key];
    else base[key] = mergePatch(base[key], value);
  }
  return base as T;
}

/**
 * The list fields a strategic merge patch merges element by element, by this key
 * (the patchMergeKey of k8s.io/api's types), instead of replacing the list.
 */
const MERGE_KEYS: Readonly<Record<string, string>> = { conditions: 'type' };

/**
 * Strategic merge patch (`kubectl patch --type strategic`, the scheduler's PatchPodStatus):
 * a merge patch, but a list with a merge key has each patched element merged into the
 * element with the same key, or appended.
 */
export function strategicMergePatch<T>(target: T, patch: unknown): T {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch as T;
  const base: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    const mergeKey = MERGE_KEYS[key];
    if (value === null) delete base[key];
    else if (mergeKey && Array.isArray(value) && Array.isArray(base[key])) base[key] = mergeByKey(base[key] as unknown[], value, mergeKey);
    else base[key] = strategicMergePatch(base[key], value);
  }
  return base as T;
}

function mergeByKey(list: readonly unknown[], patch: readonly unknown[], mergeKey: string): unknown[] {
  const merged = [...list];
  for (const element of patch) {
    const key = (element as Record<string, unknown>)[mergeKey];
    const at = merged.findIndex((e) => (e as Record<string, unknown>)[mergeKey] === key);
    if (at < 0) merged.push(element);
    else merged[at] = strategicMergePatch(merged[at], element);
  }
  return merged;
}
