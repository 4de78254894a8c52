// What the API server checks in every object's metadata, and in the label maps and selectors
// objects carry elsewhere, with upstream's field paths and texts: k8s.io/apimachinery
// pkg/api/validation/objectmeta.go (ValidateObjectMetaAccessor: generateName, name,
// namespace, labels, annotations and their 256 KiB, ownerReferences, finalizers),
// pkg/apis/meta/v1/validation (ValidateLabels, ValidateLabelSelector), and
// pkg/apis/core/validation ValidateObjectMeta (validateKubeFinalizerName).
import type { LabelSelector, ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { FieldError } from './api-status.ts';
import { labelValueErrors, objectNameErrors, qualifiedNameErrors, utf8Bytes } from './validation-format.ts';
import { RESOURCES, type Resource } from './resources.ts';

/** TotalAnnotationSizeLimitB: keys and values of an object's annotations, in bytes. */
const ANNOTATIONS_BYTES_MAX = 256 << 10;

/** The finalizers Kubernetes itself defines (helper.IsStandardFinalizerName); any other must be qualified (`example.com/name`). */
const STANDARD_FINALIZERS = ['kubernetes', 'orphan', 'foregroundDeletion'];

/** ValidateLabelName: each of IsQualifiedName's messages, at `field`. */
export function checkLabelName(key: string, field: string, out: FieldError[]): void {
  for (const detail of qualifiedNameErrors(key)) out.push({ field, type: 'Invalid', value: key, detail });
}

/** ValidateLabels: every key and every value, each message its own error, all at `field` (the map's path, not the key's). */
export function checkLabels(labels: Readonly<Record<string, string>> | undefined, field: string, out: FieldError[]): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    checkLabelName(key, field, out);
    for (const detail of labelValueErrors(value)) out.push({ field, type: 'Invalid', value, detail });
  }
}

/** ValidateAnnotations: keys as qualified names, case aside; keys and values 256 KiB in all. */
export function checkAnnotations(annotations: Readonly<Record<string, string>> | undefined, field: string, out: FieldError[]): void {
  let bytes = 0;
  for (const [key, value] of Object.entries(annotations ?? {})) {
    for (const detail of qualifiedNameErrors(key.toLowerCase())) out.push({ field, type: 'Invalid', value: key, detail });
    bytes += utf8Bytes(key) + utf8Bytes(value);
  }
  if (bytes > ANNOTATIONS_BYTES_MAX) out.push({ field, type: 'TooLong', detail: `may not be more than ${ANNOTATIONS_BYTES_MAX} bytes` });
}

/** ValidateLabelSelector: matchLabels as labels; each expression's operator, its values by operator, its key, and each value as a label value. */
export function checkLabelSelector(selector: LabelSelector, field: string, out: FieldError[]): void {
  checkLabels(selector.matchLabels, `${field}.matchLabels`, out);
  (selector.matchExpressions ?? []).forEach((e, i) => {
    const at = `${field}.matchExpressions[${i}]`;
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In': case 'NotIn':
        if (values.length === 0) out.push({ field: `${at}.values`, type: 'Required', detail: "must be specified when `operator` is 'In' or 'NotIn'" });
        break;
      case 'Exists': case 'DoesNotExist':
        if (values.length > 0) out.push({ field: `${at}.values`, type: 'Forbidden', detail: "may not be specified when `operator` is 'Exists' or 'DoesNotExist'" });
        break;
      default: out.push({ field: `${at}.operator`, type: 'Invalid', value: e.operator, detail: 'not a valid selector operator' });
    }
    checkLabelName(e.key, `${at}.key`, out);
    values.forEach((v, j) => {
      for (const detail of labelValueErrors(v)) out.push({ field: `${at}.values[${j}]`, type: 'Invalid', value: v, detail });
    });
  });
}

/** ValidateObjectMeta of a new object of `resource` (its name already generated from generateName, as the registry does before validating). */
export function checkObjectMeta(resource: Resource, meta: ObjectMeta, out: FieldError[]): void {
  const info = RESOURCES[resource];
  if (meta.generateName) {
    for (const detail of objectNameErrors(info.nameFormat, meta.generateName, true)) out.push({ field: 'metadata.generateName', type: 'Invalid', value: meta.generateName, detail });
  }
  if (!meta.name) out.push({ field: 'metadata.name', type: 'Required', detail: 'name or generateName is required' });
  else for (const detail of objectNameErrors(info.nameFormat, meta.name, false)) out.push({ field: 'metadata.name', type: 'Invalid', value: meta.name, detail });
  if (info.namespaced) {
    if (!meta.namespace) out.push({ field: 'metadata.namespace', type: 'Required' });
    else for (const detail of objectNameErrors('dns1123Label', meta.namespace, false)) out.push({ field: 'metadata.namespace', type: 'Invalid', value: meta.namespace, detail });
  }
  checkLabels(meta.labels, 'metadata.labels', out);
  checkAnnotations(meta.annotations, 'metadata.annotations', out);
  // ValidateOwnerReferences: each reference's fields, reported at the list's path (not the item's),
  // then every controller reference after the first.
  let firstController: string | undefined;
  const references = meta.ownerReferences ?? [];
  for (const r of references) {
    const parts = (r.apiVersion ?? '').split('/');
    const version = parts.length === 1 ? parts[0] : parts.length === 2 ? parts[1] : '';
    if (!version) out.push({ field: 'metadata.ownerReferences.apiVersion', type: 'Invalid', value: r.apiVersion ?? '', detail: 'version must not be empty' });
    if (!r.kind) out.push({ field: 'metadata.ownerReferences.kind', type: 'Invalid', value: '', detail: 'must not be empty' });
    if (!r.name) out.push({ field: 'metadata.ownerReferences.name', type: 'Invalid', value: '', detail: 'must not be empty' });
    if (!r.uid) out.push({ field: 'metadata.ownerReferences.uid', type: 'Invalid', value: '', detail: 'must not be empty' });
    if (r.controller !== true) continue;
    if (firstController === undefined) firstController = `${r.kind}/${r.name}`;
    else {
      out.push({ field: 'metadata.ownerReferences', type: 'Invalid', value: references,
        detail: `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${r.kind}/${r.name}` });
    }
  }
  const finalizers = meta.finalizers ?? [];
  for (const f of finalizers) for (const detail of qualifiedNameErrors(f)) out.push({ field: 'metadata.finalizers', type: 'Invalid', value: f, detail });
  finalizers.forEach((f, i) => {
    // validateKubeFinalizerName checks the qualified name again, at the item's path, then asks for a domain.
    for (const detail of qualifiedNameErrors(f)) out.push({ field: `metadata.finalizers[${i}]`, type: 'Invalid', value: f, detail });
    if (!f.includes('/') && !STANDARD_FINALIZERS.includes(f)) {
      out.push({ field: `metadata.finalizers[${i}]`, type: 'Invalid', value: f, detail: 'name is neither a standard finalizer name nor is it fully qualified' });
    }
  });
}
