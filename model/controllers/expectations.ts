// Controller expectations (pkg/controller/controller_utils.go ControllerExpectations,
// UIDTrackingControllerExpectations): before acting, a controller records the creations and
// deletions it expects to see; until its informer has shown them all (or 5 minutes pass), it
// does not act on its stale cache again, so it neither creates nor deletes twice.
import { PMap } from '../pmap.ts';

/** ExpectationsTimeout: expectations older than this are taken as satisfied. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

export interface Expectation {
  /** Creations still to be seen. */
  readonly add: number;
  /** Pods (namespace/name) whose deletion is still to be seen. */
  readonly del: readonly string[];
  readonly atMs: number;
}

export type Expectations = PMap<Expectation>;

export const NO_EXPECTATIONS: Expectations = PMap.empty();

/** SatisfiedExpectations: none recorded, all seen, or expired. */
export function satisfied(expectations: Expectations, key: string, nowMs: number): boolean {
  const e = expectations.get(key);
  return e === undefined || (e.add <= 0 && e.del.length === 0) || nowMs - e.atMs > EXPECTATIONS_TIMEOUT_MS;
}

/** ExpectCreations / ExpectDeletions: what the controller is about to do for `key`. */
export function expect(expectations: Expectations, key: string, add: number, del: readonly string[], nowMs: number): Expectations {
  return expectations.set(key, { add, del, atMs: nowMs });
}

/** CreationObserved: one creation seen (or given up on). */
export function creationObserved(expectations: Expectations, key: string): Expectations {
  const e = expectations.get(key);
  return e ? expectations.set(key, { ...e, add: e.add - 1 }) : expectations;
}

/** DeletionObserved: the pod's deletion seen (or given up on). */
export function deletionObserved(expectations: Expectations, key: string, pod: string): Expectations {
  const e = expectations.get(key);
  return e && e.del.includes(pod) ? expectations.set(key, { ...e, del: e.del.filter((p) => p !== pod) }) : expectations;
}

/** DeleteExpectations: the controller's object is gone. */
export function forget(expectations: Expectations, key: string): Expectations {
  return expectations.delete(key);
}
