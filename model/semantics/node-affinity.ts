// Which nodes a pod may, and prefers to, run on by spec.nodeSelector and
// spec.affinity.nodeAffinity. Follows kubernetes/kubernetes staging/src/k8s.io/
// component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go (LazyErrorNodeSelector,
// PreferredSchedulingTerms, GetRequiredNodeAffinity) with apimachinery's
// labels.NewRequirement and Requirement.Matches, and the NodeAffinity plugin
// pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go (Filter, PreScore, Score,
// NormalizeScore) without scheduler-configured addedAffinity. PreFilter's shortcut to the
// nodes named by matchFields is not modelled; Filter rejects the same nodes.
import type {
  Node,
  NodeSelector,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  Pod,
  PreferredSchedulingTerm,
} from 'kubernetes-types/core/v1.js';
import { parseInt64 } from '../go-strconv.ts';
import { selectorMatches, type Labels } from '../labels.ts';
import {
  MAX_NODE_SCORE,
  SCHEDULABLE,
  defaultNormalizeScore,
  scoreNodes,
  unschedulableAndUnresolvable,
  type FilterResult,
  type NodeScore,
} from './scheduler-framework.ts';

/** ErrReasonPod, the NodeAffinity Filter's reason. */
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";

// --- Required: the pod's node selector and node affinity ------------------------

/**
 * GetRequiredNodeAffinity(pod).Match: the node carries every spec.nodeSelector label
 * exactly, and matches requiredDuringSchedulingIgnoredDuringExecution when that is set.
 */
export function requiredNodeAffinityMatches(pod: Pod, node: Node): boolean {
  if (!selectorMatches({ matchLabels: pod.spec?.nodeSelector ?? {} }, node.metadata?.labels)) return false;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return required ? nodeSelectorMatches(required, node) : true;
}

/** NodeAffinity.Filter: requiredNodeAffinityMatches, else UnschedulableAndUnresolvable. */
export function nodeAffinityFilter(pod: Pod, node: Node): FilterResult {
  return requiredNodeAffinityMatches(pod, node) ? SCHEDULABLE : unschedulableAndUnresolvable(ERR_REASON_POD);
}

/**
 * LazyErrorNodeSelector.Match: the terms are ORed. An empty term, or one with a
 * requirement that does not parse, matches nothing, so no terms match no node.
 */
export function nodeSelectorMatches(selector: NodeSelector, node: Node): boolean {
  return (selector.nodeSelectorTerms ?? []).some((term) => termMatches(term, node));
}

// --- Preferred: the pod's weighted node preferences -----------------------------

/**
 * PreferredSchedulingTerms.Score: the summed weights of the terms the node matches.
 * undefined when NewPreferredSchedulingTerms fails, i.e. a counted term does not parse.
 */
export function preferredSchedulingTermsScore(
  terms: readonly PreferredSchedulingTerm[],
  node: Node,
): number | undefined {
  const counted = newPreferredSchedulingTerms(terms);
  return counted && matchedWeight(counted, node);
}

/**
 * NodeAffinity PreScore, Score and NormalizeScore over the nodes: the preferred weights
 * each node matches, scaled so the best gets 100. undefined when PreScore fails on a
 * preferred term that does not parse (the scheduling cycle ends in an error).
 */
export function nodeAffinityScore(pod: Pod, nodes: readonly Node[]): NodeScore[] | undefined {
  const counted = newPreferredSchedulingTerms(
    pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [],
  );
  if (counted === undefined) return undefined;
  return defaultNormalizeScore(MAX_NODE_SCORE, false, scoreNodes(nodes, (node) => matchedWeight(counted, node)));
}

/** NewPreferredSchedulingTerms: the terms of non-zero weight and non-empty preference, if all parse. */
function newPreferredSchedulingTerms(
  terms: readonly PreferredSchedulingTerm[],
): readonly PreferredSchedulingTerm[] | undefined {
  const counted = terms.filter((t) => t.weight !== 0 && !isEmptyTerm(t.preference));
  return counted.every((t) => termParses(t.preference)) ? counted : undefined;
}

