// The command line, run as a process: exit codes, the replay of a written trace, and
// bad input that gets one clear line and exit code 2, never a stack trace.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, kubeprop } from './helpers/cli.ts';
import { catchDefect } from './helpers/caught.ts';
import { watchBasics } from '../scenarios/watch-basics.ts';
import { informerAcceptsOlderList } from './defects/informer.ts';
import { TRACE_FORMAT } from '../reports/trace.ts';
import { SCENARIOS } from '../scenarios/index.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kubeprop-cli-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('kubeprop replay', () => {
  it('replays a trace file written by a failing check and exits 1 with the reproduced violation', () => {
    const { trace } = catchDefect(watchBasics, informerAcceptsOlderList, 'informerResourceVersionNeverGoesBack');
    const path = file('older-list.json', JSON.stringify(trace));
    const r = kubeprop('replay', path);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'replayed 6 steps of watch-basics with planted defect informerAcceptsOlderList\n' +
      'reproduced: informerResourceVersionNeverGoesBack failed at step 6: informer configmaps -> reader-1 went back in time: it had seen rv 2, and now its cache reflects rv 1. A relist must ask for state not older than the last revision seen (client-go relistResourceVersion).\n');
    expect(r.code).toBe(1);
  });

  it('reports nondeterminism when a recorded label does not match the replay', () => {
    const { trace } = catchDefect(watchBasics, informerAcceptsOlderList, 'informerResourceVersionNeverGoesBack');
    const labels = [...trace.labels];
    labels[2] = 'watch configmaps -> reader-1 from rv 99';
    const r = kubeprop('replay', file('tampered.json', JSON.stringify({ ...trace, labels })));
    expect(r.stdout).toBe(`NONDETERMINISM: step 3 of ${join(dir, 'tampered.json')} recorded "watch configmaps -> reader-1 from rv 99" but the replay took "watch configmaps -> reader-1 from rv 2"\n`);
    expect(r.code).toBe(1);
  });

  it('says so, with exit code 3, when every recorded step happens again but the violation does not', () => {
    const { trace } = catchDefect(watchBasics, informerAcceptsOlderList, 'informerResourceVersionNeverGoesBack');
    // The run cut short before the lagging list that went back in time: the violation no longer happens.
    const path = file('cut-short.json', JSON.stringify({ ...trace, choices: trace.choices.slice(0, 3), labels: trace.labels.slice(0, 3) }));
    const r = kubeprop('replay', path);
    expect(r.stdout).toBe('replayed 33 steps of watch-basics with planted defect informerAcceptsOlderList\n' +
      'not reproduced: every recorded step happened again, but informerResourceVersionNeverGoesBack did not fail at step 6; the model or the property has changed since the trace was written\n');
    expect(r.code).toBe(3);
  });

  it('reports nondeterminism, not a crash, when a recorded choice is out of range', () => {
    const { trace } = catchDefect(watchBasics, informerAcceptsOlderList, 'informerResourceVersionNeverGoesBack');
    const choices = [...trace.choices];
    choices[1] = 99;
    const path = file('out-of-range.json', JSON.stringify({ ...trace, choices }));
    const r = kubeprop('replay', path);
    expect(r.stdout).toBe(`NONDETERMINISM: step 2 of ${path} recorded "list configmaps -> reader-1 rv=\"0\"" but the replay took "only 10 actions are enabled, but the trace chose action 99"\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
  });

  const good = { format: TRACE_FORMAT, version: 2, scenario: 'watch-basics', defect: null, options: { stepsMax: 60, convergeStepsMax: 500, settleMs: 0, faultRarity: 1, properties: [] }, seed: 1, path: '0', choices: [], labels: [], originalSteps: 0, violation: { property: 'x', kind: 'always', message: 'm', step: 0 } };
  const bad: [string, string, string][] = [
    ['malformed JSON', '{"format": "kubeprop-trace", ', 'not JSON: line 1, column 30: a property name (a double-quoted string) was expected'],
    ['JSON cut short', '{"format": "kubeprop-trace",\n "choices": [1, 2', 'not JSON: line 2, column 18: a closing ] was expected'],
    ['two JSON values', '{}\n{}', 'not JSON: line 2, column 1: the text goes on after the JSON value'],
    ['a future version', JSON.stringify({ ...good, version: 4 }), 'trace format version 4 is not supported by this kubeprop (it reads versions 1 and 2 and 3)'],
    ['another format', JSON.stringify({ ...good, format: 'jepsen-history' }), 'not a kubeprop trace: "format" is "jepsen-history", expected "kubeprop-trace"'],
    ['negative choices', JSON.stringify({ ...good, choices: [-1] }), '"choices" must be a list of non-negative integers'],
    ['an unknown scenario', JSON.stringify({ ...good, scenario: 'nope' }), 'unknown scenario "nope" (kubeprop list shows the built-in ones)'],
    ['an unknown property', JSON.stringify({ ...good, options: { ...good.options, properties: ['nope'] } }), 'unknown property "nope"'],
  ];
  for (const [what, text, reason] of bad) {
    it(`rejects ${what} with one line and exit code 2`, async () => {
      const path = file(`${what.replace(/ /g, '-')}.json`, text);
      const r = await cli('replay', path);
      expect(r.stderr).toBe(`kubeprop: ${path}: ${reason}\n`);
      expect(r.stdout).toBe('');
      expect(r.code).toBe(2);
    });
  }

  it('rejects a missing trace file with exit code 2', async () => {
    const r = await cli('replay', join(dir, 'absent.json'));
    expect(r.stderr).toBe(`kubeprop: ${join(dir, 'absent.json')}: no such file\n`);
    expect(r.code).toBe(2);
  });
});

describe('kubeprop check', () => {
  it('prints a summary and exits 0 when every property holds and every goal is reached', () => {
    const r = kubeprop('check', 'watch-basics', '--runs', '100', '--seed', '7', '--verbose');
    expect(r.stdout).toMatch(/^scenario +runs +steps +goals +verdict\nwatch-basics +100 +[\d,]+ +2\/2 +ok\n/);
    expect(r.stdout).toMatch(/\n {2}eventually informerCachesMatchStore +held\n/);
    expect(r.stdout).toMatch(/\n {2}sometimes {2}goneForcesRelist +reached in \d+ runs\n/);
    expect(r.stdout).toMatch(/\n\n1 scenario, 100 runs, [\d,]+ steps, \d+\.\d s, seed 7: all properties held\nsummary: out\/traces\/summary\.html\n$/);
    expect(r.code).toBe(0);
  });

  it('as a process with its output piped: plain progress lines on stderr, the table alone on stdout', () => {
    const r = spawnSync('npx', ['tsx', 'checker/kubeprop.ts', 'check', 'watch-basics', '--runs', '30', '--seed', '1'],
      { cwd: ROOT, encoding: 'utf8', stdio: 'pipe', timeout: 120_000 });
    expect(r.stderr).not.toContain('\r');
    expect(r.stderr).toMatch(new RegExp([
      '^checking 1 scenario with seed 1: up to 30 runs each',
      'watch-basics: started \\(1 of 1\\)',
      'watch-basics: 30 runs, [\\d,]+ steps, \\d+\\.\\d s: ok',
      '$',
    ].join('\n')));
    const stdout = r.stdout.split('\n');
    expect(stdout).toHaveLength(6);
    expect(stdout[0]).toMatch(/^scenario +runs +steps +goals +verdict$/);
    expect(stdout[1]).toMatch(/^watch-basics +30 +[\d,]+ +2\/2 +ok$/);
    expect(stdout.slice(2, 3)).toEqual(['']);
    expect(stdout[3]).toMatch(/^1 scenario, 30 runs, [\d,]+ steps, \d+\.\d s, seed 1: all properties held$/);
    expect(stdout[4]).toBe('summary: out/traces/summary.html');
    expect(stdout[5]).toBe('');
    // The columns line up: each header ends where its numbers end.
    for (const column of ['runs', 'steps', 'goals']) expect(stdout[1]![stdout[0]!.indexOf(column) + column.length - 1]).toMatch(/\d/);
    expect(r.status).toBe(0);
  });

  it("with --workers 2, prints each scenario's start and end lines in order, and the same table", () => {
    const r = kubeprop('check', 'watch-basics', 'store-and-informers', '--runs', '6', '--seed', '3', '--workers', '2');
    expect(r.stderr).toMatch(new RegExp([
      '^checking 2 scenarios with seed 3: up to 6 runs each, 2 workers',
      'watch-basics: started \\(1 of 2\\)',
      'watch-basics: 6 runs, [\\d,]+ steps, \\d+\\.\\d s: \\S+',
      'store-and-informers: started \\(2 of 2\\)',
      'store-and-informers: 6 runs, [\\d,]+ steps, \\d+\\.\\d s: \\S+',
      '$',
    ].join('\n')));
    expect(r.stdout).toMatch(/^scenario +runs +steps +goals +verdict\nwatch-basics +6 +[\d,]+ +[\d-/]+ +\S+\nstore-and-informers +6 +[\d,]+ +[\d-/]+ +\S+\n\n2 scenarios, 12 runs, /);
    expect(r.code).toBe(0);
  });

  it('runs one pod scenario and prints its pods as kubectl get pods does', () => {
    const r = kubeprop('run', 'secret-volume-pod', '--seed', '7');
    expect(r.stdout).toBe([
      'secret-volume-pod, seed 7: 150 exploration steps, then 60 with faults healed; 13m of logical time',
      'every property held',
      'goals reached: podWaitsForVolume',
      '',
      'NAME            READY   STATUS              RESTARTS   AGE',
      'volume-secret   0/1     ContainerCreating   0          13m',
      '',
    ].join('\n'));
    expect(r.code).toBe(0);
    expect(kubeprop('run')).toMatchObject({ code: 2, stderr: "kubeprop: run takes exactly one scenario\nRun 'kubeprop --help' for usage.\n" });
  });

  it('rejects an unknown scenario and a bad flag with exit code 2', () => {
    expect(kubeprop('check', 'nope')).toMatchObject({ code: 2, stderr: `kubeprop: unknown scenario "nope" (a scenario file must end in .yaml); known: ${SCENARIOS.map((x) => x.name).join(', ')}\nRun 'kubeprop --help' for usage.\n` });
    expect(kubeprop('check', '--runs', 'many')).toMatchObject({ code: 2, stderr: "kubeprop: --runs must be a non-negative integer, got \"many\"\nRun 'kubeprop --help' for usage.\n" });
  });
});

describe('kubeprop list', () => {
  it('lists the sometimes-goals a scenario file may name, podRunsToCompletion among them, and the planted defects', async () => {
    const goals = await cli('list');
    expect(goals.code).toBe(0);
    expect(goals.stdout).toMatch(/\n {2}sometimes {2}podRunsToCompletion +A pod runs to completion: not being deleted, it is Succeeded, each of its containers \(and init containers, sidecars aside\) terminated with exit code 0\.\n/);
    const defects = await cli('list', '--defects');
    expect(defects.stdout).toMatch(/\n {2}kubeletPhaseIgnoresRestartPolicy +a kubelet whose pod phase takes every pod for restartPolicy Always: /);
  });
});
