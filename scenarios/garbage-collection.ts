// The garbage collector under test: Deployments are deleted with each propagationPolicy
// (Background, Foreground, Orphan) while the controller-manager restarts and loses its graph,
// watches drop and controller writes fail (not lists from a lagging API server, with which a
// restarted ReplicaSet controller reaches upstream's known over-creation: scenarios/known-bugs.ts).
// Follows pkg/controller/garbagecollector and the API server's delete propagation (registry/store.go deletionFinalizersForGarbageCollection):
// after Background the ReplicaSet and its pods go after the Deployment; after Foreground they go
// before it; after Orphan they stay, released from it.
import type { PropagationPolicy } from '../model/requests.ts';
import { NO_FAULTS } from '../model/system.ts';
import type { Scenario } from './scenario.ts';
import { node, wait } from './scheduling.ts';
import type { UserOp } from './user.ts';
import { deployment } from './workloads.ts';

/** A user who creates a Deployment named after the policy, lets it roll out a while, then deletes it with that policy. */
function deletesWith(user: string, policy: PropagationPolicy): { name: string; script: UserOp[] } {
  const name = policy.toLowerCase();
  return {
    name: user,
    script: [
      { op: 'create', resource: 'deployments', namespace: 'default', object: deployment(name, 'nginx:1.25', 1) },
      wait(10_000),
      { op: 'delete', resource: 'deployments', namespace: 'default', name, propagationPolicy: policy },
    ],
  };
}

export const garbageCollection: Scenario = {
  name: 'garbage-collection',
  description: 'Three one-pod Deployments deleted with Background, Foreground and Orphan propagation while the controller-manager restarts: ' +
    'dependents of a deleted owner are collected (first, for Foreground), orphans are released, even when the collector rebuilt its graph after the owner went.',
  informers: [], scheduler: true, registry: ['nginx:1.25'], behaviours: [], settleMs: 360_000, faultRarity: 8,
  controllers: ['deployment', 'replicaset', 'garbage-collector'],
  nodes: [node('node-1', '2', '4Gi')],
  users: [deletesWith('alice', 'Background'), deletesWith('bob', 'Foreground'), deletesWith('carol', 'Orphan')],
  faults: { ...NO_FAULTS, controllerManagerRestart: true, watchDrop: true, requestFailure: ['controller'] },
  bounds: { faultsMax: 3, historyMax: 1024, streamQueueMax: 128 },
  // Enough steps for a restart to land between the ReplicaSet's creation and the deletions at 10 s:
  // with latency bounds, the cluster's first seconds take a hundred steps or more.
  stepsMax: 300, convergeStepsMax: 4_000,
  goals: ['ownerDeletedWhileCollectorDown', 'foregroundDeletionCompletes', 'orphanedDependentsReleased'],
};
