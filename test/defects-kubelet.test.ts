// Every node property fails on a planted kubelet, runtime or API server defect: the
// checker finds it in the short pod scenarios, shrinks the run, writes the trace, and
// the trace replays to the same violation at the same step. (A file of its own, so
// vitest runs these shrinks beside the other files.)
import { describe, expect, it } from 'vitest';
import { explore } from '../checker/explore.ts';
import { findProperty } from '../properties/index.ts';
import { podDeletion, podRestarts } from '../scenarios/pod-lifecycle.ts';
import {
  kubeletForgetsLostContainers, kubeletKillsWithoutGrace, kubeletMissesContainerExits, kubeletNeverDeletesPods, kubeletNeverRestarts,
  kubeletReadyWithoutProbing, kubeletRestartsNeverPods, kubeletSyncsTerminalPods, runtimeLosesLogsOnCrash, storeLetsPodsMove,
} from './defects/kubelet.ts';
import { catchDefect } from './helpers/caught.ts';

describe('node properties catch planted defects, with short replayable traces', () => {
  it('nodeNameNeverChanges catches an API server that lets an update move a pod', () => {
    const { trace, explored, replayed } = catchDefect(podRestarts, storeLetsPodsMove, 'nodeNameNeverChanges');
    expect(explored).toEqual([]);
    expect(trace.labels).toHaveLength(19);
    expect(trace.labels.at(-1)).toBe('user alice: update pods default/once at rv 2');
    expect(trace.violation.message).toBe('pod default/once moved from node node-1 to node-2: spec.nodeName must never change once set.');
    expect(replayed).toMatchObject({ reproduced: true, steps: 19 });
  });

  it('neverPolicyNeverRestarts catches a kubelet that restarts containers whatever the policy', () => {
    const { trace, explored, replayed } = catchDefect(podRestarts, kubeletRestartsNeverPods, 'neverPolicyNeverRestarts');
    expect(explored).toEqual([]);
    expect(trace.labels.at(-1)).toBe('kubelet node-1 sync default/once: start container main');
    expect(trace.violation.message).toBe(
      "container main of pod default/once (restartPolicy Never) was started 2 times on node-1: a Never pod's container runs at most once.");
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
    expect(trace.labels.slice(-1)).toEqual(['kubelet node-1 sync default/stubborn: kill container main (SIGKILL)']);
    expect(trace.violation.message).toBe('container main of pod default/stubborn was sent SIGKILL 0ms after SIGTERM, within its 3s grace period.');
    expect(replayed.reproduced).toBe(true);
  });

  it('deletedPodsAreGone catches a kubelet that never sends the final delete', () => {
    const { trace, explored, replayed } = catchDefect(podDeletion, kubeletNeverDeletesPods, 'deletedPodsAreGone');
    expect(explored).toEqual([]);
    expect(trace.violation.message).toMatch(/^pods still terminating at 2026-01-01T00:00:\d\dZ with their grace periods over: /);
    expect(trace.violation.message).toContain('default/stubborn (grace 3s, ended 2026-01-01T00:00:13Z, on node-1)');
    expect(replayed.reproduced).toBe(true);
  });

  // These three need a node crash at the right moment; found from scratch they take 30-80 s
  // each to shrink here, so the tests start from the seed and counterexample path the
  // checker reported (the search and shrink are the same code the cases above exercise).
  const afterCrash = [
    { property: 'podPhaseTransitionsAreLegal', defect: kubeletForgetsLostContainers, path: '18:5:0:13:18:18:21:20:20:20:20:20:20:30:30:29:29:29:39:49:28:42:63:69:69:71:69:73:79:77:76:75:79:53:55:55:53:65:64:71:64:64:69:72:71:98:97:96:104:104:102:107:120:112:125:129:136:134:135:135:134:141:141:142:140:140:148:146:158:151:157:155:155:150:157:150:150:150:159:155:163:160:178:176:178:174:174:179:183:179:178:181:17:24:18:167:161:164:173:174:185:179:181:164:161:161:178:180', explored: 28, message: 'pod default/crasher went from Running to Pending: a pod that has run never goes back to Pending.' },
    { property: 'restartCountNeverDecreases', defect: runtimeLosesLogsOnCrash, path: '18:5:0:13:18:18:21:20:20:20:20:20:20:30:30:29:29:29:35:3:8:21:27:27:29:27:31:37:35:34:33:40:12:12:12:18:18:23:12:27:11:23:41:41:44:43:70:69:68:76:76:74:79:92:84:97:101:108:106:107:107:106:113:113:114:112:112:120:118:130:123:129:127:127:122:129:122:122:122:131:127:135:132:150:148:150:146:146:151:155:151:150:153:154:148:151:160:161:172:166:168:151:148:148:165:167', explored: 26, message: 'container main of pod default/crasher had restartCount 1 and now reports 0: a restart count never goes down.' },
    { property: 'terminalPodsStartNoContainers', defect: kubeletSyncsTerminalPods, path: '18:5:0:13:18:18:21:20:20:20:20:20:20:30:30:29:29:29:39:49:28:42:63:69:69:71:69:73:79:77:76:75:84:85:81:81:93:88:115:108:108:122:114:114:122:121:148:147:146:154:154:152:157:170:162:167:19:26:20:31:28:39:39:39:39:40:40:41:40:45:45:51:51:78:85:84:92:84:92:98:98:98:98:97:98:103:103:104:107:115:96:96:108:111:108:125:101:83:83:86:87:83:89:89:89:100:100:100:106:100:123:134:132:137:138:138:139:137:137:145:143:155:148:154:158:160:157:175:173:175:171:171:175:100:102:102:100:108:106:111:150:146:151:153:157:156:156:162:178:189:183:184', explored: 31, message: "the kubelet created container helper of pod default/once, which is Failed: a terminal pod never gets a new container." },
  ];
  it.each(afterCrash)('$property catches $defect.name after a node crash', ({ property, defect, path, explored, message }) => {
    const { trace, replayed } = catchDefect(podRestarts, defect, property, 1, 300, path);
    expect(trace.choices).toHaveLength(explored);
    expect(trace.labels).toContain('crash node node-1');
    expect(trace.violation.message).toBe(message);
    expect(replayed.reproduced).toBe(true);
  });

  it('readyOnlyAfterReadinessPassed catches a prober that records every probe as passed', () => {
    const { trace, replayed } = catchDefect(podDeletion, kubeletReadyWithoutProbing, 'readyOnlyAfterReadinessPassed');
    expect(trace.violation.message).toBe('pod default/web reports container main ready, but its readiness probe never passed against container cri-000001.');
    expect(replayed.reproduced).toBe(true);
  });
});

describe('a kubelet that never restarts a container never reaches CrashLoopBackOff', () => {
  const goal = [findProperty('crashLoopBackOffReached')!];

  it('the goal goes unreached with the defect and is reached without it', () => {
    expect(explore(podRestarts, { runs: 100, seed: 1, defect: kubeletNeverRestarts, properties: goal, outDir: null }).missingGoals).toEqual(['crashLoopBackOffReached']);
    expect(explore(podRestarts, { runs: 100, seed: 1, properties: goal, outDir: null }).missingGoals).toEqual([]);
  });
});