function matchedWeight(terms: readonly PreferredSchedulingTerm[], node: Node): number {
  return terms.reduce((sum, t) => (termMatches(t.preference, node) ? sum + t.weight : sum), 0);
}

// --- One term: matchExpressions on labels, matchFields on metadata.name ------------

function isEmptyTerm(term: NodeSelectorTerm): boolean {
  return (term.matchExpressions ?? []).length === 0 && (term.matchFields ?? []).length === 0;
}

function termParses(term: NodeSelectorTerm): boolean {
  return (term.matchExpressions ?? []).every(labelRequirementParses) && (term.matchFields ?? []).every(fieldRequirementParses);
}

/** nodeSelectorTerm.match: every requirement of a parsed, non-empty term holds (ANDed). */
function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  if (isEmptyTerm(term) || !termParses(term)) return false;
  const labels = node.metadata?.labels ?? {};
  return (
    (term.matchExpressions ?? []).every((r) => labelRequirementMatches(r, labels)) &&
    fieldsMatch(term.matchFields ?? [], node)
  );
}

/**
 * matchFields against extractNodeFields, whose only field is metadata.name: In and NotIn
 * are field equality and inequality. A node without a name has no fields and passes.
 */
function fieldsMatch(requirements: readonly NodeSelectorRequirement[], node: Node): boolean {
  const name = node.metadata?.name;
  if (!name) return true;
  return requirements.every((r) => {
    const equal = (r.key === 'metadata.name' ? name : '') === r.values?.[0];
    return r.operator === 'In' ? equal : !equal;
  });
}

/** nodeSelectorRequirementsAsFieldSelector: In or NotIn with exactly one value. */
function fieldRequirementParses(r: NodeSelectorRequirement): boolean {
  return (r.operator === 'In' || r.operator === 'NotIn') && (r.values ?? []).length === 1;
}

/** Requirement.Matches; In, NotIn, Exists and DoesNotExist as label selectors match them. */
function labelRequirementMatches(r: NodeSelectorRequirement, labels: Labels): boolean {
  if (r.operator !== 'Gt' && r.operator !== 'Lt') return selectorMatches({ matchExpressions: [r] }, labels);
  const have = Object.hasOwn(labels, r.key) ? parseInt64(labels[r.key] ?? '') : undefined;
  const bound = parseInt64(r.values?.[0] ?? '');
  if (have === undefined || bound === undefined) return false;
  return r.operator === 'Gt' ? have > bound : have < bound;
}

/**
 * labels.NewRequirement without error: a known operator, a qualified-name key, values
 * present for In/NotIn, absent for Exists/DoesNotExist, one integer for Gt/Lt, and every
 * value a valid label value.
 */
function labelRequirementParses(r: NodeSelectorRequirement): boolean {
  const values = r.values ?? [];
  return isQualifiedName(r.key) && valueCountFits(r.operator, values) && values.every(isLabelValue);
}

function valueCountFits(operator: string, values: readonly string[]): boolean {
  switch (operator) {
    case 'In':
    case 'NotIn':
      return values.length > 0;
    case 'Exists':
    case 'DoesNotExist':
      return values.length === 0;
    case 'Gt':
    case 'Lt':
      return values.length === 1 && values.every((v) => parseInt64(v) !== undefined);
    default:
      return false;
  }
}

// --- apimachinery util/validation ------------------------------------------------

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** IsQualifiedName: a name of at most 63 characters, after an optional DNS-1123 subdomain prefix and '/'. */
function isQualifiedName(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const [prefix, name] = parts.length === 2 ? parts : [undefined, key];
  if (prefix !== undefined && !(prefix.length <= 253 && DNS1123_SUBDOMAIN.test(prefix))) return false;
  return name !== undefined && name.length <= 63 && QUALIFIED_NAME.test(name);
}

/** IsValidLabelValue: empty, or at most 63 characters starting and ending alphanumeric. */
function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}
