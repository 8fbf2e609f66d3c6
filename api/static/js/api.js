// The HTTP API, as the page uses it. Errors arrive as {"error": {"code", "message"}}; ApiError carries them.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function fail(resp) {
  let code = 'http_' + resp.status;
  let message = `${resp.status} ${resp.statusText}`;
  try {
    const body = await resp.json();
    if (body && body.error) ({ code, message } = body.error);
  } catch { /* not JSON: keep the status line */ }
  return new ApiError(resp.status, code, message);
}

async function json(url, init) {
  let resp;
  try {
    resp = await fetch(url, init);
  } catch (err) {
    throw new ApiError(0, 'network', `无法连接服务器：${err.message}`);
  }
  if (!resp.ok) throw await fail(resp);
  return resp.json();
}

const texts = new Map();

export const api = {
  health: () => fetch('/health').then((r) => r.json()),
  documents: () => json('/documents'),
  ask: (payload) => json('/ask', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload),
  }),
  timeline: (params) => json('/timeline?' + new URLSearchParams(params)),

  // A report's text, fetched once per page load (citations index into exactly this string).
  text(docId) {
    if (!texts.has(docId)) {
      texts.set(docId, fetch(`/documents/${encodeURIComponent(docId)}/text`).then(async (r) => {
        if (!r.ok) { texts.delete(docId); throw await fail(r); }
        return r.text();
      }));
    }
    return texts.get(docId);
  },
  forget(docId) { texts.delete(docId); },

  // XHR rather than fetch: only XHR reports upload progress.
  upload(file, token, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', '/documents');
      xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      xhr.responseType = 'json';
      xhr.upload.onprogress = (e) => onProgress({ phase: 'upload', loaded: e.loaded, total: e.lengthComputable ? e.total : 0 });
      xhr.upload.onload = () => onProgress({ phase: 'indexing' });
      xhr.onerror = () => reject(new ApiError(0, 'network', '上传失败：无法连接服务器'));
      xhr.onload = () => {
        const body = xhr.response || {};
        if (xhr.status >= 200 && xhr.status < 300) resolve(body);
        else reject(new ApiError(xhr.status, body.error?.code || 'http_' + xhr.status, body.error?.message || xhr.statusText));
      };
      const form = new FormData();
      form.append('file', file, file.name);
      xhr.send(form);
    });
  },
  remove: (docId, token) => json(`/documents/${encodeURIComponent(docId)}`, {
    method: 'DELETE', headers: { Authorization: `Bearer ${token}` },
  }),
};

// The page's filter selection -> POST /ask `filters` ({regions, levels, year_from, year_to}). A selection no
// indexed report matches is caught here (`impossible`), so the page can say so before asking; the API
// would answer 404 `no_match` naming what is indexed.
export function apiFilters(sel, docs) {
  const filters = {};
  if (sel.regions.length) filters.regions = [...sel.regions];
  if (sel.levels.length) filters.levels = [...sel.levels];
  if (sel.from) filters.year_from = sel.from;
  if (sel.to) filters.year_to = sel.to;
  const matches = docs.some((d) => (!sel.levels.length || sel.levels.includes(d.level))
    && (!sel.from || (d.year && d.year >= sel.from)) && (!sel.to || (d.year && d.year <= sel.to)));
  const impossible = Object.keys(filters).length > 0 && docs.length > 0 && !matches;
  return { filters: Object.keys(filters).length ? filters : undefined, impossible, note: '' };
}
