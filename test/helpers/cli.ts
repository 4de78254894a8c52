// Runs the kubeprop command line as a user would: a separate process, with its exit code.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { main } from '../../checker/cli.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function kubeprop(...args: string[]): Ran {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'checker/kubeprop.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The same command run inside this process (main(), its output captured), for the many cases
 * where starting a process would cost more than the command: bad input, mostly. A few tests
 * still run each command as a process, as a user does.
 */
export async function cli(...args: string[]): Promise<Ran> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const { log, error } = console;
  const write = process.stderr.write;
  console.log = (...parts: unknown[]) => void stdout.push(`${format(...parts)}\n`);
  console.error = (...parts: unknown[]) => void stderr.push(`${format(...parts)}\n`);
  process.stderr.write = ((chunk: string | Uint8Array) => (stderr.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await main(args);
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    Object.assign(console, { log, error });
    process.stderr.write = write;
  }
}
