// The controller-manager's feature gates where the ReplicaSet and Deployment controllers read them:
// which pod a scale-down deletes (PodDeletionCost), and the terminatingReplicas their statuses
// carry (DeploymentReplicaSetTerminatingReplicas). Each reconcile is driven by hand with the caches
// a step would give it, and the exact API calls it decides on are pinned.
import { describe, expect, it } from 'vitest';
import type { Caches } from '../../model/client.ts';
import { timestamp } from '../../model/clock.ts';
import { EMPTY_CONTROLLER } from '../../model/controllers/controller.ts';
import { syncDeployment } from '../../model/controllers/deployment.ts';
import { computeHash } from '../../model/controllers/hash.ts';
import { NO_EXPECTATIONS } from '../../model/controllers/expectations.ts';
import { syncReplicaSet } from '../../model/controllers/replicaset.ts';
import { DEFAULT_FEATURE_GATES, type FeatureGates } from '../../model/feature-gates.ts';
import type { Request } from '../../model/requests.ts';
import type { KubeObject } from '../../model/resources.ts';
import { POD_DELETION_COST_ANNOTATION } from '../../model/semantics/replicaset.ts';

const NOW_MS = 3_600_000;
const LABELS = { app: 'web' };

function replicaSet(name: string, replicas: number, status?: Record<string, unknown>, owner?: KubeObject): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: {
      name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '10', generation: 1, creationTimestamp: timestamp(0), labels: LABELS,
      ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true }] } : {}),
    },
    spec: { replicas, selector: { matchLabels: LABELS }, template: { metadata: { labels: LABELS }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    ...(status ? { status } : {}),
  };
}

interface PodOptions {
  readonly restarts?: number;
  readonly deletionCost?: number;
  readonly deleting?: true;
  readonly phase?: string;
}

/** A running, ready pod of `rs` on node-1, ready and created an hour before NOW_MS. */
function pod(name: string, rs: KubeObject, o: PodOptions = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, namespace: 'default', uid: `uid-${name}`, labels: LABELS, creationTimestamp: timestamp(0),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name!, uid: rs.metadata.uid!, controller: true }],
      ...(o.deletionCost !== undefined ? { annotations: { [POD_DELETION_COST_ANNOTATION]: String(o.deletionCost) } } : {}),
      ...(o.deleting ? { deletionTimestamp: timestamp(NOW_MS), deletionGracePeriodSeconds: 30 } : {}),
    },
    spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx' }] },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: timestamp(0) }],
      containerStatuses: [{ name: 'c', image: 'nginx', imageID: '', ready: true, restartCount: o.restarts ?? 0 }],
    },
  };
}

function caches(objects: readonly KubeObject[]): Caches {
  const of = (kind: string) => new Map(objects.filter((o) => o.kind === kind).map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o]));
  return { deployments: of('Deployment'), replicasets: of('ReplicaSet'), pods: of('Pod') };
}

function replicaSetRequests(rs: KubeObject, objects: readonly KubeObject[], gates: FeatureGates): Request[] {
  const ctx = syncReplicaSet({ ...EMPTY_CONTROLLER, expectations: NO_EXPECTATIONS }, 'default/web', caches([rs, ...objects]), NOW_MS, gates);
  return [...ctx.outbox];
}

