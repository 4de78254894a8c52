// The kubeprop command line: check scenarios, run one and read its outcome, replay a trace,
// write its HTML report, list what exists. Bad input of any kind (usage, a scenario file, a manifest, a trace) is
// printed as one line per problem, never as a stack trace, and exits 2.
import { TraceError } from '../reports/trace.ts';
import { InputError } from '../scenarios/load/input-error.ts';
import { UsageError } from './commands/args.ts';
import { check } from './commands/check.ts';
import { list } from './commands/list.ts';
import { replay } from './commands/replay.ts';
import { report } from './commands/report.ts';
import { run } from './commands/run.ts';

const HELP = `kubeprop: a property-based model checker of Kubernetes control-plane invariants

usage:
  kubeprop check [scenario...] [--runs N] [--time S] [--seed S] [--shard I/N] [--workers N] [--out DIR] [--json] [--verbose]
  kubeprop run <scenario> [--seed S] [--log] [--out DIR]
  kubeprop replay <trace.json> [--log]
  kubeprop report <trace.json>
  kubeprop list [--defects]

A scenario is a built-in one's name (kubeprop list) or a scenario file (*.yaml).
Run 'kubeprop <command> --help' for a command's options.`;

const COMMANDS: Readonly<Record<string, (args: string[]) => Promise<number>>> = { check, run, replay, report, list };

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      console.log(HELP);
      return command === undefined ? 2 : 0;
    }
    const handler = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!handler) throw new UsageError(`unknown command "${command}"`);
    return await handler(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`kubeprop: ${e.message}\nRun 'kubeprop --help' for usage.`);
      return 2;
    }
    if (e instanceof TraceError) {
      console.error(`kubeprop: ${e.message}`);
      return 2;
    }
    if (e instanceof InputError) {
      console.error(e.message);
      console.error(`kubeprop: ${e.problems.length === 1 ? 'the input has a problem' : `the input has ${e.problems.length} problems`}; nothing was run`);
      return 2;
    }
    throw e;
  }
}
