// Across years: one figure per report-year from GET /timeline, drawn as plain SVG. Each point links to
// its cited sentence; a year without a figure is a gap in the line (and says so), never a zero.

import { api } from './api.js';
import { $, clear, h, s } from './dom.js';
import { intParam, navigate, params, readHref, setOrDelete } from './state.js';
import { openCitation } from './reader.js';

const W_PER_YEAR = 72;
const H = 260;
const M = { left: 56, right: 24, top: 28, bottom: 48 };

function years(entries, from, to) {
  const seen = entries.map((e) => e.year);
  const lo = from ?? Math.min(...seen);
  const hi = to ?? Math.max(...seen);
  const out = [];
  for (let y = lo; y <= hi && out.length < 200; y++) out.push(y);
  return out;
}

function mainUnit(points) {
  const counts = new Map();
  for (const p of points) if (p.figure) counts.set(p.figure.unit, (counts.get(p.figure.unit) || 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}

function niceTicks(lo, hi, count = 4) {
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((st) => st >= raw);
  const ticks = [];
  for (let t = Math.floor(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toFixed(10)));
  if (ticks[ticks.length - 1] < hi) ticks.push(ticks[ticks.length - 1] + step);
  return ticks;
}

function pointLink(point, children) {
  const cite = point.entry.passage.citation;
  const label = `${point.year}年：${point.figure.text}，在原文中查看`;
  const a = s('a', { href: readHref(cite), class: 'pt', 'aria-label': label, 'data-year': point.year }, children);
  a.addEventListener('click', (e) => {
    e.preventDefault();
    openCitation(cite, { trigger: a });
  });
  return a;
}

export function chart(entries, from, to) {
  const byYear = new Map(entries.map((e) => [e.year, e]));
  const axisYears = years(entries, from, to);
  const points = axisYears.map((year) => {
    const entry = byYear.get(year);
    const figure = entry?.passage ? entry.figures?.[0] : undefined;
    return { year, entry, figure };
  });
  const unit = mainUnit(points);
  // Only figures in the chart's unit are plotted; the table lists the rest.
  const plotted = points.map((p) => ({ ...p, value: p.figure && p.figure.unit === unit ? p.figure.value : null }));
  const values = plotted.filter((p) => p.value !== null).map((p) => p.value);
  const width = M.left + M.right + Math.max(axisYears.length, 2) * W_PER_YEAR;
  // Drawn at its natural size: on a phone the box scrolls sideways rather than shrinking the labels.
  const svg = s('svg', { viewBox: `0 0 ${width} ${H}`, width, height: H, class: 'chart', role: 'group',
    'aria-label': `历年数值${unit ? `（${unit}）` : ''}，${values.length} 个年份有数字` });
  if (!values.length) return svg;
  const ticks = niceTicks(Math.min(0, ...values), Math.max(...values));
  const lo = ticks[0];
  const hi = ticks[ticks.length - 1];
  const x = (i) => M.left + (i + 0.5) * W_PER_YEAR;
  const y = (v) => M.top + (H - M.top - M.bottom) * (1 - (v - lo) / (hi - lo || 1));
  for (const t of ticks) {
    svg.append(s('line', { x1: M.left, x2: width - M.right, y1: y(t), y2: y(t), class: t === 0 ? 'zero' : 'grid' }),
      s('text', { x: M.left - 8, y: y(t) + 4, class: 'tick', 'text-anchor': 'end' }, `${t}${unit}`));
  }
  let d = '';
  plotted.forEach((p, i) => {
    if (p.value === null) return;
    d += `${i > 0 && plotted[i - 1].value !== null ? 'L' : 'M'}${x(i)},${y(p.value)}`;
  });
  svg.append(s('path', { d, class: 'line' }));
  plotted.forEach((p, i) => {
    svg.append(s('text', { x: x(i), y: H - M.bottom + 20, class: p.value === null ? 'year gap' : 'year', 'text-anchor': 'middle' }, p.year));
    if (p.value === null) {
      svg.append(s('line', { x1: x(i), x2: x(i), y1: M.top, y2: H - M.bottom, class: 'gap-line' }),
        s('text', { x: x(i), y: H - M.bottom + 36, class: 'gap-label', 'text-anchor': 'middle' }, '无数据'));
      return;
    }
    svg.append(pointLink(p, [
      s('circle', { cx: x(i), cy: y(p.value), r: 16, class: 'hit' }), // a finger-sized target around the dot
      s('circle', { cx: x(i), cy: y(p.value), r: 6, class: 'dot' }),
      s('text', { x: x(i), y: y(p.value) - 12, 'text-anchor': 'middle', class: 'pt-label' }, p.figure.text),
    ]));
  });
  return svg;
}

function table(entries) {
  const rows = entries.map((e) => {
    const cite = e.passage?.citation;
    const fig = e.figures?.length ? e.figures.map((f) => f.text).join('、') : '（未找到数字）';
    const link = cite ? h('a', { href: readHref(cite) }, '原文') : '—';
    if (cite) link.addEventListener('click', (ev) => { ev.preventDefault(); openCitation(cite, { trigger: link }); });
    return h('tr', { class: e.figures?.length ? '' : 'gap' }, h('th', { scope: 'row' }, e.year), h('td', {}, fig),
      h('td', { class: 'snippet' }, e.passage?.text || ''), h('td', { class: 'nowrap' }, link));
  });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'tl-table' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '年份'), h('th', { scope: 'col' }, '数字'),
      h('th', { scope: 'col' }, '原文句子'), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, '链接')))),
    h('tbody', {}, rows)));
}

