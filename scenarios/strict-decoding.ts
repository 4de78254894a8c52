// Strict decoding of Kubernetes manifests, as the API server does it when `kubectl apply
// --validate=strict` asks for server-side field validation (fieldValidation=Strict): the
// object is decoded into its Go type with sigs.k8s.io/json, which reports a JSON value of
// the wrong type (`json: cannot unmarshal ...`) and every field the type does not have
// (`strict decoding error: unknown field "spec.containers[0].volumes"`).
//
// The field schema is read from the `kubernetes-types` package's .d.ts files, parsed at
// the first call and cached. Their grammar is small and regular; a line this parser does
// not understand is an error naming the file, never skipped.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix } from 'node:path';

export type PathSegment = string | number;

export interface DecodingError {
  /** Where, as segments: ['spec','containers',0,'volumes']. */
  readonly path: readonly PathSegment[];
  /** The whole message as the API server words it (without its `Pod in version "v1" cannot be handled as a Pod: ` prefix). */
  readonly message: string;
}

/**
 * The decoding errors of an object of a kind whose schema is known (v1 Pod, ConfigMap,
 * Secret, Service, Endpoints, Node, Namespace; apps/v1 Deployment, ReplicaSet;
 * coordination.k8s.io/v1 Lease), type errors first (one per value), then one error for
 * all the unknown fields in document order. [] for any other apiVersion/kind.
 *
 * Unlike the API server, which stops at the first type error and then reports no unknown
 * field, this reports them all.
 */
export function strictDecodingErrors(object: { apiVersion?: unknown; kind?: unknown } & Record<string, unknown>): DecodingError[] {
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return [];
  const struct = schema().get(`${apiVersion} ${kind}`);
  if (!struct) return [];
  const walk: Walk = { typeErrors: [], unknown: [] };
  decodeStruct(struct, object, [], [], walk);
  const errors = [...walk.typeErrors];
  const first = walk.unknown[0];
  if (first) {
    // sigs.k8s.io/json keeps at most 100 of them.
    const fields = walk.unknown.slice(0, 100).map((path) => `unknown field ${goQuote(fieldPath(path))}`);
    errors.push({ path: first, message: `strict decoding error: ${fields.join(', ')}` });
  }
  return errors;
}

