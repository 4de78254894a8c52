// Per-key exponential back-off as immutable data, and the kubelet's CrashLoopBackOff
// built on it. Follows client-go util/flowcontrol/backoff.go (Backoff with
// HasExpiredFunc, no jitter), pkg/kubelet/kubelet.go newCrashLoopBackOff (its periods by the
// gates ReduceDefaultCrashLoopBackOffDecay and KubeletCrashLoopBackOffMax, a parameter defaulting
// to the model's release) and pkg/kubelet/kuberuntime doBackOff. Times are logical milliseconds.
import { DEFAULT_FEATURE_GATES, type FeatureGates } from '../feature-gates.ts';

export type BackoffEntry = {
  readonly backoffMs: number;
  /** The clock's time at the last Next, not the event time passed to it. */
  readonly lastUpdateMs: number;
};

export type Backoff = {
  readonly initialMs: number;
  readonly maxMs: number;
  /** hasExpired(eventTime, lastUpdate) = eventTime - lastUpdate > expiresAfterMs (strict). */
  readonly expiresAfterMs: number;
  readonly entries: Readonly<Record<string, BackoffEntry>>;
};

/** flowcontrol.NewBackOff; without a HasExpiredFunc an entry expires after 2*max. */
export function newBackoff(initialMs: number, maxMs: number, expiresAfterMs = 2 * maxMs): Backoff {
  return { initialMs, maxMs, expiresAfterMs, entries: {} };
}

/** Get: the current back-off of `id`, 0 without an entry. */
export function backoffGet(b: Backoff, id: string): number {
  return entryOf(b, id)?.backoffMs ?? 0;
}

/**
 * Next: a missing or expired entry restarts at the initial back-off, any other doubles,
 * capped at max. Expiry is judged at `eventTimeMs`; lastUpdate becomes `nowMs`.
 */
export function backoffNext(b: Backoff, id: string, eventTimeMs: number, nowMs: number): Backoff {
  const entry = entryOf(b, id);
  const backoffMs =
    entry === undefined || hasExpired(b, eventTimeMs, entry)
      ? b.initialMs
      : Math.min(2 * entry.backoffMs, b.maxMs);
  return { ...b, entries: { ...b.entries, [id]: { backoffMs, lastUpdateMs: nowMs } } };
}

/** Reset (and DeleteEntry): forget `id`. */
export function backoffReset(b: Backoff, id: string): Backoff {
  return { ...b, entries: entriesWhere(b, (key) => key !== id) };
}

/**
 * IsInBackOffSince: `id` has an unexpired entry (judged at `eventTimeMs`) and less
 * than its back-off has passed since `eventTimeMs` (strict).
 */
export function isInBackOffSince(b: Backoff, id: string, eventTimeMs: number, nowMs: number): boolean {
  const entry = entryOf(b, id);
  if (entry === undefined || hasExpired(b, eventTimeMs, entry)) return false;
  return nowMs - eventTimeMs < entry.backoffMs;
}

/** GC: drop every entry that has expired at `nowMs`. */
export function backoffGC(b: Backoff, nowMs: number): Backoff {
  return { ...b, entries: entriesWhere(b, (_key, entry) => !hasExpired(b, nowMs, entry)) };
}

function hasExpired(b: Backoff, eventTimeMs: number, entry: BackoffEntry): boolean {
  return eventTimeMs - entry.lastUpdateMs > b.expiresAfterMs;
}

function entryOf(b: Backoff, id: string): BackoffEntry | undefined {
  return Object.hasOwn(b.entries, id) ? b.entries[id] : undefined;
}

function entriesWhere(
  b: Backoff,
  keep: (key: string, entry: BackoffEntry) => boolean,
): Record<string, BackoffEntry> {
  return Object.fromEntries(Object.entries(b.entries).filter(([key, entry]) => keep(key, entry)));
}

// --- The kubelet's CrashLoopBackOff ------------------------------------------

