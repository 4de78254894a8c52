// The command line on scenario files, as a user runs it: a separate process, its output and
// its exit code. Bad input is one line per problem and exit code 2; a failure found in a
// scenario file writes a trace that replays from the file; worker threads find the same failure.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, kubeprop } from './helpers/cli.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NOTHING_RUN = 'kubeprop: the input has a problem; nothing was run\n';

describe('kubeprop check on bad scenario files', () => {
  it.each([
    ['syntax-error.yaml', 'test/scenario-files/syntax-error.yaml:6: YAML syntax error: Flow map in block collection must be sufficiently indented and end with a } (column 1)\n'],
    ['unknown-field.yaml', 'scenarios/manifests/volume-secret-pod.yaml:14: Pod "volume-secret": strict decoding error: unknown field "spec.containers[0].volumes"\n'],
    ['invalid-replicas.yaml', 'test/scenario-files/manifests/negative-replicas.yaml:6: The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n'],
    ['missing-manifest.yaml', 'test/scenario-files/missing-manifest.yaml:8: manifests[1]: manifests/no-such-file.yaml: cannot read: no such file\n'],
    ['unknown-node.yaml', 'test/scenario-files/unknown-node.yaml:9: operations[0].drain: unknown node "node-2" (cluster.nodes has node-1)\n'],
  ])('%s: the problem, and exit code 2', async (file, problem) => {
    expect(await cli('check', `test/scenario-files/${file}`, '--runs', '1')).toEqual({ code: 2, stdout: '', stderr: problem + NOTHING_RUN });
  });

  it('every bad file of a check at once, as a process', () => {
    expect(kubeprop('check', 'test/scenario-files/unknown-node.yaml', 'test/scenario-files/syntax-error.yaml')).toEqual({
      code: 2, stdout: '', stderr: [
        'test/scenario-files/unknown-node.yaml:9: operations[0].drain: unknown node "node-2" (cluster.nodes has node-1)',
        'test/scenario-files/syntax-error.yaml:6: YAML syntax error: Flow map in block collection must be sufficiently indented and end with a } (column 1)',
        'kubeprop: the input has 2 problems; nothing was run', '',
      ].join('\n'),
    });
  });

  it('a scenario file that does not exist', async () => {
    expect(await cli('check', 'test/scenario-files/nope.yaml')).toEqual({
      code: 2, stdout: '', stderr: `test/scenario-files/nope.yaml: cannot read: no such file\n${NOTHING_RUN}`,
    });
  });

  it('kinds not modelled: refused, or left out with a warning when asked', async () => {
    const refused = await cli('check', 'test/scenario-files/unknown-kind.yaml', '--runs', '1');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe([
      'test/scenario-files/manifests/with-ingress.yaml:1: Ingress "web": kind not modelled by kubeprop (run with --skip-unmodelled to go on without it)',
      'test/scenario-files/manifests/with-ingress.yaml:9: PersistentVolumeClaim "data": kind not modelled by kubeprop (run with --skip-unmodelled to go on without it)',
      'kubeprop: the input has 2 problems; nothing was run', '',
    ].join('\n'));
    const skipped = await cli('check', 'test/scenario-files/unknown-kind.yaml', '--skip-unmodelled', '--runs', '3', '--seed', '1', '--out', mkdtempSync(join(tmpdir(), 'kubeprop-')));
    expect(skipped.code).toBe(0);
    expect(skipped.stderr.split('\n').slice(0, 2)).toEqual([
      'kubeprop: warning: test/scenario-files/manifests/with-ingress.yaml:1: Ingress "web": kind not modelled by kubeprop, left out of the run',
      'kubeprop: warning: test/scenario-files/manifests/with-ingress.yaml:9: PersistentVolumeClaim "data": kind not modelled by kubeprop, left out of the run',
    ]);
    expect(skipped.stdout).toMatch(/^unknown-kind +3 +[\d,]+ +1\/1 +ok$/m);
  });

  it('a bad --faults value names the faults there are', async () => {
    expect(await cli('check', 'rollout', '--faults', 'meteor')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^kubeprop: --faults: unknown fault "meteor" \(known: none, watchDrop, /) });
  });
});

describe('kubeprop check and replay on a scenario file', () => {
  it('checks a scenario file like a built-in scenario', async () => {
    const ran = await cli('check', 'test/scenario-files/rollout.yaml', '--runs', '20', '--seed', '1', '--out', mkdtempSync(join(tmpdir(), 'kubeprop-')));
    expect(ran.stdout).toMatch(/^rollout +20 +[\d,]+ +1\/1 +ok$/m);
    expect(ran.code).toBe(0);
  });

  it('writes the failure of a planted defect as a trace that names the file, and replays it from there', () => {
    const out = mkdtempSync(join(tmpdir(), 'kubeprop-'));
    const ran = kubeprop('check', 'test/scenario-files/rollout.yaml', '--runs', '20', '--seed', '1', '--defect', 'rolloutIgnoresMaxSurge', '--out', out);
    expect(ran.code).toBe(1);
    const file = join(out, 'rollout-rolloutIgnoresMaxSurge-rollingUpdateStaysWithinSurge-seed1.json');
    expect(ran.stdout).toContain(`replay: npm run replay -- ${file}`);
    const trace = JSON.parse(readFileSync(file, 'utf8'));
    expect(trace.scenarioFile).toEqual({ path: join(ROOT, 'test/scenario-files/rollout.yaml'), skipUnmodelled: false });
    expect(trace.options.faults).toMatchObject({ watchDrop: true, nodeCrash: false, requestFailure: [] });
    const reproduced = { code: 1, stdout: expect.stringMatching(/^replayed 216 steps of rollout with planted defect rolloutIgnoresMaxSurge\nreproduced: rollingUpdateStaysWithinSurge failed at step 216: /) };
    expect(kubeprop('replay', file)).toMatchObject(reproduced);
    // The trace names its scenario file by absolute path: it replays from any working directory.
    const elsewhere = spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'checker/kubeprop.ts'), 'replay', file], { cwd: out, encoding: 'utf8' });
    expect({ code: elsewhere.status, stdout: elsewhere.stdout }).toMatchObject(reproduced);
  });

  it('--workers 2 finds the failure one worker finds, shrunk the same', () => {
    const failure = (...extra: string[]) => {
      const out = mkdtempSync(join(tmpdir(), 'kubeprop-'));
      const ran = kubeprop('check', 'test/scenario-files/rollout.yaml', '--runs', '20', '--seed', '5', '--defect', 'rolloutIgnoresMaxSurge', '--out', out, ...extra);
      expect(ran.code).toBe(1);
      const { seed, path, choices, labels, violation } = JSON.parse(readFileSync(join(out, 'rollout-rolloutIgnoresMaxSurge-rollingUpdateStaysWithinSurge-seed5.json'), 'utf8'));
      return { seed, path, choices, labels, violation };
    };
    expect(failure('--workers', '2')).toEqual(failure());
  });
});
