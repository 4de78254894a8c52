// What a failure report shows, gathered by replaying the trace: every step's lane, time and
// label; what each step committed to the store, as differences of objects; the fault windows;
// each pod's phase and each container's state over the steps; and the step that broke the
// property. Objects are stored once as they first appear and then as differences, so a trace
// of 10,000 steps makes a report of a few megabytes, not a world per step. Every row is the
// replay's own (its label, its lane, its changes): when the replay leaves the recording, the
// report says where.
import type { ContainerStatus, PodStatus } from 'kubernetes-types/core/v1.js';
import { label } from '../model/action-labels.ts';
import { faultKind, isFault, type Action } from '../model/actions.ts';
import type { World } from '../model/world.ts';
import { buildSystem } from '../scenarios/build.ts';
import { replayCommand } from './replay-command.ts';
import { findProperty } from '../properties/index.ts';
import type { Defect } from '../checker/defect.ts';
import { replay, traceScenario } from '../checker/replay.ts';
import { diffLeaves, type Leaf } from './flatten.ts';
import { FAULTS_LANE, laneOf, lanesOf, nodeLane } from './lanes.ts';
import type { Trace } from './trace.ts';

/** One store event of a step: the object's key (`pods/default/web`), the event, its rv, and the leaves it set and removed. */
export type StoreChange = readonly [key: string, type: string, rv: number, set: readonly Leaf[], removed: readonly string[]];

/** One step: its lane (index into lanes), the logical time after it, its label, and what it committed. */
export type StepRow = readonly [lane: number, nowMs: number, label: string, changes: readonly StoreChange[]];

/** A stretch of steps, [first, last] (1-based, inclusive), in a state: a fault window, a pod phase, a container state. */
export type Span = readonly [first: number, last: number, what: string];

export interface PodTimeline {
  readonly key: string;
  readonly phases: readonly Span[];
  readonly containers: readonly { readonly name: string; readonly states: readonly Span[] }[];
}

export interface ReportData {
  readonly property: { readonly name: string; readonly kind: string; readonly description: string; readonly message: string; readonly step: number };
  readonly scenario: { readonly name: string; readonly description: string; readonly file: string | null };
  readonly defect: string | null;
  readonly seed: number | null;
  readonly path: string | null;
  readonly replayCommand: string;
  readonly shrunkChoices: number;
  readonly originalSteps: number;
  readonly reproduced: boolean;
  /** Where the replay left the recorded trace, if it did: the rows are the replay's, not the recording's. */
  readonly mismatch: { readonly step: number; readonly recorded: string; readonly replayed: string } | null;
  /** The objects the cluster held before the first step. */
  readonly initial: readonly StoreChange[];
  readonly lanes: readonly string[];
  readonly steps: readonly StepRow[];
  /** Fault windows: [first, last, lane index and label as "lane|label"]. */
  readonly faults: readonly Span[];
  readonly pods: readonly PodTimeline[];
}

/** Which fault a recovery ends: a node's crash by its reboot, a partition by its reconnection, the registry's outage. */
function faultWindowKey(world: World, action: Action): { key: string; opens: boolean } | null {
  switch (action.kind) {
    case 'crashNode': case 'rebootNode': return { key: `down:${world.system.nodes[action.node]!.name}`, opens: action.kind === 'crashNode' };
    case 'partitionNode': case 'reconnectNode': return { key: `partitioned:${world.system.nodes[action.node]!.name}`, opens: action.kind === 'partitionNode' };
    case 'registryDown': case 'registryUp': return { key: 'registry down', opens: action.kind === 'registryDown' };
    default: return null;
  }
}

function containerState(s: ContainerStatus): string {
  if (s.state?.running) return 'running';
  if (s.state?.terminated) return `terminated: ${s.state.terminated.reason ?? s.state.terminated.exitCode}`;
  return `waiting: ${s.state?.waiting?.reason ?? ''}`;
}

/** Extends or opens the last span of `spans` at `step` in state `what`. */
function extend(spans: Span[], step: number, what: string): void {
  const last = spans.at(-1);
  if (last && last[2] === what && last[1] >= step - 1) spans[spans.length - 1] = [last[0], step, what];
  else spans.push([step, step, what]);
}

