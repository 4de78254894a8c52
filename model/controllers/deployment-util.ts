// The pure helpers of the Deployment controller that model/semantics/deployment.ts leaves out:
// revisions and the annotations a Deployment keeps on its ReplicaSets, which ReplicaSet is new,
// and the orders ReplicaSets are visited in. Follows kubernetes/kubernetes
// pkg/controller/deployment/util/deployment_util.go (Revision, MaxRevision,
// SetNewReplicaSetAnnotations, SetReplicasAnnotations, ReplicasAnnotationsNeedUpdate,
// EqualIgnoreHash, FindNewReplicaSet, FindOldReplicaSets, FindActiveOrLatest, IsSaturated,
// GetDesiredReplicasAnnotation, ReplicaSetsByRevision, HasProgressDeadline,
// HasRevisionHistoryLimit, GetDeploymentsForReplicaSet), pkg/controller/controller_utils.go
// (ReplicaSetsByCreationTimestamp, ReplicaSetsBySizeOlder/Newer, FilterActiveReplicaSets),
// pkg/util/labels (CloneSelectorAndAddLabel) and sync.go generateReplicaSetName, current master.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { deepEqual } from '../equal.ts';
import { parseInt64 } from '../go-strconv.ts';
import { selectorIsEmpty, selectorMatches } from '../labels.ts';
import type { KubeObject } from '../resources.ts';
import {
  byCreationTimestamp, compareByCreationTimestamp, MAX_REPLICAS_ANNOTATION, maxSurge, specReplicas, type AppsDeployment, type AppsReplicaSet,
} from '../semantics/deployment.ts';

/** DefaultDeploymentUniqueLabelKey: the label that keeps a Deployment's ReplicaSets apart. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
/** RevisionAnnotation: a ReplicaSet's place in its Deployment's rollout sequence. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** RevisionHistoryAnnotation: the earlier revisions a ReplicaSet served (it became new again by a rollback). */
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
/** DesiredReplicasAnnotation: the Deployment's spec.replicas when it last sized the ReplicaSet. */
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';

/** The annotations a Deployment never copies to its ReplicaSets, nor kubectl back from them (annotationsToSkip). */
export const ANNOTATIONS_TO_SKIP: ReadonlySet<string> = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
]);

/** sync.go maxRevHistoryLengthInChars: the revision-history annotation is kept under 2000 characters. */
const MAX_REVISION_HISTORY_CHARS = 2000;
/** validation.DNS1123SubdomainMaxLength, the longest a ReplicaSet name may be. */
const MAX_NAME_LENGTH = 253;
/** math.MaxInt32: a progressDeadlineSeconds or revisionHistoryLimit of this value means none. */
const MAX_INT32 = 2_147_483_647;

type Annotations = Readonly<Record<string, string>>;

function annotationsOf(object: { metadata?: KubeObject['metadata'] }): Annotations {
  return object.metadata?.annotations ?? {};
}

function withAnnotations<RS extends ReplicaSet>(rs: RS, annotations: Annotations): RS {
  return { ...rs, metadata: { ...rs.metadata, annotations: { ...annotations } } };
}

// --- Revisions ------------------------------------------------------------------------

/** Revision: the revision annotation as strconv.ParseInt reads it; 0 when absent, undefined when it does not parse. */
export function revisionOf(object: { metadata?: KubeObject['metadata'] }): number | undefined {
  const value = annotationsOf(object)[REVISION_ANNOTATION];
  if (value === undefined) return 0;
  const parsed = parseInt64(value);
  return parsed === undefined ? undefined : Number(parsed);
}

/** MaxRevision: the highest revision among the ReplicaSets, skipping those that do not parse; 0 for none. */
export function maxRevision(rss: readonly ReplicaSet[]): number {
  return rss.reduce((max, rs) => Math.max(max, revisionOf(rs) ?? 0), 0);
}

/** The int32 value of an annotation as getIntFromAnnotation reads it (strconv.Atoi, then int32), if present and valid. */
function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const value = annotationsOf(rs)[key];
  const parsed = value === undefined ? undefined : parseInt64(value);
  return parsed === undefined ? undefined : Number(BigInt.asIntN(32, parsed));
}

/** GetDesiredReplicasAnnotation. */
export function desiredReplicasAnnotation(rs: ReplicaSet): number | undefined {
  return intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
}

export interface Annotated<RS> {
  readonly rs: RS;
  /** The annotations changed (upstream's return value). */
  readonly changed: boolean;
}

