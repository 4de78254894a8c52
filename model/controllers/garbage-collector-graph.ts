// The garbage collector's dependency graph and how informer events change it
// (pkg/controller/garbagecollector/graph.go, graph_builder.go processGraphChanges,
// addDependentToOwners, processTransitions): a node per object, observed through an informer or
// only named as an owner (virtual); each change says which nodes the attemptToDelete and
// attemptToOrphan workers must look at. Nodes are kept by uid; a node's dependents are uids, so
// a node is replaced whole when it changes. The owners known to be absent (absentOwnerCache) are
// kept with the graph, as the graph builder and the workers share them.
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { deepEqual } from '../equal.ts';
import { PMap } from '../pmap.ts';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from '../requests.ts';
import type { KubeObject } from '../resources.ts';
import { addAbsent, alternateOwnerIdentity, matchesCoordinates, ownerIdentity, sameIdentity, type Identity } from './garbage-collector-identity.ts';

export interface GraphNode {
  readonly identity: Identity;
  /** The object's ownerReferences, as last observed. */
  readonly owners: readonly OwnerReference[];
  /** The uids of the nodes whose ownerReferences name this one, sorted. */
  readonly dependents: readonly string[];
  readonly beingDeleted: boolean;
  /** Being deleted in the foreground: its blocking dependents go first. */
  readonly deletingDependents: boolean;
  /** Named as an owner, never observed through an informer. */
  readonly virtual: boolean;
  /** The object's finalizers as last observed: the old state a relist is judged against. */
  readonly finalizers: readonly string[];
}

export type Graph = PMap<GraphNode>;

/** What processGraphChanges reads of an object. */
export interface ObjectFacts {
  readonly beingDeleted: boolean;
  readonly finalizers: readonly string[];
  readonly owners: readonly OwnerReference[];
}

export type GraphEvent =
  /** An add or update from an informer; `old` is the object before it, null for an add. */
  | { readonly type: 'upsert'; readonly identity: Identity; readonly facts: ObjectFacts; readonly old: ObjectFacts | null }
  /** A deletion from an informer, or a virtual one: a worker found the object absent. */
  | { readonly type: 'delete'; readonly identity: Identity; readonly virtual: boolean };

export interface GraphState {
  readonly graph: Graph;
  /** absentOwnerCache keys, least recently used first. */
  readonly absentOwners: readonly string[];
}

/** Uids the change sends to the workers: Add to each queue, and AddRateLimited to attemptToDelete. */
export interface GraphWork {
  readonly attemptToDelete: string[];
  readonly attemptToOrphan: string[];
  readonly attemptToDeleteRateLimited: string[];
}

export const EMPTY_GRAPH: GraphState = { graph: PMap.empty(), absentOwners: [] };

export function factsOf(object: KubeObject): ObjectFacts {
  const m = object.metadata;
  return { beingDeleted: m.deletionTimestamp !== undefined, finalizers: m.finalizers ?? [], owners: m.ownerReferences ?? [] };
}

/** blockingDependents: the dependents whose reference to the node has blockOwnerDeletion set. */
export function blockingDependents(graph: Graph, node: GraphNode): GraphNode[] {
  return node.dependents.map((uid) => graph.get(uid)).filter((dep): dep is GraphNode =>
    dep !== undefined && dep.owners.some((o) => o.uid === node.identity.uid && o.blockOwnerDeletion === true));
}

function startsWaitingWith(old: ObjectFacts | null, facts: ObjectFacts, finalizer: string): boolean {
  if (!facts.beingDeleted || !facts.finalizers.includes(finalizer)) return false;
  return old === null || !old.beingDeleted || !old.finalizers.includes(finalizer);
}

/** partitionDependents: the dependents whose reference to the owner's uid matches its identity, and those whose does not. */
function partitionDependents(graph: Graph, dependents: readonly string[], owner: Identity): { matching: GraphNode[]; nonmatching: GraphNode[] } {
  const matching: GraphNode[] = [];
  const nonmatching: GraphNode[] = [];
  for (const dep of dependents.map((uid) => graph.get(uid)).filter((d): d is GraphNode => d !== undefined)) {
    let match = false;
    let mismatch = owner.namespace !== '' && owner.namespace !== dep.identity.namespace;
    if (!mismatch) {
      for (const ref of dep.owners.filter((o) => o.uid === owner.uid)) {
        if (matchesCoordinates(ref, owner)) match = true;
        else mismatch = true;
      }
    }
    if (match) matching.push(dep);
    if (mismatch) nonmatching.push(dep);
  }
  return { matching, nonmatching };
}

