// The per-item exponential back-off of client-go's DefaultTypedControllerRateLimiter
// (util/workqueue/default_rate_limiters.go ItemExponentialFailureRateLimiter, 5 ms doubling up to
// 1000 s): a key that failed is queued again (AddRateLimited) after a delay that doubles with each
// failure, until the key succeeds (Forget). The overall token bucket (10 qps, burst 100) it is
// combined with only bites beyond 100 failures in a burst, which no modelled scenario reaches.
// Used by the garbage collector's queues and the Endpoints controller.
import { PMap } from '../pmap.ts';
import { enqueueAfter, type ControllerContext } from './controller.ts';

export const BASE_DELAY_MS = 5;
export const MAX_DELAY_MS = 1000 * 1000;

export interface RateLimitedContext extends ControllerContext {
  /** Failures of each key since it last succeeded (NumRequeues). */
  readonly failures: PMap<number>;
}

export const NO_FAILURES: PMap<number> = PMap.empty();

/** AddRateLimited: the key comes back after 5 ms * 2^failures (at most 1000 s). */
export function addRateLimited<C extends RateLimitedContext>(ctx: C, key: string, nowMs: number): C {
  const failures = ctx.failures.get(key) ?? 0;
  const delayMs = Math.min(BASE_DELAY_MS * 2 ** failures, MAX_DELAY_MS);
  return enqueueAfter({ ...ctx, failures: ctx.failures.set(key, failures + 1) }, key, nowMs + delayMs);
}

/** Forget: the key succeeded; its next failure starts the back-off afresh. */
export function forgetFailures<C extends RateLimitedContext>(ctx: C, key: string): C {
  return ctx.failures.has(key) ? { ...ctx, failures: ctx.failures.delete(key) } : ctx;
}

/** NumRequeues. */
export function numRequeues(ctx: RateLimitedContext, key: string): number {
  return ctx.failures.get(key) ?? 0;
}
