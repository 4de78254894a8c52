// Runs the kubeprop command line as a user would: a separate process, with its exit code.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
