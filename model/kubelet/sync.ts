// A pod worker's sync: what the kubelet does next for one pod, one runtime call at a
// time, as kuberuntime computePodActions and SyncPod order it: admit; run the sandbox;
// wait for volumes; run init containers in order; start or restart containers with
// image pulls, CrashLoopBackOff and their postStart hooks; kill a container its liveness
// or startup probe failed, or whose postStart hook failed; restart every container of the
// pod in its sandbox when its status says AllContainersRestarting (kubelet.go SyncPod; the
// kill-and-remove path of computePodActions, KEP-5532). A SyncPod's decisions are taken
// once, as it begins, and carried on across the steps it takes here (SyncPodUnderway). A
// container is stopped as killContainer stops it: its preStop hook, SIGTERM, then SIGKILL
// once its grace period is over; a pod being deleted is stopped so, and finally deleted.
// Every decision that an invariant depends on is a parameter (`SyncRules`), so a planted
// defect changes one rule and nothing else.
import type { Container, NodeStatus, PodSpec, PodStatus } from 'kubernetes-types/core/v1.js';
import { deepEqual } from '../equal.ts';
import type { KubeObject } from '../resources.ts';
import { podInstances, type RuntimeContainer, type RuntimeEvent } from '../runtime.ts';
import { backoffGet, backoffNext, crashLoopBackoff, type Backoff } from '../semantics/backoff.ts';
import { goDuration } from '../go-duration.ts';
import { kubeletOwnedConditions } from '../semantics/pod-conditions.ts';
import { isSidecar, podPhase } from '../semantics/pod-phase.ts';
import { newProbeWorker, probeSettings, type ProbeType } from '../semantics/probe.ts';
import { matchingRestartRule, shouldContainerBeRestarted, type PodRestartPolicy, type RestartRulesInput } from '../semantics/restart.ts';
import { ALL_CONTAINERS_RESTARTING } from '../semantics/all-containers-restart.ts';
import type { FeatureGates } from '../feature-gates.ts';
import { LABEL_OS } from '../node-object.ts';
import { admit, admitOS, admittedNodeInfo } from './admission.ts';
import { podHostPorts } from '../semantics/node-ports.ts';
import type { ResourceList } from '../semantics/resource-fit.ts';
import { imageNameProblem, normalizedImage } from '../image-ref.ts';
import { containerConfigProblem, pullPolicy, volumeMountProblem } from './config.ts';
import { hookOutcome } from './hooks.ts';
import type { KubeletContext, KubeletView, PodWorker, ProbeSlot, SyncPodUnderway } from './context.ts';
import { instancesOf, podStatus, runtimeStatuses, terminatedPodStatus, TERMINAL_PHASES, withTransitionTimes, type ProbeResults, type Waiting } from './status.ts';

export interface SyncRules {
  /** Whether an exited (or never started) container is started again. */
  readonly shouldRestart: typeof shouldContainerBeRestarted;
  /** Whether a container its liveness or startup probe failed is started again after the kill, under this effective policy. */
  readonly restartsAfterProbeKill: (c: Container, policy: PodRestartPolicy, gates: FeatureGates) => boolean;
  /** Whether a container sent SIGTERM at `sigtermAtMs` with `graceMs` may now be killed. */
  readonly mayKill: (sigtermAtMs: number, graceMs: number, nowMs: number) => boolean;
  /** The grace period SIGTERM gets, from the kill's and the time its preStop hook took (killContainer). */
  readonly sigtermGraceMs: (graceMs: number, preStopMs: number) => number;
  /** The handler runner: when a container's lifecycle hook returns and how, or null if it has none. */
  readonly runHook: typeof hookOutcome;
  /** The terminal phase the pod already reached and keeps, if any: by the kubelet's account, or the API server's after a restart. */
  readonly terminalPhase: (worker: PodWorker, pod: KubeObject) => string | undefined;
  /** The phase of a pod from its container statuses (getPhase). */
  readonly podPhase: typeof podPhase;
  /** Why the pod's volumes cannot be set up yet (a ConfigMap or Secret missing), or null. */
  readonly mountProblem: typeof volumeMountProblem;
  /** Admission: whether the pod fits beside the pods already admitted. */
  readonly admit: typeof admit;
  /**
   * The basis of the next status, which carries over what the runtime no longer has (a reboot
   * wiped it): the status manager's latest for the pod, else the API server's (generateAPIPodStatus).
   */
  readonly previousStatus: (pod: KubeObject, latest: PodStatus | undefined) => PodStatus;
  /** Whether SyncPod stops at this status instead of running the pod: when it is terminal (kubelet.go SyncPod). */
  readonly stopsAt: (status: PodStatus) => boolean;
  /** Whether SyncPod restarts every container, on the status it began with (kubelet.go SyncPod: the gate on and AllContainersRestarting True). */
  readonly restartsAllContainers: (gates: FeatureGates, status: PodStatus) => boolean;
}

