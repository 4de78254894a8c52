// What a scripted user waits for, judged as kubectl judges it, and what the user does when
// the condition comes, never comes, or its object is gone.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runOnce } from '../checker/run-once.ts';
import type { KubeObject } from '../model/resources.ts';
import { loadScenarioFile } from '../scenarios/load/scenario-file.ts';
import { judge, timedOut, type WaitCondition } from '../scenarios/wait-condition.ts';

const web = { resource: 'deployments', namespace: 'default', name: 'web' } as const;
const rollout: WaitCondition = { kind: 'rolloutComplete', target: web };

function deployment(generation: number, status: Record<string, unknown>, replicas = 3): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', generation }, spec: { replicas }, status };
}

describe('kubectl rollout status', () => {
  it.each([
    ['the controller has not seen the spec yet', deployment(2, { observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }), 'waiting'],
    ['not every replica updated', deployment(2, { observedGeneration: 2, replicas: 4, updatedReplicas: 2, availableReplicas: 3 }), 'waiting'],
    ['old replicas pending termination', deployment(2, { observedGeneration: 2, replicas: 4, updatedReplicas: 3, availableReplicas: 3 }), 'waiting'],
    ['updated replicas not all available', deployment(2, { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 2 }), 'waiting'],
    ['done', deployment(2, { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }), 'met: deployment "web" successfully rolled out'],
    ['past its progress deadline', deployment(2, { observedGeneration: 2, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }),
      'failed: error: deployment "web" exceeded its progress deadline'],
    ['gone', null, 'failed: Error from server (NotFound): deployments.apps "web" not found'],
  ])('%s', (_, object, verdict) => {
    const v = judge(rollout, object);
    expect(v.kind === 'waiting' ? 'waiting' : `${v.kind}: ${v.line}`).toBe(verdict);
  });
});

describe('kubectl wait', () => {
  const available: WaitCondition = { kind: 'condition', target: web, type: 'Available', status: 'True' };
  it('--for=condition=Available holds once the condition is True', () => {
    expect(judge(available, deployment(1, { conditions: [{ type: 'Available', status: 'False' }] }))).toEqual({ kind: 'waiting' });
    expect(judge(available, deployment(1, { conditions: [{ type: 'Available', status: 'True' }] }))).toEqual({ kind: 'met', line: 'deployment.apps/web condition met' });
  });

  it('--for=create holds once the object exists, and its timeout names no object, as kubectl prints it', () => {
    const created: WaitCondition = { kind: 'created', target: { resource: 'nodes', namespace: '', name: 'node-2' } };
    expect(judge(created, null)).toEqual({ kind: 'waiting' });
    expect(judge(created, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-2' } })).toEqual({ kind: 'met', line: 'node/node-2 condition met' });
    expect(timedOut(created)).toBe('error: timed out waiting for the condition');
  });

  it('any other wait on an object that does not exist fails at once, as kubectl prints it', () => {
    const available: WaitCondition = { kind: 'condition', target: { resource: 'nodes', namespace: '', name: 'node-2' }, type: 'Ready', status: 'True' };
    expect(judge(available, null)).toEqual({ kind: 'failed', line: 'Error from server (NotFound): nodes "node-2" not found' });
  });

  it('--for=delete holds once the object is gone', () => {
    const gone: WaitCondition = { kind: 'deleted', target: { resource: 'pods', namespace: 'default', name: 'web-0' } };
    expect(judge(gone, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0' } })).toEqual({ kind: 'waiting' });
    expect(judge(gone, null)).toEqual({ kind: 'met', line: 'pod/web-0 condition met' });
  });
});

describe('a user waiting in a run', () => {
  const run = (name: string) => {
    const { scenario } = loadScenarioFile(fileURLToPath(new URL(`./scenario-files/${name}`, import.meta.url)));
    return runOnce(scenario, { seed: 1, log: false, outDir: null }).lines.join('\n').split('\n');
  };

  const printed = (lines: readonly string[]) => lines.slice(lines.indexOf('kubectl printed:') + 1, lines.indexOf('', lines.indexOf('kubectl printed:')));

  it('goes on when the rollout is done, each time', () => {
    const lines = run('wait-rollout.yaml');
    expect(printed(lines)).toEqual([
      '  node/node-1 condition met', '  deployment "nginx-deployment" successfully rolled out', '  deployment "nginx-deployment" successfully rolled out',
    ]);
    // The scale to 2 after the second wait happened: two pods of the new template are left.
    expect(lines.filter((l) => l.startsWith('nginx-deployment-65f85bd58b-'))).toHaveLength(2);
  });

  it('gives up after its timeout, prints why, runs nothing after, and the run still settles', () => {
    const lines = run('wait-never.yaml');
    expect(lines[1]).toBe('every property held');
    expect(printed(lines)).toEqual(['  node/node-1 condition met', '  error: timed out waiting for the condition on deployments.apps/nginx-deployment']);
    expect(lines.filter((l) => l.startsWith('nginx-deployment-'))).toHaveLength(4);
  });

  it('waits for a node that joins later to register, then labels it, and the pod that selects the label runs there', () => {
    const lines = run('wait-created.yaml');
    expect(lines[1]).toBe('every property held');
    expect(lines[2]).toBe('goals reached: podScheduledAfterWaiting');
    // Only node-1 is waited for before the script: node-2 joins later, and the script waits for it.
    expect(printed(lines)).toEqual(['  node/node-1 condition met', '  node/node-2 condition met']);
    expect(lines.slice(-2)).toEqual(['NAME        READY   STATUS    RESTARTS   AGE', 'needs-ssd   1/1     Running   0          5m58s']);
  });

  it('gives up on an object that is never created after its timeout, with kubectl\'s words, and runs nothing after', () => {
    const lines = run('wait-created-never.yaml');
    expect(lines[1]).toBe('every property held');
    expect(printed(lines)).toEqual(['  node/node-1 condition met', '  error: timed out waiting for the condition']);
    // The scale to 1 never happened.
    expect(lines.filter((l) => l.startsWith('nginx-deployment-'))).toHaveLength(4);
  });
});
