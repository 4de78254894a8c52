// The kubelet's admission of a pod bound to its node (pkg/kubelet/lifecycle/predicate.go
// and the NodeResourcesFit check it reuses): the pod's requests must fit in what the
// node's admitted, still-running pods leave of its allocatable, and the pod count must
// stay within allocatable pods. A rejected pod is failed with reason OutOf<resource>.
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import { quantityIn } from '../quantity.ts';

export interface Allocatable {
  readonly cpuMillis: number;
  readonly memoryBytes: number;
  readonly pods: number;
}

export interface Requests {
  readonly cpuMillis: number;
  readonly memoryBytes: number;
}

function containerRequests(c: { resources?: { requests?: Record<string, string | number> } }): Requests {
  const r = c.resources?.requests ?? {};
  return { cpuMillis: quantityIn('cpu', r.cpu), memoryBytes: quantityIn('memory', r.memory) };
}

const add = (a: Requests, b: Requests): Requests => ({ cpuMillis: a.cpuMillis + b.cpuMillis, memoryBytes: a.memoryBytes + b.memoryBytes });
const max = (a: Requests, b: Requests): Requests => ({ cpuMillis: Math.max(a.cpuMillis, b.cpuMillis), memoryBytes: Math.max(a.memoryBytes, b.memoryBytes) });
const ZERO: Requests = { cpuMillis: 0, memoryBytes: 0 };

/**
 * The pod's effective requests (k8s.io/component-helpers resource.PodRequests):
 * max(sum of containers + sidecars, each init container + the sidecars declared before it),
 * plus the pod overhead.
 */
export function podRequests(spec: PodSpec): Requests {
  let sidecars = ZERO;
  let initPeak = ZERO;
  for (const init of spec.initContainers ?? []) {
    const own = containerRequests(init);
    if (init.restartPolicy === 'Always') {
      sidecars = add(sidecars, own);
      initPeak = max(initPeak, sidecars);
    } else {
      initPeak = max(initPeak, add(own, sidecars));
    }
  }
  const regular = (spec.containers ?? []).reduce((sum, c) => add(sum, containerRequests(c)), ZERO);
  const overhead = containerRequests({ resources: { requests: spec.overhead as Record<string, string> | undefined } });
  return add(max(add(regular, sidecars), initPeak), overhead);
}

export type Admission = { readonly admitted: true } | { readonly admitted: false; readonly reason: string; readonly message: string };

/** Admits `spec` onto a node already running pods that request `used` (and number `podsUsed`). */
export function admit(spec: PodSpec, used: Requests, podsUsed: number, allocatable: Allocatable): Admission {
  const want = podRequests(spec);
  const short = (resource: string, requested: number, inUse: number, capacity: number): Admission => ({
    admitted: false,
    reason: `OutOf${resource}`,
    message: `Pod was rejected: Node didn't have enough resource: ${resource}, requested: ${requested}, used: ${inUse}, capacity: ${capacity}`,
  });
  if (podsUsed + 1 > allocatable.pods) return short('pods', 1, podsUsed, allocatable.pods);
  if (want.cpuMillis > allocatable.cpuMillis - used.cpuMillis) return short('cpu', want.cpuMillis, used.cpuMillis, allocatable.cpuMillis);
  if (want.memoryBytes > allocatable.memoryBytes - used.memoryBytes) return short('memory', want.memoryBytes, used.memoryBytes, allocatable.memoryBytes);
  return { admitted: true };
}

export { add as addRequests, ZERO as NO_REQUESTS };
