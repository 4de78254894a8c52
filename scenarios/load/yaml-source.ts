// A YAML file as loading needs it: its documents as plain values, and the line each field
// is written on, so that every problem found later in a value can name its line. Reading is
// bounded (limits.ts): the file is read only if it is a regular file within the bytes left,
// documents are composed one at a time and no more than OBJECTS_MAX of them, the parser is
// stopped before it nests deeper than YAML_NESTING_MAX, and a document's aliases are checked
// (each names an earlier anchor outside its own value, and together they stand for at most
// YAML_ALIAS_VALUES_MAX values) before it is turned into plain values.
import {
  Composer, isAlias, isCollection, isMap, isNode, isPair, isScalar, isSeq, Lexer, LineCounter, Parser,
  type Document, type Node, type Pair, type YAMLMap,
} from 'yaml';
import { InputError, type Problem } from './input-error.ts';
import { LoadBudget, OBJECTS_MAX, YAML_ALIAS_VALUES_MAX, YAML_BYTES_MAX, YAML_NESTING_MAX } from './limits.ts';
import { bytesText, readTextFile } from './read-file.ts';

export type PathSegment = string | number;

export interface YamlDocument {
  readonly value: unknown;
  /** The line of the document's first content. */
  readonly line: number;
  /** The line where the field at `path` is written (its key, for a map entry), or of its nearest written ancestor. */
  lineOf(path: readonly PathSegment[]): number;
}

export interface YamlSource {
  readonly file: string;
  readonly documents: readonly YamlDocument[];
}

/** Reads a file that must exist, within what `budget` has left of its bytes. */
function readSource(file: string, budget: LoadBudget): string {
  const read = readTextFile(file, budget.bytesLeft);
  if ('text' in read) {
    budget.bytesLeft -= Buffer.byteLength(read.text);
    return read.text;
  }
  let reason = read.reason;
  if (read.tooLarge) {
    // Too large on its own, or only for what the scenario's files read before it have left.
    const alone = budget.bytesLeft === YAML_BYTES_MAX || read.tooLarge.bytes === undefined || read.tooLarge.bytes > YAML_BYTES_MAX;
    reason = alone ? `is larger than the ${bytesText(YAML_BYTES_MAX)} kubeprop reads`
      : `is larger than the ${bytesText(budget.bytesLeft)} left of the ${bytesText(YAML_BYTES_MAX)} of YAML kubeprop reads for one scenario`;
  }
  throw new InputError([{ file, message: `cannot read: ${reason}` }]);
}

const COLLECTIONS = new Set(['block-map', 'block-seq', 'flow-collection']);

/**
 * The parser's tokens for `text`, fed one lexeme at a time (as Parser.parse does) so that its
 * nesting is checked after each: the parser keeps one entry per open collection on its stack
 * and unwinds them recursively, so a deep enough file would exhaust the call stack.
 */
function* boundedTokens(file: string, text: string, lineCounter: LineCounter) {
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0);
  for (const lexeme of new Lexer().lex(text)) {
    yield* parser.next(lexeme);
    // The stack holds the document, then collections, then at most a scalar being read.
    if (parser.stack.length > YAML_NESTING_MAX + 1 && parser.stack.filter((t) => COLLECTIONS.has(t.type)).length > YAML_NESTING_MAX) {
      throw new InputError([{
        file, line: lineCounter.lineStarts.length,
        message: `YAML nested more than ${YAML_NESTING_MAX} levels deep: kubeprop reads no deeper (a Kubernetes object nests about ten)`,
      }]);
    }
  }
  yield* parser.end();
}

/**
 * Problems the composer does not report, found in one walk of the document: duplicate keys
 * (the composer's own check compares each key with every earlier one, which a map of many
 * thousand keys turns into minutes), aliases to no earlier anchor or into their own anchor's
 * value (which toJS would throw on, or turn into a cycle), and aliases standing for too much.
 * `problem` takes the offset of the offending node, and whether its column means anything.
 */
