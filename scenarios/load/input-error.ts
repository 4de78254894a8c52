// Bad input, reported as a compiler reports it: one line per problem, each naming the file,
// the line and the field, then the reason. The command line prints them and exits 2.
import { relative } from 'node:path';

export interface Problem {
  readonly file: string;
  /** 1-based; absent when the problem is the whole file's. */
  readonly line?: number;
  readonly message: string;
}

/** Problems beyond this many are summarised: the first ones are what a person fixes first. */
const PROBLEMS_SHOWN_MAX = 20;

export class InputError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(formatProblems(problems));
  }
}

/** A path as a person reads it: relative to the working directory when inside it. */
function displayPath(file: string): string {
  const shown = relative(process.cwd(), file);
  return shown.startsWith('..') || shown === '' ? file : shown;
}

export function formatProblem(p: Problem): string {
  return `${displayPath(p.file)}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}`;
}

/** Problems grouped by file (in the order the files were first met), each file's by line. */
function inReadingOrder(problems: readonly Problem[]): Problem[] {
  const files = [...new Set(problems.map((p) => p.file))];
  return [...problems].sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file) || (a.line ?? 0) - (b.line ?? 0));
}

export function formatProblems(problems: readonly Problem[]): string {
  const shown = inReadingOrder(problems).slice(0, PROBLEMS_SHOWN_MAX).map(formatProblem);
  if (problems.length > PROBLEMS_SHOWN_MAX) shown.push(`... and ${problems.length - PROBLEMS_SHOWN_MAX} more problems`);
  return shown.join('\n');
}
