// The ask view: the conversation, answers with [n] markers, a confidence indicator and source cards.

import { api, apiFilters } from './api.js';
import { $, clear, h, highlightTerms, questionTerms } from './dom.js';
import { selection } from './filters.js';
import { openCitation } from './reader.js';
import { navigate, params, readHref, setMany, store } from './state.js';

const MAX_HISTORY = 10;
const turns = []; // {question, answer} of answered turns, oldest first: the API's `history`
let pending = null;

function citeLink(passage, label, className, ariaLabel) {
  const link = h('a', { href: readHref(passage.citation), class: className, 'aria-label': ariaLabel }, label);
  link.addEventListener('click', (e) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return; // let "open in new tab" work
    e.preventDefault();
    openCitation(passage.citation, { trigger: link });
  });
  return link;
}

// "…增长3.9%。[1]…[2]" -> text with each [n] a link to passage n.
function answerText(answer, passages) {
  const p = h('p', { class: 'answer-text' });
  for (const part of answer.split(/(\[\d+\])/)) {
    const n = /^\[(\d+)\]$/.exec(part);
    const passage = n && passages.find((x) => x.rank === Number(n[1]));
    if (passage) p.append(citeLink(passage, part, 'cite', `来源 ${n[1]}：${passage.citation.title}，在原文中查看`));
    else if (part) p.append(part);
  }
  return p;
}

function confidence(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null; // the API doesn't send it (yet)
  const pct = Math.round(Math.max(0, Math.min(1, value)) * 100);
  const word = value >= 0.7 ? '高' : value >= 0.4 ? '中' : '低';
  return h('p', { class: `confidence c-${word === '高' ? 'high' : word === '中' ? 'mid' : 'low'}` },
    h('span', {}, `置信度：${word}`),
    h('meter', { min: 0, max: 100, low: 40, high: 70, optimum: 100, value: pct, 'aria-label': `置信度 ${pct}%` }),
    h('span', { class: 'pct' }, `${pct}%`));
}

function sourceCard(passage, terms) {
  const c = passage.citation;
  return h('li', { class: 'source' },
    citeLink(passage, [
      h('span', { class: 'card-head' }, h('span', { class: 'n' }, `[${passage.rank}]`), ' ', h('strong', {}, c.title),
        c.section ? h('span', { class: 'section' }, ` · ${c.section}`) : null,
        c.page ? h('span', { class: 'section' }, ` · 第 ${c.page} 页`) : null),
      h('span', { class: 'snippet' }, highlightTerms(passage.text, terms)),
    ], 'card', null));
}

function renderAnswer(li, data) {
  const terms = questionTerms(data.rewritten_question || data.question);
  const parts = [];
  if (data.rewritten_question && data.rewritten_question !== data.question) {
    parts.push(h('p', { class: 'rewritten' }, `理解为：${data.rewritten_question}`));
  }
  if (data.answerable) {
    parts.push(h('div', { class: 'answer' }, answerText(data.answer, data.passages), confidence(data.confidence)));
  } else {
    parts.push(h('div', { class: 'answer unanswerable', role: 'note' },
      h('p', { class: 'verdict' }, '已索引的报告无法回答这个问题。'),
      h('p', { class: 'reason' }, data.answer),
      confidence(data.confidence)));
  }
  for (const warning of data.warnings || []) parts.push(h('p', { class: 'warning' }, warning));
  if (data.passages.length) {
    parts.push(h('h3', { class: 'sources-h' }, data.answerable ? '来源' : '可能相关'),
      h('ol', { class: 'sources' }, data.passages.map((p) => sourceCard(p, terms))));
  }
  parts.push(h('p', { class: 'took' }, `${(data.took_ms / 1000).toFixed(2)} 秒 · ${data.retrieval === 'hybrid' ? '语义+关键词检索' : '仅关键词检索'}`));
  li.querySelector('.pending')?.remove();
  li.append(...parts);
  li.classList.add('done');
}

function turnItem(question) {
  return h('li', { class: 'turn' }, h('p', { class: 'q' }, h('span', { class: 'who', 'aria-hidden': 'true' }, '问'), question),
    h('p', { class: 'pending', role: 'status' }, '正在检索报告…'));
}

export async function ask(question, { earlier = null } = {}) {
  question = question.trim();
  if (!question || pending) return;
  const list = $('#conversation');
  if (earlier) { // a shared link: its earlier questions become the history, answers unknown
    turns.splice(0, turns.length, ...earlier.map((q) => ({ question: q, answer: '' })));
    for (const q of earlier) list.append(h('li', { class: 'turn earlier' }, h('p', { class: 'q' }, h('span', { class: 'who' }, '问'), q)));
  }
  const history = turns.slice(-MAX_HISTORY);
  navigate((p) => {
    p.set('view', 'ask');
    p.set('q', question);
    setMany(p, 'h', history.map((t) => t.question));
  }, { push: !earlier && params().get('q') !== question });
  const li = turnItem(question);
  list.append(li);
  li.scrollIntoView({ block: 'nearest' });
  const { filters, impossible, note } = apiFilters(selection(), store.docs);
  pending = li;
  try {
    if (impossible) {
      li.querySelector('.pending').remove();
      li.append(h('p', { class: 'error', role: 'alert' }, '没有报告同时符合这些筛选条件；请移除一个筛选后再问。'));
      return;
    }
    const data = await api.ask({ question, top_k: 5, filters, history: history.length ? history : undefined });
    renderAnswer(li, data);
    if (note) li.querySelector('.answer')?.after(h('p', { class: 'warning' }, note));
    turns.push({ question, answer: data.answer });
  } catch (err) {
    li.querySelector('.pending')?.remove();
    li.append(h('p', { class: 'error', role: 'alert' }, `出错了：${err.message}`));
  } finally {
    pending = null;
  }
}

export function newConversation() {
  turns.length = 0;
  clear($('#conversation'));
  navigate((p) => { p.delete('q'); p.delete('h'); }, { push: true });
  $('#question').value = '';
  $('#question').focus();
}

export function initAsk() {
  $('#ask-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $('#question');
    const question = input.value;
    if (!question.trim()) return;
    input.value = '';
    ask(question);
  });
  $('#new-chat').addEventListener('click', newConversation);
}

// On load: a link with ?q=… re-runs its search (with ?h=… as the conversation so far).
export function askFromUrl() {
  const p = params();
  const q = p.get('q');
  if (q) ask(q, { earlier: p.getAll('h') });
}