/** initialCrashLoopBackOff. */
export const CRASH_LOOP_BACKOFF_INITIAL_MS = 10_000;
/** MaxCrashLoopBackOff = kubecontainer.MaxContainerBackOff. */
export const CRASH_LOOP_BACKOFF_MAX_MS = 300_000;
/** The kubelet's HasExpiredFunc: a fixed 10 minutes since the last update, not 2*max. */
export const CRASH_LOOP_BACKOFF_RESET_MS = 600_000;
/** reducedInitialCrashLoopBackOff, with the ReduceDefaultCrashLoopBackOffDecay alpha gate. */
export const REDUCED_CRASH_LOOP_BACKOFF_INITIAL_MS = 1_000;
/** reducedMaxCrashLoopBackOff, with the ReduceDefaultCrashLoopBackOffDecay alpha gate. */
export const REDUCED_CRASH_LOOP_BACKOFF_MAX_MS = 60_000;

/** The kubelet configuration's crashLoopBackOff.maxContainerRestartPeriod when left out (its default, 300 s). */
export const DEFAULT_MAX_CONTAINER_RESTART_PERIOD_MS = CRASH_LOOP_BACKOFF_MAX_MS;

/**
 * newCrashLoopBackOff: the initial and maximum back-off. 10 s and 300 s; 1 s and 60 s with
 * ReduceDefaultCrashLoopBackOffDecay; with KubeletCrashLoopBackOffMax the maximum is the kubelet
 * configuration's maxContainerRestartPeriod, and the initial no more than it.
 */
export function crashLoopBackoffPeriods(
  gates: FeatureGates = DEFAULT_FEATURE_GATES,
  maxContainerRestartPeriodMs = DEFAULT_MAX_CONTAINER_RESTART_PERIOD_MS,
): { readonly initialMs: number; readonly maxMs: number } {
  const reduced = gates.ReduceDefaultCrashLoopBackOffDecay;
  const initialMs = reduced ? REDUCED_CRASH_LOOP_BACKOFF_INITIAL_MS : CRASH_LOOP_BACKOFF_INITIAL_MS;
  const maxMs = reduced ? REDUCED_CRASH_LOOP_BACKOFF_MAX_MS : CRASH_LOOP_BACKOFF_MAX_MS;
  if (!gates.KubeletCrashLoopBackOffMax) return { initialMs, maxMs };
  return { initialMs: Math.min(initialMs, maxContainerRestartPeriodMs), maxMs: maxContainerRestartPeriodMs };
}

/** klet.crashLoopBackOff, with the periods the gates and configuration give and the fixed 600 s reset. */
export function newCrashLoopBackoff(
  gates: FeatureGates = DEFAULT_FEATURE_GATES,
  maxContainerRestartPeriodMs = DEFAULT_MAX_CONTAINER_RESTART_PERIOD_MS,
): Backoff {
  const { initialMs, maxMs } = crashLoopBackoffPeriods(gates, maxContainerRestartPeriodMs);
  return newBackoff(initialMs, maxMs, CRASH_LOOP_BACKOFF_RESET_MS);
}

export type CrashLoopDecision = {
  /** The start is skipped: waiting reason CrashLoopBackOff. */
  readonly inBackoff: boolean;
  /** Get(key) after the decision: the "back-off <d> restarting failed container" value. */
  readonly backoffMs: number;
  readonly backoff: Backoff;
};

/**
 * doBackOff, for a container about to be (re)started. `finishedAtMs` is the FinishedAt
 * of the newest EXITED instance of the container, or null if it has none (then there
 * is no back-off). `key` identifies pod and container (upstream: pod name, namespace,
 * UID, container name and spec hash, so a spec change starts a fresh back-off).
 * Blocked: the state is unchanged. Otherwise Next(key, finishedAt) and start.
 */
export function crashLoopBackoff(
  b: Backoff,
  key: string,
  finishedAtMs: number | null,
  nowMs: number,
): CrashLoopDecision {
  if (finishedAtMs === null) return { inBackoff: false, backoffMs: backoffGet(b, key), backoff: b };
  if (isInBackOffSince(b, key, finishedAtMs, nowMs)) {
    return { inBackoff: true, backoffMs: backoffGet(b, key), backoff: b };
  }
  const next = backoffNext(b, key, finishedAtMs, nowMs);
  return { inBackoff: false, backoffMs: backoffGet(next, key), backoff: next };
}
