// The pods at the end of `run`, as kubectl lists them: `kubectl get pods` when every pod is in
// the default namespace, `kubectl get pods -A` (NAMESPACE first) when any is elsewhere.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runOnce } from '../checker/run-once.ts';
import type { KubeObject } from '../model/resources.ts';
import { podTable } from '../reports/pod-table.ts';
import { loadScenarioFile } from '../scenarios/load/scenario-file.ts';

const pod = (namespace: string, name: string): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name, creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { containers: [{ name: 'main' }] }, status: { phase: 'Pending' },
});

describe('the pod table', () => {
  it('lists pods of several namespaces as kubectl get pods -A does: NAMESPACE first, by namespace then name', () => {
    const { scenario } = loadScenarioFile(fileURLToPath(new URL('./scenario-files/namespaces.yaml', import.meta.url)));
    const lines = runOnce(scenario, { seed: 1, log: false, outDir: null }).lines.join('\n').split('\n');
    expect(lines.slice(lines.indexOf('NAMESPACE     NAME            READY   STATUS    RESTARTS   AGE'))).toEqual([
      'NAMESPACE     NAME            READY   STATUS    RESTARTS   AGE',
      'default       api             1/1     Running   0          5m58s',
      'kube-system   coredns         1/1     Running   0          5m58s',
      'monitoring    node-exporter   1/1     Running   0          5m58s',
    ]);
  });

  it('shows NAMESPACE for pods all in one namespace other than default, which kubectl get pods would not list', () => {
    expect(podTable([pod('monitoring', 'exporter')], 90_000).split('\n')).toEqual([
      'NAMESPACE    NAME       READY   STATUS    RESTARTS   AGE',
      'monitoring   exporter   0/1     Pending   0          90s',
    ]);
  });

  it('prints pods all in default as kubectl get pods does, without NAMESPACE', () => {
    expect(podTable([pod('default', 'a'), pod('default', 'web-0')], 90_000).split('\n')).toEqual([
      'NAME    READY   STATUS    RESTARTS   AGE',
      'a       0/1     Pending   0          90s',
      'web-0   0/1     Pending   0          90s',
    ]);
  });
});