/** One graph change being applied: the graph as it goes, and the work it makes. */
class Builder implements GraphWork {
  graph: Graph;
  absentOwners: readonly string[];
  readonly attemptToDelete: string[] = [];
  readonly attemptToOrphan: string[] = [];
  readonly attemptToDeleteRateLimited: string[] = [];

  constructor(state: GraphState) {
    this.graph = state.graph;
    this.absentOwners = state.absentOwners;
  }

  write(node: GraphNode): void {
    this.graph = this.graph.set(node.identity.uid, node);
  }

  private setDependent(ownerUid: string, depUid: string, present: boolean): void {
    const owner = this.graph.get(ownerUid);
    if (!owner || owner.dependents.includes(depUid) === present) return;
    const dependents = present ? [...owner.dependents, depUid].sort() : owner.dependents.filter((d) => d !== depUid);
    this.write({ ...owner, dependents });
  }

  /** addDependentToOwners: owners not in the graph get a virtual node, verified by attemptToDelete. */
  addDependentToOwners(node: GraphNode, owners: readonly OwnerReference[]): void {
    let potentiallyInvalid = false;
    for (const ref of owners) {
      const owner = this.graph.get(ref.uid);
      if (!owner) {
        this.write({
          identity: ownerIdentity(ref, node.identity.namespace), owners: [], dependents: [],
          beingDeleted: false, deletingDependents: false, virtual: true, finalizers: [],
        });
        this.setDependent(ref.uid, node.identity.uid, true);
        this.attemptToDelete.push(ref.uid);
        continue;
      }
      this.setDependent(ref.uid, node.identity.uid, true);
      if (potentiallyInvalid) continue;
      const ownerNamespace = owner.identity.namespace;
      potentiallyInvalid = (ownerNamespace !== '' && ownerNamespace !== node.identity.namespace) || !matchesCoordinates(ref, owner.identity) ||
        (ownerNamespace === '' && node.identity.namespace !== '' && owner.virtual);
    }
    if (potentiallyInvalid) this.attemptToDelete.push(node.identity.uid);
  }

  removeDependentFromOwners(node: GraphNode, owners: readonly OwnerReference[]): void {
    for (const ref of owners) this.setDependent(ref.uid, node.identity.uid, false);
  }

  /** processTransitions: deletion has just started with the orphan or the foregroundDeletion finalizer. */
  processTransitions(old: ObjectFacts | null, facts: ObjectFacts, uid: string): void {
    if (startsWaitingWith(old, facts, ORPHAN_FINALIZER)) {
      this.attemptToOrphan.push(uid);
      return;
    }
    if (startsWaitingWith(old, facts, FOREGROUND_FINALIZER)) {
      const node = this.graph.get(uid)!;
      this.write({ ...node, deletingDependents: true });
      this.attemptToDelete.push(...node.dependents, uid);
    }
  }

  /** addUnblockedOwnersToDeleteQueue: an owner waiting on a dependent whose reference stopped blocking it. */
  unblockOwners(removed: readonly OwnerReference[], changed: readonly (readonly [OwnerReference, OwnerReference])[]): void {
    for (const ref of removed) if (ref.blockOwnerDeletion === true && this.graph.has(ref.uid)) this.attemptToDelete.push(ref.uid);
    for (const [was, now] of changed) if (was.blockOwnerDeletion === true && now.blockOwnerDeletion !== true && this.graph.has(now.uid)) this.attemptToDelete.push(now.uid);
  }

