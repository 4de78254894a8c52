// Scenarios that tell a user what to expect: the README's example scenario holds as written,
// and a rollout the cluster has no room for stalls without any property blaming a controller.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { explore } from '../checker/explore.ts';
import { runOnce } from '../checker/run-once.ts';
import { loadScenarioFile } from '../scenarios/load/scenario-file.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('example scenarios', () => {
  it("the README's scenario file, with web.yaml as its k8s/web.yaml, loads and holds in 10 runs", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const example = /```yaml\n(name: my-rollout[\s\S]*?)```/.exec(readme)![1]!;
    const dir = mkdtempSync(join(tmpdir(), 'kubeprop-readme-'));
    mkdirSync(join(dir, 'k8s'));
    copyFileSync(join(ROOT, 'scenarios/manifests/web.yaml'), join(dir, 'k8s/web.yaml'));
    writeFileSync(join(dir, 'my-rollout.yaml'), example);
    const result = explore(loadScenarioFile(join(dir, 'my-rollout.yaml')).scenario, { runs: 10, seed: 1, outDir: null });
    expect(result.failure?.trace.violation ?? null).toBeNull();
    expect(result.missingGoals).toEqual([]);
  });

  it('a rollout with no room stalls: its pods wait as Unschedulable and every property holds', () => {
    const { scenario } = loadScenarioFile(join(ROOT, 'test/scenario-files/stalled-rollout.yaml'));
    const lines = runOnce(scenario, { seed: 1, log: false, outDir: null }).lines.join('\n').split('\n');
    expect(lines[1]).toBe('every property held');
    // maxUnavailable let one old pod go (the one that never ran); the new template's two wait.
    expect(lines.slice(lines.indexOf('') + 1)).toEqual([
      'kubectl printed:',
      '  node/node-1 condition met',
      '',
      'NAME                   READY   STATUS    RESTARTS   AGE',
      'web-6fcff9b44c-bbbbb   1/1     Running   0          6m30s',
      'web-6fcff9b44c-bbbbc   1/1     Running   0          6m30s',
      'web-6fcff9b44c-bbbbd   1/1     Running   0          6m30s',
      'web-7564b894cd-bbbbg   0/1     Pending   0          6m',
      'web-7564b894cd-bbbbh   0/1     Pending   0          6m',
    ]);
  });
});
