// kubectl rollout undo (model/semantics/rollback.ts). kubectl's rollback_test.go only pins the
// patch's shape (spec.template and metadata.annotations replaced); these cases follow
// rollback.go's checks in order: the revision's ReplicaSet, a paused Deployment, a template
// already current, and the annotations kubectl keeps and copies.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { timestamp } from '../../model/clock.ts';
import { rollbackDeployment } from '../../model/semantics/rollback.ts';
import type { AppsDeployment, AppsReplicaSet } from '../../model/semantics/deployment.ts';

const template = (image: string): PodTemplateSpec => ({
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'nginx', image }] },
});

function deployment(image: string, extra: { paused?: boolean; annotations?: Record<string, string> } = {}): AppsDeployment {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: {
      name: 'web', namespace: 'default', uid: 'd-uid',
      annotations: extra.annotations ?? { 'deployment.kubernetes.io/revision': '3', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template(image), ...(extra.paused ? { paused: true } : {}) },
  };
}

function replicaSet(name: string, image: string, revision: string, createdSecond: number, extra: Record<string, string> = {}): AppsReplicaSet {
  const t = template(image);
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: {
      name, namespace: 'default', uid: `${name}-uid`, creationTimestamp: timestamp(createdSecond * 1000),
      labels: { app: 'web', 'pod-template-hash': name },
      annotations: { 'deployment.kubernetes.io/revision': revision, 'deployment.kubernetes.io/desired-replicas': '2', ...extra },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-uid', controller: true, blockOwnerDeletion: true }],
    },
    spec: { replicas: 0, selector: { matchLabels: { app: 'web', 'pod-template-hash': name } }, template: { ...t, metadata: { labels: { app: 'web', 'pod-template-hash': name } } } },
  };
}

const history = [
  replicaSet('web-a', 'nginx:1', '1', 1, { team: 'blue' }),
  replicaSet('web-b', 'nginx:2', '2', 2, { team: 'green' }),
  replicaSet('web-c', 'nginx:3', '3', 3),
];

describe('kubectl rollout undo', () => {
  it('goes back to the previous revision: its template without the hash label, its annotations but the skipped ones, which stay the Deployment\'s', () => {
    expect(rollbackDeployment(deployment('nginx:3'), history, 0)).toEqual({
      kind: 'rolledBack',
      deployment: {
        ...deployment('nginx:3'),
        metadata: {
          name: 'web', namespace: 'default', uid: 'd-uid',
          annotations: { 'deployment.kubernetes.io/revision': '3', 'kubectl.kubernetes.io/last-applied-configuration': '{}', team: 'green' },
        },
        spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template('nginx:2') },
      },
    });
  });

  it('goes to the revision asked for', () => {
    const result = rollbackDeployment(deployment('nginx:3'), history, 1);
    expect(result.kind === 'rolledBack' && result.deployment.spec?.template).toEqual(template('nginx:1'));
    expect(result.kind === 'rolledBack' && result.deployment.metadata?.annotations?.team).toBe('blue');
  });

  it('says which revision it cannot find, including a negative one', () => {
    expect(rollbackDeployment(deployment('nginx:3'), history, 7)).toEqual({ kind: 'error', message: 'unable to find specified revision 7 in history' });
    expect(rollbackDeployment(deployment('nginx:3'), history, -1)).toEqual({ kind: 'error', message: 'unable to find specified revision -1 in history' });
  });

  it('has no history to go back to with a single revision', () => {
    expect(rollbackDeployment(deployment('nginx:3'), [history[2]!], 0)).toEqual({ kind: 'error', message: 'no rollout history found for deployment "web"' });
  });

  it('refuses a paused Deployment, once the revision is found', () => {
    expect(rollbackDeployment(deployment('nginx:3', { paused: true }), history, 1)).toEqual({
      kind: 'error', message: "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/web' and try again",
    });
    expect(rollbackDeployment(deployment('nginx:3', { paused: true }), history, 9)).toEqual({ kind: 'error', message: 'unable to find specified revision 9 in history' });
  });

  it('skips a rollback to the template already current, naming the revision as asked (0 for the previous one)', () => {
    expect(rollbackDeployment(deployment('nginx:3'), history, 3)).toEqual({ kind: 'skipped', message: 'skipped rollback (current template already matches revision 3)' });
    // Revision 2's template came back as revision 4: the previous revision is 3.
    const rolledBefore = rollbackDeployment(deployment('nginx:2'), [...history, replicaSet('web-d', 'nginx:2', '4', 4)], 0);
    expect(rolledBefore.kind === 'rolledBack' && rolledBefore.deployment.spec?.template).toEqual(template('nginx:3'));
    expect(rollbackDeployment(deployment('nginx:3'), [history[1]!, replicaSet('web-e', 'nginx:3', '5', 5), replicaSet('web-f', 'nginx:3', '4', 4)], 0))
      .toEqual({ kind: 'skipped', message: 'skipped rollback (current template already matches revision 0)' });
  });

  it('reads only the ReplicaSets the Deployment controls, passing over a revision that does not parse', () => {
    const orphan = { ...replicaSet('web-x', 'nginx:9', '2', 0), metadata: { ...replicaSet('web-x', 'nginx:9', '2', 0).metadata, ownerReferences: [] } };
    const garbled = replicaSet('web-y', 'nginx:8', 'two', 0);
    const result = rollbackDeployment(deployment('nginx:3'), [orphan, garbled, history[0]!, history[2]!], 0);
    expect(result.kind === 'rolledBack' && result.deployment.spec?.template).toEqual(template('nginx:1'));
  });
});
