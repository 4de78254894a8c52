// Kubernetes manifests as `kubectl create -f FILE` reads them: many documents per file, a
// `kind: List` unpacked into its items, every field checked strictly (server-side field
// validation, Strict, as kubectl applies by default), the fields the server sets in a
// `kubectl get -o yaml` dump dropped, and every object of a kind the model stores, by kind.
// Kinds the model does not store, and pod volumes of a type it does not model, are set apart,
// for the caller to refuse or skip (the objects come without those volumes); the API server's
// warnings about volumes are kept, for the caller to print.
import { resourceFor, RESOURCES, type KubeObject, type Resource } from '../../model/resources.ts';
import { fieldPath, strictDecodingErrors } from '../strict-decoding.ts';
import { pathText } from './field.ts';
import { podSpecPath, valueAt } from './pod-spec-path.ts';
import { InputError, type Problem } from './input-error.ts';
import { LoadBudget, OBJECTS_MAX } from './limits.ts';
import { podVolumes } from './pod-volumes.ts';
import { parseYaml, type PathSegment, type YamlDocument } from './yaml-source.ts';

export interface ManifestObject {
  readonly resource: Resource;
  readonly object: KubeObject;
  readonly file: string;
  readonly line: number;
  /** The line of a field of the object, by its path inside the object. */
  readonly lineOf: (path: readonly PathSegment[]) => number;
}

/** An object of a kind the model does not store, or a volume of a type it does not model. */
export interface Unmodelled {
  readonly file: string;
  readonly line: number;
  /** `Ingress "web"`, as kubectl names an object, or `Pod "db": spec.volumes[0].nfs`. */
  readonly what: string;
  /** `kind not modelled by kubeprop`, `volume type nfs is not modelled by kubeprop`. */
  readonly reason: string;
  /** What going on without it leaves out. */
  readonly leftOut: string;
}

export interface ManifestFile {
  readonly objects: readonly ManifestObject[];
  readonly unmodelled: readonly Unmodelled[];
  /** What the API server warns about when the objects are created, as kubectl prints it. */
  readonly warnings: readonly Problem[];
}

/** Metadata only the API server sets: a create must not carry it (resourceVersion is refused). */
const SERVER_SET_METADATA = ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'generation', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

