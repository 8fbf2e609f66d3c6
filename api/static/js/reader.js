// The reader: a report's full text scrolled to a cited span, the span highlighted.

import { api } from './api.js';
import { $, clear, h } from './dom.js';
import { intParam, navigate, params, readHref, store } from './state.js';

// Citation offsets are Python str offsets, i.e. Unicode code points; JS strings index UTF-16 code
// units, where a character outside the BMP (𠮷, emoji) takes two. Walk the string counting code points.
export function codePointToIndex(text, codePoints, from = { cp: 0, index: 0 }) {
  let { cp, index } = from;
  while (cp < codePoints && index < text.length) {
    const unit = text.charCodeAt(index);
    const pair = unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length;
    index += pair ? 2 : 1;
    cp += 1;
  }
  return index;
}

export function spanToIndices(text, start, end) {
  const a = codePointToIndex(text, start);
  return [a, codePointToIndex(text, end, { cp: start, index: a })];
}

// Extracted reports carry runs of empty lines; show at most one (display only: offsets were applied already).
const readable = (text) => text.replace(/\n[^\S\n]*\n(?:[^\S\n]*\n)+/g, '\n\n');

let returnFocus = null;
let openedByPush = false;
let current = '';

// Open the reader on a citation; `push` adds a history entry, so Back closes it again.
export function openCitation(citation, { push = true, trigger = null } = {}) {
  returnFocus = trigger || document.activeElement;
  openedByPush = push;
  navigate((p) => {
    p.set('doc', citation.doc_id);
    p.set('start', citation.start);
    p.set('end', citation.end);
    if (citation.page) p.set('page', citation.page); else p.delete('page');
  }, { push });
  return show(citation);
}

// Follow the URL: open the reader if it names a citation, close it otherwise.
export function syncReader() {
  const p = params();
  const doc = p.get('doc');
  const start = intParam(p, 'start');
  const end = intParam(p, 'end');
  if (doc && start !== null && end !== null) return show({ doc_id: doc, start, end, page: intParam(p, 'page') });
  hide();
  return Promise.resolve();
}

async function show(citation) {
  const key = `${citation.doc_id}:${citation.start}:${citation.end}`;
  const reader = $('#reader');
  reader.hidden = false;
  document.body.classList.add('reading');
  if (key === current) return;
  current = key;
  const info = store.docs.find((d) => d.doc_id === citation.doc_id);
  $('#reader-title').textContent = citation.title || info?.title || citation.doc_id;
  renderMeta(citation, info);
  const box = clear($('#reader-text'));
  box.append(h('p', { class: 'loading' }, '正在打开原文…'));
  let text;
  try {
    text = await api.text(citation.doc_id);
  } catch (err) {
    clear(box).append(h('p', { class: 'error', role: 'alert' }, `无法打开原文：${err.message}`));
    return;
  }
  if (current !== key) return; // another citation was opened meanwhile
  const [a, b] = spanToIndices(text, citation.start, citation.end);
  const mark = h('mark', { class: 'cited', id: 'cited', tabindex: '-1' }, readable(text.slice(a, b)));
  clear(box).append(readable(text.slice(0, a)), mark, readable(text.slice(b)));
  $('#reader-title').focus({ preventScroll: true });
  mark.scrollIntoView({ block: 'center' });
}

function renderMeta(citation, info) {
  const meta = clear($('#reader-meta'));
  const bits = [];
  if (citation.section) bits.push(citation.section);
  else if (info) bits.push([info.region, info.year && `${info.year}年`].filter(Boolean).join(' · '));
  meta.append(bits.join(' · '));
  if (citation.page) {
    meta.append(' · ', `第 ${citation.page} 页 `,
      h('a', { href: `/documents/${encodeURIComponent(citation.doc_id)}/file#page=${citation.page}`, target: '_blank',
        rel: 'noopener' }, '打开原始文件'));
  }
  meta.append(' · ', h('a', { href: readHref(citation), class: 'permalink' }, '本段链接'));
}

function hide() {
  current = '';
  $('#reader').hidden = true;
  document.body.classList.remove('reading');
}

// The Back button and Esc: step back through history if we added the entry, else just drop the params.
export function closeReader() {
  if ($('#reader').hidden) return;
  if (openedByPush) {
    openedByPush = false;
    history.back(); // popstate -> syncReader() -> hide()
  } else {
    navigate((p) => ['doc', 'start', 'end', 'page'].forEach((k) => p.delete(k)));
    hide();
  }
  if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
}

export function initReader() {
  $('#reader-back').addEventListener('click', closeReader);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !$('#reader').hidden) closeReader();
  });
}
