// A node's container runtime (CRI: containerd or CRI-O): the ground truth of what runs
// on the node, which the API's view may lag or misreport. Sandboxes, images, containers
// with their attempts, exit codes and the signals they were sent. Follows the CRI
// RuntimeService/ImageService calls the kubelet makes (kuberuntime_container.go,
// kuberuntime_sandbox.go), and when the kubelet began a container's preStop hook (an exec in
// it, or a GET against it: the kubelet's, recorded here as ground truth for the grace period
// it counts from). A node crash loses every sandbox and container; the image
// store and the pod log directories (from which the kubelet recovers restart counts,
// kuberuntime calcRestartCountByLogDir) are on disk and survive it. Dead containers are
// garbage-collected as kuberuntime_gc.go does with its defaults (MaxPerPodContainer 1):
// a container keeps its newest instance and the dead one before it; a pod whose sandbox
// is removed (it is gone from the API server) leaves nothing behind. The kubelet removes a
// stopped container itself (RemoveContainer, keeping its logs) to restart all of a pod's
// containers in its sandbox (KEP-5532).
import type { Container } from 'kubernetes-types/core/v1.js';
import { assign, setup } from 'xstate';
import { PMap } from './pmap.ts';
import type { ProcessBehaviour } from './process.ts';
import type { ProbeType } from './semantics/probe.ts';

export type ContainerState = 'created' | 'running' | 'exited';

export interface RuntimeContainer {
  readonly id: string;
  readonly podUid: string;
  /** namespace/name of the pod, for labels. */
  readonly podKey: string;
  readonly name: string;
  readonly init: boolean;
  /** The restart attempt this container is (0 for the first). */
  readonly attempt: number;
  readonly image: string;
  /**
   * The container's spec as the kubelet created it: what it needs to stop it when the pod is
   * gone (upstream keeps the preStop hook and the ports in the container's annotations).
   */
  readonly spec: Container;
  /**
   * The pod's terminationGracePeriodSeconds, which the kubelet records on the container (kuberuntime
   * labels.go, io.kubernetes.pod.terminationGracePeriod): the grace a stop gets when the pod is gone.
   */
  readonly podGraceSeconds: number;
  readonly state: ContainerState;
  readonly exitCode: number | null;
  /** Why it exited: Completed (0), Error, or the signal that ended it. */
  readonly reason: string | null;
  readonly startedAtMs: number | null;
  readonly finishedAtMs: number | null;
  /** When the kubelet began running its preStop hook (its grace period counts from there), if it did. */
  readonly preStopAtMs: number | null;
  /** When SIGTERM was sent, if it was. */
  readonly sigtermAtMs: number | null;
  readonly sigkilled: boolean;
  readonly behaviour: ProcessBehaviour;
}

export interface RuntimeContext {
  readonly node: string;
  readonly up: boolean;
  readonly images: PMap<true>;
  /** Pod sandboxes by pod uid, each with the IP the network plugin gave it. */
  readonly sandboxes: PMap<{ readonly podKey: string; readonly createdAtMs: number; readonly ip: string }>;
  /** The node's pod subnet ("10.244.1"): sandbox IPs are handed out from it in turn. */
  readonly podSubnet: string;
  /** Sandboxes run since the node first booted: the next IP's host part. */
  readonly sandboxesRun: number;
  readonly containers: PMap<RuntimeContainer>;
  /** Container ids by pod uid, oldest first: an index, so finding a pod's containers does not scan the node. */
  readonly podContainers: PMap<readonly string[]>;
  readonly idsIssued: number;
  /** Attempts made, by "podUid/container": the log directory, which survives a reboot. */
  readonly attempts: PMap<number>;
  /** Containers started since the node last booted, by "podUid/container": ground truth for properties. */
  readonly startsSinceBoot: PMap<number>;
  /** The probe types that have passed against each container instance, by container id: ground truth for readiness. */
  readonly probesPassed: PMap<readonly ProbeType[]>;
  /** When the first running process with a timed exit is due to exit, or null. */
  readonly nextExitMs: number | null;
}

/** The pod's container instances, oldest first. */
export function podInstances(runtime: RuntimeContext, podUid: string): RuntimeContainer[] {
  return (runtime.podContainers.get(podUid) ?? []).map((id) => runtime.containers.get(id)!);
}