describe('the ReplicaSet controller with its gates', () => {
  const rs = replicaSet('web', 1, { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 });
  // "cheap" asks to go first by its deletion cost; "crashy" has restarted more, which ranks it first otherwise.
  const pods = [pod('cheap', rs, { deletionCost: -10 }), pod('crashy', rs, { restarts: 5, deletionCost: 10 })];
  const deleted = (requests: readonly Request[]) => requests.flatMap((r) => (r.verb === 'delete' ? [r.name] : []));

  it('with PodDeletionCost (the default) deletes the pod with the lower deletion cost', () => {
    expect(deleted(replicaSetRequests(rs, pods, DEFAULT_FEATURE_GATES))).toEqual(['cheap']);
  });

  it('without it, ignores the annotation: the pod with more restarts goes', () => {
    expect(deleted(replicaSetRequests(rs, pods, { ...DEFAULT_FEATURE_GATES, PodDeletionCost: false }))).toEqual(['crashy']);
  });

  const steady = replicaSet('web', 1, { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 });
  const withTerminating = [
    pod('running', steady),
    pod('going', steady, { deleting: true }),
    // Terminal pods and another owner's pods are not this ReplicaSet's terminating replicas.
    pod('done', steady, { deleting: true, phase: 'Succeeded' }),
    pod('other', replicaSet('other', 1), { deleting: true }),
  ];

  it('with DeploymentReplicaSetTerminatingReplicas, writes the terminating pods it controls as status.terminatingReplicas', () => {
    const requests = replicaSetRequests(steady, withTerminating, { ...DEFAULT_FEATURE_GATES, DeploymentReplicaSetTerminatingReplicas: true });
    expect(requests).toEqual([{
      verb: 'update', resource: 'replicasets', subresource: 'status',
      object: { ...steady, status: { ...steady.status as object, terminatingReplicas: 1 } },
    }]);
  });

  it('without it (the default before 1.35), the status is steady: nothing is written', () => {
    expect(replicaSetRequests(steady, withTerminating, { ...DEFAULT_FEATURE_GATES, DeploymentReplicaSetTerminatingReplicas: false })).toEqual([]);
  });
});

describe('the Deployment controller with DeploymentReplicaSetTerminatingReplicas', () => {
  const d: KubeObject = {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'd-uid', resourceVersion: '5', generation: 1, creationTimestamp: timestamp(0) },
    spec: {
      replicas: 2, selector: { matchLabels: LABELS }, template: { metadata: { labels: LABELS }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }, revisionHistoryLimit: 10,
    },
  };

  /** The Deployment's ReplicaSet for its template, at revision 1, holding both replicas; `terminatingReplicas` undefined: absent. */
  function current(terminatingReplicas: number | undefined): KubeObject {
    const template = (d.spec as { template: { metadata: { labels: Record<string, string> } } }).template;
    const hash = computeHash(template as never, undefined);
    const labels = { ...LABELS, 'pod-template-hash': hash };
    const rs = replicaSet(`web-${hash}`, 2, {
      replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1,
      ...(terminatingReplicas !== undefined ? { terminatingReplicas } : {}),
    }, d);
    return {
      ...rs,
      metadata: { ...rs.metadata, labels, annotations: { 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '2', 'deployment.kubernetes.io/max-replicas': '3' } },
      spec: { ...(rs.spec as object), selector: { matchLabels: labels }, template: { ...template, metadata: { labels } } },
    };
  }

  /** The terminatingReplicas of the status the sync writes ('no status write' when it writes none). */
  function writtenStatus(terminatingReplicas: number | undefined, gates: FeatureGates): unknown {
    const annotated = { ...d, metadata: { ...d.metadata, annotations: { 'deployment.kubernetes.io/revision': '1' } } };
    const sync = syncDeployment('default/web', caches([annotated, current(terminatingReplicas)]), NOW_MS, gates);
    // The only write is the status.
    expect(sync.requests.map((r) => (r.verb === 'update' ? `${r.verb} ${r.resource}/${r.subresource}` : r.verb))).toEqual(['update deployments/status']);
    const status = sync.requests[0]!;
    return status.verb === 'update' ? (status.object.status as { terminatingReplicas?: number }).terminatingReplicas : 'no status write';
  }

  it('sums the ReplicaSets\' terminatingReplicas into the Deployment status', () => {
    expect(writtenStatus(3, { ...DEFAULT_FEATURE_GATES, DeploymentReplicaSetTerminatingReplicas: true })).toBe(3);
  });

  it('leaves it out while a ReplicaSet has none, and without the gate', () => {
    expect(writtenStatus(undefined, { ...DEFAULT_FEATURE_GATES, DeploymentReplicaSetTerminatingReplicas: true })).toBeUndefined();
    expect(writtenStatus(3, { ...DEFAULT_FEATURE_GATES, DeploymentReplicaSetTerminatingReplicas: false })).toBeUndefined();
  });
});