/** kubectl's field path: spec.containers[0].volumes (a map key is a segment like a field name). */
export function fieldPath(path: readonly PathSegment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

// ---------------------------------------------------------------------------------------
// The kinds, and what the .d.ts files cannot say

/** apiVersion -> the kubernetes-types module declaring its kinds (checked against their `kind?: "Pod"` fields). */
const KINDS: Readonly<Record<string, { readonly module: string; readonly kinds: readonly string[] }>> = {
  v1: { module: 'core/v1', kinds: ['Pod', 'ConfigMap', 'Secret', 'Service', 'Endpoints', 'Node', 'Namespace'] },
  'apps/v1': { module: 'apps/v1', kinds: ['Deployment', 'ReplicaSet'] },
  'coordination.k8s.io/v1': { module: 'coordination/v1', kinds: ['Lease'] },
};

/**
 * What the .d.ts files cannot say, from k8s.io/api and k8s.io/apimachinery's types.go (the
 * structs the kinds above reach, as of kubernetes-types 1.30): every integer is a `number`
 * there, and an int32 in Go but for these int64 fields; and these maps hold []byte
 * (base64 in JSON), not strings.
 */
const GO_FIELDS: ReadonlyMap<string, 'int64' | 'bytes'> = new Map([
  ...[
    'ObjectMeta.deletionGracePeriodSeconds', 'ObjectMeta.generation', 'Condition.observedGeneration',
    'PodSpec.activeDeadlineSeconds', 'PodSpec.terminationGracePeriodSeconds', 'Probe.terminationGracePeriodSeconds',
    'SleepAction.seconds', 'Toleration.tolerationSeconds', 'ServiceAccountTokenProjection.expirationSeconds',
    'PodSecurityContext.runAsUser', 'PodSecurityContext.runAsGroup', 'PodSecurityContext.fsGroup',
    'PodSecurityContext.supplementalGroups', 'SecurityContext.runAsUser', 'SecurityContext.runAsGroup',
    'ContainerImage.sizeBytes', 'DeploymentStatus.observedGeneration', 'ReplicaSetStatus.observedGeneration',
  ].map((f) => [f, 'int64'] as const),
  ['Secret.data', 'bytes'],
  ['ConfigMap.binaryData', 'bytes'],
]);

/**
 * Fields of k8s.io/api newer than kubernetes-types 1.30, as core/v1 types.go declares them in
 * Kubernetes 1.34 (the API has them whatever the gates say; the API server drops the ones whose
 * gate is off): a container's restartPolicyRules (KEP-5307), each an action and the exit codes it
 * is for (ContainerRestartRule, ContainerRestartRuleOnExitCodes: an operator and []int32 values).
 * Written as a .d.ts would write them, and added to the module's interfaces as it is parsed.
 */
const NEWER_FIELDS: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>> = {
  'core/v1': {
    Container: { restartPolicyRules: 'Array<ContainerRestartRule>' },
    ContainerRestartRule: { action: 'string', exitCodes: 'ContainerRestartRuleOnExitCodes' },
    ContainerRestartRuleOnExitCodes: { operator: 'string', values: 'Array<number>' },
  },
};

/** resource.Quantity's UnmarshalJSON error for anything but a string or a number (ParseQuantity's ErrFormatWrong). */
const QUANTITY_FORMAT = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

// ---------------------------------------------------------------------------------------
// Decoding

type Type =
  | { readonly t: 'string' | 'bytes' | 'boolean' | 'intOrString' | 'quantity' | 'any' }
  | { readonly t: 'integer'; readonly go: 'int32' | 'int64' }
  | { readonly t: 'array' | 'map'; readonly of: Type }
  | { readonly t: 'struct'; readonly struct: Struct };

interface Struct {
  /** The Go type's name, as in `Go struct field DeploymentSpec.spec.replicas`. */
  readonly name: string;
  /** Its package, as in `of type v1.DeploymentSpec`. */
  readonly pkg: string;
  readonly fields: Map<string, Type>;
}

interface Walk {
  readonly typeErrors: DecodingError[];
  readonly unknown: PathSegment[][];
}

/** Where a value sits for encoding/json: the innermost struct, and the JSON field names from the root (no indices, no map keys). */
interface GoContext {
  readonly struct: string;
  readonly fields: readonly string[];
}

function decodeStruct(struct: Struct, value: object, path: PathSegment[], fields: readonly string[], walk: Walk): void {
  for (const [key, v] of Object.entries(value)) {
    const type = struct.fields.get(key); // sigs.k8s.io/json matches field names case-sensitively
    if (type) decodeValue(type, v, [...path, key], { struct: struct.name, fields: [...fields, key] }, walk);
    else walk.unknown.push([...path, key]); // and its value is skipped
  }
}

function decodeValue(type: Type, value: unknown, path: PathSegment[], go: GoContext, walk: Walk): void {
  if (value === null || value === undefined) return; // JSON null: the field is absent
  const json = jsonKind(value);
  switch (type.t) {
    case 'any':
      return;
    case 'string':
      if (json !== 'string') typeError(walk, path, go, json, 'string');
      return;
    case 'bytes': { // a []byte is a base64 string in JSON
      const at = json === 'string' ? base64ErrorAt(value as string) : undefined;
      if (json !== 'string') typeError(walk, path, go, json, '[]uint8');
      else if (at !== undefined) walk.typeErrors.push({ path, message: `illegal base64 data at input byte ${at}` });
      return;
    }
    case 'boolean':
      if (json !== 'bool') typeError(walk, path, go, json, 'bool');
      return;
    case 'integer':
    case 'intOrString': { // IntOrString's UnmarshalJSON decodes anything but a string into an int32
      const goType = type.t === 'integer' ? type.go : 'int32';
      if (json === 'number') {
        if (!fits(Number(value), goType)) typeError(walk, path, go, `number ${String(value)}`, goType);
      } else if (!(json === 'string' && type.t === 'intOrString')) typeError(walk, path, go, json, goType);
      return;
    }
    case 'quantity':
      if (json !== 'string' && json !== 'number') walk.typeErrors.push({ path, message: QUANTITY_FORMAT });
      return;
    case 'array':
      if (!Array.isArray(value)) typeError(walk, path, go, json, goName(type));
      else for (let i = 0; i < value.length; i++) decodeValue(type.of, value[i], [...path, i], go, walk);
      return;
    case 'map':
      if (json !== 'object') typeError(walk, path, go, json, goName(type));
      else for (const [k, v] of Object.entries(value as object)) decodeValue(type.of, v, [...path, k], go, walk);
      return;
    case 'struct':
      if (json !== 'object') typeError(walk, path, go, json, goName(type));
      else decodeStruct(type.struct, value as object, path, go.fields, walk);
      return;
  }
}

function typeError(walk: Walk, path: PathSegment[], go: GoContext, what: string, goType: string): void {
  const message = `json: cannot unmarshal ${what} into Go struct field ${go.struct}.${go.fields.join('.')} of type ${goType}`;
  walk.typeErrors.push({ path, message });
}

/** The JSON type of a value, as encoding/json names it in its messages. */
function jsonKind(value: unknown): 'string' | 'number' | 'bool' | 'array' | 'object' {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number' || typeof value === 'bigint') return 'number';
  if (typeof value === 'boolean') return 'bool';
  return Array.isArray(value) ? 'array' : 'object';
}

function fits(n: number, go: 'int32' | 'int64'): boolean {
  const bound = go === 'int32' ? 2 ** 31 : 2 ** 63;
  return Number.isInteger(n) && n >= -bound && n < bound;
}

/** The Go type's name, as reflect prints it. A named Go string type (v1.Protocol) is only `string` here. */
function goName(type: Type): string {
  switch (type.t) {
    case 'string': return 'string';
    case 'bytes': return '[]uint8';
    case 'boolean': return 'bool';
    case 'integer': return type.go;
    case 'intOrString': return 'intstr.IntOrString';
    case 'quantity': return 'resource.Quantity';
    case 'any': return 'interface {}';
    case 'array': return `[]${goName(type.of)}`;
    // Every map of quantities in k8s.io/api is a v1.ResourceList.
    case 'map': return type.of.t === 'quantity' ? 'v1.ResourceList' : `map[string]${goName(type.of)}`;
    case 'struct': return `${type.struct.pkg}.${type.struct.name}`;
  }
}

/** Where Go's base64.StdEncoding.Decode finds the input corrupt (a byte offset), or undefined. */
function base64ErrorAt(text: string): number | undefined {
  const src = Buffer.from(text, 'utf8');
  const newline = (at: number) => src[at] === 0x0a || src[at] === 0x0d; // skipped
  const skipNewlines = (at: number) => { while (at < src.length && newline(at)) at++; return at; };
  let si = 0;
  for (;;) { // one quantum of 4 characters
    for (let j = 0; j < 4; j++) {
      if (si === src.length) return j === 0 ? undefined : si - j;
      const c = src[si++]!;
      if (BASE64.has(c)) continue;
      if (newline(si - 1)) { j--; continue; }
      if (c !== 0x3d || j < 2) return si - 1; // not '=', or padding too early
      if (j === 2) { // "==" expected
        si = skipNewlines(si);
        if (si === src.length) return si;
        if (src[si] !== 0x3d) return si - 1;
        si++;
      }
      si = skipNewlines(si);
      return si < src.length ? si : undefined;
    }
  }
}
const BASE64 = new Set(Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'));

/** Go's strconv.Quote, enough for field paths. */
function goQuote(s: string): string {
  const escaped = s.replace(/[\\"\x00-\x1f\x7f]/g, (c) => {
    const named: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\t': '\\t', '\r': '\\r' };
    return named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
  return `"${escaped}"`;
}

// ---------------------------------------------------------------------------------------
// The schema, parsed from kubernetes-types

/** A type as a .d.ts line writes it, before names are resolved. */
type Written =
  | { readonly t: 'string' | 'number' | 'boolean' | 'intOrString' }
  | { readonly t: 'literal'; readonly value: string }
  | { readonly t: 'array' | 'map'; readonly of: Written }
  | { readonly t: 'name'; readonly name: string };

interface Module {
  /** 'core/v1': the file's path in the package, without .d.ts. */
  readonly id: string;
  /** name -> the module it is imported from */
  readonly imports: Map<string, string>;
  /** `export type Quantity = string;` */
  readonly aliases: Set<string>;
  /** interface name -> field name -> its type */
  readonly interfaces: Map<string, Map<string, Written>>;
}

let cachedSchema: Map<string, Struct> | undefined;
let packageRoot: string | undefined;
const modules = new Map<string, Module>();
const structs = new Map<string, Struct>();

/** `${apiVersion} ${kind}` -> the struct to decode it with. */
function schema(): Map<string, Struct> {
  if (cachedSchema) return cachedSchema;
  const kinds = new Map<string, Struct>();
  for (const [apiVersion, { module: id, kinds: names }] of Object.entries(KINDS)) {
    const module = loadModule(id);
    for (const kind of names) {
      const fields = module.interfaces.get(kind);
      const literal = (f: string) => { const w = fields?.get(f); return w?.t === 'literal' ? w.value : undefined; };
      if (literal('kind') !== kind || literal('apiVersion') !== apiVersion) {
        throw new Error(`${fileOf(id)}: no interface ${kind} with kind "${kind}" and apiVersion "${apiVersion}"`);
      }
      kinds.set(`${apiVersion} ${kind}`, structOf(module, kind));
    }
  }
  return (cachedSchema = kinds);
}

function fileOf(id: string): string {
  packageRoot ??= dirname(createRequire(import.meta.url).resolve('kubernetes-types/package.json'));
  return join(packageRoot, `${id}.d.ts`);
}

function loadModule(id: string): Module {
  let module = modules.get(id);
  if (!module) {
    const file = fileOf(id);
    module = parseModule(id, file, readFileSync(file, 'utf8'));
    for (const [name, fields] of Object.entries(NEWER_FIELDS[id] ?? {})) {
      const declared = module.interfaces.get(name) ?? new Map<string, Written>();
      for (const [field, written] of Object.entries(fields)) declared.set(field, parseWritten(written)!);
      module.interfaces.set(name, declared);
    }
    modules.set(id, module);
  }
  return module;
}

/** The struct for an interface; its fields are resolved (recursively, once) when it is first asked for. */
function structOf(module: Module, name: string): Struct {
  const key = `${module.id}#${name}`;
  let struct = structs.get(key);
  if (!struct) {
    const fields = new Map<string, Type>();
    struct = { name, pkg: posix.basename(module.id), fields };
    structs.set(key, struct); // before resolving the fields: types may be recursive
    for (const [field, written] of module.interfaces.get(name) ?? []) {
      fields.set(field, resolve(module, written, GO_FIELDS.get(`${name}.${field}`)));
    }
  }
  return struct;
}

/** `go` is what GO_FIELDS says of the field, for the strings or numbers in its type. */
function resolve(module: Module, written: Written, go: 'int64' | 'bytes' | undefined): Type {
  switch (written.t) {
    case 'string': case 'literal': return { t: go === 'bytes' ? 'bytes' : 'string' };
    case 'number': return { t: 'integer', go: go === 'int64' ? 'int64' : 'int32' };
    case 'boolean': case 'intOrString': return { t: written.t };
    case 'array': case 'map': return { t: written.t, of: resolve(module, written.of, go) };
    case 'name': {
      const fields = module.interfaces.get(written.name);
      // An empty interface (FieldsV1, RawExtension) holds any JSON.
      if (fields) return fields.size === 0 ? { t: 'any' } : { t: 'struct', struct: structOf(module, written.name) };
      if (module.aliases.has(written.name)) return { t: written.name === 'Quantity' ? 'quantity' : 'string' };
      const from = module.imports.get(written.name);
      if (from) return resolve(loadModule(from), written, go);
      throw new Error(`${fileOf(module.id)}: type ${written.name} is neither declared nor imported`);
    }
  }
}

const IMPORT = /^import \{ (\w+(?:, \w+)*) \} from "(\.\.?\/[\w/]+)";$/;
const ALIAS = /^export type (\w+) = (.*);$/;
const INTERFACE = /^export interface (\w+) \{$/;
const FIELD = /^ {4}(?:readonly )?([\w$]+)\??: (.+);$/;
const MAP_OPEN = /^ {4}(?:readonly )?([\w$]+)\??: \{$/;
const MAP_VALUE = /^ {8}\[name: string\]: (.+);$/;

/** Parses one .d.ts file of kubernetes-types; throws on a line it does not understand. */
function parseModule(id: string, file: string, text: string): Module {
  const module: Module = { id, imports: new Map(), aliases: new Set(), interfaces: new Map() };
  let fields: Map<string, Written> | undefined; // inside `export interface X {`
  let map: { name: string; value?: Written } | undefined; // inside `field?: {`
  let inComment = false;
  const lines = text.split('\n');
  let i = 0;
  let line = '';
  const fail = (why: string): never => {
    throw new Error(`${file}:${i + 1}: ${why}: ${JSON.stringify(line)}`);
  };
  const type = (written: string): Written => parseWritten(written) ?? fail(`cannot read the type ${JSON.stringify(written)}`);
  for (; i < lines.length; i++) {
    line = lines[i]!;
    const trimmed = line.trim();
    let m: RegExpMatchArray | null;
    if (inComment || trimmed.startsWith('/*')) {
      inComment = !trimmed.endsWith('*/');
    } else if (trimmed === '') {
      // nothing
    } else if (map) {
      if ((m = MAP_VALUE.exec(line)) && !map.value) map.value = type(m[1]!);
      else if (line === '    };' && map.value) {
        fields!.set(map.name, { t: 'map', of: map.value });
        map = undefined;
      } else fail('not understood in a map type');
    } else if (fields) {
      if ((m = MAP_OPEN.exec(line))) map = { name: m[1]! };
      else if ((m = FIELD.exec(line))) fields.set(m[1]!, type(m[2]!));
      else if (line === '}') fields = undefined;
      else fail('not understood in an interface');
    } else if ((m = IMPORT.exec(line))) {
      const from = posix.join(posix.dirname(id), m[2]!);
      for (const name of m[1]!.split(', ')) module.imports.set(name, from);
    } else if ((m = ALIAS.exec(line))) {
      if (m[2] !== 'string') fail('only aliases of string are understood');
      module.aliases.add(m[1]!);
    } else if ((m = INTERFACE.exec(line))) {
      fields = new Map();
      module.interfaces.set(m[1]!, fields);
    } else fail('not understood');
  }
  if (inComment || fields || map) throw new Error(`${file}: ends inside a ${inComment ? 'comment' : 'declaration'}`);
  return module;
}

function parseWritten(written: string): Written | undefined {
  if (written === 'string' || written === 'number' || written === 'boolean') return { t: written };
  if (written === 'number | string') return { t: 'intOrString' };
  let m: RegExpMatchArray | null;
  if ((m = /^"([^"]*)"$/.exec(written))) return { t: 'literal', value: m[1]! };
  if ((m = /^Array<(.+)>$/.exec(written))) {
    const of = parseWritten(m[1]!);
    return of && { t: 'array', of };
  }
  if (/^\w+$/.test(written)) return { t: 'name', name: written };
  return undefined;
}
