// A YAML file as loading needs it: its documents as plain values, and the line each field
// is written on, so that every problem found later in a value can name its line.
import { readFileSync } from 'node:fs';
import { isMap, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import { InputError, type Problem } from './input-error.ts';

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

/** Reads a file that must exist. */
export function readSource(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : code ?? (e as Error).message;
    throw new InputError([{ file, message: `cannot read: ${reason}` }]);
  }
}

/** Parses every document of `file`; a syntax error anywhere is reported with its line and column. */
export function parseYaml(file: string, text = readSource(file)): YamlSource {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: true });
  const docs = Array.isArray(parsed) ? parsed : [parsed];
  const problems: Problem[] = [];
  for (const doc of docs) {
    for (const error of doc.errors) {
      const at = error.linePos?.[0];
      problems.push({ file, ...(at ? { line: at.line } : {}), message: `YAML syntax error: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}${at ? ` (column ${at.col})` : ''}` });
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  return {
    file,
    documents: docs.map((doc) => ({
      value: doc.toJS() as unknown,
      line: lineAt(doc.contents?.range?.[0] ?? doc.range[0]),
      lineOf: (path) => lineAt(offsetOf(doc, path)),
    })),
  };
}

/** The offset of the deepest node along `path`: a map entry's key, a list's item. */
function offsetOf(doc: Document, path: readonly PathSegment[]): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === segment);
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
