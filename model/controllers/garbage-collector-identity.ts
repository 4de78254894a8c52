// Identities in the garbage collector's graph (pkg/controller/garbagecollector/graph.go
// objectReference, ownerReferenceCoordinates; graph_builder.go getAlternateOwnerIdentity;
// uid_cache.go ReferenceCache): an object's coordinates (apiVersion, kind, name, uid) with its
// namespace, how an owner reference matches them, and the owners known to be absent (an LRU of
// 500, shared by the graph builder and the attemptToDelete worker).
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../resources.ts';

/** objectReference: an owner reference's coordinates, and the namespace of the object. */
export interface Identity {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly namespace: string;
}

/** NewReferenceCache(500). */
export const ABSENT_OWNERS_MAX = 500;

export function identityOf(apiVersion: string, kind: string, object: KubeObject): Identity {
  const m = object.metadata;
  return { apiVersion, kind, name: m.name ?? '', uid: m.uid ?? '', namespace: m.namespace ?? '' };
}

/** ownerReferenceCoordinates, in the namespace of the object that holds the reference. */
export function ownerIdentity(ref: OwnerReference, namespace: string): Identity {
  return { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace };
}

export function sameIdentity(a: Identity, b: Identity): boolean {
  return a.uid === b.uid && a.name === b.name && a.kind === b.kind && a.apiVersion === b.apiVersion && a.namespace === b.namespace;
}

export function matchesCoordinates(ref: OwnerReference, identity: Identity): boolean {
  return ref.uid === identity.uid && ref.name === identity.name && ref.kind === identity.kind && ref.apiVersion === identity.apiVersion;
}

function absentKey(identity: Identity): string {
  return JSON.stringify([identity.apiVersion, identity.kind, identity.name, identity.uid, identity.namespace]);
}

/** ReferenceCache.Add: the most recently used last; the least recently used falls out beyond 500. */
export function addAbsent(absent: readonly string[], identity: Identity): readonly string[] {
  const key = absentKey(identity);
  const kept = absent.filter((k) => k !== key);
  return [...(kept.length >= ABSENT_OWNERS_MAX ? kept.slice(1) : kept), key];
}

/** ReferenceCache.Has: a hit counts as a use. Null when absent from the cache. */
export function lookupAbsent(absent: readonly string[], identity: Identity): readonly string[] | null {
  const key = absentKey(identity);
  return absent.includes(key) ? [...absent.filter((k) => k !== key), key] : null;
}

/** referenceLessThan: kind, apiVersion, namespace, name, uid. */
function referenceLess(a: Identity, b: Identity): boolean {
  for (const field of ['kind', 'apiVersion', 'namespace', 'name', 'uid'] as const) {
    if (a[field] !== b[field]) return a[field] < b[field];
  }
  return false;
}

/** getAlternateOwnerIdentity: the first other identity the dependents give the uid following the absent one, else the first. */
export function alternateOwnerIdentity(deps: readonly { readonly identity: Identity; readonly owners: readonly OwnerReference[] }[], absent: Identity): Identity | null {
  const clusterScoped = absent.namespace === '';
  const seen = new Set([absentKey(absent)]);
  let first: Identity | null = null;
  let firstFollowing: Identity | null = null;
  for (const dep of deps) {
    for (const ref of dep.owners.filter((o) => o.uid === absent.uid)) {
      if (matchesCoordinates(ref, absent) && (clusterScoped || absent.namespace === dep.identity.namespace)) continue;
      const sameKind = clusterScoped && ref.apiVersion === absent.apiVersion && ref.kind === absent.kind;
      const candidate = ownerIdentity(ref, sameKind ? '' : dep.identity.namespace);
      if (seen.has(absentKey(candidate))) continue;
      seen.add(absentKey(candidate));
      if (first === null || referenceLess(candidate, first)) first = candidate;
      if (referenceLess(absent, candidate) && (firstFollowing === null || referenceLess(candidate, firstFollowing))) firstFollowing = candidate;
    }
  }
  return firstFollowing ?? first;
}