/** SetReplicasAnnotations: desired-replicas and max-replicas set to the given counts. */
export function setReplicasAnnotations<RS extends ReplicaSet>(rs: RS, desired: number, max: number): Annotated<RS> {
  const annotations = annotationsOf(rs);
  const changed = annotations[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || annotations[MAX_REPLICAS_ANNOTATION] !== String(max);
  return {
    rs: withAnnotations(rs, { ...annotations, [DESIRED_REPLICAS_ANNOTATION]: String(desired), [MAX_REPLICAS_ANNOTATION]: String(max) }),
    changed,
  };
}

/** ReplicasAnnotationsNeedUpdate. */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  return setReplicasAnnotations(rs, desired, max).changed;
}

/** The history with `oldRevision` appended, dropping the oldest entries to stay within the limit; undefined if it cannot. */
function appendRevisionHistory(history: string, oldRevision: string): string | undefined {
  const oldRevisions = history.split(',');
  if (oldRevisions[0]!.length === 0) return oldRevision;
  let totalLength = history.length + oldRevision.length + 1;
  let start = 0;
  while (totalLength > MAX_REVISION_HISTORY_CHARS && start < oldRevisions.length) {
    totalLength -= oldRevisions[start]!.length + 1;
    start++;
  }
  return totalLength <= MAX_REVISION_HISTORY_CHARS ? [...oldRevisions.slice(start), oldRevision].join(',') : undefined;
}

/**
 * SetNewReplicaSetAnnotations: copies the Deployment's annotations (but ANNOTATIONS_TO_SKIP) to
 * the ReplicaSet, raises its revision to `newRevision` if lower (keeping the old one in the
 * revision history when it had one: a rollback), and for a ReplicaSet about to be created
 * (`exists` false) sets the replicas annotations. A revision that does not parse stops it
 * there, unchanged as far as the caller is told, though the copied annotations are kept.
 */
export function setNewReplicaSetAnnotations<RS extends ReplicaSet>(d: Deployment, rs: RS, newRevision: number, exists: boolean): Annotated<RS> {
  const annotations: Record<string, string> = { ...annotationsOf(rs) };
  let changed = false;
  for (const [key, value] of Object.entries(annotationsOf(d))) {
    if (ANNOTATIONS_TO_SKIP.has(key) || annotations[key] === value) continue;
    annotations[key] = value;
    changed = true;
  }
  const hadRevision = Object.hasOwn(annotations, REVISION_ANNOTATION);
  const oldRevision = annotations[REVISION_ANNOTATION] ?? '';
  const parsed = parseInt64(oldRevision);
  if (parsed === undefined && oldRevision !== '') return { rs: withAnnotations(rs, annotations), changed: false };
  const oldRevisionNumber = parsed === undefined ? 0 : Number(parsed);
  if (oldRevisionNumber < newRevision) {
    annotations[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (hadRevision) {
      const history = appendRevisionHistory(annotations[REVISION_HISTORY_ANNOTATION] ?? '', oldRevision);
      if (history !== undefined) annotations[REVISION_HISTORY_ANNOTATION] = history;
    }
  }
  const annotated = withAnnotations(rs, annotations);
  if (exists) return { rs: annotated, changed };
  const desired = specReplicas(d);
  const withReplicas = setReplicasAnnotations(annotated, desired, desired + maxSurge(d));
  return { rs: withReplicas.rs, changed: changed || withReplicas.changed };
}

// --- Templates and which ReplicaSet is new --------------------------------------------

/** The template's labels without the pod-template-hash label; absent when nothing is left (a nil and an empty map are equal to Semantic.DeepEqual). */
function withoutHashLabel(template: PodTemplateSpec | undefined): PodTemplateSpec {
  const { [POD_TEMPLATE_HASH_LABEL]: _hash, ...labels } = template?.metadata?.labels ?? {};
  const metadata = { ...template?.metadata, labels: Object.keys(labels).length > 0 ? labels : undefined };
  return { ...template, metadata };
}

/** EqualIgnoreHash: the templates are equal but for the pod-template-hash label. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return deepEqual(withoutHashLabel(a), withoutHashLabel(b));
}

/** ReplicaSetsBySizeOlder: largest first, the older first among equals (scaling down takes from old ones first). */
export function compareBySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(b) - specReplicas(a) || compareByCreationTimestamp(a, b);
}

/** ReplicaSetsBySizeNewer: largest first, the newer first among equals (scaling up gives to new ones first). */
export function compareBySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(b) - specReplicas(a) || compareByCreationTimestamp(b, a);
}