/** What a create sends for an object read from a dump: no server-set metadata, no status (create resets it). */
function asCreated(object: KubeObject): KubeObject {
  const metadata = Object.fromEntries(Object.entries(object.metadata ?? {}).filter(([k]) => !SERVER_SET_METADATA.includes(k)));
  const { status: _status, ...rest } = object;
  return { ...rest, metadata } as KubeObject;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Fields the model cannot represent, each with its path in the object: a tcpSocket lifecycle
 * hook (deprecated; the API server keeps it, and the kubelet fails it when it runs it).
 */
function unmodelledFields(resource: Resource, object: Record<string, unknown>): PathSegment[][] {
  const specPath = podSpecPath(resource);
  if (specPath === null) return [];
  const spec = valueAt(object, specPath);
  if (!isObject(spec)) return [];
  const found: PathSegment[][] = [];
  for (const list of ['initContainers', 'containers']) {
    const containers = Array.isArray(spec[list]) ? spec[list] as unknown[] : [];
    containers.forEach((c, i) => {
      const lifecycle = isObject(c) && isObject(c.lifecycle) ? c.lifecycle : {};
      for (const hook of ['postStart', 'preStop']) {
        const handler = lifecycle[hook];
        if (!isObject(handler) || handler.tcpSocket === undefined) continue;
        found.push([...specPath, list, i, 'lifecycle', hook, 'tcpSocket']);
      }
    });
  }
  return found;
}

/**
 * Reads every object of a manifest file; throws InputError listing every problem in it.
 * `budget` is what the scenario being loaded has left to read and create (a fresh one for a file on its own).
 */
export function loadManifestFile(file: string, budget = new LoadBudget()): ManifestFile {
  const source = parseYaml(file, budget);
  const objects: ManifestObject[] = [];
  const unmodelled: Unmodelled[] = [];
  const warnings: Problem[] = [];
  const problems: Problem[] = [];
  const visit = (doc: YamlDocument, value: unknown, at: readonly PathSegment[]) => {
    const line = doc.lineOf(at);
    if (value === null || value === undefined) return;
    if (!isObject(value)) return void problems.push({ file, line, message: 'not a Kubernetes object: a document must be a map with apiVersion, kind and metadata' });
    const missing = ['apiVersion', 'kind'].filter((k) => typeof value[k] !== 'string' || value[k] === '');
    if (missing.length > 0) return void problems.push({ file, line, message: `error validating data: [${missing.map((k) => `${k} not set`).join(', ')}]` });
    const apiVersion = value.apiVersion as string;
    const kind = value.kind as string;
    if (kind === 'List' && apiVersion === 'v1') {
      if (!Array.isArray(value.items)) return void problems.push({ file, line, message: 'a List needs items' });
      return value.items.forEach((item, i) => visit(doc, item, [...at, 'items', i]));
    }
    const name = isObject(value.metadata) && typeof value.metadata.name === 'string' ? value.metadata.name : '';
    if (budget.objectsLeft-- <= 0) {
      throw new InputError([{ file, line, message: `more than ${OBJECTS_MAX.toLocaleString('en-US')} objects in all: kubeprop creates no more for one scenario` }]);
    }
    const resource = resourceFor(apiVersion, kind);
    if (resource === undefined) {
      const storedAs = (Object.keys(RESOURCES) as Resource[]).find((r) => RESOURCES[r].kind === kind);
      if (storedAs) return void problems.push({ file, line, message: `no matches for kind "${kind}" in version "${apiVersion}" (the model serves ${kind} as ${RESOURCES[storedAs].apiVersion})` });
      return void unmodelled.push({ file, line, what: `${kind} ${JSON.stringify(name)}`, reason: 'kind not modelled by kubeprop', leftOut: 'left out of the run' });
    }
    const decoding = strictDecodingErrors(value);
    for (const error of decoding) {
      problems.push({ file, line: doc.lineOf([...at, ...error.path]), message: `${kind} ${JSON.stringify(name)}: ${error.message}` });
    }
    for (const path of unmodelledFields(resource, value)) {
      problems.push({ file, line: doc.lineOf([...at, ...path]), message: `${kind} ${JSON.stringify(name)}: ${pathText(path)}: not modelled by kubeprop (a tcpSocket lifecycle hook is deprecated, and the kubelet fails it when it runs it)` });
    }
    if (!isObject(value.metadata) || (!name && typeof value.metadata.generateName !== 'string')) {
      return void problems.push({ file, line, message: `${kind}: metadata.name: Required value: name or generateName is required` });
    }
    // Volumes are judged only in an object that decodes: its volumes are then a list of Volume.
    if (decoding.length > 0) return;
    const volumes = podVolumes(resource, asCreated(value as KubeObject));
    const what = (path: readonly PathSegment[]) => `${kind} ${JSON.stringify(name)}: ${fieldPath(path)}`;
    for (const v of volumes.unmodelled) {
      unmodelled.push({ file, line: doc.lineOf([...at, ...v.path]), what: what(v.path), reason: v.message, leftOut: 'left out of the run, with the volumeMounts that name it' });
    }
    for (const w of volumes.warnings) warnings.push({ file, line: doc.lineOf([...at, ...w.path]), message: `${kind} ${JSON.stringify(name)}: Warning: ${w.message}` });
    objects.push({ resource, object: volumes.object, file, line, lineOf: (path) => doc.lineOf([...at, ...path]) });
  };
  for (const doc of source.documents) visit(doc, doc.value, []);
  if (problems.length > 0) throw new InputError(problems);
  return { objects, unmodelled, warnings };
}
