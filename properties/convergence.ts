// What the cluster's workloads look like once faults have healed and the controllers have had
// their time: each claim is judged on the API server's objects, and only where the controller
// that owns the claim runs (a scenario without an Endpoints controller has no Endpoints to judge).
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1.js';
import { controllerOf } from '../model/controllers/controller.ts';
import { equalIgnoreHash } from '../model/controllers/deployment-util.ts';
import { selectorMatches } from '../model/labels.ts';
import type { KubeObject, Resource } from '../model/resources.ts';
import { specReplicas, type AppsDeployment } from '../model/semantics/deployment.ts';
import { isPodActive, isPodReady } from '../model/semantics/replicaset.ts';
import type { World } from '../model/world.ts';
import { controllerClient } from './observe.ts';
import type { EventuallyProperty } from './property.ts';

/** upstream's default revisionHistoryLimit (apps/v1 defaults). */
const REVISION_HISTORY_LIMIT_DEFAULT = 10;
/** Waiting reasons of a container that will not run without a change to the cluster. */
const STUCK_REASONS = new Set(['CreateContainerConfigError', 'ImagePullBackOff', 'ErrImagePull', 'ErrImageNeverPull', 'InvalidImageName', 'CrashLoopBackOff']);

function runs(world: World, controller: string): boolean {
  return controllerClient(world, controller) !== null;
}

function objects(world: World, resource: Resource): KubeObject[] {
  return [...(world.store.context.objects[resource]?.values() ?? [])];
}

const keyOf = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;
const asPod = (o: KubeObject) => o as unknown as Pod;
const controlledBy = (owner: KubeObject) => (o: KubeObject) => controllerOf(o)?.uid === owner.metadata.uid;

/**
 * Why a pod is not ready, when it is stuck in a way only a change to the cluster can mend: no
 * node fits it (the scheduler says so in PodScheduled), or a container cannot start.
 */
function stuckReason(pod: Pod): string | undefined {
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') return 'Unschedulable';
  return pod.status?.containerStatuses?.map((s) => s.state?.waiting?.reason).find((r) => r !== undefined && STUCK_REASONS.has(r));
}

/** The first way the Deployment falls short of a completed rollout, or null. */
function deploymentShortfall(world: World, object: KubeObject): string | null {
  const d = object as unknown as AppsDeployment;
  const replicas = specReplicas(d);
  const status = d.status ?? {};
  if ((status.observedGeneration ?? 0) !== (object.metadata.generation ?? 0)) {
    return `its status has observed generation ${status.observedGeneration ?? 0}, not ${object.metadata.generation ?? 0}`;
  }
  const rss = objects(world, 'replicasets').filter(controlledBy(object));
  const current = rss.filter((rs) => equalIgnoreHash((rs.spec as ReplicaSet['spec'])?.template, d.spec?.template));
  if (current.length !== 1) return `it has ${current.length} ReplicaSets with its current template`;
  const old = rss.filter((rs) => rs !== current[0]);
  const limit = d.spec?.revisionHistoryLimit ?? REVISION_HISTORY_LIMIT_DEFAULT;
  if (old.length > limit) return `it keeps ${old.length} old ReplicaSets, more than revisionHistoryLimit ${limit}`;
  // Pods of the current template that cannot run explain a rollout that cannot finish, as on a
  // real cluster: the new ReplicaSet stays short, and the old ones keep what maxUnavailable
  // does not let go.
  const unready = objects(world, 'pods').filter(controlledBy(current[0]!)).map(asPod).filter((p) => !isPodReady(p));
  if (unready.length > 0 && unready.every((p) => stuckReason(p) !== undefined)) return null;
  const scaledOld = old.filter((rs) => specReplicas(rs as unknown as ReplicaSet) > 0);
  if (scaledOld.length > 0) return `old ReplicaSet(s) ${scaledOld.map(keyOf).join(', ')} still have replicas`;
  if (specReplicas(current[0] as unknown as ReplicaSet) !== replicas) return `its ReplicaSet ${keyOf(current[0]!)} has ${specReplicas(current[0] as unknown as ReplicaSet)} replicas`;
  const counts = { replicas: status.replicas ?? 0, updatedReplicas: status.updatedReplicas ?? 0, readyReplicas: status.readyReplicas ?? 0, availableReplicas: status.availableReplicas ?? 0 };
  const short = Object.entries(counts).filter(([, n]) => n !== replicas);
  if (short.length === 0) return null;
  return `its status says ${short.map(([k, n]) => `${k} ${n}`).join(', ')}, not ${replicas}`;
}

