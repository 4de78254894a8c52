// The API calls one sync of a Deployment makes, in order: upstream makes them synchronously,
// each on the object it has in hand, and stops at the first error. The model decides them all
// in one step on the caches, so it must know, as upstream does, which writes cannot succeed:
// an update carries the resourceVersion of the copy it was made from. A copy an earlier write of
// this sync returned is current (controller.ts chains its resourceVersion); a copy from the cache
// of an object this sync has already written is stale, and upstream gets 409 Conflict there. So
// does the Deployment's own status: upstream never keeps what UpdateStatus returns, so a second
// status write in one sync always conflicts (sync.go getNewReplicaSet, progress.go syncRolloutStatus).
// The model ends the sync before such a write, with the error that requeues the Deployment.
import type { Request } from '../requests.ts';
import type { KubeObject } from '../resources.ts';
import type { AppsDeployment, AppsReplicaSet } from '../semantics/deployment.ts';
import { asObject } from './deployment-util.ts';

export class SyncWrites {
  readonly requests: Request[] = [];
  /** The sync ended with an error: upstream's handleErr queues the Deployment again. */
  failed = false;
  /** Objects (by uid) this sync has written. */
  private readonly written = new Set<string>();
  /** The copies earlier writes returned: writing them again is not a conflict. */
  private readonly returned = new WeakSet<object>();
  private statusWritten = false;

  /** An error: the sync ends here. */
  fail(): void {
    this.failed = true;
  }

  /** Adoptions and releases (ClaimReplicaSets), made on the cached copies. */
  claim(writes: readonly Request[]): void {
    for (const write of writes) {
      this.requests.push(write);
      if (write.verb === 'update' && write.object.metadata.uid) this.written.add(write.object.metadata.uid);
    }
  }

  create(namespace: string, rs: AppsReplicaSet): AppsReplicaSet | null {
    if (this.failed) return null;
    this.requests.push({ verb: 'create', resource: 'replicasets', namespace, object: asObject(rs) });
    return rs;
  }

  /** Updates `from` to `to`; the copy the update returns, or null if the sync has ended or ends here (a stale copy). */
  updateReplicaSet(from: AppsReplicaSet, to: AppsReplicaSet): AppsReplicaSet | null {
    if (this.failed) return null;
    const uid = from.metadata?.uid;
    if (uid !== undefined && this.written.has(uid) && !this.returned.has(from)) {
      this.fail();
      return null;
    }
    if (uid !== undefined) this.written.add(uid);
    this.requests.push({ verb: 'update', resource: 'replicasets', object: asObject(to) });
    this.returned.add(to);
    return to;
  }

  /** DELETE, which carries no precondition. */
  deleteReplicaSet(rs: AppsReplicaSet): void {
    if (this.failed) return;
    this.requests.push({ verb: 'delete', resource: 'replicasets', namespace: rs.metadata?.namespace ?? '', name: rs.metadata?.name ?? '' });
  }

  /** UpdateStatus of the Deployment as the sync holds it; false if the sync has ended or ends here. */
  updateStatus(d: AppsDeployment): boolean {
    if (this.failed) return false;
    if (this.statusWritten) {
      this.fail();
      return false;
    }
    this.statusWritten = true;
    this.requests.push({ verb: 'update', resource: 'deployments', subresource: 'status', object: d as unknown as KubeObject });
    return true;
  }
}