/** The newest instance (highest attempt) of a pod's container, optionally only if it is in `state`. */
export function newestInstance(runtime: RuntimeContext, podUid: string, name: string, state?: ContainerState): RuntimeContainer | undefined {
  const ids = runtime.podContainers.get(podUid) ?? [];
  for (let i = ids.length - 1; i >= 0; i--) {
    const c = runtime.containers.get(ids[i]!)!;
    if (c.name === name) return state === undefined || c.state === state ? c : undefined;
  }
  return undefined;
}

/** Whether a probe of this type has passed against the container instance. */
export function probePassed(runtime: RuntimeContext, id: string, probe: ProbeType): boolean {
  return runtime.probesPassed.get(id)?.includes(probe) ?? false;
}

/** When a running container's process exits by itself, or null if it runs until stopped. */
export function exitDueMs(c: RuntimeContainer): number | null {
  return c.state === 'running' && c.behaviour.exitAfterMs !== undefined ? (c.startedAtMs ?? 0) + c.behaviour.exitAfterMs : null;
}

export interface RuntimeInput {
  readonly node: string;
  readonly images: readonly string[];
  /** false: the machine starts powered off (a node that joins later). */
  readonly up?: boolean;
  /** The node's pod subnet, as its spec.podCIDR 10.244.N.0/24 would give: "10.244.N". */
  readonly podSubnet: string;
}

/** Host addresses in a /24 the IPAM hands out (.1 is the bridge's). */
const POD_HOSTS_MAX = 253;

export type RuntimeEvent =
  | { readonly type: 'PULL_IMAGE'; readonly image: string }
  | { readonly type: 'RUN_SANDBOX'; readonly podUid: string; readonly podKey: string; readonly nowMs: number }
  | { readonly type: 'REMOVE_SANDBOX'; readonly podUid: string }
  | {
      readonly type: 'CREATE_CONTAINER'; readonly podUid: string; readonly podKey: string; readonly name: string;
      readonly init: boolean; readonly image: string; readonly spec: Container; readonly podGraceSeconds: number; readonly behaviour: ProcessBehaviour;
    }
  | { readonly type: 'START_CONTAINER'; readonly id: string; readonly nowMs: number }
  /** RemoveContainer of a stopped container: the instance is gone, its log directory (and so the attempt count) stays, and so does the sandbox. */
  | { readonly type: 'REMOVE_CONTAINER'; readonly id: string }
  /** The kubelet runs the container's preStop hook (an exec in it, a GET against it, or a sleep), before SIGTERM. */
  | { readonly type: 'RUN_PRESTOP_HOOK'; readonly id: string; readonly nowMs: number }
  /** SIGTERM. A process that honours it exits at once; one that ignores it runs on. */
  | { readonly type: 'STOP_CONTAINER'; readonly id: string; readonly nowMs: number }
  /** SIGKILL: exit 137 at once. */
  | { readonly type: 'KILL_CONTAINER'; readonly id: string; readonly nowMs: number }
  /** The process exits by itself (its own timer, or a crash). */
  | { readonly type: 'PROCESS_EXIT'; readonly id: string; readonly exitCode: number; readonly nowMs: number }
  /** A probe passed against the container. */
  | { readonly type: 'PROBE_PASSED'; readonly id: string; readonly probe: ProbeType }
  | { readonly type: 'CRASH' }
  | { readonly type: 'BOOT' };

export const SIGKILL_EXIT_CODE = 137;

export function attemptKey(podUid: string, name: string): string {
  return `${podUid}/${name}`;
}

