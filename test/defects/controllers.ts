// Planted defects in the controllers, each a real bug class, each one action swapped through
// machine.provide.
import type { Defect } from '../../checker/defect.ts';
import type { Caches } from '../../model/client.ts';
import { controllerAction, controllerOf, dequeue, type ControllerEvent } from '../../model/controllers/controller.ts';
import {
  deploymentControllerMachine, onInformed as onDeploymentInformed, reconcileDeployment, type DeploymentControllerContext,
} from '../../model/controllers/deployment.ts';
import { endpointsControllerMachine, syncService, type EndpointsControllerContext } from '../../model/controllers/endpoints.ts';
import { NO_EXPECTATIONS } from '../../model/controllers/expectations.ts';
import { onReplicaSetEvent, replicaSetControllerMachine, syncReplicaSet, type ReplicaSetControllerContext } from '../../model/controllers/replicaset.ts';
import type { KubeObject } from '../../model/resources.ts';

export const replicaSetWithoutExpectations: Defect = {
  name: 'replicaSetWithoutExpectations',
  description: 'a ReplicaSet controller that keeps no expectations: it acts on a cache that has not yet shown its own creations and deletions',
  machines: {
    controllers: {
      replicaset: replicaSetControllerMachine.provide({
        actions: {
          reconcile: controllerAction<ReplicaSetControllerContext, ControllerEvent>(({ context, event }) =>
            (event.type === 'RECONCILE' ? syncReplicaSet({ ...dequeue(context, event.key), expectations: NO_EXPECTATIONS }, event.key, event.caches, event.nowMs, event.featureGates) : context)) as never,
        },
      }),
    },
  },
};

/** The Deployment controller reconciling on a view of its caches that a defect distorts. */
function deploymentSyncingOn(view: (caches: Caches, key: string) => Caches): typeof deploymentControllerMachine {
  return deploymentControllerMachine.provide({
    actions: {
      reconcile: controllerAction<DeploymentControllerContext, ControllerEvent>(({ context, event }) =>
        (event.type === 'RECONCILE' ? reconcileDeployment(dequeue(context, event.key), event.key, view(event.caches, event.key), event.nowMs, event.featureGates) : context)) as never,
    },
  });
}

/** The caches with every Deployment's spec changed by `edit`. */
function withDeploymentSpecs(caches: Caches, edit: (spec: Record<string, unknown>) => Record<string, unknown>): Caches {
  const deployments = new Map([...(caches.deployments ?? new Map<string, KubeObject>())].map(([key, d]) => [key, { ...d, spec: edit(d.spec as Record<string, unknown>) }]));
  return { ...caches, deployments };
}

/** A rolling update's bound read as 100%. */
function ignoring(bound: 'maxSurge' | 'maxUnavailable') {
  return (caches: Caches) => withDeploymentSpecs(caches, (spec) => {
    const strategy = spec.strategy as { type?: string; rollingUpdate?: object } | undefined;
    if (strategy?.type !== 'RollingUpdate') return spec;
    return { ...spec, strategy: { ...strategy, rollingUpdate: { ...strategy.rollingUpdate, [bound]: '100%' } } };
  });
}

export const rolloutIgnoresMaxUnavailable: Defect = {
  name: 'rolloutIgnoresMaxUnavailable',
  description: 'a Deployment controller whose rolling update scales old ReplicaSets down as if maxUnavailable were 100%',
  machines: { controllers: { deployment: deploymentSyncingOn(ignoring('maxUnavailable')) } },
};

export const rolloutIgnoresMaxSurge: Defect = {
  name: 'rolloutIgnoresMaxSurge',
  description: 'a Deployment controller whose rolling update scales the new ReplicaSet up as if maxSurge were 100%',
  machines: { controllers: { deployment: deploymentSyncingOn(ignoring('maxSurge')) } },
};

