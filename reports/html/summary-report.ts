// The run summary: one static page for a check (no script at all): the verdict of every
// scenario, a property × scenario matrix, each component machine's states and event handlers
// that the runs never exercised (from the xstate definitions), how often each kind of action
// ran, and a link to each failure's report.
import { readFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { AnyStateMachine } from 'xstate';
import { machineDefinition, mergeCoverage } from '../../checker/coverage.ts';
import type { ExploreResult } from '../../checker/explore.ts';
import { goalsFail, scenarioVerdict } from '../../checker/summary-table.ts';
import type { Property } from '../../properties/property.ts';
import type { Scenario } from '../../scenarios/scenario.ts';
import { escapeHtml as e } from './escape.ts';
import { page } from './page.ts';

const STYLE = readFileSync(new URL('./summary.css', import.meta.url), 'utf8');

export interface SummaryInput {
  readonly results: readonly ExploreResult[];
  readonly scenarios: readonly Scenario[];
  readonly properties: readonly Property[];
  /** The component machines whose definitions coverage is measured against. */
  readonly machines: readonly AnyStateMachine[];
  readonly partial: boolean;
  readonly wallMs: number;
  /** Where the page is written: links to reports are relative to it. */
  readonly file: string;
}

const n = (x: number) => x.toLocaleString('en-US');

function verdicts(input: SummaryInput): string {
  const rows = input.results.map((r) => {
    const s = input.scenarios.find((x) => x.name === r.scenario)!;
    const verdict = scenarioVerdict(r, input.partial);
    const failed = r.failure !== null || goalsFail(r, input.partial);
    const link = r.failure?.report ? `<a href="${e(relative(dirname(input.file), r.failure.report))}">report</a>` : '';
    const goals = s.goals.map((g) => `${(r.reached.get(g) ?? 0) > 0 ? '<span class="ok">✓</span>' : '<span class="bad">✗</span>'} <code>${e(g)}</code>`).join('<br>');
    return `<tr><td><b>${e(r.scenario)}</b><br><span class="muted">${e(s.description)}</span></td><td class="num">${n(r.runs)}</td><td class="num">${n(r.steps)}</td>` +
      `<td>${goals || '<span class="muted">none</span>'}</td><td class="${failed ? 'bad' : 'ok'}">${e(verdict)}${r.failure ? `<br>${e(r.failure.trace.violation.property)}` : ''}</td><td>${link}</td></tr>`;
  });
  return `<table><tr><th>scenario</th><th>runs</th><th>steps</th><th>sometimes-goals</th><th>verdict</th><th>failure</th></tr>${rows.join('')}</table>`;
}

function matrix(input: SummaryInput): string {
  const head = input.results.map((r) => `<th class="scenario">${e(r.scenario)}</th>`).join('');
  const rows = input.properties.map((p) => {
    const cells = input.results.map((r) => {
      const s = input.scenarios.find((x) => x.name === r.scenario)!;
      if (p.kind === 'sometimes') {
        if (!s.goals.includes(p.name)) {
          const k = r.reached.get(p.name) ?? 0;
          return k > 0 ? `<td class="cell reached" title="reached in ${k} runs (not a goal here)">·</td>` : '<td class="cell na">–</td>';
        }
        const k = r.reached.get(p.name) ?? 0;
        return k > 0 ? `<td class="cell reached" title="reached in ${k} runs">${n(k)}</td>` : '<td class="cell never" title="never reached">0</td>';
      }
      return r.failure?.trace.violation.property === p.name ? '<td class="cell violated" title="violated">✗</td>' : '<td class="cell held" title="held">✓</td>';
    }).join('');
    return `<tr><td><span class="muted">${e(p.kind)}</span> <code>${e(p.name)}</code></td>${cells}</tr>`;
  });
  return `<table class="matrix"><tr><th>property</th>${head}</tr>${rows.join('')}</table>`;
}

function coverage(input: SummaryInput): string {
  const total = mergeCoverage(input.results.map((r) => r.coverage));
  const rows = input.machines.map((m) => {
    const d = machineDefinition(m);
    const states = total.states[d.id] ?? {};
    const handlers = total.handlers[d.id] ?? {};
    if (Object.keys(states).length === 0 && Object.keys(handlers).length === 0) {
      return `<tr><td><code>${e(d.id)}</code></td><td colspan="4" class="muted">not in these scenarios</td></tr>`;
    }
    const missedStates = d.states.filter((s) => !states[s]);
    const missedHandlers = d.handlers.filter((h) => !handlers[h]);
    const part = (done: number, all: number) => `${done}/${all}`;
    const list = (items: string[]) => (items.length === 0 ? '<span class="ok">none</span>' : `<ul>${items.map((x) => `<li><code>${e(x)}</code></li>`).join('')}</ul>`);
    return `<tr><td><code>${e(d.id)}</code></td><td class="num">${part(d.states.length - missedStates.length, d.states.length)}</td><td>${list(missedStates)}</td>` +
      `<td class="num">${part(d.handlers.length - missedHandlers.length, d.handlers.length)}</td><td>${list(missedHandlers)}</td></tr>`;
  });
  return `<table class="machines"><tr><th>machine</th><th>states entered</th><th>never entered</th><th>handlers run</th><th>never run</th></tr>${rows.join('')}</table>`;
}

function actions(input: SummaryInput): string {
  const total = mergeCoverage(input.results.map((r) => r.coverage)).actions;
  const rows = Object.entries(total).sort((a, b) => b[1] - a[1]).map(([kind, k]) => `<tr><td><code>${e(kind)}</code></td><td class="num">${n(k)}</td></tr>`);
  return `<table><tr><th>action</th><th>times taken</th></tr>${rows.join('')}</table>`;
}

export function summaryReport(input: SummaryInput): string {
  const runs = input.results.reduce((k, r) => k + r.runs, 0);
  const steps = input.results.reduce((k, r) => k + r.steps, 0);
  const failed = input.results.filter((r) => r.failure !== null || goalsFail(r, input.partial)).length;
  const seed = input.results[0]?.seed;
  const body = `<h1>kubeprop check: ${failed === 0 ? '<span class="ok">every property held</span>' : `<span class="bad">${failed} of ${input.results.length} scenarios failed</span>`}</h1>
<p class="lead">${input.results.length} scenarios, ${n(runs)} runs, ${n(steps)} steps, ${(input.wallMs / 1000).toFixed(1)} s, seed ${e(String(seed ?? ''))}${input.partial ? ' (one shard)' : ''}</p>
<h2>Scenarios</h2>${verdicts(input)}
<h2>Properties × scenarios</h2><p class="lead">✓ held, ✗ violated; for a scenario's sometimes-goals, the runs that reached it (0: never); · reached though not a goal there, – not reached and not a goal.</p>${matrix(input)}
<h2>Machine coverage</h2><p class="lead">Each component machine's states and event handlers (a state and an event it handles, <code>*</code> for the whole machine) as its xstate definition declares them, and those no run of this check exercised.</p>${coverage(input)}
<h2>Actions</h2>${actions(input)}`;
  return page(`kubeprop check: ${failed === 0 ? 'ok' : `${failed} failed`}`, body, STYLE);
}
