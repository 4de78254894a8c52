// Logical time. The model never reads the wall clock: time is a count of
// milliseconds since the run began, advanced only by a `tick` action, and
// rendered as Kubernetes timestamps against a fixed epoch so traces are byte-stable.

/** 2026-01-01T00:00:00Z: the instant logical time 0 is printed as. */
export const EPOCH_MS = Date.UTC(2026, 0, 1);

/** Timestamps already rendered, by whole second: a run prints the same few instants over and over. Bounded: cleared when full. */
const rendered = new Map<number, string>();
const RENDERED_MAX = 4096;

/** RFC 3339 at second precision, as metav1.Time serialises. */
export function timestamp(nowMs: number): string {
  const second = Math.floor(nowMs / 1000);
  let text = rendered.get(second);
  if (text === undefined) {
    if (rendered.size >= RENDERED_MAX) rendered.clear();
    text = new Date(EPOCH_MS + second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    rendered.set(second, text);
  }
  return text;
}

/** The earlier of two optional instants. */
export function earliest(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null || a <= b ? a : b;
}

/** The instant if it lies after `nowMs`, else null. */
export function future(atMs: number | null, nowMs: number): number | null {
  return atMs !== null && atMs > nowMs ? atMs : null;
}
