import { explore } from './checker/explore.ts';
import { watchBasics } from './scenarios/watch-basics.ts';
import { findProperty } from './properties/index.ts';
import { DEFECTS } from './test/defects/index.ts';
const cases: [string, string][] = [
  ['informerIgnoresGone', 'informerCachesMatchStore'],
  ['informerIgnoresGone', 'systemSettles'],
  ['informerAcceptsOlderList', 'informerResourceVersionNeverGoesBack'],
  ['storeRecordsHistoryOutOfOrder', 'watchEventsArriveInOrder'],
];
for (const [d, p] of cases) {
  const t0 = performance.now();
  const r = explore(watchBasics, { runs: 300, seed: 1, defect: DEFECTS.find((x) => x.name === d), properties: [findProperty(p)!], outDir: null });
  const t = r.failure?.trace;
  console.log(d, p, t ? `${t.choices.length} (orig ${t.originalSteps}) total ${t.labels.length}` : 'NOT CAUGHT', Math.round(performance.now() - t0) + 'ms');
  if (t) console.log('   ' + t.labels.slice(0, t.choices.length).join('\n   ') + '\n   => ' + t.violation.message.slice(0, 300));
}
