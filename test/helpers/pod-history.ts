// A scenario run with no exploration (fair scheduling, no faults, every property checked), and
// what it did to its pods: their rows as `kubectl get pods` prints them, and the runtime calls the
// kubelets made, each with the time it was made.
import type { PodStatus } from 'kubernetes-types/core/v1.js';
import { arrayChooser } from '../../checker/chooser.ts';
import { runConfig } from '../../checker/explore.ts';
import { run, type RunResult } from '../../checker/run.ts';
import { label } from '../../model/action-labels.ts';
import { PROPERTIES } from '../../properties/index.ts';
import { podEvent, syncOp } from '../../properties/observe.ts';
import type { TransitionProperty } from '../../properties/property.ts';
import { podRow } from '../../reports/pod-table.ts';
import type { Scenario } from '../../scenarios/scenario.ts';

export interface PodHistory {
  /** Every pod row the API server stored, as "<seconds>s <name> <ready> <status> <restarts>", without repeats; "<seconds>s <name> deleted" at the end. */
  readonly rows: readonly string[];
  /** Every waiting reason a container status was written with, as "<seconds>s <pod>/<container> <reason>: <message>", without repeats. */
  readonly waiting: readonly string[];
  /** Every runtime call but image pulls, as "<seconds>s <pod>: <call>". */
  readonly calls: readonly string[];
  /** Every change of a pod condition the API server stored, as "<seconds>s <pod> <type>=<status>[ <reason>]". */
  readonly conditions: readonly string[];
  /** How many images the kubelets pulled. */
  readonly pulls: number;
  readonly result: RunResult;
}

export function podHistory(scenario: Scenario): PodHistory {
  const rows: string[] = [];
  const calls: string[] = [];
  const waiting: string[] = [];
  const lastWaiting = new Map<string, string | null>();
  const conditions: string[] = [];
  const lastCondition = new Map<string, string>();
  let pulls = 0;
  const recorder: TransitionProperty = {
    kind: 'transition', name: 'recordPods', description: 'records every pod the API server stores and every runtime call',
    check(before, action, after) {
      const op = syncOp(action, after);
      if (op?.type === 'PULL_IMAGE') pulls++;
      else if (op) calls.push(`${after.nowMs / 1000}s ${label(before, action).replace(/^kubelet \S+ sync /, '')}`);
      const event = podEvent(before, after);
      if (!event) return null;
      if (event.type === 'DELETED') {
        rows.push(`${after.nowMs / 1000}s ${event.object.metadata.name} deleted`);
        return null;
      }
      for (const c of (event.object.status as PodStatus | undefined)?.containerStatuses ?? []) {
        const key = `${event.key}/${c.name}`;
        const reason = c.state?.waiting ? `${c.state.waiting.reason}: ${c.state.waiting.message ?? ''}` : null;
        if (reason !== null && lastWaiting.get(key) !== reason) waiting.push(`${after.nowMs / 1000}s ${key} ${reason}`);
        lastWaiting.set(key, reason);
      }
      for (const c of (event.object.status as PodStatus | undefined)?.conditions ?? []) {
        const key = `${event.object.metadata.name} ${c.type}`;
        const now = `${c.status}${c.reason ? ` ${c.reason}` : ''}`;
        if (lastCondition.get(key) !== now) conditions.push(`${after.nowMs / 1000}s ${key}=${now}`);
        lastCondition.set(key, now);
      }
      const r = podRow(event.object, after.nowMs);
      const row = `${after.nowMs / 1000}s ${r.name} ${r.ready} ${r.status} ${r.restarts}`;
      if (rows.at(-1) !== row) rows.push(row);
      return null;
    },
  };
  const result = run({ ...runConfig(scenario, undefined, [...PROPERTIES, recorder], false), stepsMax: 0 }, arrayChooser([]));
  return { rows, waiting, calls, conditions, pulls, result };
}
