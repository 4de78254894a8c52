// How a container is stopped, judged on the runtime's record of the hook and signals it got,
// from the documentation ("Termination of Pods", "Container Lifecycle Hooks"): the kubelet runs
// the container's preStop hook, if it has one and the grace period is not 0, then sends SIGTERM;
// if the hook is still running when the grace period expires, SIGTERM gets a one-off extension of
// 2 s; SIGKILL comes when the grace period is over, and a pod deleted at once still gets a small
// grace period before it. A probe's terminationGracePeriodSeconds is the grace of a kill it causes.
// Restarting all of a pod's containers in place ("Restart All Containers") is a fast termination:
// no grace period and no preStop hook.
import type { RuntimeContainer } from '../model/runtime.ts';
import type { World } from '../model/world.ts';
import { apiPod, specOf, syncOp } from './observe.ts';
import type { SometimesGoal, TransitionProperty } from './property.ts';
import { exitRestartingAll } from './restart-rules.ts';

/** The time SIGTERM always gets before SIGKILL: the docs' 2 s extension, the kubelet's minimum grace period. */
const SIGTERM_MINIMUM_MS = 2_000;

/**
 * The grace period the container's stop on `node` is owed, in seconds: the pod's, its deletion's,
 * or, for a kill its liveness or startup probe caused, the probe's terminationGracePeriodSeconds;
 * whichever is shortest (a stop under way keeps the grace it began with, so the shortest is what is
 * owed); 0 when the API server no longer has the pod, or when a container's exit asked to restart
 * all of the pod's containers.
 */
function graceSecondsOwed(world: World, node: number, c: RuntimeContainer): number {
  const pod = apiPod(world, c.podKey, c.podUid);
  if (!pod || exitRestartingAll(world.nodes[node]!.runtime.context, c.podUid)) return 0;
  const spec = specOf(pod).terminationGracePeriodSeconds ?? 30;
  const probes = [c.spec.livenessProbe, c.spec.startupProbe].map((p) => p?.terminationGracePeriodSeconds ?? spec);
  return Math.min(spec, pod.metadata.deletionGracePeriodSeconds ?? spec, ...probes);
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
    const hook = stopped?.c.spec.lifecycle?.preStop;
    if (!stopped || !hook) return null;
    const { c } = stopped;
    const graceSeconds = graceSecondsOwed(before, stopped.node, c);
    if (graceSeconds === 0) return null;
    if (c.preStopAtMs === null) return `container ${c.name} of pod ${c.podKey} was sent SIGTERM without its preStop hook running first (grace period ${graceSeconds}s).`;
    // A sleep hook takes its seconds; an exec or httpGet hook as long as the process's behaviour says.
    const takesMs = hook.sleep ? hook.sleep.seconds * 1000 : c.behaviour.hooks?.preStop?.takesMs ?? 0;
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
