// ControllerRefManager (pkg/controller/controller_ref_manager.go ClaimPods, ClaimReplicaSets):
// a controller claims the objects its selector matches and that it controls, adopts matching
// orphans (unless it is being deleted) and releases those it controls but no longer matches.
// Adoption and release are writes of the object's ownerReferences at the resourceVersion seen.
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { selectorMatches } from '../labels.ts';
import type { Request } from '../requests.ts';
import type { KubeObject, Resource } from '../resources.ts';
import { controllerOf } from './controller.ts';

export interface Claim {
  /** The objects the owner controls and its selector matches. */
  readonly claimed: KubeObject[];
  /** The adoptions and releases, to be written. */
  readonly writes: Request[];
}

export function claim(owner: KubeObject, kind: string, selector: LabelSelector, resource: Resource, candidates: readonly KubeObject[]): Claim {
  const claimed: KubeObject[] = [];
  const writes: Request[] = [];
  const uid = owner.metadata.uid;
  for (const object of candidates) {
    const ref = controllerOf(object);
    const matches = selectorMatches(selector, object.metadata.labels);
    const refs = object.metadata.ownerReferences ?? [];
    if (ref?.uid === uid) {
      if (matches) claimed.push(object);
      else writes.push(ownerReferencesWrite(resource, object, refs.filter((r) => r.uid !== uid)));
    } else if (ref === undefined && matches && !owner.metadata.deletionTimestamp) {
      const adopt = { apiVersion: owner.apiVersion, kind, name: owner.metadata.name ?? '', uid: uid ?? '', controller: true, blockOwnerDeletion: true };
      writes.push(ownerReferencesWrite(resource, object, [...refs, adopt]));
    }
  }
  return { claimed, writes };
}

function ownerReferencesWrite(resource: Resource, object: KubeObject, ownerReferences: NonNullable<KubeObject['metadata']['ownerReferences']>): Request {
  return { verb: 'update', resource, object: { ...object, metadata: { ...object.metadata, ownerReferences } } };
}