async function run({ push = true } = {}) {
  const metric = $('#tl-metric').value.trim();
  const place = $('#tl-place').value.trim();
  const from = Number.parseInt($('#tl-from').value, 10) || null;
  const to = Number.parseInt($('#tl-to').value, 10) || null;
  if (!metric) return;
  navigate((p) => {
    p.set('view', 'timeline');
    p.set('metric', metric);
    setOrDelete(p, 'place', place);
    setOrDelete(p, 'from', from);
    setOrDelete(p, 'to', to);
  }, { push });
  const out = clear($('#tl-result'));
  out.append(h('p', { class: 'pending', role: 'status' }, '正在查找历年数字…'));
  const query = { q: metric };
  if (place) query.region = place;
  if (from) query.from = from;
  if (to) query.to = to;
  try {
    const data = await api.timeline(query);
    clear(out);
    const entries = [...data.entries].sort((a, b) => a.year - b.year);
    if (!entries.length) {
      out.append(h('p', { class: 'hint' }, '没有找到相关的年份。'));
      return;
    }
    const withFigure = entries.filter((e) => e.figures?.length).length;
    out.append(h('h2', {}, `${data.region || place || '全部地区'} · ${data.question || metric}`),
      h('p', { class: 'hint' }, `${withFigure} 个年份有数字；点击圆点查看原文句子。`),
      h('div', { class: 'chart-wrap' }, chart(entries, from, to)), table(entries));
  } catch (err) {
    clear(out).append(h('p', { class: 'error', role: 'alert' },
      err.status === 404 ? '此服务器还没有跨年对比接口（GET /timeline）。' : `出错了：${err.message}`));
  }
}

export function initTimeline() {
  $('#tl-form').addEventListener('submit', (e) => {
    e.preventDefault();
    run();
  });
}

export function timelineFromUrl() {
  const p = params();
  $('#tl-metric').value = p.get('metric') || '';
  $('#tl-place').value = p.get('place') || '';
  $('#tl-from').value = intParam(p, 'from') ?? '';
  $('#tl-to').value = intParam(p, 'to') ?? '';
  if (p.get('metric')) run({ push: false });
}
