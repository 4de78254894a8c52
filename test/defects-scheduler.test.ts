// Every scheduling property fails on a planted scheduler, kubelet or API server defect: the
// checker finds it in the scheduling scenarios, shrinks the run, writes the trace, and the
// trace replays to the same violation at the same step.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explore } from '../checker/explore.ts';
import { findProperty } from '../properties/index.ts';
import { findScenario } from '../scenarios/index.ts';
import { schedulingHostPorts, schedulingPlacement, schedulingResources } from '../scenarios/scheduling.ts';
import { kubeletAdmitsEverything } from './defects/kubelet.ts';
import {
  schedulerDropsFailedBindings, schedulerForgetsBoundPods, schedulerIgnoresHostPorts, schedulerIgnoresTaints, schedulerKeepsQuiet,
  schedulerNeverRetriesUnschedulable, storeBindsTwice,
} from './defects/scheduler.ts';
import { catchDefect } from './helpers/caught.ts';
import { runSchedule } from './helpers/schedule.ts';

describe('scheduling properties catch planted defects, with short replayable traces', () => {
  const cases = [
    {
      property: 'bindingsRespectPlacement', scenario: schedulingPlacement, defect: schedulerIgnoresTaints, explored: 1, steps: 52,
      message: 'the scheduler placed default/web-2 on node-2, though as it saw the node: node(s) had untolerated taint {dedicated: db} (TaintToleration).',
    },
    {
      property: 'hostPortsNeverCollide', scenario: schedulingHostPorts, defect: schedulerIgnoresHostPorts, explored: 0, steps: 28,
      message: 'the scheduler placed default/second on node-1, where default/first already holds host port TCP/8080.',
    },
    {
      property: 'hostPortsNeverCollide', scenario: schedulingHostPorts, defect: kubeletAdmitsEverything, explored: 0, steps: 31,
      message: 'the kubelet of node-1 admitted default/squatter with host port TCP/8080, which default/first already holds there.',
    },
    {
      property: 'nodesNeverOvercommitted', scenario: schedulingResources, defect: schedulerForgetsBoundPods, explored: 0, steps: 94,
      message: 'the scheduler placed default/e on node-2, taking the node past its allocatable (cpu 3000 of 2000, in millicores and bytes) with pods c, d, e: '
        + 'it must count every pod bound or assumed there.',
    },
    {
      property: 'nodesNeverOvercommitted', scenario: schedulingResources, defect: kubeletAdmitsEverything, explored: 0, steps: 88,
      message: 'the kubelet of node-1 admitted pods beyond its allocatable (cpu 5000 of 2000): a, c, bypass.',
    },
    {
      property: 'schedulablePodsAreBound', scenario: schedulingResources, defect: schedulerNeverRetriesUnschedulable, explored: 0, steps: 266,
      message: 'pods still pending though a node could take them: default/e fits node-1.',
    },
    {
      property: 'unschedulablePodsSayWhy', scenario: schedulingResources, defect: schedulerKeepsQuiet, explored: 0, steps: 283,
      message: 'default/huge says no PodScheduled condition, but should say Unschedulable: 0/2 nodes are available: 2 Insufficient cpu. '
        + 'preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    },
  ];
  it.each(cases)('$property catches $defect.name', ({ property, scenario, defect, explored, steps, message }) => {
    const caught = catchDefect(scenario, defect, property);
    expect(caught.explored).toHaveLength(explored);
    expect(caught.trace.labels).toHaveLength(steps);
    expect(caught.trace.violation.message).toBe(message);
    expect(caught.replayed.reproduced).toBe(true);
  });
});

describe('a schedule found with a planted API server defect, kept as a regression test', () => {
  // A binding commits but its reply is lost; the scheduler, told it failed, retries the pod
  // and sends a second binding, which only the API server's "already assigned" check stops.
  const { scenario, labels } = JSON.parse(readFileSync(new URL('./schedules/lost-binding-reply.json', import.meta.url), 'utf8')) as { scenario: string; labels: string[] };
  const bound = [findProperty('podBoundAtMostOnce')!];

  it('podBoundAtMostOnce holds on it', () => {
    const result = runSchedule(findScenario(scenario)!, labels, bound);
    expect(result.violation).toBeNull();
    expect(labels.at(-1)).toBe('scheduler: bind pods default/a to node-1');
  });

  it('podBoundAtMostOnce catches an API server whose binding does not check the pod is unassigned', () => {
    const result = runSchedule(findScenario(scenario)!, labels, bound, storeBindsTwice);
    expect(result.violation).toEqual({
      property: 'podBoundAtMostOnce', kind: 'transition', step: 33,
      message: 'pod default/a was bound to node-1 though it was already bound to node-1: a pod is bound once.',
    });
  });
});

describe('a race upstream\'s scheduler really has, which the properties must not blame on it', () => {
  // b's binding to node-1 commits but its reply is lost; the scheduler, told it failed, places b
  // again on node-2, then places d on node-1 (where b already is, unknown to it): node-1 is
  // double-booked until the informer shows b there, and the kubelet's admission turns one away.
  const { scenario, labels } = JSON.parse(readFileSync(new URL('./schedules/lost-reply-double-booking.json', import.meta.url), 'utf8')) as { scenario: string; labels: string[] };

  it('nodesNeverOvercommitted does not blame the scheduler', () => {
    expect(labels.at(-1)).toBe('scheduler: schedule default/d on node-1');
    expect(runSchedule(findScenario(scenario)!, labels, [findProperty('nodesNeverOvercommitted')!]).violation).toBeNull();
  });
});

describe('each scheduling goal goes unreached when a planted defect takes its state away, and is reached without it', () => {
  const cases = [
    // Without the condition, no pod is seen waiting as Unschedulable, so none is seen scheduled after it.
    { goal: 'podScheduledAfterWaiting', scenario: schedulingResources, defect: schedulerKeepsQuiet, runs: 100 },
    { goal: 'bindFailureRetried', scenario: schedulingResources, defect: schedulerDropsFailedBindings, runs: 200 },
  ];
  it.each(cases)('$goal: unreached with $defect.name', ({ goal, scenario, defect, runs }) => {
    const properties = [findProperty(goal)!];
    expect(explore(scenario, { runs, seed: 1, defect, properties, outDir: null }).missingGoals).toEqual([goal]);
    expect(explore(scenario, { runs, seed: 1, properties, outDir: null }).missingGoals).toEqual([]);
  });
});