export const KUBELET_RULES: SyncRules = {
  shouldRestart: shouldContainerBeRestarted,
  restartsAfterProbeKill,
  mayKill: (sigtermAtMs, graceMs, nowMs) => nowMs >= sigtermAtMs + graceMs,
  // What the hook left of the grace period, in whole seconds as executePreStopHook counts them, and never less than minimumGracePeriodInSeconds.
  sigtermGraceMs: (graceMs, preStopMs) => Math.max(graceMs - Math.floor(preStopMs / 1000) * 1000, MINIMUM_GRACE_MS),
  runHook: hookOutcome,
  terminalPhase: (worker, pod) => {
    const api = (pod.status as PodStatus | undefined)?.phase;
    return isTerminalPhase(worker.phase) ? worker.phase : isTerminalPhase(api) ? api : undefined;
  },
  podPhase,
  mountProblem: volumeMountProblem,
  admit,
  previousStatus: (pod, latest) => latest ?? ((pod.status ?? {}) as PodStatus),
  stopsAt: (status) => isTerminalPhase(status.phase),
  restartsAllContainers: (gates, status) => gates.RestartAllContainersOnContainerExits &&
    (status.conditions ?? []).some((c) => c.type === ALL_CONTAINERS_RESTARTING && c.status === 'True'),
};

export const DEFAULT_GRACE_SECONDS = 30;
/** killContainer's minimumGracePeriodInSeconds: SIGTERM always gets 2 s before SIGKILL, whatever the grace period and the preStop hook left of it. */
const MINIMUM_GRACE_MS = 2_000;
/** calculateEffectiveGracePeriod (pod_workers.go): a pod being deleted always gets at least 1 s. */
const MINIMUM_DELETION_GRACE_MS = 1_000;

type Change = Partial<KubeletContext>;

/** The pod in the kubelet's cache, if it is the incarnation the worker was made for. */
export function podOf(view: KubeletView, worker: PodWorker): KubeObject | undefined {
  const pod = view.pods.get(worker.key);
  return pod?.metadata.uid === worker.uid ? pod : undefined;
}

function specOf(pod: KubeObject): PodSpec {
  return pod.spec as PodSpec;
}

export function isTerminalPhase(phase: string | undefined): boolean {
  return phase !== undefined && TERMINAL_PHASES.includes(phase);
}

/** Probe results for status: each probe worker's cached result and the container it is for. */
export function probeResultsOf(ctx: KubeletContext, uid: string): (container: string) => ProbeResults {
  return (container) => {
    const out: { -readonly [K in ProbeType]?: ProbeResults[K] } = {};
    for (const type of ['liveness', 'readiness', 'startup'] as const) {
      const slot = ctx.probes.get(`${uid}/${container}/${type}`);
      if (slot) out[type] = { containerId: slot.worker.containerId, result: slot.worker.result };
    }
    return out;
  };
}

function withTimer(ctx: KubeletContext, atMs: number, uid: string): Change {
  if (ctx.timers.some((t) => t.uid === uid && t.atMs === atMs)) return {};
  return { timers: [...ctx.timers, { atMs, uid }].sort((a, b) => a.atMs - b.atMs || (a.uid < b.uid ? -1 : 1)) };
}

/**
 * The status manager's latest status for the pod (GetPodStatus): the one waiting to be
 * written, else the one the API server accepted. A kubelet restart forgets both. The
 * informer's copy can lag the kubelet's own writes, so a status built on it could undo
 * one (a restart counted for a container lost in a reboot would be counted back down).
 */
export function latestStatus(ctx: KubeletContext, uid: string): PodStatus | undefined {
  return ctx.statusPending.get(uid)?.status ?? ctx.statusWritten.get(uid)?.status;
}

/** Records the status the kubelet would report, for the status manager to write if it is news. */
function reportStatus(ctx: KubeletContext, worker: PodWorker, pod: KubeObject, computed: PodStatus, nowMs: number): Change {
  const status = withTransitionTimes(computed, latestStatus(ctx, worker.uid) ?? (pod.status as PodStatus | undefined), nowMs);
  const written = ctx.statusWritten.get(worker.uid);
  if (written && deepEqual(written.status, status) && !needsReconcile(pod, written, ctx.featureGates)) {
    return ctx.statusPending.has(worker.uid) ? { statusPending: ctx.statusPending.delete(worker.uid) } : {};
  }
  return { statusPending: ctx.statusPending.set(worker.uid, { key: worker.key, status }) };
}

/**
 * The status manager's needsReconcile: the API server's copy of the pod, once it is at least as
 * new as the kubelet's last write, differs from that write in what the kubelet owns (another
 * component, such as the node lifecycle controller marking the pod not Ready, changed it):
 * the kubelet writes its status again. Conditions other components own are not compared.
 */
function needsReconcile(pod: KubeObject, written: { readonly status: PodStatus; readonly rv: number }, gates: FeatureGates): boolean {
  if (Number(pod.metadata.resourceVersion ?? 0) < written.rv) return false;
  const owned = kubeletOwnedConditions(gates);
  const byKubelet = (status: PodStatus | undefined) => ({ ...status, conditions: (status?.conditions ?? []).filter((c) => owned.includes(c.type)) });
  return !deepEqual(byKubelet(pod.status as PodStatus | undefined), byKubelet(written.status));
}

/** Removes the uid from the queue: the worker has nothing more to do until something changes. */
function settled(ctx: KubeletContext, uid: string): Change {
  return { queue: ctx.queue.filter((u) => u !== uid) };
}

/**
 * The last status computed and what it was computed from. SyncPod asks twice a sync (first to
 * stop at a terminal status, then to report), mostly with nothing changed in between; a
 * status is a function of these inputs and is never mutated, so the same inputs may share it.
 */
let lastStatus: { readonly inputs: readonly unknown[]; readonly status: PodStatus } | null = null;

