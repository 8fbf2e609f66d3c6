// Boot: wait for the server to be ready, load the report list, then follow the URL.

import { api } from './api.js';
import { askFromUrl, initAsk } from './ask.js';
import { $ } from './dom.js';
import { initFilters, render as renderFilters } from './filters.js';
import { initLibrary, onHealth, reloadDocs } from './library.js';
import { initReader, syncReader } from './reader.js';
import { navigate, params, store } from './state.js';
import { initTimeline, timelineFromUrl } from './timeline.js';

const VIEWS = ['ask', 'timeline', 'library'];

function showView(view) {
  if (!VIEWS.includes(view)) view = 'ask';
  for (const v of VIEWS) $(`#view-${v}`).hidden = v !== view;
  for (const link of document.querySelectorAll('nav [data-nav]')) {
    if (link.dataset.nav === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.body.dataset.view = view;
  return view;
}

function banner(message) {
  const el = $('#banner');
  el.hidden = !message;
  el.textContent = message || '';
}

async function waitForServer() {
  for (let delay = 1000; ; delay = Math.min(delay * 1.5, 5000)) {
    let health;
    try {
      health = await api.health();
    } catch {
      health = { status: 'unreachable' };
    }
    store.health = health;
    if (health.status === 'ok') {
      banner(health.warning || '');
      return health;
    }
    banner(health.status === 'error' ? `服务器无法提供检索：${health.message || ''}`
      : health.status === 'indexing' ? '服务器正在加载模型和索引，稍候即可提问…' : '无法连接服务器，正在重试…');
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

function bindNav() {
  for (const link of document.querySelectorAll('[data-nav]')) {
    link.addEventListener('click', (e) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey) return;
      e.preventDefault();
      const view = link.dataset.nav;
      navigate((p) => {
        p.set('view', view);
        for (const k of ['doc', 'start', 'end', 'page']) p.delete(k);
      }, { push: true });
      showView(view);
      syncReader();
      $(`#view-${view} h1`)?.focus?.();
    });
  }
}

async function boot() {
  initReader();
  initFilters();
  initAsk();
  initTimeline();
  initLibrary();
  bindNav();
  const view = showView(params().get('view') || 'ask');
  window.addEventListener('popstate', () => {
    showView(params().get('view') || 'ask');
    renderFilters();
    syncReader();
  });
  await waitForServer();
  onHealth();
  try {
    await reloadDocs();
  } catch (err) {
    banner(`无法读取报告列表：${err.message}`);
  }
  syncReader();
  if (view === 'timeline') timelineFromUrl();
  else if (view === 'ask') askFromUrl();
  if (view === 'ask' && !params().get('doc')) $('#question').focus();
  document.body.dataset.ready = 'true';
}

boot();
