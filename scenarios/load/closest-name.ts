// The known name a misspelt one most likely meant, for a "did you mean" hint: the same name in
// another case, one that starts with it, or the nearest within a few edits.

/** Levenshtein distance: the fewest insertions, deletions and substitutions that turn a into b. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    previous = row;
  }
  return previous[b.length]!;
}

/** A prefix this long or longer is taken as the start of the name meant. */
const PREFIX_MIN = 8;

/** The name in `known` closest to `name`, or undefined when none is close: at most a fifth of it (and 2) edits away. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const candidates = known.map((k) => {
    const other = k.toLowerCase();
    const prefix = lower.length >= PREFIX_MIN && other.startsWith(lower);
    return { name: k, distance: prefix ? 0 : editDistance(lower, other) };
  });
  const best = candidates.sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))[0];
  return best !== undefined && best.distance <= Math.max(2, Math.floor(name.length / 5)) ? best.name : undefined;
}