function currentStatus(ctx: KubeletContext, worker: PodWorker, pod: KubeObject, view: KubeletView, rules: SyncRules, podIsTerminal: boolean): PodStatus {
  if (worker.admission !== null && worker.admission !== 'admitted') {
    return { phase: 'Failed', reason: worker.admission.reason, message: worker.admission.message };
  }
  const terminalPhase = rules.terminalPhase(worker, pod);
  const previous = rules.previousStatus(pod, latestStatus(ctx, worker.uid));
  const inputs = [pod, view.runtime, worker.uid, worker.waiting, worker.startedAtMs, ctx.probes, podIsTerminal, terminalPhase, previous, rules.podPhase, ctx.featureGates];
  if (lastStatus !== null && inputs.every((input, i) => input === lastStatus!.inputs[i])) return lastStatus.status;
  const status = podStatus({
    pod, runtime: view.runtime, instances: instancesOf(view.runtime, worker.uid), waiting: worker.waiting,
    probes: probeResultsOf(ctx, worker.uid), podIsTerminal, startedAtMs: worker.startedAtMs, terminalPhase, previous, podPhase: rules.podPhase,
    gates: ctx.featureGates,
  });
  lastStatus = { inputs, status: podIsTerminal ? terminatedPodStatus(status) : status };
  return lastStatus.status;
}

/** How a sync ends, besides its runtime call. */
interface Ending {
  /** The pod worker has stopped every container of a pod being deleted. */
  readonly podIsTerminal?: boolean;
  /** The step carries on a SyncPod under way: it writes no status (upstream writes one as a SyncPod begins). */
  readonly quiet?: boolean;
  /** A SyncPod ended with an error: the pod worker syncs the pod again (podWorkers requeue it). */
  readonly requeue?: boolean;
}

/**
 * Ends a sync: `earlier` (timers, back-offs) plus the worker's new state, the runtime call
 * (if any) and the status to report. `ctx` already includes `earlier`.
 */
function finish(ctx: KubeletContext, earlier: Change, worker: PodWorker, pod: KubeObject | undefined, view: KubeletView, rules: SyncRules, op: RuntimeEvent | null, ending: Ending = {}): Change {
  let change: Change = { ...earlier, op };
  let next = worker;
  // A step that carries a SyncPod on generates no status, and so no phase, as the blocked pod worker generates none.
  if (pod && !ending.quiet) {
    const status = currentStatus(ctx, worker, pod, view, rules, ending.podIsTerminal ?? false);
    next = { ...worker, phase: status.phase };
    change = { ...change, ...reportStatus(ctx, next, pod, status, view.nowMs) };
  }
  change = { ...change, workers: ctx.workers.set(worker.uid, next) };
  return op === null && !ending.requeue ? { ...change, ...settled(ctx, worker.uid) } : change;
}

/** A probe worker for every probe of the pod's containers (prober_manager AddPod), each reading its container's restart rules under `gates`. */
export function probeSlotsFor(spec: PodSpec, pod: KubeObject, nowMs: number, gates: FeatureGates): ProbeSlot[] {
  const slots: ProbeSlot[] = [];
  const uid = pod.metadata.uid ?? '';
  const probed = [...(spec.initContainers ?? []).filter(isSidecar), ...(spec.containers ?? [])];
  for (const c of probed) {
    for (const type of ['liveness', 'readiness', 'startup'] as const) {
      const probe = c[`${type}Probe` as const];
      if (!probe) continue;
      const settings = probeSettings(probe);
      const worker = newProbeWorker({
        probeType: type, settings, podRestartPolicy: (spec.restartPolicy ?? 'Always') as PodRestartPolicy,
        restartableInitContainer: isSidecar(c), restartRules: { container: c, podSpec: spec, gates },
      });
      const periodMs = settings.periodSeconds * 1000;
      slots.push({ uid, podKey: `${pod.metadata.namespace}/${pod.metadata.name}`, container: c.name, type, worker, periodMs, nextProbeAtMs: nowMs + periodMs });
    }
  }
  return slots;
}

/** The pods this kubelet admitted that still run (not terminal, still in the API), but for `except`. */
export function admittedPods(ctx: KubeletContext, view: KubeletView, except?: string): KubeObject[] {
  const pods: KubeObject[] = [];
  for (const other of ctx.workers.values()) {
    if (other.uid === except || other.admission !== 'admitted' || isTerminalPhase(other.phase)) continue;
    const otherPod = podOf(view, other);
    if (otherPod) pods.push(otherPod);
  }
  return pods;
}

/** The allocatable this kubelet registered its node with. */
export function registeredAllocatable(ctx: KubeletContext): ResourceList {
  return (ctx.registration.status as NodeStatus).allocatable ?? {};
}

/** Admission (lifecycle.PredicateAdmitHandler): the pod's OS against the kubelet's, then fit among the pods this kubelet already admitted. */
function admitWorker(ctx: KubeletContext, worker: PodWorker, pod: KubeObject, view: KubeletView, rules: SyncRules): Change {
  const others = admittedPods(ctx, view, worker.uid).map(specOf);
  const os = admitOS(pod, ctx.registration.metadata.labels?.[LABEL_OS] ?? '');
  const decision = os.admitted ? rules.admit(specOf(pod), admittedNodeInfo(registeredAllocatable(ctx), others), others.flatMap(podHostPorts)) : os;
  const admitted: PodWorker = { ...worker, admission: decision.admitted ? 'admitted' : { reason: decision.reason, message: decision.message } };
  return { workers: ctx.workers.set(worker.uid, admitted) };
}

type Plan = { readonly op: RuntimeEvent | null; readonly worker: PodWorker; readonly change: Change; readonly ending?: Ending };