  upsert(identity: Identity, facts: ObjectFacts, old: ObjectFacts | null): void {
    let existing = this.graph.get(identity.uid);
    if (existing?.virtual) {
      // Observed at last: dependents that named it otherwise are checked again.
      if (!sameIdentity(identity, existing.identity)) {
        this.attemptToDelete.push(...partitionDependents(this.graph, existing.dependents, identity).nonmatching.map((d) => d.identity.uid));
      }
      existing = { ...existing, identity, virtual: false };
      this.write(existing);
    }
    if (!existing) {
      const node: GraphNode = {
        identity, owners: facts.owners, dependents: [], virtual: false, finalizers: facts.finalizers,
        beingDeleted: facts.beingDeleted, deletingDependents: facts.beingDeleted && facts.finalizers.includes(FOREGROUND_FINALIZER),
      };
      this.write(node);
      this.addDependentToOwners(node, node.owners);
      this.processTransitions(old, facts, identity.uid);
      return;
    }
    const { added, removed, changed } = referencesDiffs(existing.owners, facts.owners);
    let node: GraphNode = { ...existing, finalizers: facts.finalizers, beingDeleted: existing.beingDeleted || facts.beingDeleted };
    if (added.length > 0 || removed.length > 0 || changed.length > 0) {
      this.unblockOwners(removed, changed);
      node = { ...node, owners: facts.owners };
      this.write(node);
      this.addDependentToOwners(node, added);
      this.removeDependentFromOwners(node, removed);
    } else {
      this.write(node);
    }
    this.processTransitions(old, facts, identity.uid);
  }

  delete(identity: Identity, virtual: boolean): void {
    const existing = this.graph.get(identity.uid);
    if (!existing) return;
    let remove = true;
    if (virtual && existing.virtual) {
      // Not sure of a virtual node's coordinates: dependents that name it otherwise keep it.
      const { matching, nonmatching } = partitionDependents(this.graph, existing.dependents, identity);
      if (nonmatching.length > 0) {
        remove = false;
        this.verifiedAbsent(identity, matching);
        const replacement = sameIdentity(existing.identity, identity) ? alternateOwnerIdentity(nonmatching, identity) : null;
        if (replacement !== null) {
          this.write({ ...existing, identity: replacement });
          this.attemptToDeleteRateLimited.push(identity.uid);
        }
      }
    } else if (virtual && !sameIdentity(existing.identity, identity)) {
      // An observed node is never removed by a virtual delete of other coordinates.
      remove = false;
      this.verifiedAbsent(identity, partitionDependents(this.graph, existing.dependents, identity).matching);
    }
    if (!remove) return;
    this.graph = this.graph.delete(identity.uid);
    this.removeDependentFromOwners(existing, existing.owners);
    if (existing.dependents.length > 0) this.absentOwners = addAbsent(this.absentOwners, identity);
    this.attemptToDelete.push(...existing.dependents);
    for (const ref of existing.owners) if (this.graph.get(ref.uid)?.deletingDependents) this.attemptToDelete.push(ref.uid);
  }

  private verifiedAbsent(identity: Identity, matching: readonly GraphNode[]): void {
    if (matching.length === 0) return;
    this.absentOwners = addAbsent(this.absentOwners, identity);
    this.attemptToDelete.push(...matching.map((d) => d.identity.uid));
  }
}

/** referencesDiffs: by uid, the references added, removed, and changed in any field. */
function referencesDiffs(old: readonly OwnerReference[], now: readonly OwnerReference[]) {
  const added = now.filter((r) => !old.some((o) => o.uid === r.uid));
  const removed = old.filter((o) => !now.some((r) => r.uid === o.uid));
  const changed: (readonly [OwnerReference, OwnerReference])[] = [];
  for (const r of now) {
    const was = old.find((o) => o.uid === r.uid);
    if (was && !deepEqual(was, r)) changed.push([was, r]);
  }
  return { added, removed, changed };
}

/** processGraphChanges for a run of events, in order. */
export function processGraphChanges(state: GraphState, events: readonly GraphEvent[]): { state: GraphState; work: GraphWork } {
  const builder = new Builder(state);
  for (const event of events) {
    if (event.type === 'upsert') builder.upsert(event.identity, event.facts, event.old);
    else builder.delete(event.identity, event.virtual);
  }
  return { state: { graph: builder.graph, absentOwners: builder.absentOwners }, work: builder };
}
