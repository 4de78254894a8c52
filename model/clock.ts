// Logical time. The model never reads the wall clock: time is a count of
// milliseconds since the run began, advanced only by a `tick` action, and
// rendered as Kubernetes timestamps against a fixed epoch so traces are byte-stable.

/** 2026-01-01T00:00:00Z: the instant logical time 0 is printed as. */
export const EPOCH_MS = Date.UTC(2026, 0, 1);

let lastMs = Number.NaN;
let lastText = '';

/** RFC 3339 at second precision, as metav1.Time serialises. (The last one is kept: a step asks for the same instant many times.) */
export function timestamp(nowMs: number): string {
  if (nowMs !== lastMs) {
    lastText = new Date(EPOCH_MS + nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    lastMs = nowMs;
  }
  return lastText;
}
