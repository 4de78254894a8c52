// The failure report in a real browser (headless Chromium): it renders without errors, has its
// lanes and its violating step, moves the selection with the keyboard, keeps markup from a
// manifest inert, and opens a 10,000-step trace. Screenshots go to out/screenshots/.
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explore } from '../checker/explore.ts';
import { runOnce } from '../checker/run-once.ts';
import { failureReport } from '../reports/html/failure-report.ts';
import type { ReportData } from '../reports/report-data.ts';
import type { Trace } from '../reports/trace.ts';
import { writeReport, writeSummary } from '../reports/write-report.ts';
import { PROPERTIES } from '../properties/index.ts';
import { COMPONENT_MACHINES } from '../scenarios/build.ts';
import { loadScenarioFile } from '../scenarios/load/scenario-file.ts';
import { rolloutIgnoresMaxSurge } from './defects/controllers.ts';
import { launch, open } from './helpers/browser.ts';

const scenario = (name: string) => loadScenarioFile(fileURLToPath(new URL(`./scenario-files/${name}`, import.meta.url))).scenario;
const SHOTS = 'out/screenshots';

/** A failure found with the planted defect, written with its report under a fresh directory. */
function failure(name: string) {
  const out = mkdtempSync(join(tmpdir(), 'kubeprop-report-'));
  const result = explore(scenario(name), { runs: 20, seed: 1, defect: rolloutIgnoresMaxSurge, outDir: out });
  return result.failure!;
}

let browser: Browser;
beforeAll(async () => { browser = await launch(); mkdirSync(SHOTS, { recursive: true }); }, 30_000);
afterAll(async () => { await browser?.close(); });

