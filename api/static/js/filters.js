// The filter bar of the ask view: region, level and year range, shown as removable chips and kept in the URL.

import { $, clear, h, levelLabel } from './dom.js';
import { intParam, navigate, params, setMany, setOrDelete, store } from './state.js';

export function selection() {
  const p = params();
  return { regions: p.getAll('region'), levels: p.getAll('level'), from: intParam(p, 'from'), to: intParam(p, 'to') };
}

function save(sel) {
  navigate((p) => {
    setMany(p, 'region', sel.regions);
    setMany(p, 'level', sel.levels);
    setOrDelete(p, 'from', sel.from);
    setOrDelete(p, 'to', sel.to);
  });
  render();
}

function update(change) {
  const sel = selection();
  change(sel);
  save(sel);
}

function chip(label, onRemove) {
  const remove = () => {
    onRemove();
    $('#f-region').focus(); // the removed button took focus with it; keep keyboard users in the filter bar
  };
  return h('li', { class: 'chip' }, h('span', {}, label),
    h('button', { type: 'button', class: 'chip-x', 'aria-label': `移除筛选 ${label}`, title: '移除', onclick: remove }, '×'));
}

export function render() {
  const sel = selection();
  const chips = clear($('#chips'));
  for (const region of sel.regions) {
    chips.append(chip(`地区：${region}`, () => update((s) => { s.regions = s.regions.filter((r) => r !== region); })));
  }
  for (const level of sel.levels) {
    chips.append(chip(`级别：${levelLabel(level)}`, () => update((s) => { s.levels = s.levels.filter((l) => l !== level); })));
  }
  if (sel.from || sel.to) {
    const label = sel.from && sel.to ? `${sel.from}–${sel.to}年` : sel.from ? `${sel.from}年起` : `至${sel.to}年`;
    chips.append(chip(`年份：${label}`, () => update((s) => { s.from = null; s.to = null; })));
  }
  $('#f-from').value = sel.from ?? '';
  $('#f-to').value = sel.to ?? '';
}

// Suggestions come from the indexed reports: regions and years in datalists, levels in the select.
export function fillSuggestions(docs) {
  const regions = [...new Set(docs.map((d) => d.region).filter(Boolean))].sort();
  const years = [...new Set(docs.map((d) => d.year).filter(Boolean))].sort();
  clear($('#regions-list')).append(...regions.map((r) => h('option', { value: r })));
  clear($('#years-list')).append(...years.map((y) => h('option', { value: y })));
  const levels = [...new Set(docs.map((d) => d.level).filter(Boolean))].sort();
  clear($('#f-level')).append(h('option', { value: '' }, '全部'),
    ...levels.map((l) => h('option', { value: l }, levelLabel(l))));
}

function addRegion() {
  const input = $('#f-region');
  const region = input.value.trim();
  if (!region) return;
  input.value = '';
  update((s) => { if (!s.regions.includes(region)) s.regions.push(region); });
}

function setYears() {
  const from = Number.parseInt($('#f-from').value, 10) || null;
  const to = Number.parseInt($('#f-to').value, 10) || null;
  update((s) => { s.from = from; s.to = to; });
}

export function initFilters() {
  $('#f-region-add').addEventListener('click', addRegion);
  $('#f-region').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); addRegion(); }
  });
  $('#f-level').addEventListener('change', (e) => {
    const level = e.target.value;
    e.target.value = '';
    if (level) update((s) => { if (!s.levels.includes(level)) s.levels.push(level); });
  });
  for (const id of ['#f-from', '#f-to']) $(id).addEventListener('change', setYears);
  store.listeners.add(fillSuggestions);
  render();
}