export const deploymentsComplete: EventuallyProperty = {
  kind: 'eventually',
  name: 'deploymentsComplete',
  description: 'Every Deployment ends with its generation observed, one ReplicaSet with its current template holding every replica, updated, ready and available ' +
    '(unless its pods cannot run, and say why), old ReplicaSets at 0 and no more of them than revisionHistoryLimit.',
  check(world) {
    if (!runs(world, 'deployment')) return null;
    for (const d of objects(world, 'deployments')) {
      if (d.metadata.deletionTimestamp || (d.spec as AppsDeployment['spec'])?.paused) continue;
      const shortfall = deploymentShortfall(world, d);
      if (shortfall !== null) return `Deployment ${keyOf(d)} did not complete its rollout once faults healed: ${shortfall}.`;
    }
    return null;
  },
};

export const replicaSetsOwnTheirReplicas: EventuallyProperty = {
  kind: 'eventually',
  name: 'replicaSetsOwnTheirReplicas',
  description: 'Every ReplicaSet ends owning exactly spec.replicas active pods, and its status says so for its current generation.',
  check(world) {
    if (!runs(world, 'replicaset')) return null;
    const pods = objects(world, 'pods');
    for (const rs of objects(world, 'replicasets')) {
      if (rs.metadata.deletionTimestamp) continue;
      const replicas = specReplicas(rs as unknown as ReplicaSet);
      const active = pods.filter(controlledBy(rs)).filter((p) => isPodActive(asPod(p)));
      if (active.length !== replicas) {
        return `ReplicaSet ${keyOf(rs)} wants ${replicas} pods but owns ${active.length} active ones (${active.map((p) => p.metadata.name).join(', ') || 'none'}) once faults healed.`;
      }
      const status = (rs as unknown as ReplicaSet).status;
      if (status?.replicas !== replicas || status.observedGeneration !== rs.metadata.generation) {
        return `ReplicaSet ${keyOf(rs)} owns its ${replicas} pods, but its status says replicas ${status?.replicas ?? 0} at observedGeneration ` +
          `${status?.observedGeneration ?? 0} (generation ${rs.metadata.generation ?? 0}).`;
      }
    }
    return null;
  },
};

/** The IPs an Endpoints lists as ready addresses. */
function readyAddresses(endpoints: KubeObject | undefined): string[] {
  return ((endpoints as unknown as Endpoints | undefined)?.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip)).sort();
}

export const servicesListReadyPods: EventuallyProperty = {
  kind: 'eventually',
  name: 'servicesListReadyPods',
  description: "Every Service with a selector ends with an Endpoints object listing exactly the IPs of the ready, not terminating pods its selector matches.",
  check(world) {
    if (!runs(world, 'endpoints')) return null;
    const pods = objects(world, 'pods');
    const endpoints = world.store.context.objects.endpoints;
    for (const object of objects(world, 'services')) {
      const selector = (object as unknown as Service).spec?.selector;
      if (selector === undefined || object.metadata.deletionTimestamp) continue;
      const expected = pods
        .filter((p) => p.metadata.namespace === object.metadata.namespace && !p.metadata.deletionTimestamp && selectorMatches({ matchLabels: selector }, p.metadata.labels))
        .map(asPod).filter((p) => isPodReady(p) && p.status?.podIP !== undefined).map((p) => p.status!.podIP!).sort();
      const listed = readyAddresses(endpoints?.get(keyOf(object)));
      if (expected.join() !== listed.join()) {
        return `Service ${keyOf(object)} lists ${listed.join(', ') || 'no address'} once faults healed, but its ready pods are at ${expected.join(', ') || 'no address'}.`;
      }
    }
    return null;
  },
};