export function reportData(trace: Trace, defects: readonly Defect[], traceFile: string): ReportData {
  const steps: StepRow[] = [];
  const scenario = traceScenario(trace);
  // The lanes are known before any step: a trace may fail before its first.
  const lanes = lanesOf(buildSystem(scenario));
  const open = new Map<string, { first: number; lane: string }>();
  const faults: Span[] = [];
  const pods = new Map<string, { phases: Span[]; containers: Map<string, Span[]>; gone: boolean }>();
  /** The objects a step (or the cluster's start, from an empty store) changed, each as a difference. */
  const changesBetween = (before: World | null, after: World): StoreChange[] => {
    const changes: StoreChange[] = [];
    const objects = after.store.context.objects;
    const old = before?.store.context.objects ?? {};
    for (const resource of new Set([...Object.keys(old), ...Object.keys(objects)]) as Set<keyof typeof objects>) {
      const was = old[resource];
      const now = objects[resource];
      if (was === now) continue;
      for (const [key, object] of now ?? []) {
        const previous = was?.get(key) ?? null;
        if (previous === object) continue;
        const { set, removed } = diffLeaves(previous, object);
        changes.push([`${resource}/${key}`, previous ? 'MODIFIED' : 'ADDED', Number(object.metadata.resourceVersion ?? 0), set, removed]);
      }
      for (const [key, object] of was ?? []) {
        if (!now?.has(key)) changes.push([`${resource}/${key}`, 'DELETED', Number(object.metadata.resourceVersion ?? 0), [], []]);
      }
    }
    return changes.sort((a, b) => a[2] - b[2]);
  };
  let initial: StoreChange[] = [];
  const observe = (before: World, action: Action, after: World) => {
    const step = steps.length + 1;
    if (step === 1) {
      initial = changesBetween(null, before);
      recordPods(initial, before, 0);
    }
    const lane = laneOf(before.system, action);
    const changes = changesBetween(before, after);
    recordPods(changes, after, step);
    const window = faultWindowKey(before, action);
    if (window?.opens && !open.has(window.key)) open.set(window.key, { first: step, lane: faultLane(before, action) });
    if (window && !window.opens && open.has(window.key)) {
      const o = open.get(window.key)!;
      faults.push([o.first, step, `${o.lane}|${window.key}`]);
      open.delete(window.key);
    } else if (isFault(action) && !window) {
      faults.push([step, step, `${faultLane(before, action)}|${faultKind(action)}`]);
    }
    steps.push([lanes.indexOf(lane), after.nowMs, label(before, action), changes]);
  };
  /** Each pod's phase and containers after `step`, from the pods the step changed, carried on for the rest. */
  const recordPods = (changes: readonly StoreChange[], after: World, step: number) => {
    for (const [key, type] of changes) {
      if (!key.startsWith('pods/')) continue;
      const name = key.slice('pods/'.length);
      let pod = pods.get(name);
      // A pod created again under the same name is a new pod: a timeline of its own.
      if (type === 'ADDED' || !pod) {
        const seen = [...pods.keys()].filter((k) => k === name || k.startsWith(`${name} (`)).length;
        if (pod) pods.set(`${name} (${seen})`, pod);
        pod = { phases: [], containers: new Map(), gone: false };
        pods.set(name, pod);
      }
      if (type === 'DELETED') {
        pod.gone = true;
        continue;
      }
      const object = after.store.context.objects.pods?.get(name);
      const status = (object?.status ?? {}) as PodStatus;
      extend(pod.phases, step, status.phase ?? 'Pending');
      const current = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
      for (const c of current) {
        const spans = pod.containers.get(c.name) ?? [];
        pod.containers.set(c.name, spans);
        extend(spans, step, containerState(c));
      }
    }
    // Spans last until the state changes: carry every live pod's current spans to this step.
    for (const pod of pods.values()) {
      if (pod.gone || step === 0) continue;
      const last = pod.phases.at(-1);
      if (last) extend(pod.phases, step, last[2]);
      for (const spans of pod.containers.values()) if (spans.length > 0) extend(spans, step, spans.at(-1)![2]);
    }
  };
  const outcome = replay(trace, defects, observe);
  for (const [key, o] of open) faults.push([o.first, steps.length, `${o.lane}|${key}`]);
  const property = findProperty(trace.violation.property);
  return {
    property: { name: trace.violation.property, kind: trace.violation.kind, description: property?.description ?? '', message: trace.violation.message, step: trace.violation.step },
    scenario: { name: trace.scenario, description: scenario.description, file: trace.scenarioFile?.path ?? null },
    defect: trace.defect, seed: trace.seed, path: trace.path,
    replayCommand: replayCommand(traceFile),
    shrunkChoices: trace.choices.length, originalSteps: trace.originalSteps, reproduced: outcome.reproduced,
    mismatch: outcome.mismatch, initial, lanes, steps, faults: faults.sort((a, b) => a[0] - b[0]),
    pods: [...pods].map(([key, p]) => ({ key, phases: p.phases, containers: [...p.containers].map(([name, states]) => ({ name, states })) })),
  };
}

/** The lane a fault shades: its node's, or the faults' own. */
function faultLane(before: World, action: Action): string {
  return 'node' in action ? nodeLane(before.system, action.node) : FAULTS_LANE;
}
