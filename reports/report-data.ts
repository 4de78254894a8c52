// What a failure report shows, gathered by replaying the trace: every step's lane, time and
// label; what each step committed to the store, as differences of objects; the fault windows;
// each pod's phase and each container's state over the steps; and the step that broke the
// property. Objects are stored once as they first appear and then as differences, so a trace
// of 10,000 steps makes a report of a few megabytes, not a world per step.
import type { ContainerStatus, PodStatus } from 'kubernetes-types/core/v1.js';
import { isFault, type Action } from '../model/actions.ts';
import { logAt, logSize } from '../model/append-log.ts';
import type { World } from '../model/world.ts';
import { findProperty } from '../properties/index.ts';
import type { Defect } from '../checker/defect.ts';
import { replay } from '../checker/replay.ts';
import { diffLeaves, type Leaf } from './flatten.ts';
import { FAULTS_LANE, laneOf, lanesOf } from './lanes.ts';
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
  let lanes: string[] = [];
  const open = new Map<string, { first: number; lane: string }>();
  const faults: Span[] = [];
  const pods = new Map<string, { phases: Span[]; containers: Map<string, Span[]>; gone: boolean }>();
  const observe = (before: World, action: Action, after: World) => {
    if (steps.length === 0) lanes = lanesOf(before);
    const step = steps.length + 1;
    const lane = laneOf(before, action);
    const committed = after.store.context.rv - before.store.context.rv;
    const history = after.store.context.history;
    const changes: StoreChange[] = [];
    for (let i = Math.max(0, logSize(history) - committed); i < logSize(history); i++) {
      const e = logAt(history, i);
      const { set, removed } = e.type === 'DELETED' ? { set: [], removed: [] } : diffLeaves(e.previous, e.object);
      changes.push([`${e.resource}/${e.key}`, e.type, e.rv, set, removed]);
      if (e.resource === 'pods') {
        const pod = pods.get(e.key) ?? { phases: [], containers: new Map(), gone: false };
        pods.set(e.key, pod);
        pod.gone = e.type === 'DELETED';
        const status = (e.object.status ?? {}) as PodStatus;
        if (!pod.gone) {
          extend(pod.phases, step, status.phase ?? 'Pending');
          for (const c of [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]) {
            const spans = pod.containers.get(c.name) ?? [];
            pod.containers.set(c.name, spans);
            extend(spans, step, containerState(c));
          }
        }
      }
    }
    // Spans last until the state changes: carry every live pod's current spans to this step.
    for (const pod of pods.values()) {
      if (pod.gone) continue;
      const last = pod.phases.at(-1);
      if (last) extend(pod.phases, step, last[2]);
      for (const spans of pod.containers.values()) extend(spans, step, spans.at(-1)![2]);
    }
    const window = faultWindowKey(before, action);
    if (window?.opens && !open.has(window.key)) open.set(window.key, { first: step, lane: nodeLane(before, action) });
    if (window && !window.opens && open.has(window.key)) {
      const o = open.get(window.key)!;
      faults.push([o.first, step, `${o.lane}|${window.key}`]);
      open.delete(window.key);
    } else if (isFault(action) && !window) {
      faults.push([step, step, `${FAULTS_LANE}|${action.kind}`]);
    }
    steps.push([lanes.indexOf(lane), after.nowMs, '', changes]);
  };
  const outcome = replay(trace, defects, observe);
  for (const [key, o] of open) faults.push([o.first, steps.length, `${o.lane}|${key}`]);
  const labelled = steps.map((s, i): StepRow => [s[0], s[1], trace.labels[i] ?? '', s[3]]);
  const property = findProperty(trace.violation.property);
  return {
    property: { name: trace.violation.property, kind: trace.violation.kind, description: property?.description ?? '', message: trace.violation.message, step: trace.violation.step },
    scenario: { name: trace.scenario, description: outcome.scenario?.description ?? '', file: trace.scenarioFile?.path ?? null },
    defect: trace.defect, seed: trace.seed, path: trace.path,
    replayCommand: `npm run replay -- ${traceFile}`,
    shrunkChoices: trace.choices.length, originalSteps: trace.originalSteps, reproduced: outcome.reproduced,
    lanes, steps: labelled, faults: faults.sort((a, b) => a[0] - b[0]),
    pods: [...pods].map(([key, p]) => ({ key, phases: p.phases, containers: [...p.containers].map(([name, states]) => ({ name, states })) })),
  };
}

/** The lane a fault window shades: its node's, or the faults' own for the registry. */
function nodeLane(before: World, action: Action): string {
  return 'node' in action ? before.system.nodes[action.node]!.name : FAULTS_LANE;
}
