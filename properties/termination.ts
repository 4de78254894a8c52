// How a container is stopped, judged on the runtime's record of the hook and signals it got,
// from the documentation ("Termination of Pods", "Container Lifecycle Hooks") and, where the docs
// lag the kubelet, from pod_workers.go (calculateEffectiveGracePeriod): the kubelet runs the
// container's preStop hook, if it has one and the grace period is not 0, then sends SIGTERM; if
// the hook is still running when the grace period expires, SIGTERM gets a one-off extension of
// 2 s; SIGKILL comes when the grace period is over. A pod being deleted gets the grace its
// deletion asked for; a deletion that asked for none (a force deletion), like a pod already gone
// from the API server, gets the pod's own grace period; never less than 1 s. A probe's
// terminationGracePeriodSeconds is the grace of a kill it causes.
// Restarting all of a pod's containers in place ("Restart All Containers") is a fast termination:
// no grace period and no preStop hook.
import type { RuntimeContainer } from '../model/runtime.ts';
import type { World } from '../model/world.ts';
import { apiPod, hookRun, specOf, syncOp } from './observe.ts';
import type { SometimesGoal, TransitionProperty } from './property.ts';
import { exitRestartingAll } from './restart-rules.ts';

/** The time SIGTERM always gets before SIGKILL: the docs' 2 s extension, the kubelet's minimum grace period. */
const SIGTERM_MINIMUM_MS = 2_000;

/** The grace a pod being deleted is owed at least. */
const DELETION_GRACE_MINIMUM_SECONDS = 1;

/**
 * The grace period the container's stop on `node` is owed, in seconds: for a pod being deleted (or
 * gone), the deletion's, or the pod's own where the deletion asked for none, at least 1 s; for a
 * pod not being deleted, the pod's, or, for a kill its liveness or startup probe caused, the
 * probe's terminationGracePeriodSeconds (whichever is shortest: the property cannot tell which
 * cause the kubelet acted on); 0 when a container's exit asked to restart all of the pod's containers.
 */
function graceSecondsOwed(world: World, node: number, c: RuntimeContainer): number {
  if (exitRestartingAll(world.nodes[node]!.runtime.context, c.podUid)) return 0;
  const pod = apiPod(world, c.podKey, c.podUid);
  if (!pod || pod.metadata.deletionTimestamp) {
    const requested = pod?.metadata.deletionGracePeriodSeconds ?? 0;
    return Math.max(requested > 0 ? requested : c.podGraceSeconds, DELETION_GRACE_MINIMUM_SECONDS);
  }
  const spec = specOf(pod).terminationGracePeriodSeconds ?? 30;
  const probes = [c.spec.livenessProbe, c.spec.startupProbe].map((p) => p?.terminationGracePeriodSeconds ?? spec);
  return Math.min(spec, ...probes);
}

/** The container the step's kubelet call is about, if the call is `type`, and its node. */
function signalled(before: World, action: Parameters<TransitionProperty['check']>[1], after: World, type: 'STOP_CONTAINER' | 'KILL_CONTAINER'): { c: RuntimeContainer; node: number } | undefined {
  const op = syncOp(action, after);
  if (action.kind !== 'sync' || op?.type !== type) return undefined;
  const c = before.nodes[action.node]!.runtime.context.containers.get(op.id);
  return c && { c, node: action.node };
}

export const sigtermOnlyAfterPreStop: TransitionProperty = {
  kind: 'transition',
  name: 'sigtermOnlyAfterPreStop',
  description: 'A container with a preStop hook, stopped with a grace period, gets SIGTERM only after the hook: once it has returned, or once the grace period is over.',
  check(before, action, after) {
    const stopped = signalled(before, action, after, 'STOP_CONTAINER');
    const hook = stopped && hookRun(stopped.c, 'preStop');
    if (!stopped || !hook) return null;
    const { c } = stopped;
    const graceSeconds = graceSecondsOwed(before, stopped.node, c);
    if (graceSeconds === 0) return null;
    if (c.preStopAtMs === null) return `container ${c.name} of pod ${c.podKey} was sent SIGTERM without its preStop hook running first (grace period ${graceSeconds}s).`;
    const { takesMs } = hook;
    const ranMs = before.nowMs - c.preStopAtMs;
    if (ranMs >= Math.min(takesMs, graceSeconds * 1000)) return null;
    return `container ${c.name} of pod ${c.podKey} was sent SIGTERM ${ranMs}ms after its preStop hook began, which takes ${takesMs}ms, within its ${graceSeconds}s grace period.`;
  },
};

export const sigkillOnlyAfterGracePeriod: TransitionProperty = {
  kind: 'transition',
  name: 'sigkillOnlyAfterGracePeriod',
  description: 'A container is sent SIGKILL only after SIGTERM, once its grace period (counted from its preStop hook\'s start, if it ran one) is over, and never within 2 s of SIGTERM.',
  check(before, action, after) {
    const killed = signalled(before, action, after, 'KILL_CONTAINER');
    if (!killed) return null;
    const { c } = killed;
    const graceSeconds = graceSecondsOwed(before, killed.node, c);
    if (c.sigtermAtMs === null) return `container ${c.name} of pod ${c.podKey} was sent SIGKILL without SIGTERM first.`;
    const sinceSigterm = before.nowMs - c.sigtermAtMs;
    const began = c.preStopAtMs ?? c.sigtermAtMs;
    const hook = c.preStopAtMs === null ? '' : ` and ${before.nowMs - c.preStopAtMs}ms after its preStop hook began`;
    if (before.nowMs < began + graceSeconds * 1000) {
      return `container ${c.name} of pod ${c.podKey} was sent SIGKILL ${sinceSigterm}ms after SIGTERM${hook}, within its ${graceSeconds}s grace period.`;
    }
    if (sinceSigterm < SIGTERM_MINIMUM_MS) {
      return `container ${c.name} of pod ${c.podKey} was sent SIGKILL ${sinceSigterm}ms after SIGTERM${hook}: SIGTERM always gets 2s, past a ${graceSeconds}s grace period.`;
    }
    return null;
  },
};

export const preStopOutlastsGracePeriod: SometimesGoal = {
  kind: 'sometimes',
  name: 'preStopOutlastsGracePeriod',
  description: 'A container\'s preStop hook is still running when its grace period ends, and the container is then sent SIGTERM (the docs\' graceful-termination example).',
  reached(before, action, after) {
    const stopped = signalled(before, action, after, 'STOP_CONTAINER');
    return stopped !== undefined && stopped.c.preStopAtMs !== null && before.nowMs - stopped.c.preStopAtMs >= graceSecondsOwed(before, stopped.node, stopped.c) * 1000;
  },
};
