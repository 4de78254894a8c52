// The failure report's size and speed: a trace of 10,000 steps (test/scenario-files/never-settles.yaml),
// its report written (replay included) and opened in headless Chromium until its script has built
// the page. Prints one JSON line; the target is under two seconds to open and a few megabytes.
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOnce } from '../checker/run-once.ts';
import { readTrace } from '../reports/trace.ts';
import { writeReport } from '../reports/write-report.ts';
import { loadScenarioFile } from '../scenarios/load/scenario-file.ts';
import { launch } from '../test/helpers/browser.ts';

const ROUNDS = 5;
const out = mkdtempSync(join(tmpdir(), 'kubeprop-bench-'));
const { scenario } = loadScenarioFile(fileURLToPath(new URL('../test/scenario-files/never-settles.yaml', import.meta.url)));
const lines = runOnce(scenario, { seed: 1, log: false, outDir: out }).lines;
const traceFile = lines.find((l) => l.startsWith('trace: '))!.slice('trace: '.length);
const trace = readTrace(traceFile);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const writeMs: number[] = [];
let report = '';
for (let i = 0; i < ROUNDS; i++) {
  const t0 = performance.now();
  report = writeReport(traceFile, trace, []);
  writeMs.push(performance.now() - t0);
}
const browser = await launch();
const openMs: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  const t0 = performance.now();
  await page.goto(`file://${report}`);
  await page.waitForSelector('body[data-ready="true"]');
  openMs.push(performance.now() - t0);
  await page.close();
}
const chromiumVersion = browser.version();
await browser.close();
console.log(JSON.stringify({
  case: 'report-10000-steps', chromium: chromiumVersion, steps: trace.labels.length, traceBytes: statSync(traceFile).size, reportBytes: statSync(report).size,
  writeMsMedian: Math.round(median(writeMs)), openMsMedian: Math.round(median(openMs)), openMsBest: Math.round(Math.min(...openMs)),
}));
