// Tiny DOM helpers. Text always goes in as text nodes, never as HTML, so report text cannot inject markup.

export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

function build(el, attrs, children) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.setAttribute('class', value);
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

export const $ = (selector, root = document) => root.querySelector(selector);

export function clear(el) {
  el.replaceChildren();
  return el;
}

// Question words that match everywhere and would light up every snippet.
const STOP = new Set(['多少', '什么', '哪些', '怎么', '如何', '是否', '情况', '有哪', '哪个', '几个', '了多', '是多', '有多',
  '多大', '请问', '一下', '那么', '那个', '这个', '方面', '怎样', '为什么', '有没有', '是什么']);
const MAX_TERM = 12;

// The question's terms, without a tokenizer: a number (with its unit: 2020年, 3.9%) is one term; a run of
// Chinese or Latin letters gives every 2..12-character piece. highlightTerms() marks the longest piece
// found at each position of a snippet.
export function questionTerms(question) {
  const terms = new Set();
  const runs = String(question || '').match(/\d+(?:\.\d+)?[年月日%个家项]?|[^\d\s\p{P}\p{S}]+/gu) || [];
  for (const run of runs) {
    if (/^\d/.test(run)) {
      terms.add(run);
      terms.add(run.replace(/\D+$/, ''));
      continue;
    }
    const chars = Array.from(run);
    for (let i = 0; i < chars.length; i++) {
      for (let len = 2; len <= Math.min(MAX_TERM, chars.length - i); len++) {
        const term = chars.slice(i, i + len).join('');
        if (!STOP.has(term)) terms.add(term);
      }
    }
  }
  return terms;
}

export function highlightTerms(text, terms) {
  const frag = document.createDocumentFragment();
  const chars = Array.from(text);
  let plain = '';
  for (let i = 0; i < chars.length;) {
    let found = 0;
    for (let len = Math.min(MAX_TERM, chars.length - i); len >= 2; len--) {
      if (terms.has(chars.slice(i, i + len).join(''))) { found = len; break; }
    }
    if (found) {
      if (plain) frag.append(plain);
      plain = '';
      frag.append(h('mark', { class: 'term' }, chars.slice(i, i + found).join('')));
      i += found;
    } else {
      plain += chars[i];
      i += 1;
    }
  }
  if (plain) frag.append(plain);
  return frag;
}

const LEVELS = { national: '国家级', province: '省级', city: '市级', district: '区县级', county: '区县级' };
export const levelLabel = (level) => LEVELS[level] || level || '未知';
