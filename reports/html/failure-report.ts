// The failure report: one self-contained HTML file for one trace. The header says what was
// violated, in words, where and how to replay it; the timeline has a lane per component and a
// row per step, fault windows shaded and the violating step marked; the side panel shows the
// objects the selected step changed, only what changed highlighted; the pod bars show each
// pod's phase and each container's state over the steps.
import { readFileSync } from 'node:fs';
import type { ReportData } from '../report-data.ts';
import { escapeHtml, scriptJson } from './escape.ts';
import { page } from './page.ts';

const STYLE = readFileSync(new URL('./report.css', import.meta.url), 'utf8');
const SCRIPT = readFileSync(new URL('./report.js', import.meta.url), 'utf8');

export function failureReport(data: ReportData): string {
  const e = escapeHtml;
  const meta: [string, string][] = [
    ['scenario', `<b>${e(data.scenario.name)}</b>${data.scenario.description ? ` — ${e(data.scenario.description)}` : ''}`],
    ...(data.scenario.file ? [['scenario file', `<code>${e(data.scenario.file)}</code>`] as [string, string]] : []),
    ...(data.defect ? [['planted defect', `<code>${e(data.defect)}</code>`] as [string, string]] : []),
    ['seed, path', `<code>${e(String(data.seed ?? 'none'))}</code>, <code>${e(data.path ?? 'none')}</code>`],
    ['length', `shrunk to ${data.shrunkChoices} chosen steps (from ${data.originalSteps}); ${data.steps.length} steps in all; violated at step <a href="#step-${data.property.step}">${data.property.step}</a>`],
    ['replay', `<div class="replay"><pre>${e(data.replayCommand)}</pre><button id="copy" type="button">copy</button></div>`],
  ];
  if (data.mismatch) {
    meta.push(['warning', `the replay left the recorded trace at step ${data.mismatch.step}: recorded <code>${e(data.mismatch.recorded)}</code>, replayed <code>${e(data.mismatch.replayed)}</code>; the rows below are the replay's`]);
  } else if (!data.reproduced) {
    meta.push(['warning', 'replaying the trace did not reproduce the violation: the model or the property has changed since it was written']);
  }
  const body = `<header>
<h1><span class="kind">${e(data.property.kind)}</span>${e(data.property.name)} violated</h1>
<p class="message">${e(data.property.message)}</p>
<p class="claim">The claim: ${e(data.property.description)}</p>
<dl class="meta">${meta.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>
<p class="keys">Keys: j / ↓ next step, k / ↑ previous, PageDown / PageUp, Home / End, v the violating step. Links: #step-N.</p>
</header>
<main>
<div id="timeline"><div id="steps"><div id="steps-head" class="row"></div><div id="steps-body"></div></div></div>
<aside id="detail"></aside>
</main>
<section class="pods">
<h2>Pods and containers over the steps</h2>
<div class="legend"><span><i class="s-Pending"></i>Pending / waiting</span><span><i class="s-Running"></i>Running</span><span><i class="s-Succeeded"></i>Succeeded</span><span><i class="s-Failed"></i>Failed / terminated</span><span><i class="s-Unknown"></i>Unknown</span></div>
<div id="pods"></div>
</section>
<script type="application/json" id="report-data">${scriptJson(data)}</script>`;
  return page(`${data.property.name} violated in ${data.scenario.name}`, body, STYLE, SCRIPT);
}
