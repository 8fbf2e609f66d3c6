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

const MAX_YEARS = 50; // the API's limits on `filters.years` and `filters.doc_ids`
const MAX_DOC_IDS = 200;

// The page's filter selection -> POST /ask `filters`. The one place that knows what the API supports:
// today {doc_ids, regions, years}. A level becomes the doc_ids of that level's reports and a year range
// becomes a list of years; when the API takes `levels` / `year_from`+`year_to`, send those here instead.
// Returns {filters, impossible, note}: `impossible` when no report matches (an empty doc_ids would mean
// "no restriction"), `note` when part of the selection could not be sent.
export function apiFilters(sel, docs) {
  const filters = {};
  let note = '';
  if (sel.regions.length) filters.regions = [...sel.regions];
  if (sel.from || sel.to) {
    const known = docs.map((d) => d.year).filter(Boolean);
    const lo = sel.from || Math.min(...known, sel.to);
    const hi = sel.to || Math.max(...known, sel.from);
    filters.years = [];
    for (let y = Math.min(lo, hi); y <= Math.max(lo, hi) && filters.years.length < MAX_YEARS; y++) filters.years.push(y);
  }
  if (sel.levels.length) {
    const ids = docs.filter((d) => sel.levels.includes(d.level)).map((d) => d.doc_id);
    if (!ids.length) return { filters: undefined, impossible: true, note };
    if (ids.length <= MAX_DOC_IDS) filters.doc_ids = ids;
    else note = `级别筛选未生效：该级别有 ${ids.length} 份报告，超过了接口一次能限定的 ${MAX_DOC_IDS} 份。`;
  }
  return { filters: Object.keys(filters).length ? filters : undefined, impossible: false, note };
}
