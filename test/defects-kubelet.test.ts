// Every node property fails on a planted kubelet, runtime or API server defect: the
// checker finds it in the short pod scenarios, shrinks the run, writes the trace, and
// the trace replays to the same violation at the same step. (A file of its own, so
// vitest runs these shrinks beside the other files.)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { explore } from '../checker/explore.ts';
import { findProperty } from '../properties/index.ts';
import { findScenario, restartRules } from '../scenarios/index.ts';
import { loadScenarioFile } from '../scenarios/load/scenario-file.ts';
import { podBasics, podDeletion, podRestarts } from '../scenarios/pod-lifecycle.ts';
import { livenessPod, nodeWorkload, secretVolumePod } from '../scenarios/pods.ts';
import { lifecycleHooks } from '../scenarios/lifecycle-hooks.ts';
import {
  kubeletForgetsLostContainers, kubeletKillsWithoutGrace, kubeletMissesContainerExits, kubeletNeverDeletesPods, kubeletNeverRestarts,
  kubeletReadyWithoutProbing, kubeletReportsUnknownPhase, kubeletRestartsNeverPods, kubeletStatusFromInformer, kubeletSyncsTerminalPods,
  runtimeLosesLogsOnCrash, storeLetsPodsMove, kubeletForgetsPullBackoff, kubeletIgnoresMissingVolumes, kubeletKillsAtOnce, kubeletStatusManagerStuck,
  kubeletPhaseIgnoresRestartPolicy, kubeletSkipsPostStart, kubeletSkipsPreStop, kubeletWithoutMinimumGrace, kubeletIgnoresRestartRules,
  kubeletNeverRestartsAll, kubeletRestartsAllOnAnyExit,
} from './defects/kubelet.ts';
import { catchDefect } from './helpers/caught.ts';
import { allowingStalls, runSchedule } from './helpers/schedule.ts';

