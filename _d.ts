import { explore } from './checker/explore.ts';
import { findScenario } from './scenarios/index.ts';
import { findProperty } from './properties/index.ts';
import { DEFECTS } from './test/defects/index.ts';
const cases: [string, string, string][] = [
  ['pod-basics', 'kubeletForgetsTerminalPhase', 'podPhaseTransitionsAreLegal'],
  ['pod-basics', 'storeLetsPodsMove', 'nodeNameNeverChanges'],
  ['pod-basics', 'runtimeLosesLogsOnCrash', 'restartCountNeverDecreases'],
  ['pod-basics', 'kubeletRestartsNeverPods', 'neverPolicyNeverRestarts'],
  ['pod-basics', 'kubeletSyncsTerminalPods', 'terminalPodsStartNoContainers'],
  ['pod-basics', 'kubeletReadyWithoutProbing', 'readyOnlyAfterReadinessPassed'],
  ['pod-basics', 'kubeletKillsWithoutGrace', 'sigkillOnlyAfterGracePeriod'],
  ['pod-basics', 'kubeletMissesContainerExits', 'podStatusesReflectRuntime'],
  ['pod-basics', 'kubeletNeverDeletesPods', 'deletedPodsAreGone'],
];
for (const [s, d, p] of cases) {
  const t0 = performance.now();
  const r = explore(findScenario(s)!, { runs: 150, seed: 1, defect: DEFECTS.find((x) => x.name === d), properties: [findProperty(p)!], outDir: null });
  const t = r.failure?.trace;
  console.log(d, p, t ? `${t.choices.length} (orig ${t.originalSteps}) total ${t.labels.length} step ${t.violation.step}` : 'NOT CAUGHT', Math.round(performance.now() - t0) + 'ms');
  if (t) console.log('   => ' + t.violation.message.slice(0, 250));
}
