// What every kubeprop command shares: parsing its flags strictly, numbers that must be
// counts, and the scenarios a command names (built-in by name, or scenario files by path),
// with the command line's overrides applied and the planted defect, if one is asked for.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SCENARIOS } from '../../scenarios/index.ts';
import { InputError, type Problem } from '../../scenarios/load/input-error.ts';
import { readTrace, TraceError, type Trace } from '../../reports/trace.ts';
import { resolveScenario } from '../../scenarios/resolve.ts';
import type { Scenario } from '../../scenarios/scenario.ts';
import { loadDefects, type Defect } from '../defect.ts';
import { parseFaults, withOverrides, type Overrides } from '../overrides.ts';

/** A mistake on the command line: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {}

export type Values = Record<string, string | boolean | undefined>;
type Options = NonNullable<ParseArgsConfig['options']>;

/** Where failing traces go unless --out says otherwise. */
export const OUT_DIR_DEFAULT = 'out/traces';

export function parse(args: string[], options: Options): { values: Values; positionals: string[] } {
  try {
    const parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean' } }, allowPositionals: true, strict: true });
    return { values: parsed.values as Values, positionals: parsed.positionals };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function count(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`${flag} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return n;
}

/** The checker, unlike the model, may take a fresh seed from the clock: it is printed so the run can be repeated. */
export function freshSeed(): number {
  return Date.now() % 0x7fffffff;
}

/** The flags that choose and change scenarios, shared by check and run. */
export const SCENARIO_FLAGS = {
  'skip-unmodelled': { type: 'boolean' }, 'steps-max': { type: 'string' }, faults: { type: 'string' }, 'faults-max': { type: 'string' },
  defect: { type: 'string' },
} as const satisfies Options;

export const SCENARIO_FLAGS_HELP = `  --skip-unmodelled  go on without the objects of kinds and the pod volumes of types
              kubeprop does not model (listed as warnings); without it they are
              bad input
  --steps-max N      exploration steps per run, in place of each scenario's
  --faults LIST      the faults to explore, in place of each scenario's: none, or
              kinds separated by commas (watchDrop,nodeCrash,requestFailure:controller;
              'kubeprop list' shows them all)
  --faults-max N     faults per run at most, in place of each scenario's
  --defect NAME      plant a defect from test/defects (kubeprop list --defects), to see
              what a failure looks like or to test the checker itself`;

/** The scenarios `refs` name (every built-in one when none), with the flags' overrides applied; warnings go to stderr. */
export async function scenariosOf(refs: readonly string[], values: Values): Promise<{ scenarios: Scenario[]; defect: Defect | undefined }> {
  const faults = values.faults === undefined ? undefined : parseFaults(String(values.faults));
  if (typeof faults === 'string') throw new UsageError(`--faults: ${faults}`);
  const stepsMax = count(values['steps-max'], '--steps-max');
  const faultsMax = count(values['faults-max'], '--faults-max');
  const overrides: Overrides = {
    ...(stepsMax !== undefined ? { stepsMax } : {}), ...(faults !== undefined ? { faults } : {}), ...(faultsMax !== undefined ? { faultsMax } : {}),
  };
  // Every file is loaded before any problem is reported, so that one run shows them all.
  const problems: Problem[] = [];
  const chosen = refs.length === 0 ? SCENARIOS : refs.flatMap((ref) => {
    let loaded;
    try {
      loaded = resolveScenario(ref, { skipUnmodelled: values['skip-unmodelled'] === true });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(...e.problems);
      return [];
    }
    if (!loaded) throw new UsageError(`unknown scenario "${ref}" (a scenario file must end in .yaml); known: ${SCENARIOS.map((x) => x.name).join(', ')}`);
    for (const warning of loaded.warnings) console.error(`kubeprop: warning: ${warning}`);
    return [loaded.scenario];
  });
  if (problems.length > 0) throw new InputError(problems);
  let defect: Defect | undefined;
  if (values.defect !== undefined) {
    const defects = await loadDefects();
    defect = defects.find((d) => d.name === values.defect);
    if (!defect) throw new UsageError(`unknown defect "${String(values.defect)}"; known: ${defects.map((d) => d.name).join(', ')}`);
  }
  return { scenarios: chosen.map((s) => withOverrides(s, overrides)), defect };
}

/**
 * Reads a trace file and does `work` with it; what goes wrong with the trace, or with the
 * scenario file it names, is reported as the trace file's problem (exit code 2).
 */
export async function withTrace<T>(file: string, work: (trace: Trace) => Promise<T>): Promise<T> {
  try {
    return await work(readTrace(file));
  } catch (e) {
    if (e instanceof TraceError) throw new TraceError(`${file}: ${e.message}`);
    if (e instanceof InputError) throw new TraceError(`${file}: the scenario file it was recorded from no longer loads:\n${e.message}`);
    throw e;
  }
}