/** ReplicaSetsByRevision: lowest revision first; by creation when either does not parse or they are equal. */
export function compareByRevision(a: ReplicaSet, b: ReplicaSet): number {
  const ra = revisionOf(a);
  const rb = revisionOf(b);
  if (ra === undefined || rb === undefined || ra === rb) return compareByCreationTimestamp(a, b);
  return ra - rb;
}

/** FilterActiveReplicaSets: those with spec.replicas above 0. */
export function filterActive<RS extends ReplicaSet>(rss: readonly (RS | null)[]): RS[] {
  return rss.filter((rs): rs is RS => rs !== null && specReplicas(rs) > 0);
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template is the Deployment's. */
export function findNewReplicaSet<RS extends ReplicaSet>(d: Deployment, rsList: readonly RS[]): RS | null {
  return byCreationTimestamp(rsList).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template)) ?? null;
}

/** FindOldReplicaSets' second result: every ReplicaSet but the new one, oldest first. */
export function findOldReplicaSets<RS extends ReplicaSet>(d: Deployment, rsList: readonly RS[]): RS[] {
  const newRS = findNewReplicaSet(d, rsList);
  return byCreationTimestamp(rsList).filter((rs) => newRS === null || rs.metadata?.uid !== newRS.metadata?.uid);
}

/**
 * FindActiveOrLatest, given the old ReplicaSets newest first (as it sorts them): the only
 * active ReplicaSet; if none is active, the new one or else the newest; null if more are active.
 */
export function findActiveOrLatest<RS extends ReplicaSet>(newRS: RS | null, oldNewestFirst: readonly RS[]): RS | null {
  if (newRS === null && oldNewestFirst.length === 0) return null;
  const active = filterActive([...oldNewestFirst, newRS]);
  if (active.length === 0) return newRS ?? oldNewestFirst[0]!;
  return active.length === 1 ? active[0]! : null;
}

/** IsSaturated: the ReplicaSet has, wants (by its desired-replicas annotation) and has available all of spec.replicas. */
export function isSaturated(d: Deployment, rs: ReplicaSet | null): boolean {
  if (rs === null) return false;
  const desired = desiredReplicasAnnotation(rs);
  return desired !== undefined && specReplicas(rs) === specReplicas(d) && desired === specReplicas(d) && (rs.status?.availableReplicas ?? 0) === specReplicas(d);
}

export function hasProgressDeadline(d: Deployment): boolean {
  const seconds = d.spec?.progressDeadlineSeconds;
  return seconds !== undefined && seconds !== MAX_INT32;
}

export function hasRevisionHistoryLimit(d: Deployment): boolean {
  const limit = d.spec?.revisionHistoryLimit;
  return limit !== undefined && limit !== MAX_INT32;
}

/** GetDeploymentsForReplicaSet: the Deployments of the ReplicaSet's namespace whose (non-empty) selector matches its labels. */
export function deploymentsForReplicaSet(deployments: Iterable<KubeObject>, rs: KubeObject): KubeObject[] {
  const labels = rs.metadata.labels ?? {};
  if (Object.keys(labels).length === 0) return [];
  return [...deployments].filter((d) => {
    const selector = (d as AppsDeployment).spec?.selector;
    return d.metadata.namespace === rs.metadata.namespace && !selectorIsEmpty(selector) && selectorMatches(selector ?? {}, labels);
  });
}

// --- A new ReplicaSet's name and selector -------------------------------------------

/** generateReplicaSetName: `${deployment}-${hash}`, the Deployment's part cut so the name stays a valid subdomain. */
export function generateReplicaSetName(deploymentName: string, hash: string): string {
  const room = MAX_NAME_LENGTH - 1 - hash.length;
  const prefix = deploymentName.length > room && room > 0 ? deploymentName.slice(0, room) : deploymentName;
  return `${prefix}-${hash}`;
}

/** CloneSelectorAndAddLabel. */
export function cloneSelectorAndAddLabel(selector: LabelSelector | undefined, key: string, value: string): LabelSelector {
  return {
    matchLabels: { ...selector?.matchLabels, [key]: value },
    ...(selector?.matchExpressions ? { matchExpressions: selector.matchExpressions.map((e) => ({ ...e })) } : {}),
  };
}

/** The ReplicaSet as the Deployment's controller sees it, and back. */
export function asReplicaSet(object: KubeObject): AppsReplicaSet {
  return object as unknown as AppsReplicaSet;
}

export function asObject(object: ReplicaSet | Deployment): KubeObject {
  return object as unknown as KubeObject;
}
