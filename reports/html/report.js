// The failure report's behaviour: builds the step table and the pod bars from the embedded
// data, selects a step (click, #step-N links, j/k or the arrow keys, v for the violation),
// and shows the objects as they stood after it, with what the step changed highlighted.
// Everything from the trace is put into the page as text (textContent), never as markup.
(() => {
  'use strict';
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const lanes = data.lanes;
  const steps = data.steps;
  const total = steps.length;
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const time = (ms) => `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)}s`;

  // Which steps each lane's fault windows cover.
  const faulty = lanes.map(() => new Uint8Array(total + 2));
  for (const [first, last, what] of data.faults) {
    const lane = lanes.indexOf(what.split('|')[0]);
    const faultsLane = lanes.indexOf('faults');
    for (let s = first; s <= last; s++) {
      if (lane >= 0) faulty[lane][s] = 1;
      faulty[faultsLane][s] = 1;
    }
  }

  // The step table: one row per step, one column per lane, every row ROW_PX high (report.css),
  // so that a row's place is arithmetic and the browser lays out only the rows in view.
  const ROW_PX = 19;
  const table = document.getElementById('steps');
  const head = document.getElementById('steps-head');
  const storeLane = lanes.indexOf('store');
  head.append(el('span', 'n', '#'), el('span', 't', 'time'));
  lanes.forEach((l) => { if (l !== 'clock') head.append(el('span', '', l)); });
  table.style.setProperty('--lanes', String(lanes.length - 1));
  // Rows are built as one string of escaped text and parsed once: ten thousand rows of
  // elements made one by one take seconds; a cell's full text is its title, set on hover.
  const esc = (t) => t.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  const shown = lanes.map((l, j) => (l === 'clock' ? -1 : j)).filter((j) => j >= 0);
  const laneNames = lanes.map((l) => new RegExp(`^(kubelet )?${l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:? `));
  const html = [];
  steps.forEach(([lane, nowMs, label, changes], i) => {
    const n = i + 1;
    const tick = lanes[lane] === 'clock';
    html.push(`<div id="step-${n}" data-step="${n}" class="row${n === data.property.step ? ' violation' : ''}"><span class="n">${n}</span><span class="t">${time(nowMs)}${tick ? ' ·' : ''}</span>`);
    for (const j of shown) {
      let text = '';
      // A lane's own name opens most of its labels ("scheduler: ...", "kubelet node-1: ..."): said once, in the header.
      if (j === lane) text = label.replace(laneNames[j], '');
      else if (j === storeLane && changes.length > 0) text = changes.map(([key, type, rv]) => `${type} ${key} rv ${rv}`).join('; ');
      const cls = [j === storeLane ? 'store' : '', faulty[j][n] ? 'fault' : ''].filter(Boolean).join(' ');
      html.push(`<span${cls ? ` class="${cls}"` : ''}>${esc(text)}</span>`);
    }
    html.push('</div>');
  });
  const body = document.getElementById('steps-body');
  body.innerHTML = html.join('');
  const rows = Array.from(body.children);
  table.addEventListener('mouseover', (e) => {
    const cell = e.target.closest('.row > span');
    if (cell && !cell.title && cell.textContent) cell.title = cell.textContent;
  });

  // The objects after a step, rebuilt from the differences (a checkpoint every 500 steps).
  const CHECKPOINT = 500;
  const apply = (objects, [key, type, , set, removed]) => {
    if (type === 'DELETED') { objects.delete(key); return; }
    const leaves = new Map(objects.get(key) || []);
    for (const p of removed) leaves.delete(p);
    for (const [p, v] of set) leaves.set(p, v);
    objects.set(key, leaves);
  };
  const start = new Map();
  for (const c of data.initial) apply(start, c);
  const checkpoints = new Map([[0, start]]);
  const objectsAfter = (n) => {
    const base = Math.floor(n / CHECKPOINT) * CHECKPOINT;
    let from = base;
    while (!checkpoints.has(from)) from -= CHECKPOINT;
    const objects = new Map(checkpoints.get(from));
    for (let s = from + 1; s <= n; s++) {
      for (const c of steps[s - 1][3]) apply(objects, c);
      if (s % CHECKPOINT === 0 && !checkpoints.has(s)) checkpoints.set(s, new Map(objects));
    }
    return objects;
  };

  // Scrolls the timeline alone (not the page) to show the row and the cell of its lane.
  const timeline = document.getElementById('timeline');
  const N_PX = 56;
  const T_PX = 72;
  const LANE_PX = 240;
  const laneColumn = (lane) => lanes.filter((l, j) => l !== 'clock' && j < lane).length;
  const reveal = (n, lane) => {
    const top = (n - 1) * ROW_PX;
    const view = timeline.clientHeight - head.offsetHeight;
    if (top < timeline.scrollTop) timeline.scrollTop = top;
    else if (top + ROW_PX > timeline.scrollTop + view) timeline.scrollTop = top + ROW_PX - view;
    if (lanes[lane] === 'clock') return;
    const left = laneColumn(lane) * LANE_PX;
    const width = timeline.clientWidth - N_PX - T_PX;
    if (left < timeline.scrollLeft) timeline.scrollLeft = left;
    else if (left + LANE_PX > timeline.scrollLeft + width) timeline.scrollLeft = left + LANE_PX - width;
  };

  const detail = document.getElementById('detail');
  const cursors = [];
  let selected = 0;
  const select = (n, scroll) => {
    if (n < 1 || n > total) return;
    if (selected) rows[selected - 1].classList.remove('sel');
    selected = n;
    const row = rows[n - 1];
    row.classList.add('sel');
    if (scroll) reveal(n, steps[n - 1][0]);
    if (location.hash !== `#step-${n}`) history.replaceState(null, '', `#step-${n}`);
    for (const c of cursors) c.style.left = `${((n - 0.5) / total) * 100}%`;
    const [lane, nowMs, label, changes] = steps[n - 1];
    detail.replaceChildren();
    detail.append(el('div', 'step-title', `step ${n}: ${label}`), el('div', 'where', `${lanes[lane]} · ${time(nowMs)} of logical time`));
    if (n === data.property.step) detail.append(el('div', 'violated', `${data.property.name} was violated here: ${data.property.message}`));
    if (changes.length === 0) detail.append(el('div', 'where', 'The store did not change in this step.'));
    const objects = objectsAfter(n);
    for (const [key, type, rv, set, removed] of changes) {
      const box = el('div', 'object');
      box.append(el('div', 'head', `${type} ${key} (rv ${rv})`));
      const lines = el('div', 'lines');
      const changed = new Set(set.map(([p]) => p));
      const leaves = type === 'DELETED' ? objectsAfter(n - 1).get(key) : objects.get(key);
      for (const [p, v] of leaves || []) lines.append(el('div', changed.has(p) ? 'changed' : 'same', `${p}: ${v}`));
      for (const p of removed) lines.append(el('div', 'removed', p));
      box.append(lines);
      detail.append(box);
    }
  };

  table.addEventListener('click', (e) => {
    const row = e.target.closest('.row[data-step]');
    if (row) select(Number(row.dataset.step), false);
  });
  document.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement) return;
    const moves = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1, PageDown: 20, PageUp: -20 };
    if (e.key in moves) { select(Math.min(total, Math.max(1, selected + moves[e.key])), true); e.preventDefault(); }
    else if (e.key === 'Home') { select(1, true); e.preventDefault(); }
    else if (e.key === 'End') { select(total, true); e.preventDefault(); }
    else if (e.key === 'v') { select(data.property.step, true); e.preventDefault(); }
  });
  window.addEventListener('hashchange', () => {
    const m = /^#step-(\d+)$/.exec(location.hash);
    if (m) select(Number(m[1]), true);
    window.scrollTo(0, 0);
  });

  // Each pod's phase and each container's state over the steps.
  const podsBox = document.getElementById('pods');
  const track = (spans) => {
    const t = el('div', 'track');
    for (const [first, last, what] of spans) {
      const d = el('div', `s-${what.split(':')[0]}`);
      const from = Math.max(1, first);
      d.style.left = `${((from - 1) / total) * 100}%`;
      d.style.width = `${((last - from + 1) / total) * 100}%`;
      d.title = `${what}: steps ${first}-${last}`;
      d.addEventListener('click', () => select(first, true));
      t.append(d);
    }
    const mark = el('div', 'violation-mark');
    mark.style.left = `${((data.property.step - 0.5) / total) * 100}%`;
    const cursor = el('div', 'cursor');
    cursors.push(cursor);
    t.append(mark, cursor);
    return t;
  };
  if (data.pods.length === 0) podsBox.append(el('p', 'keys', 'No pod was stored in this trace.'));
  for (const pod of data.pods) {
    const row = el('div', 'pod');
    row.append(el('div', 'name', pod.key.replace(/^pods\//, '')), track(pod.phases));
    podsBox.append(row);
    for (const c of pod.containers) {
      const crow = el('div', 'pod');
      crow.append(el('div', 'name container', c.name), track(c.states));
      podsBox.append(crow);
    }
  }

  document.getElementById('copy').addEventListener('click', () => {
    navigator.clipboard?.writeText(data.replayCommand).catch(() => undefined);
  });
  const m = /^#step-(\d+)$/.exec(location.hash);
  select(m ? Number(m[1]) : data.property.step, true);
  // The timeline scrolls itself to the step; the page stays at its top (a #step-N link would scroll it).
  window.scrollTo(0, 0);
  requestAnimationFrame(() => window.scrollTo(0, 0));
  document.body.dataset.ready = 'true';
})();