function waitingAs(worker: PodWorker, name: string, waiting: Waiting | null): PodWorker {
  const current = worker.waiting[name];
  if (waiting === null) {
    if (current === undefined) return worker;
    const { [name]: _cleared, ...rest } = worker.waiting;
    return { ...worker, waiting: rest };
  }
  if (current && current.reason === waiting.reason && current.message === waiting.message) return worker;
  return { ...worker, waiting: { ...worker.waiting, [name]: waiting } };
}

const registryImage = (image: string) => normalizedImage(image);

/**
 * Image puller (images/image_manager.go EnsureImageExists) for the container's next start. With
 * pull policy Always every start pulls: the SyncPod that pulled goes on to create the container
 * without asking again (SyncPodUnderway 'starting').
 */
function ensureImage(ctx: KubeletContext, worker: PodWorker, pod: KubeObject, c: Container, view: KubeletView, nowMs: number):
  { ready: true } | { ready: false; plan: Plan } {
  const image = c.image ?? '';
  const invalid = imageNameProblem(image);
  if (invalid) return { ready: false, plan: { op: null, worker: waitingAs(worker, c.name, { reason: 'InvalidImageName', message: invalid }), change: {} } };
  const ref = registryImage(image);
  const policy = pullPolicy(c);
  const present = view.runtime.images.has(ref);
  if (policy === 'Never') {
    if (present) return { ready: true };
    return { ready: false, plan: { op: null, worker: waitingAs(worker, c.name, { reason: 'ErrImageNeverPull', message: `Container image "${image}" is not present with pull policy of Never` }), change: {} } };
  }
  if (policy === 'IfNotPresent' && present) return { ready: true };
  const key = `${pod.metadata.uid}_${ref}`;
  const entry = ctx.imageBackoff.entries[key];
  if (entry && nowMs - entry.lastUpdateMs < entry.backoffMs) {
    const plan = { op: null, worker: waitingAs(worker, c.name, { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` }), change: withTimer(ctx, entry.lastUpdateMs + entry.backoffMs, worker.uid) };
    return { ready: false, plan };
  }
  if (view.registry.down || !view.registry.images.has(ref)) {
    const why = view.registry.down ? 'dial tcp: connect: connection refused' : 'not found';
    const imageBackoff: Backoff = backoffNext(ctx.imageBackoff, key, nowMs, nowMs);
    const message = `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${why}`;
    const change = { imageBackoff, ...withTimer(ctx, nowMs + backoffGet(imageBackoff, key), worker.uid) };
    return { ready: false, plan: { op: null, worker: waitingAs(worker, c.name, { reason: 'ErrImagePull', message }), change } };
  }
  return { ready: false, plan: { op: { type: 'PULL_IMAGE', image: ref }, worker, change: {} } };
}

/** The worker with no SyncPod under way. */
function ended(worker: PodWorker): PodWorker {
  return worker.underway === null ? worker : { ...worker, underway: null };
}

/**
 * The next runtime call of a start, as SyncPod's start does it: doBackOff, then startContainer's
 * EnsureImageExists and CreateContainer; or null when it must wait (with the reason recorded, the
 * SyncPod ended). `newest` is the container's newest instance, exited, or undefined if it never
 * ran; `backoffSinceMs` the exit the back-off is judged on (doBackOff's FinishedAt), null for none.
 * The back-off is decided once per attempt: the steps that pull and create carry on the same SyncPod.
 */
function startContainer(ctx: KubeletContext, worker: PodWorker, pod: KubeObject, c: Container, init: boolean, newest: RuntimeContainer | undefined, view: KubeletView, nowMs: number,
  backoffSinceMs: number | null = newest?.finishedAtMs ?? null): Plan {
  const attempt = newest ? newest.attempt + 1 : 0;
  const u = worker.underway;
  const starting: PodWorker = { ...worker, underway: { phase: 'starting', container: c.name, attempt } };
  let change: Change = {};
  if (!(u?.phase === 'starting' && u.container === c.name && u.attempt === attempt)) {
    if (backoffSinceMs !== null) {
      const key = `${worker.uid}/${c.name}`;
      const decision = crashLoopBackoff(ctx.crashBackoff, key, backoffSinceMs, nowMs);
      if (decision.inBackoff) {
        const message = `back-off ${goDuration(decision.backoffMs)} restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${worker.uid})`;
        return { op: null, worker: waitingAs(ended(worker), c.name, { reason: 'CrashLoopBackOff', message }), change: withTimer(ctx, (newest?.finishedAtMs ?? nowMs) + decision.backoffMs, worker.uid) };
      }
      change = { crashBackoff: decision.backoff };
    }
    const image = ensureImage({ ...ctx, ...change }, worker, pod, c, view, nowMs);
    if (!image.ready) {
      const { op } = image.plan;
      return { op, worker: op ? { ...image.plan.worker, underway: starting.underway } : ended(image.plan.worker), change: { ...change, ...image.plan.change } };
    }
  }
  const configProblem = containerConfigProblem(c, pod.metadata.namespace ?? '', view);
  if (configProblem) return { op: null, worker: waitingAs(ended(worker), c.name, { reason: 'CreateContainerConfigError', message: configProblem }), change };
  const op: RuntimeEvent = {
    type: 'CREATE_CONTAINER', podUid: worker.uid, podKey: worker.key, name: c.name, init,
    image: registryImage(c.image ?? ''), spec: c, podGraceSeconds: specGraceMs(specOf(pod)) / 1000, behaviour: {},
  };
  return { op, worker: starting, change };
}

/**
 * StartContainer for a created instance, which ends the SyncPod, unless the container has a
 * postStart hook: the SyncPod then waits for it (startContainer's step 4).
 */
function startCreated(ctx: KubeletContext, worker: PodWorker, created: RuntimeContainer, view: KubeletView, rules: SyncRules): Plan {
  const nowMs = view.nowMs;
  const op: RuntimeEvent = { type: 'START_CONTAINER', id: created.id, nowMs };
  const hook = rules.runHook(created, 'postStart', nowMs, podIpOf(view, worker.uid));
  if (hook === null) return { op, worker: ended(worker), change: {} };
  const underway = { phase: 'postStart', container: created.name, id: created.id, failure: null } as const;
  return { op, worker: { ...worker, underway }, change: hook.endsAtMs > nowMs ? withTimer(ctx, hook.endsAtMs, worker.uid) : {} };
}

/** A kill's next runtime call, or none (null) before `deadlineMs`. */
interface StopStep {
  readonly op: RuntimeEvent | null;
  readonly worker: PodWorker;
  readonly deadlineMs: number;
}

function withGrace(worker: PodWorker, id: string, graceMs: number): PodWorker {
  return { ...worker, graceMs: { ...worker.graceMs, [id]: graceMs } };
}

/**
 * killContainer for a running container given `graceMs`: its preStop hook first, if it has one
 * and the grace period is not 0 (executePreStopHook, which waits for it at most the grace
 * period); then SIGTERM with what is left of the grace period, never less than 2 s
 * (StopContainer's timeout); SIGKILL once the rules allow.
 */
function stopContainer(worker: PodWorker, c: RuntimeContainer, graceMs: number, rules: SyncRules, nowMs: number, podIp: string): StopStep {
  if (c.sigtermAtMs !== null) {
    const given = worker.graceMs[c.id] ?? rules.sigtermGraceMs(graceMs, 0);
    if (rules.mayKill(c.sigtermAtMs, given, nowMs)) return { op: { type: 'KILL_CONTAINER', id: c.id, nowMs }, worker, deadlineMs: nowMs };
    return { op: null, worker, deadlineMs: c.sigtermAtMs + given };
  }
  const sigterm = (grace: number): StopStep => ({ op: { type: 'STOP_CONTAINER', id: c.id, nowMs }, worker: withGrace(worker, c.id, grace), deadlineMs: nowMs + grace });
  const preStop = graceMs > 0 ? rules.runHook(c, 'preStop', c.preStopAtMs ?? nowMs, podIp) : null;
  if (preStop === null) return sigterm(rules.sigtermGraceMs(graceMs, 0));
  if (c.preStopAtMs === null) {
    return { op: { type: 'RUN_PRESTOP_HOOK', id: c.id, nowMs }, worker: withGrace(worker, c.id, graceMs), deadlineMs: Math.min(preStop.endsAtMs, nowMs + graceMs) };
  }
  // The hook returned, or the grace period it ran in is over (the hook is left running).
  const ranIn = worker.graceMs[c.id] ?? graceMs;
  const endsAtMs = Math.min(preStop.endsAtMs, c.preStopAtMs + ranIn);
  if (nowMs < endsAtMs) return { op: null, worker, deadlineMs: endsAtMs };
  return sigterm(rules.sigtermGraceMs(ranIn, nowMs - c.preStopAtMs));
}

/** The IP of the pod's sandbox, which an httpGet hook without a host is sent to. */
function podIpOf(view: KubeletView, uid: string): string {
  return view.runtime.sandboxes.get(uid)?.ip ?? '';
}

/** The probe that failed against the container, liveness then startup as computePodActions asks, or null. */
function failedProbe(ctx: KubeletContext, uid: string, c: RuntimeContainer): 'liveness' | 'startup' | null {
  return (['liveness', 'startup'] as const).find((type) => {
    const slot = ctx.probes.get(`${uid}/${c.name}/${type}`);
    return slot !== undefined && slot.worker.containerId === c.id && slot.worker.result === 'Failure';
  }) ?? null;
}

function specGraceMs(spec: PodSpec): number {
  return (spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS) * 1000;
}

/** setTerminationGracePeriod for a kill a failed probe causes: the probe's terminationGracePeriodSeconds, if it sets one, else the pod's. */
function probeKillGraceMs(spec: PodSpec, c: Container, probe: 'liveness' | 'startup'): number {
  const seconds = c[`${probe}Probe`]?.terminationGracePeriodSeconds;
  return seconds === undefined ? specGraceMs(spec) : seconds * 1000;
}

/**
 * What ShouldContainerBeRestarted reads of the container besides the runtime, under the kubelet's
 * gates: with ContainerRestartRules, the container's own restartPolicy and restartPolicyRules decide.
 */
function restartRulesOf(ctx: KubeletContext, c: Container, spec: PodSpec): RestartRulesInput {
  return { container: c, podSpec: spec, gates: ctx.featureGates };
}

/**
 * Whether computePodActions starts a container its liveness or startup probe failed again, in the
 * same SyncPod as the kill (kuberuntime_manager.go: shouldRestartOnFailure, the pod's policy is not
 * Never; with ContainerRestartRules, the container's own restartPolicy if it sets one): decided
 * before the kill, whatever the exit code the kill then causes.
 */
function restartsAfterProbeKill(c: Container, policy: PodRestartPolicy, gates: FeatureGates): boolean {
  if (gates.ContainerRestartRules && c.restartPolicy !== undefined) return c.restartPolicy !== 'Never';
  return policy !== 'Never';
}

/** The restart policy a container is started again under, without ContainerRestartRules: an init container's is OnFailure (Never: the pod fails), a sidecar's Always. */
function restartPolicyOf(c: Container, init: boolean, policy: PodRestartPolicy): PodRestartPolicy {
  if (!init) return policy;
  return isSidecar(c) ? 'Always' : policy === 'Never' ? 'Never' : 'OnFailure';
}

/** A container of the pod's spec by name, and whether it is an init container. */
function containerNamed(spec: PodSpec, name: string): { c: Container; init: boolean } | undefined {
  const init = (spec.initContainers ?? []).find((c) => c.name === name);
  if (init) return { c: init, init: true };
  const c = (spec.containers ?? []).find((r) => r.name === name);
  return c && { c, init: false };
}

/** computePodActions for a pod that is neither being deleted nor terminal, with no SyncPod under way. */
function planPod(ctx: KubeletContext, worker: PodWorker, pod: KubeObject, view: KubeletView, rules: SyncRules, nowMs: number): Plan {
  const spec = specOf(pod);
  const uid = worker.uid;
  if (!view.runtime.sandboxes.has(uid)) return { op: { type: 'RUN_SANDBOX', podUid: uid, podKey: worker.key, nowMs }, worker, change: {} };
  const mountProblem = rules.mountProblem(spec, pod.metadata.namespace ?? '', view);
  if (mountProblem !== worker.mountProblem) worker = { ...worker, mountProblem };
  if (mountProblem !== null) return { op: null, worker, change: {} };
  const instances = instancesOf(view.runtime, uid);
  if (rules.restartsAllContainers(ctx.featureGates, currentStatus(ctx, worker, pod, view, rules, false))) {
    return resetUnderway(ctx, { ...worker, underway: { phase: 'resetting', ids: containersToReset(spec, instances) } }, view, rules);
  }
  const policy = (spec.restartPolicy ?? 'Always') as PodRestartPolicy;
  const statuses = runtimeStatuses(instances);
  let current = worker;
  let change: Change = {};
  const step = (c: Container, init: boolean): Plan | 'next' | 'wait' => {
    const newest = instances.get(c.name)?.[0];
    if (newest?.state === 'created') {
      const start = startCreated({ ...ctx, ...change }, current, newest, view, rules);
      return { ...start, change: { ...change, ...start.change } };
    }
    if (newest?.state === 'running') {
      // The reason it waited (CrashLoopBackOff, ErrImagePull) stands until it is seen running (the kubelet's reasonCache).
      current = waitingAs(current, c.name, null);
      const probe = failedProbe(ctx, uid, newest);
      if (probe === null) return init && !isSidecar(c) ? 'wait' : 'next';
      // Killed, and started again by the same SyncPod, which blocks the pod worker meanwhile.
      const before = instances.get(c.name)?.[1];
      const backoffSinceMs = before?.state === 'exited' ? before.finishedAtMs : null;
      const graceMs = probeKillGraceMs(spec, c, probe);
      const restart = rules.restartsAfterProbeKill(c, restartPolicyOf(c, init, policy), ctx.featureGates);
      current = { ...current, underway: { phase: 'killing', container: c.name, id: newest.id, graceMs, backoffSinceMs, restart } };
      const kill = killUnderway({ ...ctx, ...change }, current, newest, graceMs, rules, view);
      return { ...kill, change: { ...change, ...kill.change } };
    }
    if (newest?.state === 'exited' && init && !isSidecar(c) && newest.exitCode === 0) return 'next';
    if (!rules.shouldRestart(c.name, restartPolicyOf(c, init, policy), false, statuses, restartRulesOf(ctx, c, spec))) return init && !isSidecar(c) ? 'wait' : 'next';
    const plan = startContainer({ ...ctx, ...change }, current, pod, c, init, newest, view, nowMs);
    current = plan.worker;
    change = { ...change, ...plan.change };
    if (plan.op) return { ...plan, change };
    return init && !isSidecar(c) ? 'wait' : 'next';
  };
  // Init containers run one at a time, in order.
  for (const c of spec.initContainers ?? []) {
    const r = step(c, true);
    if (r === 'wait') {
      for (const regular of spec.containers ?? []) current = waitingAs(current, regular.name, { reason: 'PodInitializing' });
      return { op: null, worker: current, change };
    }
    if (r !== 'next') return r;
  }
  for (const c of spec.containers ?? []) {
    if (current.waiting[c.name]?.reason === 'PodInitializing') current = waitingAs(current, c.name, null);
    const r = step(c, false);
    if (r !== 'next' && r !== 'wait') return r;
  }
  return { op: null, worker: current, change };
}

/** A step of the kill a SyncPod is blocked on: SIGTERM, SIGKILL once the grace period allows, or a wait for it. */
function killUnderway(ctx: KubeletContext, worker: PodWorker, c: RuntimeContainer, graceMs: number, rules: SyncRules, view: KubeletView): Plan {
  const stop = stopContainer(worker, c, graceMs, rules, view.nowMs, podIpOf(view, worker.uid));
  if (stop.op) return { op: stop.op, worker: stop.worker, change: {} };
  return { op: null, worker: stop.worker, change: withTimer(ctx, stop.deadlineMs, worker.uid) };
}

/**
 * getContainersToReset: every instance the runtime holds of every init and regular container,
 * to kill and remove; those whose exit matched a RestartAllContainers rule come last, so a
 * kubelet restarted half-way still finds the exit that asked for the restart.
 */
function containersToReset(spec: PodSpec, instances: ReadonlyMap<string, readonly RuntimeContainer[]>): string[] {
  const targets: string[] = [];
  const sources: string[] = [];
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    for (const i of instances.get(c.name) ?? []) {
      const asked = i.state === 'exited' && matchingRestartRule(c, i.exitCode ?? 0)?.action === 'RestartAllContainers';
      (asked ? sources : targets).push(i.id);
    }
  }
  return [...targets, ...sources];
}

/**
 * A step of the reset a SyncPod is blocked on: the next instance still there is killed with a
 * grace period of 0 (killContainer: no preStop hook, SIGTERM with its 2 s minimum, then SIGKILL),
 * then removed. Once none is left the SyncPod ends, and the next starts the pod again in its
 * sandbox, from its first init container.
 */
function resetUnderway(ctx: KubeletContext, worker: PodWorker, view: KubeletView, rules: SyncRules): Plan {
  const u = worker.underway as Extract<SyncPodUnderway, { phase: 'resetting' }>;
  for (const id of u.ids) {
    const c = view.runtime.containers.get(id);
    if (c === undefined) continue;
    if (c.state === 'running') return killUnderway(ctx, worker, c, 0, rules, view);
    return { op: { type: 'REMOVE_CONTAINER', id }, worker, change: {} };
  }
  return { op: null, worker: ended(worker), change: {}, ending: { requeue: true } };
}

/** The next step of the SyncPod under way; `ending.quiet` while it goes on. */
function continueSyncPod(ctx: KubeletContext, worker: PodWorker, pod: KubeObject, view: KubeletView, rules: SyncRules, nowMs: number): Plan {
  const u = worker.underway!;
  const goesOn = (plan: Plan): Plan => ({ ...plan, ending: { quiet: plan.worker.underway !== null || plan.op !== null } });
  if (u.phase === 'resetting') {
    const plan = resetUnderway(ctx, worker, view, rules);
    return plan.ending ? plan : goesOn(plan);
  }
  const spec = specOf(pod);
  const named = containerNamed(spec, u.container);
  if (!named) return planPod(ctx, ended(worker), pod, view, rules, nowMs);
  const { c, init } = named;
  const instances = instancesOf(view.runtime, worker.uid);
  const newest = instances.get(c.name)?.[0];
  switch (u.phase) {
    case 'killing': {
      const target = view.runtime.containers.get(u.id);
      if (target?.state === 'running') return goesOn(killUnderway(ctx, worker, target, u.graceMs, rules, view));
      if (!u.restart) return { op: null, worker: ended(worker), change: {} };
      return goesOn(startContainer(ctx, ended(worker), pod, c, init, newest, view, nowMs, u.backoffSinceMs));
    }
    case 'starting':
      if (newest?.state === 'created' && newest.attempt === u.attempt) return goesOn(startCreated(ctx, worker, newest, view, rules));
      if ((newest ? newest.attempt + 1 : 0) !== u.attempt) return planPod(ctx, ended(worker), pod, view, rules, nowMs);
      return goesOn(startContainer(ctx, worker, pod, c, init, newest, view, nowMs));
    case 'postStart': {
      const target = view.runtime.containers.get(u.id);
      let failure = u.failure;
      if (failure === null) {
        const hook = target ? rules.runHook(target, 'postStart', target.startedAtMs ?? nowMs, podIpOf(view, worker.uid)) : null;
        if (hook === null) return planPod(ctx, ended(worker), pod, view, rules, nowMs);
        if (nowMs < hook.endsAtMs) return { op: null, worker, change: withTimer(ctx, hook.endsAtMs, worker.uid), ending: { quiet: true } };
        // The hook succeeded: the SyncPod is over, and the next begins at once.
        if (hook.failure === null) return planPod(ctx, ended(worker), pod, view, rules, nowMs);
        failure = hook.failure;
      }
      const failed: PodWorker = failure === u.failure ? worker : { ...worker, underway: { ...u, failure } };
      // FailedPostStartHook: the container is killed as any other (killContainer: preStop, SIGTERM, SIGKILL) ...
      if (target?.state === 'running') return { ...killUnderway(ctx, failed, target, specGraceMs(spec), rules, view), ending: { quiet: true } };
      // ... and the SyncPod ends with ErrPostStartHook, which the reason cache keeps with the hook's message.
      return { op: null, worker: waitingAs(ended(failed), c.name, { reason: 'PostStartHookError', message: failure }), change: {}, ending: { requeue: true } };
    }
  }
}

/** SyncPod for a pod that is running or starting. */
export function syncPod(ctx: KubeletContext, uid: string, view: KubeletView, nowMs: number, rules: SyncRules = KUBELET_RULES): Change {
  const worker = ctx.workers.get(uid);
  if (!worker) return { op: null, ...settled(ctx, uid) };
  const pod = podOf(view, worker);
  if (!pod) return syncTerminatingPod(ctx, uid, view, nowMs, rules);
  if (worker.admission === null) {
    const admitted = admitWorker(ctx, worker, pod, view, rules);
    return { ...admitted, op: null };
  }
  if (worker.admission !== 'admitted') return finish(ctx, {}, worker, pod, view, rules, null);
  // SyncPod generates the status first and stops if it is terminal: a Never pod whose
  // container vanished with a reboot is Failed, not started again. A SyncPod under way (a kill
  // and restart, a start, a reset) generated its status as it began and decides nothing again
  // on the exits its own kills cause: an OnFailure container a probe killed that exits 0 does
  // not end the pod.
  if (worker.underway === null && rules.stopsAt(currentStatus(ctx, worker, pod, view, rules, false))) return finish(ctx, {}, ended(worker), pod, view, rules, null);
  const plan = worker.underway ? continueSyncPod(ctx, worker, pod, view, rules, nowMs) : planPod(ctx, worker, pod, view, rules, nowMs);
  return finish({ ...ctx, ...plan.change }, plan.change, plan.worker, pod, view, rules, plan.op, plan.ending);
}

/** A terminal pod: nothing is started again; anything still running is stopped. */
export function syncTerminatedPod(ctx: KubeletContext, uid: string, view: KubeletView, nowMs: number, rules: SyncRules = KUBELET_RULES): Change {
  const worker = ctx.workers.get(uid);
  if (!worker) return { op: null, ...settled(ctx, uid) };
  const pod = podOf(view, worker);
  const running = podInstances(view.runtime, uid).find((c) => c.state === 'running');
  if (running && pod) {
    const stop = stopContainer(worker, running, specGraceMs(specOf(pod)), rules, nowMs, podIpOf(view, uid));
    if (stop.op) return finish(ctx, {}, stop.worker, pod, view, rules, stop.op);
    const timer = withTimer(ctx, stop.deadlineMs, uid);
    return finish({ ...ctx, ...timer }, timer, stop.worker, pod, view, rules, null);
  }
  return finish(ctx, {}, worker, pod, view, rules, null);
}

/**
 * The grace period a container of a pod being deleted gets (pod_workers.go
 * calculateEffectiveGracePeriod): the one the deletion asked for; a deletion with grace 0 (a
 * force deletion, `kubectl delete --grace-period=0 --force`) asks for none, and the kubelet falls
 * back on the pod's own terminationGracePeriodSeconds, as it does for a pod already gone from the
 * API server (it reads the grace recorded on the container); and never less than 1 s.
 */
function deletionGraceMs(pod: KubeObject | undefined, c: RuntimeContainer): number {
  const requested = pod?.metadata.deletionGracePeriodSeconds;
  const seconds = requested !== undefined && requested > 0 ? requested : pod ? specGraceMs(specOf(pod)) / 1000 : c.podGraceSeconds;
  return Math.max(seconds * 1000, MINIMUM_DELETION_GRACE_MS);
}

/**
 * A pod being deleted (or gone from the API server): SIGTERM every running container,
 * SIGKILL each once its grace period is over, then report the terminal status and
 * delete the pod for good (grace 0, with its uid as precondition).
 */
export function syncTerminatingPod(ctx: KubeletContext, uid: string, view: KubeletView, nowMs: number, rules: SyncRules = KUBELET_RULES): Change {
  const worker = ctx.workers.get(uid);
  if (!worker) return { op: null, ...settled(ctx, uid) };
  const pod = podOf(view, worker);
  // The deletion cancels a SyncPod under way (the pod worker cancels its context).
  let current = ended(worker);
  let change: Change = {};
  // Containers still running within their grace period: the pod is not terminated yet
  // (their timers may already be set, so `change` alone cannot tell).
  let stillRunning = false;
  for (const c of podInstances(view.runtime, uid)) {
    if (c.state !== 'running') continue;
    const stop = stopContainer(current, c, deletionGraceMs(pod, c), rules, nowMs, podIpOf(view, uid));
    current = stop.worker;
    if (stop.op) return finish({ ...ctx, ...change }, change, current, pod, view, rules, stop.op);
    change = { ...change, ...withTimer({ ...ctx, ...change }, stop.deadlineMs, uid) };
    stillRunning = true;
  }
  if (stillRunning) return finish({ ...ctx, ...change }, change, current, pod, view, rules, null);
  if (!pod) {
    // Gone from the API server and stopped: forget the pod and its sandbox.
    if (view.runtime.sandboxes.has(uid)) return { op: { type: 'REMOVE_SANDBOX', podUid: uid } };
    const probes = [...ctx.probes.entries()].filter(([, s]) => s.uid === uid).reduce((p, [k]) => p.delete(k), ctx.probes);
    return { op: null, workers: ctx.workers.delete(uid), probes, statusPending: ctx.statusPending.delete(uid), deletePending: ctx.deletePending.delete(uid), ...settled(ctx, uid) };
  }
  const done = finish({ ...ctx, ...change }, change, current, pod, view, rules, null, { podIsTerminal: true });
  const written = ctx.statusWritten.get(uid);
  if (pod.metadata.deletionTimestamp && !current.deleteRequested && isTerminalPhase(written?.status.phase)) {
    return { ...done, deletePending: ctx.deletePending.set(uid, worker.key) };
  }
  return done;
}

/** True when the pod's deletion has been requested (or it is gone from the API server). */
export function isTerminating(view: KubeletView, worker: PodWorker): boolean {
  const pod = podOf(view, worker);
  return !pod || !!pod.metadata.deletionTimestamp;
}

/** True when the pod has reached a terminal phase, by the kubelet's account or the API server's. */
export function isTerminal(view: KubeletView, worker: PodWorker): boolean {
  const pod = podOf(view, worker);
  return isTerminalPhase(worker.phase) || isTerminalPhase((pod?.status as PodStatus | undefined)?.phase) ||
    (worker.admission !== null && worker.admission !== 'admitted');
}
