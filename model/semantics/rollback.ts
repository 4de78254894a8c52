// `kubectl rollout undo deployment/NAME [--to-revision=N]` as a pure function: which ReplicaSet's
// template the Deployment gets back, with the annotations kubectl writes, or kubectl's error.
// apps/v1 has no spec.rollbackTo: the rollback is this client-side rewrite of spec.template,
// which the Deployment controller then rolls out like any template change (the old ReplicaSet
// becomes new again and gets the next revision). Follows kubernetes/kubernetes
// staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollback.go (DeploymentRollbacker.Rollback,
// deploymentRevision, annotationsToSkip, getDeploymentPatch, revisionNotFoundErr) and
// kubectl/pkg/util/deployment (GetAllReplicaSets, Revision), current master; no dry run.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { selectorMatches } from '../labels.ts';
import {
  ANNOTATIONS_TO_SKIP, equalIgnoreHash, findNewReplicaSet, findOldReplicaSets, POD_TEMPLATE_HASH_LABEL, revisionOf,
} from '../controllers/deployment-util.ts';
import type { AppsDeployment, AppsReplicaSet } from './deployment.ts';

export type RollbackResult =
  /** The Deployment to write (kubectl sends a JSON patch replacing spec.template and metadata.annotations). */
  | { readonly kind: 'rolledBack'; readonly deployment: AppsDeployment }
  /** Nothing to do, and kubectl says why (a success). */
  | { readonly kind: 'skipped'; readonly message: string }
  | { readonly kind: 'error'; readonly message: string };

function revisionNotFound(toRevision: number): string {
  return `unable to find specified revision ${toRevision} in history`;
}

/** GetAllReplicaSets: the ReplicaSets the selector matches and the Deployment controls, old ones oldest first, then the new one. */
function history(d: AppsDeployment, replicaSets: readonly AppsReplicaSet[]): AppsReplicaSet[] {
  const owned = replicaSets.filter((rs) =>
    rs.metadata?.namespace === d.metadata?.namespace && selectorMatches(d.spec?.selector ?? {}, rs.metadata?.labels) &&
    (rs.metadata?.ownerReferences ?? []).some((ref) => ref.controller === true && ref.uid === d.metadata?.uid));
  const newRS = findNewReplicaSet(d, owned);
  return newRS ? [...findOldReplicaSets(d, owned), newRS] : findOldReplicaSets(d, owned);
}

/**
 * deploymentRevision: the ReplicaSet of revision `toRevision`, or for 0 the one of the second
 * highest revision (the one before the latest); ReplicaSets whose revision does not parse are passed over.
 */
function replicaSetForRevision(d: AppsDeployment, replicaSets: readonly AppsReplicaSet[], toRevision: number): { readonly rs: AppsReplicaSet } | { readonly error: string } {
  let latest: { revision: number; rs: AppsReplicaSet | null } = { revision: -1, rs: null };
  let previous: { revision: number; rs: AppsReplicaSet | null } = { revision: -1, rs: null };
  for (const rs of history(d, replicaSets)) {
    const revision = revisionOf(rs);
    if (revision === undefined) continue;
    if (toRevision > 0) {
      if (revision === toRevision) return { rs };
    } else if (latest.revision < revision) {
      previous = latest;
      latest = { revision, rs };
    } else if (previous.revision < revision) {
      previous = { revision, rs };
    }
  }
  if (toRevision > 0) return { error: revisionNotFound(toRevision) };
  return previous.rs ? { rs: previous.rs } : { error: `no rollout history found for deployment ${JSON.stringify(d.metadata?.name ?? '')}` };
}

/** The template without the pod-template-hash label (an emptied label map is omitted, as JSON omits it). */
function templateWithoutHash(template: PodTemplateSpec | undefined): PodTemplateSpec {
  const { [POD_TEMPLATE_HASH_LABEL]: _hash, ...labels } = template?.metadata?.labels ?? {};
  const { labels: _labels, ...metadata } = template?.metadata ?? {};
  return { ...template, metadata: Object.keys(labels).length > 0 ? { ...metadata, labels } : metadata };
}

/**
 * DeploymentRollbacker.Rollback to `toRevision` (0: the previous revision), given the
 * Deployment and the ReplicaSets of its namespace, as kubectl reads them. The checks go in
 * kubectl's order: a negative revision, the revision's ReplicaSet, a paused Deployment, a
 * template already current. The Deployment written gets the ReplicaSet's template without the
 * hash label, and as annotations its own skipped ones (revision, last-applied, ...) plus the
 * ReplicaSet's others.
 */
export function rollbackDeployment(d: AppsDeployment, replicaSets: readonly AppsReplicaSet[], toRevision: number): RollbackResult {
  if (toRevision < 0) return { kind: 'error', message: revisionNotFound(toRevision) };
  const found = replicaSetForRevision(d, replicaSets, toRevision);
  if ('error' in found) return { kind: 'error', message: found.error };
  const { rs } = found;
  const name = d.metadata?.name ?? '';
  if (d.spec?.paused === true) {
    return { kind: 'error', message: `you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${name}' and try again` };
  }
  if (equalIgnoreHash(rs.spec?.template, d.spec?.template)) {
    return { kind: 'skipped', message: `skipped rollback (current template already matches revision ${toRevision})` };
  }
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(d.metadata?.annotations ?? {})) if (ANNOTATIONS_TO_SKIP.has(key)) annotations[key] = value;
  for (const [key, value] of Object.entries(rs.metadata?.annotations ?? {})) if (!ANNOTATIONS_TO_SKIP.has(key)) annotations[key] = value;
  const template = templateWithoutHash(rs.spec?.template);
  return {
    kind: 'rolledBack',
    deployment: { ...d, metadata: { ...d.metadata, annotations }, spec: { ...d.spec!, template } },
  };
}