export const deploymentIgnoresReplicaSetEvents: Defect = {
  name: 'deploymentIgnoresReplicaSetEvents',
  description: 'a Deployment controller that does not sync a Deployment when one of its ReplicaSets changes, so its status never follows the pods',
  machines: {
    controllers: {
      deployment: deploymentControllerMachine.provide({
        actions: {
          handleInformed: controllerAction<DeploymentControllerContext, ControllerEvent>(({ context, event }) =>
            (event.type === 'INFORMED' && event.resource !== 'replicasets' ? onDeploymentInformed(context, event) : context)) as never,
        },
      }),
    },
  },
};

export const replicaSetIgnoresPodEvents: Defect = {
  name: 'replicaSetIgnoresPodEvents',
  description: 'a ReplicaSet controller that watches ReplicaSets only: it never hears of its pods starting, failing or going away',
  machines: {
    controllers: {
      replicaset: replicaSetControllerMachine.provide({
        actions: {
          handleInformed: controllerAction<ReplicaSetControllerContext, ControllerEvent>(({ context, event }) =>
            (event.type === 'INFORMED' && event.resource === 'replicasets' ? onReplicaSetEvent(context, event) : context)) as never,
        },
      }),
    },
  },
};

/** Every pod in the caches with its Ready condition True. */
function allReady(caches: Caches): Caches {
  const ready = (pod: KubeObject): KubeObject => {
    const status = (pod.status ?? {}) as { conditions?: { type: string; status: string }[] };
    const conditions = [...(status.conditions ?? []).filter((c) => c.type !== 'Ready'), { type: 'Ready', status: 'True' }];
    return { ...pod, status: { ...status, conditions } };
  };
  return { ...caches, pods: new Map([...(caches.pods ?? new Map<string, KubeObject>())].map(([key, pod]) => [key, ready(pod)])) };
}

export const endpointsListUnreadyPods: Defect = {
  name: 'endpointsListUnreadyPods',
  description: 'an Endpoints controller that lists every pod with an IP as a ready address, whether its Ready condition is True or not',
  machines: {
    controllers: {
      endpoints: endpointsControllerMachine.provide({
        actions: {
          reconcile: controllerAction<EndpointsControllerContext, ControllerEvent>(({ context, event }) =>
            (event.type === 'RECONCILE' ? syncService(dequeue(context, event.key), event.key, allReady(event.caches), event.nowMs) : context)) as never,
        },
      }),
    },
  },
};

/**
 * The caches with the ReplicaSets other Deployments control shown as orphans: the controller
 * claims by selector alone, as Deployments did before controllerRef, and two Deployments whose
 * selectors overlap each take the other's ReplicaSets for their own old ones.
 */
function withoutOthersControllerRefs(caches: Caches, deploymentKey: string): Caches {
  const uid = caches.deployments?.get(deploymentKey)?.metadata.uid;
  const replicasets = new Map([...(caches.replicasets ?? new Map<string, KubeObject>())].map(([key, rs]) => {
    const owner = controllerOf(rs);
    if (owner?.kind !== 'Deployment' || owner.uid === uid) return [key, rs];
    return [key, { ...rs, metadata: { ...rs.metadata, ownerReferences: [] } }];
  }));
  return { ...caches, replicasets };
}

export const deploymentIgnoresControllerRef: Defect = {
  name: 'deploymentIgnoresControllerRef',
  description: 'a Deployment controller that claims ReplicaSets by selector alone, ignoring which Deployment controls them',
  machines: { controllers: { deployment: deploymentSyncingOn(withoutOthersControllerRefs) } },
};

export const deploymentIgnoresPause: Defect = {
  name: 'deploymentIgnoresPause',
  description: 'a Deployment controller that rolls a paused Deployment out as if it were not paused',
  machines: { controllers: { deployment: deploymentSyncingOn((caches) => withDeploymentSpecs(caches, (spec) => ({ ...spec, paused: false }))) } },
};
