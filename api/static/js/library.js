// The library: every indexed report with filters and counts; upload (drag and drop) and delete with a token.

import { api } from './api.js';
import { $, clear, h, levelLabel } from './dom.js';
import { store } from './state.js';

const TOKEN_KEY = 'reportqa-token';
const token = () => sessionStorage.getItem(TOKEN_KEY) || '';

export async function reloadDocs() {
  store.setDocs(await api.documents());
}

function options(select, values, label, counts) {
  const keep = select.value;
  clear(select).append(h('option', { value: '' }, `全部（${counts.total}）`),
    ...values.map((v) => h('option', { value: v }, `${label(v)}（${counts.get(v)}）`)));
  select.value = values.map(String).includes(keep) ? keep : '';
}

function counted(docs, key) {
  const counts = new Map();
  for (const d of docs) counts.set(String(d[key] ?? ''), (counts.get(String(d[key] ?? '')) || 0) + 1);
  counts.total = docs.length;
  return counts;
}

function renderFilters(docs) {
  for (const [id, key, label] of [['#lib-region', 'region', (v) => v || '未知'], ['#lib-level', 'level', levelLabel],
    ['#lib-year', 'year', (v) => (v ? `${v}年` : '未知')]]) {
    const counts = counted(docs, key);
    options($(id), [...counts.keys()].sort(), label, counts);
  }
}

function writesEnabled() {
  return Boolean(store.health?.writes_enabled);
}

function deleteButton(doc) {
  const button = h('button', { type: 'button', class: 'danger small', 'aria-label': `删除 ${doc.title}` }, '删除');
  let armed = null;
  button.addEventListener('click', async () => {
    if (!armed) { // two steps instead of confirm(): keyboard- and screen-reader-friendly
      button.textContent = '确认删除？';
      button.setAttribute('aria-label', `确认删除 ${doc.title}`);
      armed = setTimeout(() => {
        armed = null;
        button.textContent = '删除';
        button.setAttribute('aria-label', `删除 ${doc.title}`);
      }, 6000);
      return;
    }
    clearTimeout(armed);
    button.disabled = true;
    button.textContent = '正在删除…';
    try {
      await api.remove(doc.doc_id, token());
      api.forget(doc.doc_id);
      status(`已删除：${doc.title}`);
      await reloadDocs();
    } catch (err) {
      status(`删除失败：${err.message}`, true);
      button.disabled = false;
      button.textContent = '删除';
      armed = null;
    }
  });
  return button;
}

function renderTable(docs) {
  const region = $('#lib-region').value;
  const level = $('#lib-level').value;
  const year = $('#lib-year').value;
  const shown = docs.filter((d) => (!region || (d.region || '') === region) && (!level || (d.level || '') === level)
    && (!year || String(d.year ?? '') === year));
  const chunks = docs.reduce((n, d) => n + d.chunks, 0);
  $('#lib-summary').textContent = `共 ${docs.length} 份报告、${chunks} 个段落` + (shown.length !== docs.length ? `；显示 ${shown.length} 份` : '');
  const body = clear($('#lib-table tbody'));
  for (const d of [...shown].sort((a, b) => (b.year || 0) - (a.year || 0) || a.title.localeCompare(b.title, 'zh'))) {
    body.append(h('tr', { 'data-doc': d.doc_id },
      h('th', { scope: 'row' }, d.title, d.kind === 'summary' ? h('span', { class: 'tag' }, '图解') : null),
      h('td', {}, d.region || '—'), h('td', {}, d.year ?? '—'), h('td', {}, levelLabel(d.level)),
      h('td', { class: 'num' }, d.chunks), h('td', { class: 'num' }, d.chars.toLocaleString('zh-CN')),
      h('td', {}, writesEnabled() ? deleteButton(d) : null)));
  }
}

function status(message, isError = false) {
  const el = $('#upload-status');
  if (!el) return;
  el.textContent = message;
  el.classList.toggle('error', isError);
}

async function upload(files) {
  const progress = $('#upload-progress');
  for (const file of files) {
    if (!token()) {
      status('请先输入管理令牌（服务器的 REPORTQA_API_TOKEN）。', true);
      $('#token').focus();
      return;
    }
    progress.hidden = false;
    progress.value = 0;
    status(`正在上传 ${file.name}…`);
    try {
      const result = await api.upload(file, token(), (e) => {
        if (e.phase === 'upload' && e.total) progress.value = e.loaded / e.total;
        if (e.phase === 'indexing') {
          progress.removeAttribute('value'); // indeterminate: the server is chunking and embedding
          status(`已上传 ${file.name}，正在索引…`);
        }
      });
      api.forget(result.doc_id);
      status(`已添加：${result.title}（${result.chunks} 个段落）`);
      await reloadDocs();
    } catch (err) {
      status(`上传失败：${err.message}`, true);
    } finally {
      progress.hidden = true;
    }
  }
}

function renderWrites() {
  const box = clear($('#writes'));
  if (!writesEnabled()) {
    box.append(h('p', { class: 'notice', id: 'writes-disabled' },
      '此服务器未开启上传和删除：启动时设置 REPORTQA_API_TOKEN 才能在这里管理报告。'));
    return;
  }
  const input = h('input', { type: 'file', id: 'file-input', class: 'sr-only', multiple: true });
  input.addEventListener('change', () => upload([...input.files]).finally(() => { input.value = ''; }));
  const zone = h('div', { class: 'drop', id: 'dropzone' },
    h('p', {}, '把 .txt / .md 报告拖到这里，或 ', h('label', { for: 'file-input', class: 'button secondary' }, '选择文件'), input),
    h('progress', { id: 'upload-progress', max: 1, hidden: true }),
    h('p', { id: 'upload-status', role: 'status' }));
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    upload([...e.dataTransfer.files]);
  });
  const tokenInput = h('input', { type: 'password', id: 'token', autocomplete: 'off', value: token(), size: 16 });
  tokenInput.addEventListener('input', () => sessionStorage.setItem(TOKEN_KEY, tokenInput.value));
  // A form only so browsers treat the password field properly; there is nothing to submit.
  box.append(h('form', { class: 'token-row', onsubmit: (e) => e.preventDefault() },
    h('label', { for: 'token' }, '管理令牌 '), tokenInput, h('span', { class: 'hint' }, ' 只保存在本标签页')), zone);
}

export function initLibrary() {
  for (const id of ['#lib-region', '#lib-level', '#lib-year']) $(id).addEventListener('change', () => renderTable(store.docs));
  store.listeners.add((docs) => {
    renderFilters(docs);
    renderTable(docs);
  });
}

export function onHealth() {
  renderWrites();
  renderTable(store.docs);
}