describe('the failure report in Chromium', () => {
  it('renders its lanes and the violating step, without console errors, and steps with the keyboard', async () => {
    const { trace, report } = failure('rollout.yaml');
    const { page, errors } = await open(browser, report!);
    expect(await page.locator('#steps-head > span').allTextContents()).toEqual([
      '#', 'time', 'store', 'user alice', 'scheduler', 'controller-manager', 'deployment controller', 'replicaset controller', 'kubelet node-1', 'faults',
    ]);
    expect(await page.locator('h1').textContent()).toBe('transitionrollingUpdateStaysWithinSurge violated');
    const violating = `#step-${trace.violation.step}`;
    expect(await page.locator(`${violating}.violation.sel`).count()).toBe(1);
    expect(await page.locator('#detail .violated').textContent()).toContain('rollingUpdateStaysWithinSurge was violated here');
    const hash = () => page.evaluate(() => location.hash);
    expect(await hash()).toBe(violating);
    await page.keyboard.press('k');
    expect(await hash()).toBe(`#step-${trace.violation.step - 1}`);
    expect(await page.locator('.row.sel').getAttribute('id')).toBe(`step-${trace.violation.step - 1}`);
    await page.keyboard.press('ArrowDown');
    expect(await hash()).toBe(violating);
    await page.keyboard.press('Home');
    expect(await hash()).toBe('#step-1');
    expect(await page.locator('#detail .step-title').textContent()).toBe(`step 1: ${trace.labels[0]}`);
    await page.keyboard.press('v');
    expect(await hash()).toBe(violating);
    await page.screenshot({ path: `${SHOTS}/failure-report.png` });
    // A link to a step opens the report there.
    const linked = await open(browser, report!, '#step-3');
    expect(await linked.page.locator('.row.sel').getAttribute('id')).toBe('step-3');
    expect([...errors, ...linked.errors]).toEqual([]);
  }, 120_000);

  it('shows markup from manifests, from the scenario and from a tampered trace as text, and runs none of it', async () => {
    const { file, trace, report } = failure('injection.yaml');
    // A trace file is input too: its labels and message end up in the page.
    const tampered: Trace = {
      ...trace,
      labels: trace.labels.map((l, i) => (i === 0 ? `${l} <script>window.__pwned = 'label'</script>` : l)),
      violation: { ...trace.violation, message: `${trace.violation.message} "><img src=x onerror="window.__pwned = 'message'">` },
    };
    const tamperedFile = file!.replace(/\.json$/, '-tampered.json');
    writeFileSync(tamperedFile, JSON.stringify(tampered));
    const tamperedReport = writeReport(tamperedFile, tampered, [rolloutIgnoresMaxSurge]);
    for (const html of [report!, tamperedReport]) {
      const { page, errors } = await open(browser, html);
      // The Deployment's creation: its annotations are among the lines the detail shows.
      const created = trace.labels.findIndex((l) => l.startsWith('user alice: create deployments')) + 1;
      await page.evaluate((n) => { location.hash = `#step-${n}`; }, created);
      await page.waitForFunction((n) => document.querySelector('.row.sel')?.id === `step-${n}`, created);
      const detail = await page.locator('#detail').textContent();
      expect(detail).toContain(`metadata.annotations.description: "<script>window.__pwned = 'annotation'</script>"`);
      expect(detail).toContain(`metadata.annotations.title: "\\"><img src=x onerror=\\"window.__pwned = 'img'\\">"`);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.locator('script').count()).toBe(2);
      expect(await page.locator('.meta').textContent()).toContain(`<script>window.__pwned = 'description'</script>`);
      if (html === tamperedReport) {
        expect(await page.locator('.message').textContent()).toContain(`"><img src=x onerror="window.__pwned = 'message'">`);
        // The rows are the replay's own; the recorded label that no longer matches is quoted in the warning, as text.
        expect(await page.locator('.meta').textContent()).toContain(`<script>window.__pwned = 'label'</script>`);
        await page.screenshot({ path: `${SHOTS}/injection-report.png` });
      }
      expect(errors).toEqual([]);
    }
  }, 120_000);

  it('keeps markup inert in every field a report shows, even names and labels the API server would refuse', async () => {
    // Names and label values with markup never pass the API server's validation, so no run can
    // store them; a report made from such data (a tampered or foreign one) must stay inert all the same.
    const x = (where: string) => `<script>window.__pwned = '${where}'</script>"><img src=x onerror="window.__pwned = '${where}-img'">`;
    const data: ReportData = {
      property: { name: x('property'), kind: 'transition', description: x('description'), message: x('message'), step: 2 },
      scenario: { name: x('scenario'), description: x('scenario-description'), file: x('file') },
      defect: x('defect'), seed: 1, path: x('path'), replayCommand: x('command'), shrunkChoices: 1, originalSteps: 2, reproduced: false,
      mismatch: { step: 2, recorded: x('recorded'), replayed: x('replayed') },
      initial: [[`pods/default/${x('name')}`, 'ADDED', 2, [[`metadata.labels.${x('label-key')}`, JSON.stringify(x('label-value'))]], []]],
      lanes: ['clock', 'store', x('lane'), 'faults'],
      steps: [
        [2, 1000, x('label'), [[`pods/default/${x('name')}`, 'MODIFIED', 3, [['metadata.annotations.a', JSON.stringify(x('annotation'))]], [x('removed')]]]],
        [3, 2000, x('fault'), []],
      ],
      faults: [[2, 2, `${x('lane')}|${x('window')}`]],
      pods: [{ key: `default/${x('name')}`, phases: [[1, 2, x('phase')]], containers: [{ name: x('container'), states: [[1, 2, x('state')]] }] }],
    };
    const file = join(mkdtempSync(join(tmpdir(), 'kubeprop-report-')), 'crafted.html');
    writeFileSync(file, failureReport(data));
    const { page, errors } = await open(browser, file, '#step-1');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2);
    const text = await page.locator('body').textContent();
    for (const where of ['property', 'message', 'scenario-description', 'file', 'defect', 'command', 'recorded', 'lane', 'label']) expect(text).toContain(x(where));
    expect(await page.locator('#detail').textContent()).toContain(`metadata.annotations.a: ${JSON.stringify(x('annotation'))}`);
    expect(await page.locator('#detail').textContent()).toContain(`metadata.labels.${x('label-key')}: ${JSON.stringify(x('label-value'))}`);
    expect(errors).toEqual([]);
  }, 60_000);

  it('the summary page of a check: verdicts, the matrix, machine coverage, actions, and working links to the failure reports', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kubeprop-summary-'));
    const scenarios = [scenario('rollout.yaml'), scenario('injection.yaml')];
    const results = scenarios.map((s) => explore(s, { runs: 10, seed: 1, defect: rolloutIgnoresMaxSurge, outDir: out }));
    const file = writeSummary(out, { results, scenarios, properties: PROPERTIES, machines: COMPONENT_MACHINES, partial: false, wallMs: 1234 });
    const { page, errors } = await open(browser, file, '', false);
    expect(await page.locator('h1').textContent()).toBe('kubeprop check: 2 of 2 scenarios failed');
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('table').first().textContent()).toContain(`<script>window.__pwned = 'description'</script>`);
    expect(await page.locator('.matrix td.violated').count()).toBe(2);
    const links = await page.locator('a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(links).toEqual(results.map((r) => `file://${r.failure!.report}`));
    // The controllers ran: their handlers are counted, and what never ran is listed by name.
    const machines = await page.locator('table.machines').textContent();
    expect(machines).toMatch(/deployment-controller\s*0\/0\s*none\s*3\/4\s*\*:TIMER/);
    expect(machines).toContain('down:BOOT');
    await page.screenshot({ path: `${SHOTS}/summary.png`, fullPage: true });
    expect(errors).toEqual([]);
  }, 120_000);

  it('opens a trace of 10,000 steps, a few megabytes, with every step in it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kubeprop-report-'));
    const outcome = runOnce(scenario('never-settles.yaml'), { seed: 1, log: false, outDir: out });
    const report = outcome.lines.find((l) => l.startsWith('report: '))!.slice('report: '.length);
    expect(statSync(report).size).toBeLessThan(3_000_000);
    expect(JSON.parse(readFileSync(report.replace(/\.html$/, '.json'), 'utf8')).labels).toHaveLength(10_000);
    const { page, errors } = await open(browser, report);
    expect(await page.locator('.row[data-step]').count()).toBe(10_000);
    expect(await page.locator('.row.sel').getAttribute('id')).toBe('step-10000');
    await page.keyboard.press('Home');
    expect(await page.evaluate(() => location.hash)).toBe('#step-1');
    await page.screenshot({ path: `${SHOTS}/long-report.png` });
    expect(errors).toEqual([]);
  }, 120_000);
});