describe('node properties catch planted defects, with short replayable traces', () => {
  it('nodeNameNeverChanges catches an API server that lets an update move a pod', () => {
    const { trace, explored, replayed } = catchDefect(podRestarts, storeLetsPodsMove, 'nodeNameNeverChanges');
    expect(explored).toEqual([]);
    expect(trace.labels).toHaveLength(21);
    expect(trace.labels.at(-1)).toBe('user alice: update pods default/once at rv 2');
    expect(trace.violation.message).toBe('pod default/once moved from node node-1 to node-2: spec.nodeName must never change once set.');
    expect(replayed).toMatchObject({ reproduced: true, steps: 21 });
  });

  it('neverPolicyNeverRestarts catches a kubelet that restarts containers whatever the policy', () => {
    const { trace, explored, replayed } = catchDefect(podRestarts, kubeletRestartsNeverPods, 'neverPolicyNeverRestarts');
    expect(explored).toEqual([]);
    expect(trace.labels).toHaveLength(54);
    expect(trace.labels.at(-1)).toBe('kubelet node-1 sync default/once: start container main');
    expect(trace.violation.message).toBe(
      "container main of pod default/once (restartPolicy Never) was started 2 times on node-1: "
      + "a Never container runs at most once, unless a restart rule names the code it exited with or all the pod's containers restart in place.");
    expect(replayed.reproduced).toBe(true);
  });

  it('podStatusesReflectRuntime catches a kubelet deaf to container exits', () => {
    const { trace, explored, replayed } = catchDefect(podRestarts, kubeletMissesContainerExits, 'podStatusesReflectRuntime');
    expect(explored).toEqual([]);
    expect(trace.violation.message).toBe('pod default/once on node-1, container main: cri-000002 exited 1, but the API says running; '
      + 'pod default/once on node-1, container helper: cri-000003 exited 0, but the API says running; '
      + 'pod default/crasher on node-1, container main: cri-000001 exited 1, but the API says running');
    expect(replayed.reproduced).toBe(true);
  });

  it('sigkillOnlyAfterGracePeriod catches a kubelet that kills without waiting', () => {
    const { trace, explored, replayed } = catchDefect(podDeletion, kubeletKillsWithoutGrace, 'sigkillOnlyAfterGracePeriod');
    expect(explored).toEqual([]);
    expect(trace.labels).toHaveLength(57);
    expect(trace.labels.at(-1)).toBe('kubelet node-1 sync default/stubborn: kill container main (SIGKILL)');
    expect(trace.violation.message).toBe('container main of pod default/stubborn was sent SIGKILL 0ms after SIGTERM, within its 3s grace period.');
    expect(replayed.reproduced).toBe(true);
  });

  it('sigkillOnlyAfterGracePeriod catches a kubelet without the 2 s minimum: a preStop hook that outlasts the grace period leaves SIGTERM no time', () => {
    const { trace, explored, replayed } = catchDefect(lifecycleHooks, kubeletWithoutMinimumGrace, 'sigkillOnlyAfterGracePeriod');
    expect(explored).toEqual([]);
    expect(trace.labels).toHaveLength(86);
    expect(trace.labels.at(-1)).toBe('kubelet node-1 sync default/slow-stop: kill container main (SIGKILL)');
    expect(trace.violation.message).toBe('container main of pod default/slow-stop was sent SIGKILL 0ms after SIGTERM and 10000ms after its preStop hook began: SIGTERM always gets 2s, past a 10s grace period.');
    expect(replayed.reproduced).toBe(true);
  });

  it('sigtermOnlyAfterPreStop catches a kubelet that never runs preStop hooks', () => {
    const { trace, explored, replayed } = catchDefect(lifecycleHooks, kubeletSkipsPreStop, 'sigtermOnlyAfterPreStop');
    expect(explored).toEqual([]);
    expect(trace.labels).toHaveLength(51);
    expect(trace.labels.at(-1)).toBe('kubelet node-1 sync default/registers: stop container main (SIGTERM)');
    expect(trace.violation.message).toBe('container main of pod default/registers was sent SIGTERM without its preStop hook running first (grace period 30s).');
    expect(replayed.reproduced).toBe(true);
  });

  it('deletedPodsAreGone catches a kubelet that never sends the final delete', () => {
    const { trace, explored, replayed } = catchDefect(podDeletion, kubeletNeverDeletesPods, 'deletedPodsAreGone');
    expect(explored).toEqual([]);
    expect(trace.violation.message).toBe('pods still terminating at 2026-01-01T00:00:40Z with their grace periods over: '
      + 'default/stubborn (grace 3s, ended 2026-01-01T00:00:13Z, on node-1), default/web (grace 30s, ended 2026-01-01T00:00:40Z, on node-1)');
    expect(replayed.reproduced).toBe(true);
  });

  it('readyOnlyAfterReadinessPassed catches a prober that records every probe as passed', () => {
    const { trace, explored, replayed } = catchDefect(podDeletion, kubeletReadyWithoutProbing, 'readyOnlyAfterReadinessPassed');
    // The probe must run while the container is not yet ready: the first readiness probe, made to
    // fail by a fault that the planted prober records as a pass. Reaching it takes every step of
    // the pods' start, which latency bounds keep from being skipped by a jump of the clock.
    expect(explored).toHaveLength(40);
    expect(explored.at(-1)).toBe('probe readiness default/web/main on node-1 fails (fault)');
    expect(trace.labels).toHaveLength(42);
    expect(trace.violation.message).toBe('pod default/web reports container main ready, but its readiness probe never passed against container cri-000001.');
    expect(replayed.reproduced).toBe(true);
  });

  it('podPhaseTransitionsAreLegal catches a kubelet that reports phase Unknown for a pod whose containers are being created', () => {
    const { trace, explored, replayed } = catchDefect(podRestarts, kubeletReportsUnknownPhase, 'podPhaseTransitionsAreLegal');
    expect(explored).toEqual([]);
    expect(trace.labels).toHaveLength(22);
    expect(trace.labels.at(-1)).toBe('kubelet node-1: update pods/status default/once');
    expect(trace.violation.message).toBe("the kubelet of node-1 reported pod default/once in phase Unknown: "
      + "Unknown is for a node that cannot report, and a kubelet that reports knows its pods' phases.");
    expect(replayed.reproduced).toBe(true);
  });

  it('containersRemovedOnlyToRestartAll catches a kubelet that restarts all of a pod\'s containers on any exit', () => {
    const { trace, explored, replayed } = catchDefect(restartRules, kubeletRestartsAllOnAnyExit, 'containersRemovedOnlyToRestartAll');
    // The gang pod's setup init container exits 0 at 1 s, and the defect restarts the whole pod for it.
    expect(explored).toEqual([]);
    expect(trace.labels).toHaveLength(99);
    expect(trace.labels.at(-1)).toBe('kubelet node-1 sync default/gang: remove container setup');
    expect(trace.violation.message).toBe('the kubelet of node-1 removed container setup of pod default/gang, but no container of the pod exited with a code '
      + "a RestartAllContainers rule names: a running pod's containers are removed only to restart them all in place.");
    expect(replayed.reproduced).toBe(true);
  });

  // These need a node crash at the right moment: the search and both shrinks take about ten seconds each here.
  const afterCrash = [
    { property: 'podPhaseTransitionsAreLegal', defect: kubeletForgetsLostContainers, explored: 28, steps: 54, message: 'pod default/crasher went from Running to Pending: a pod that has run never goes back to Pending.' },
    { property: 'restartCountNeverDecreases', defect: runtimeLosesLogsOnCrash, explored: 17, steps: 47, message: 'container main of pod default/once had restartCount 1 and now reports 0: a restart count never goes down.' },
    { property: 'terminalPodsStartNoContainers', defect: kubeletSyncsTerminalPods, explored: 28, steps: 52, message: 'the kubelet created container helper of pod default/once, which is Failed: a terminal pod never gets a new container.' },
  ];
  it.each(afterCrash)('$property catches $defect.name after a node crash', ({ property, defect, explored, steps, message }) => {
    const caught = catchDefect(podRestarts, defect, property);
    expect(caught.explored).toHaveLength(explored);
    expect(caught.explored.at(-1)).toBe('crash node node-1');
    expect(caught.trace.labels).toHaveLength(steps);
    expect(caught.trace.violation.message).toBe(message);
    expect(caught.replayed.reproduced).toBe(true);
  });
});

