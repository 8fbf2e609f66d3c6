// The URL is the page's state, so a copied link reproduces what is on screen:
//   view=ask|timeline|library
//   q (the question), h (earlier questions of the conversation, repeatable)
//   region, level (repeatable), from, to (year range)                -- the filters
//   metric, place (+ from, to)                                        -- the timeline
//   doc, start, end, page                                             -- the open citation in the reader

export const store = {
  docs: [],               // GET /documents
  health: null,           // GET /health
  listeners: new Set(),   // called when docs change (upload/delete)
  setDocs(docs) {
    this.docs = docs;
    for (const fn of this.listeners) fn(docs);
  },
};

export const params = () => new URLSearchParams(location.search);

export function urlWith(change) {
  const p = params();
  change(p);
  const qs = p.toString();
  return qs ? `?${qs}` : location.pathname;
}

export function navigate(change, { push = false } = {}) {
  const url = urlWith(change);
  if (url === location.search || (url === location.pathname && !location.search)) return;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

export function setMany(p, key, values) {
  p.delete(key);
  for (const v of values) p.append(key, v);
}

export function setOrDelete(p, key, value) {
  if (value === null || value === undefined || value === '') p.delete(key);
  else p.set(key, value);
}

export const intParam = (p, key) => {
  const n = Number.parseInt(p.get(key) || '', 10);
  return Number.isFinite(n) ? n : null;
};

// A link that opens `citation` in the reader, on top of the current view.
export function readHref(citation) {
  return urlWith((p) => {
    p.set('doc', citation.doc_id);
    p.set('start', citation.start);
    p.set('end', citation.end);
    setOrDelete(p, 'page', citation.page);
  });
}
