// The trace file: everything needed to replay a failing run exactly and to show it
// to a person. JSON, versioned; a reader rejects what it does not understand with a
// one-line reason rather than guessing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bounds, FaultProfile } from '../model/system.ts';
import { readTextFile } from '../scenarios/load/read-file.ts';
import { jsonSyntaxError } from './json-syntax.ts';

export const TRACE_FORMAT = 'kubeprop-trace';
/**
 * Version 2 added options.faultRarity; a version 1 trace was explored with every action equally
 * likely (rarity 1). Version 3 added scenarioFile, options.faults and options.bounds (a check may
 * override the scenario's faults); older traces ran with their scenario's.
 */
export const TRACE_VERSION = 3;
const VERSIONS_READ: readonly number[] = [1, 2, 3];

export interface TraceViolation {
  readonly property: string;
  readonly kind: string;
  readonly message: string;
  readonly step: number;
}

export interface Trace {
  readonly format: typeof TRACE_FORMAT;
  readonly version: typeof TRACE_VERSION;
  readonly scenario: string;
  /** The scenario file the run was loaded from, and how; null for a built-in scenario (found by name). */
  readonly scenarioFile: { readonly path: string; readonly skipUnmodelled: boolean } | null;
  /** The planted defect the run was made with (test/defects), or null for the real model. */
  readonly defect: string | null;
  readonly options: {
    readonly stepsMax: number;
    readonly convergeStepsMax: number;
    readonly settleMs: number;
    /** How many times likelier each ordinary action was to be chosen than each fault (RunConfig.faultRarity). */
    readonly faultRarity: number;
    /** The properties checked, by name, in the order they were checked. */
    readonly properties: readonly string[];
    /** The faults the run could inject, and its bounds (absent before version 3: the scenario's). */
    readonly faults?: FaultProfile;
    readonly bounds?: Bounds;
  };
  /** fast-check's seed and counterexample path, or null for runs not driven by fast-check. */
  readonly seed: number | null;
  readonly path: string | null;
  /** The action index chosen at each exploration step. */
  readonly choices: readonly number[];
  /** The label of every step: exploration, then heal-and-converge. */
  readonly labels: readonly string[];
  /** Exploration steps of the failing run as first found, before shrinking. */
  readonly originalSteps: number;
  readonly violation: TraceViolation;
}

export class TraceError extends Error {}

function need(condition: boolean, why: string): asserts condition {
  if (!condition) throw new TraceError(why);
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Parses and checks a trace; throws TraceError naming the first thing wrong. */
export function parseTrace(text: string): Trace {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new TraceError(`not JSON: ${jsonSyntaxError(text)}`);
  }
  need(typeof data === 'object' && data !== null && !Array.isArray(data), 'not a trace: expected a JSON object');
  const t = data as Record<string, unknown>;
  need(t.format === TRACE_FORMAT, `not a kubeprop trace: "format" is ${JSON.stringify(t.format)}, expected "${TRACE_FORMAT}"`);
  need(Number.isInteger(t.version), '"version" is missing or not an integer');
  need(VERSIONS_READ.includes(t.version as number), `trace format version ${String(t.version)} is not supported by this kubeprop (it reads versions ${VERSIONS_READ.join(' and ')})`);
  need(typeof t.scenario === 'string' && t.scenario.length > 0, '"scenario" must be a non-empty string');
  need(t.defect === null || typeof t.defect === 'string', '"defect" must be a string or null');
  if (t.version !== 3) t.scenarioFile = null;
  const f = t.scenarioFile as Record<string, unknown> | null | undefined;
  need(f === null || (typeof f === 'object' && f !== undefined && typeof f.path === 'string' && typeof f.skipUnmodelled === 'boolean'),
    '"scenarioFile" must be null or have path and skipUnmodelled');
  const o = t.options as Record<string, unknown> | undefined;
  need(typeof o === 'object' && o !== null, '"options" is missing');
  need(isCount(o.stepsMax) && isCount(o.convergeStepsMax) && isCount(o.settleMs),
    '"options.stepsMax", "options.convergeStepsMax" and "options.settleMs" must be non-negative integers');
  need(isStringList(o.properties), '"options.properties" must be a list of property names');
  if (t.version === 1) o.faultRarity = 1;
  need(isCount(o.faultRarity) && o.faultRarity >= 1, '"options.faultRarity" must be a positive integer');
  need(t.version !== 3 || (typeof o.faults === 'object' && o.faults !== null && typeof o.bounds === 'object' && o.bounds !== null),
    '"options.faults" and "options.bounds" must be objects');
  need(t.seed === null || Number.isInteger(t.seed), '"seed" must be an integer or null');
  need(t.path === null || typeof t.path === 'string', '"path" must be a string or null');
  need(Array.isArray(t.choices) && t.choices.every(isCount), '"choices" must be a list of non-negative integers');
  need(isStringList(t.labels), '"labels" must be a list of strings');
  need(t.labels.length >= t.choices.length, '"labels" is shorter than "choices"');
  need(isCount(t.originalSteps), '"originalSteps" must be a non-negative integer');
  const v = t.violation as Record<string, unknown> | undefined;
  need(typeof v === 'object' && v !== null, '"violation" is missing');
  need(typeof v.property === 'string' && typeof v.kind === 'string' && typeof v.message === 'string' && isCount(v.step),
    '"violation" must have property, kind, message and step');
  return { ...t, version: TRACE_VERSION } as unknown as Trace;
}

/**
 * The largest trace file read: a trace holds about 40 bytes a step, so this is some six
 * million steps, far more than a run's budgets make; JSON.parse needs a few times the file in
 * memory, and a string longer than about 512 MiB cannot even be made.
 */
export const TRACE_BYTES_MAX = 256 << 20;

/** Reads a trace file (only a regular file, of at most TRACE_BYTES_MAX) and checks it. */
export function readTrace(file: string): Trace {
  const read = readTextFile(file, TRACE_BYTES_MAX);
  if (!('text' in read)) throw new TraceError(read.reason === 'no such file' ? read.reason : `cannot read: ${read.reason}`);
  return parseTrace(read.text);
}

/** Writes the trace under `dir` and returns its path; the name says what failed and how to find it again. */
export function writeTrace(dir: string, trace: Trace): string {
  mkdirSync(dir, { recursive: true });
  const who = trace.defect ? `${trace.scenario}-${trace.defect}` : trace.scenario;
  const file = join(dir, `${who}-${trace.violation.property}-seed${trace.seed ?? 'none'}.json`);
  writeFileSync(file, `${JSON.stringify(trace, null, 1)}\n`);
  return file;
}