describe('a schedule the checker found once in node-workload, kept as a regression test', () => {
  // A container runs and is reported running; the node crashes and reboots; the kubelet counts
  // the lost container as one more restart and writes that; the pod is then deleted, and the
  // kubelet's next status must keep the count, though its informer has not yet seen its own write.
  // Its kubelet stalls twice (its informers' watches wait while the clock moves 40 s and 45 s).
  const { scenario, labels } = JSON.parse(readFileSync(new URL('./schedules/reboot-then-delete.json', import.meta.url), 'utf8')) as { scenario: string; labels: string[] };
  const restartCount = [findProperty('restartCountNeverDecreases')!];

  it('restartCountNeverDecreases holds on it', () => {
    const result = runSchedule(allowingStalls(findScenario(scenario)!, labels), labels, restartCount);
    expect(result.violation).toBeNull();
    expect(result.settlement?.quiet).toBe(true);
  });

  it('restartCountNeverDecreases catches a kubelet that builds statuses on its informer\'s copy of the pod', () => {
    const result = runSchedule(allowingStalls(findScenario(scenario)!, labels), labels, restartCount, kubeletStatusFromInformer);
    expect(result.violation).toEqual({
      property: 'restartCountNeverDecreases', kind: 'transition', step: 84,
      message: 'container main of pod default/web-0 had restartCount 1 and now reports 0: a restart count never goes down.',
    });
  });
});

describe('each sometimes-goal goes unreached when a planted defect takes its state away, and is reached without it', () => {
  // A scenario file's batch pod, which runs to completion: the goal is a scenario file's as much as a built-in scenario's.
  const podCompletes = loadScenarioFile(fileURLToPath(new URL('./scenario-files/pod-completes.yaml', import.meta.url))).scenario;
  const cases = [
    { goal: 'crashLoopBackOffReached', scenario: podRestarts, defect: kubeletNeverRestarts, runs: 100 },
    { goal: 'livenessRestartHappens', scenario: livenessPod, defect: kubeletNeverRestarts, runs: 100 },
    { goal: 'gracefulTerminationCompletes', scenario: podDeletion, defect: kubeletKillsAtOnce, runs: 100 },
    { goal: 'preStopOutlastsGracePeriod', scenario: lifecycleHooks, defect: kubeletSkipsPreStop, runs: 100 },
    { goal: 'postStartHookFailed', scenario: lifecycleHooks, defect: kubeletSkipsPostStart, runs: 100 },
    { goal: 'imagePullBackOffReached', scenario: nodeWorkload(3), defect: kubeletForgetsPullBackoff, runs: 30 },
    { goal: 'podBecomesReady', scenario: podDeletion, defect: kubeletStatusManagerStuck, runs: 100 },
    { goal: 'podWaitsForVolume', scenario: secretVolumePod, defect: kubeletIgnoresMissingVolumes, runs: 100 },
    { goal: 'podRunsToCompletion', scenario: podBasics, defect: kubeletPhaseIgnoresRestartPolicy, runs: 100 },
    { goal: 'podRunsToCompletion', scenario: podCompletes, defect: kubeletPhaseIgnoresRestartPolicy, runs: 30 },
    { goal: 'containerRestartedByRule', scenario: restartRules, defect: kubeletIgnoresRestartRules, runs: 30 },
    { goal: 'allContainersRestarted', scenario: restartRules, defect: kubeletNeverRestartsAll, runs: 30 },
  ];
  it.each(cases)('$goal: unreached with $defect.name in $scenario.name', ({ goal, scenario, defect, runs }) => {
    const properties = [findProperty(goal)!];
    expect(explore(scenario, { runs, seed: 1, defect, properties, outDir: null }).missingGoals).toEqual([goal]);
    expect(explore(scenario, { runs, seed: 1, properties, outDir: null }).missingGoals).toEqual([]);
  });
});
