// `kubeprop run`: one run of one scenario, told as a person reads a cluster.
import { runOnce } from '../run-once.ts';
import { count, freshSeed, OUT_DIR_DEFAULT, parse, SCENARIO_FLAGS, SCENARIO_FLAGS_HELP, scenariosOf, UsageError } from './args.ts';

export const RUN_HELP = `usage: kubeprop run <scenario> [--seed S] [--log] [--out DIR] [options]

Runs the scenario (a name, or a scenario file ending in .yaml) once: random choices from
the seed (faults included), then faults healed until it settles, checking every
property. Prints the outcome, what kubectl printed for the user's operations, and the
pods at the end as 'kubectl get pods' lists them ('kubectl get pods -A', NAMESPACE first,
when any pod is outside the default namespace); a violation is written as a trace.
  --seed S    the run's seed (default: a fresh one, printed); the same seed gives the same run
  --log       print every step
  --out DIR   where a failing trace is written (default ${OUT_DIR_DEFAULT})
${SCENARIO_FLAGS_HELP}`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { seed: { type: 'string' }, log: { type: 'boolean' }, out: { type: 'string' }, ...SCENARIO_FLAGS });
  if (values.help) return console.log(RUN_HELP), 0;
  if (positionals.length !== 1) throw new UsageError('run takes exactly one scenario');
  const { scenarios: [scenario], defect } = await scenariosOf(positionals, values);
  const outcome = runOnce(scenario!, {
    seed: count(values.seed, '--seed') ?? freshSeed(), log: values.log === true, outDir: (values.out as string | undefined) ?? OUT_DIR_DEFAULT,
    ...(defect ? { defect } : {}),
  });
  for (const line of outcome.lines) console.log(line);
  return outcome.violated ? 1 : 0;
}