function exited(c: RuntimeContainer, exitCode: number, nowMs: number, sigkilled = false): RuntimeContainer {
  return { ...c, state: 'exited', exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', finishedAtMs: nowMs, sigkilled };
}

function withContainer(ctx: RuntimeContext, id: string, change: (c: RuntimeContainer) => RuntimeContainer): Partial<RuntimeContext> {
  const c = ctx.containers.get(id);
  return c ? { containers: ctx.containers.set(id, change(c)) } : {};
}

/** Forgets containers: their instances, their probe record and their place in the pod index. */
function removeContainers(ctx: RuntimeContext, podUid: string, ids: readonly string[]): Partial<RuntimeContext> {
  if (ids.length === 0) return {};
  let { containers, probesPassed } = ctx;
  for (const id of ids) {
    containers = containers.delete(id);
    probesPassed = probesPassed.delete(id);
  }
  const left = (ctx.podContainers.get(podUid) ?? []).filter((id) => !ids.includes(id));
  return { containers, probesPassed, podContainers: left.length > 0 ? ctx.podContainers.set(podUid, left) : ctx.podContainers.delete(podUid) };
}

/** The instances of a pod's container that garbage collection removes once a new one is created: all but the newest before it. */
function collectable(ctx: RuntimeContext, podUid: string, name: string): string[] {
  const ids = (ctx.podContainers.get(podUid) ?? []).filter((id) => ctx.containers.get(id)!.name === name);
  return ids.slice(0, -1);
}

/** Power lost: every process dies without a signal; sandboxes and containers are gone; what is on disk (images, logs) stays. */
export const POWER_LOST = {
  up: false, sandboxes: PMap.empty(), containers: PMap.empty(), podContainers: PMap.empty(), startsSinceBoot: PMap.empty(), probesPassed: PMap.empty(),
} as const satisfies Partial<RuntimeContext>;

export const runtimeMachine = setup({
  types: { context: {} as RuntimeContext, events: {} as RuntimeEvent, input: {} as RuntimeInput },
  actions: {
    pullImage: assign(({ context, event }) => (event.type === 'PULL_IMAGE' ? { images: context.images.set(event.image, true) } : {})),
    runSandbox: assign(({ context, event }) => {
      if (event.type !== 'RUN_SANDBOX') return {};
      const ip = `${context.podSubnet}.${(context.sandboxesRun % POD_HOSTS_MAX) + 2}`;
      return { sandboxes: context.sandboxes.set(event.podUid, { podKey: event.podKey, createdAtMs: event.nowMs, ip }), sandboxesRun: context.sandboxesRun + 1 };
    }),
    /** The pod is gone: its sandbox, its containers and its log directories go with it. */
    removeSandbox: assign(({ context, event }) => {
      if (event.type !== 'REMOVE_SANDBOX') return {};
      const prefix = attemptKey(event.podUid, '');
      let { attempts, startsSinceBoot } = context;
      for (const key of attempts.keys()) if (key.startsWith(prefix)) attempts = attempts.delete(key);
      for (const key of startsSinceBoot.keys()) if (key.startsWith(prefix)) startsSinceBoot = startsSinceBoot.delete(key);
      const removed = removeContainers(context, event.podUid, context.podContainers.get(event.podUid) ?? []);
      return { sandboxes: context.sandboxes.delete(event.podUid), attempts, startsSinceBoot, ...removed };
    }),
    removeContainer: assign(({ context, event }) => {
      if (event.type !== 'REMOVE_CONTAINER') return {};
      const c = context.containers.get(event.id);
      return c && c.state !== 'running' ? removeContainers(context, c.podUid, [c.id]) : {};
    }),
    createContainer: assign(({ context, event }) => {
      if (event.type !== 'CREATE_CONTAINER') return {};
      const key = attemptKey(event.podUid, event.name);
      const previous = context.attempts.get(key);
      const attempt = previous === undefined ? 0 : previous + 1;
      const id = `cri-${String(context.idsIssued + 1).padStart(6, '0')}`;
      const container: RuntimeContainer = {
        id, podUid: event.podUid, podKey: event.podKey, name: event.name, init: event.init, attempt, image: event.image, spec: event.spec, podGraceSeconds: event.podGraceSeconds,
        state: 'created', exitCode: null, reason: null, startedAtMs: null, finishedAtMs: null, preStopAtMs: null, sigtermAtMs: null,
        sigkilled: false, behaviour: event.behaviour,
      };
      const collected = { ...context, ...removeContainers(context, event.podUid, collectable(context, event.podUid, event.name)) };
      return {
        ...collected,
        containers: collected.containers.set(id, container),
        podContainers: collected.podContainers.set(event.podUid, [...(collected.podContainers.get(event.podUid) ?? []), id]),
        idsIssued: context.idsIssued + 1,
        attempts: context.attempts.set(key, attempt),
      };
    }),
    startContainer: assign(({ context, event }) => {
      if (event.type !== 'START_CONTAINER') return {};
      const c = context.containers.get(event.id);
      if (!c || c.state !== 'created') return {};
      const key = attemptKey(c.podUid, c.name);
      return {
        containers: context.containers.set(c.id, { ...c, state: 'running', startedAtMs: event.nowMs }),
        startsSinceBoot: context.startsSinceBoot.set(key, (context.startsSinceBoot.get(key) ?? 0) + 1),
      };
    }),
    runPreStopHook: assign(({ context, event }) => (event.type !== 'RUN_PRESTOP_HOOK' ? {} : withContainer(context, event.id, (c) =>
      (c.state === 'running' && c.preStopAtMs === null ? { ...c, preStopAtMs: event.nowMs } : c)))),
    stopContainer: assign(({ context, event }) => (event.type !== 'STOP_CONTAINER' ? {} : withContainer(context, event.id, (c) => {
      if (c.state !== 'running') return c;
      const signalled = { ...c, sigtermAtMs: c.sigtermAtMs ?? event.nowMs };
      return c.behaviour.ignoresSigterm ? signalled : exited(signalled, c.behaviour.sigtermExitCode ?? 0, event.nowMs);
    }))),
    killContainer: assign(({ context, event }) => (event.type !== 'KILL_CONTAINER' ? {} : withContainer(context, event.id, (c) =>
      (c.state === 'running' ? exited(c, SIGKILL_EXIT_CODE, event.nowMs, true) : c)))),
    exitProcess: assign(({ context, event }) => (event.type !== 'PROCESS_EXIT' ? {} : withContainer(context, event.id, (c) =>
      (c.state === 'running' ? exited(c, event.exitCode, event.nowMs) : c)))),
    recordProbe: assign(({ context, event }) => {
      if (event.type !== 'PROBE_PASSED' || probePassed(context, event.id, event.probe)) return {};
      return { probesPassed: context.probesPassed.set(event.id, [...(context.probesPassed.get(event.id) ?? []), event.probe]) };
    }),
    /** After every call: when the next timed exit is due. */
    scheduleExits: assign(({ context }) => {
      let next: number | null = null;
      for (const c of context.containers.values()) {
        const due = exitDueMs(c);
        if (due !== null && (next === null || due < next)) next = due;
      }
      return next === context.nextExitMs ? {} : { nextExitMs: next };
    }),
    crash: assign(POWER_LOST),
    boot: assign({ up: true }),
  },
  guards: {
    poweredOff: ({ context }) => !context.up,
  },
}).createMachine({
  id: 'runtime',
  context: ({ input }) => ({
    node: input.node, up: input.up ?? true, images: PMap.from(input.images.map((i) => [i, true] as const)), sandboxes: PMap.empty(),
    podSubnet: input.podSubnet, sandboxesRun: 0,
    containers: PMap.empty(), podContainers: PMap.empty(), idsIssued: 0, attempts: PMap.empty(), startsSinceBoot: PMap.empty(), probesPassed: PMap.empty(),
    nextExitMs: null,
  }),
  initial: 'poweringOn',
  states: {
    poweringOn: { always: [{ guard: 'poweredOff', target: 'down' }, { target: 'up' }] },
    up: {
      on: {
        PULL_IMAGE: { actions: 'pullImage' },
        RUN_SANDBOX: { actions: 'runSandbox' },
        REMOVE_SANDBOX: { actions: 'removeSandbox' },
        CREATE_CONTAINER: { actions: 'createContainer' },
        REMOVE_CONTAINER: { actions: 'removeContainer' },
        START_CONTAINER: { actions: ['startContainer', 'scheduleExits'] },
        RUN_PRESTOP_HOOK: { actions: 'runPreStopHook' },
        STOP_CONTAINER: { actions: ['stopContainer', 'scheduleExits'] },
        KILL_CONTAINER: { actions: ['killContainer', 'scheduleExits'] },
        PROCESS_EXIT: { actions: ['exitProcess', 'scheduleExits'] },
        PROBE_PASSED: { actions: 'recordProbe' },
        CRASH: { target: 'down', actions: ['crash', 'scheduleExits'] },
      },
    },
    down: { on: { BOOT: { target: 'up', actions: 'boot' } } },
  },
});

export type RuntimeMachine = typeof runtimeMachine;