function structureProblems(doc: Document.Parsed, problem: (offset: number, message: string, column?: false) => void): void {
  const anchors = new Map<string, Node>();
  /** Values under each node walked, aliases counted as what they stand for (saturating above the bound). */
  const sizes = new Map<Node, number>();
  const open = new Set<Node>();
  let aliasValues = 0;
  const cap = (n: number) => Math.min(n, YAML_ALIAS_VALUES_MAX + 1);
  const size = (node: unknown): number => {
    if (!isNode(node)) return 0;
    const offset = node.range?.[0] ?? 0;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target === undefined) return (problem(offset, `YAML syntax error: Unresolved alias (the anchor must be set before the alias): ${node.source}`), 1);
      if (open.has(target)) return (problem(offset, `YAML syntax error: alias *${node.source} is inside the value of its own anchor, which would contain itself`), 1);
      const n = sizes.get(target) ?? 1;
      aliasValues = cap(aliasValues + n);
      return n;
    }
    if (node.anchor) anchors.set(node.anchor, node);
    let n = 1;
    if (isCollection(node)) {
      open.add(node);
      const keys = isMap(node) ? new Set<unknown>() : undefined;
      for (const item of node.items as unknown[]) {
        if (!isPair(item)) {
          n = cap(n + size(item));
          continue;
        }
        n = cap(n + size(item.key) + size(item.value));
        if (keys && isScalar(item.key)) {
          if (keys.has(item.key.value)) problem(item.key.range?.[0] ?? offset, 'YAML syntax error: Map keys must be unique');
          keys.add(item.key.value);
        }
      }
      open.delete(node);
    }
    sizes.set(node, n);
    return n;
  };
  size(doc.contents);
  if (aliasValues > YAML_ALIAS_VALUES_MAX) {
    problem(doc.contents?.range?.[0] ?? doc.range[0],
      `YAML aliases in this document stand for more than ${YAML_ALIAS_VALUES_MAX.toLocaleString('en-US')} values in all: kubeprop expands no more (a "billion laughs" document)`, false);
  }
}

/**
 * Parses every document of `file`; a syntax error anywhere is reported with its line and
 * column. `budget` is what the scenario being loaded has left to read (a fresh one for a file on its own).
 */
export function parseYaml(file: string, budget = new LoadBudget()): YamlSource {
  const text = readSource(file, budget);
  const lineCounter = new LineCounter();
  const problems: Problem[] = [];
  const report = (offset: number, message: string, column?: false) => {
    const at = lineCounter.linePos(offset);
    problems.push({ file, line: at.line, message: column === false ? message : `${message} (column ${at.col})` });
  };
  const docs: Document.Parsed[] = [];
  // Duplicate keys are found by structureProblems, in linear time. Merge keys (`<<: *base`) are
  // YAML 1.1's, which kubectl's YAML reader (go-yaml, through sigs.k8s.io/yaml) resolves.
  for (const doc of new Composer({ uniqueKeys: false, merge: true }).compose(boundedTokens(file, text, lineCounter))) {
    if (docs.length === OBJECTS_MAX) {
      throw new InputError([{ file, line: lineCounter.linePos(doc.range[0]).line, message: `more than ${OBJECTS_MAX.toLocaleString('en-US')} YAML documents: kubeprop reads no more from one file` }]);
    }
    docs.push(doc);
    for (const error of doc.errors) report(error.pos[0], `YAML syntax error: ${error.message.split('\n')[0]!}`);
    if (doc.errors.length === 0) structureProblems(doc, report);
  }
  if (problems.length > 0) throw new InputError(problems);
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  return {
    file,
    documents: docs.map((doc) => ({
      // Aliases are bounded above, and the library's own bound would refuse what kubectl takes
      // (it counts each use of an anchor: a value used 101 times).
      value: doc.toJS({ maxAliasCount: -1 }) as unknown,
      line: lineAt(doc.contents?.range?.[0] ?? doc.range[0]),
      lineOf: (path) => lineAt(offsetOf(doc, path)),
    })),
  };
}

/** Each map's pairs by key, built on first use: a map of many keys is searched as often as it has problems. */
const pairsByKey = new WeakMap<YAMLMap, Map<unknown, Pair>>();

function pairOf(map: YAMLMap, key: PathSegment): Pair | undefined {
  let index = pairsByKey.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items) {
      const k = (pair.key as { value?: unknown } | null)?.value;
      if (!index.has(k)) index.set(k, pair);
    }
    pairsByKey.set(map, index);
  }
  return index.get(key);
}

/** The offset of the deepest node along `path`: a map entry's key, a list's item. */
function offsetOf(doc: Document, path: readonly PathSegment[]): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = pairOf(node, segment);
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      node = node.items[segment];
      offset = (node as Node).range?.[0] ?? offset;
    } else {
      break;
    }
  }
  return offset;
}
