/**
 * @module
 * The try-it page served at `/`: plain HTML, CSS and a script (no build step, no external
 * resources), strict enough for a `default-src 'self'` content security policy. It lists the
 * loaded models from `GET /models` and gives each a small form calling its routes. All model
 * output is inserted with `textContent`, never as HTML.
 */

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>leanml serve</title>
<link rel="stylesheet" href="/page.css">
<script src="/page.js" defer></script>
</head>
<body>
<header><h1>leanml serve</h1><p>Try each loaded model. API: <a href="/openapi.json">OpenAPI</a> · <a href="/health">health</a> · <a href="/models">models</a></p></header>
<main id="models"><p id="loading">Loading models…</p></main>
</body>
</html>
`;

export const PAGE_CSS = `
body { font: 15px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; color: #222; }
header p { color: #555; }
section { border: 1px solid #ddd; border-radius: 6px; padding: .5rem 1rem 1rem; margin: 1rem 0; }
h2 { font-size: 1.1rem; } h2 small { font-weight: normal; color: #666; }
form { margin: .5rem 0; display: flex; gap: .5rem; flex-wrap: wrap; align-items: flex-start; }
input[type=text] { width: 16rem; } textarea { width: 30rem; height: 4rem; } input[type=number] { width: 4rem; }
table { border-collapse: collapse; margin-top: .25rem; } td, th { padding: 2px 10px; text-align: left; border-bottom: 1px solid #eee; }
.error { color: #b00020; } .out { min-height: 1rem; }
`;

export const PAGE_JS = `'use strict';
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}
async function call(method, url, body) {
  const res = await fetch(url, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const json = await res.json();
  if (!res.ok) throw new Error(json && json.error ? json.error.code + ': ' + json.error.message : 'HTTP ' + res.status);
  return json;
}
function table(out, head, rows) {
  const t = el('table', {}, el('tr', {}, ...head.map((h) => el('th', {}, h))));
  for (const r of rows) t.append(el('tr', {}, ...r.map((c) => el('td', {}, String(c)))));
  out.replaceChildren(t);
}
function form(id, fields, label, onSubmit) {
  const out = el('div', { class: 'out', id: id + '-out' });
  const f = el('form', { id }, ...fields, el('button', { type: 'submit', id: id + '-go' }, label));
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    out.textContent = '…';
    try { await onSubmit(out); } catch (err) { out.replaceChildren(el('span', { class: 'error' }, err.message)); }
  });
  return [f, out];
}
const lines = (s) => s.split('\\n').map((l) => l.trim()).filter((l) => l.length > 0);
const fmt = (x) => Number(x).toFixed(4);

function vectorsCard(m) {
  const base = '/v1/vectors/' + encodeURIComponent(m.name);
  const id = 'm-' + m.name;
  const word = el('input', { type: 'text', id: id + '-word', placeholder: 'a word', required: '' });
  const k = el('input', { type: 'number', id: id + '-k', value: '10', min: '1' });
  const sec = el('section', { id }, el('h2', {}, m.name + ' ', el('small', {}, 'word vectors, dim ' + m.dim + (m.supervised ? ', supervised' : ''))));
  sec.append(...form(id + '-nn', [word, k], 'Neighbours', async (out) => {
    const r = await call('POST', base + '/nn', { words: [word.value], k: Number(k.value) });
    table(out, ['neighbour', 'cosine'], r.results[0].neighbors.map((n) => [n.word, fmt(n.score)]));
  }));
  const a = el('input', { type: 'text', id: id + '-analogy', placeholder: 'a b c  (a − b + c: king man woman)' });
  sec.append(...form(id + '-an', [a], 'Analogy', async (out) => {
    const q = a.value.trim().split(/\\s+/);
    if (q.length !== 3) throw new Error('type three words: a b c');
    const r = await call('POST', base + '/analogies', { queries: [q], k: 10 });
    table(out, ['word', 'cosine'], r.results[0].neighbors.map((n) => [n.word, fmt(n.score)]));
  }));
  if (m.supervised) {
    const text = el('textarea', { id: id + '-text', placeholder: 'one text per line' });
    sec.append(...form(id + '-predict', [text], 'Predict', async (out) => {
      const texts = lines(text.value);
      if (texts.length === 0) throw new Error('type some text');
      const r = await call('POST', base + '/predict', { texts, k: 3 });
      table(out, ['text', 'labels'], r.predictions.map((p, i) => [texts[i], p.map((l) => l.label + ' ' + fmt(l.prob)).join(', ')]));
    }));
  }
  return sec;
}

function linearCard(m) {
  const id = 'm-' + m.name;
  const text = el('textarea', { id: id + '-text', placeholder: 'one text per line' });
  const sec = el('section', { id }, el('h2', {}, m.name + ' ', el('small', {}, 'linear classifier, labels: ' + m.labels.join(', '))));
  sec.append(...form(id + '-predict', [text], 'Predict', async (out) => {
    const texts = lines(text.value);
    if (texts.length === 0) throw new Error('type some text');
    const r = await call('POST', '/v1/linear/' + encodeURIComponent(m.name) + '/predict', { texts });
    table(out, ['text', 'label', 'score'], r.predictions.map((p, i) => [texts[i], p.label, fmt(p.score)]));
  }));
  return sec;
}

function speakerCard(m) {
  const id = 'm-' + m.name;
  const file = el('input', { type: 'file', id: id + '-file', accept: 'audio/*' });
  const sec = el('section', { id }, el('h2', {}, m.name + ' ', el('small', {}, 'speaker detector')));
  sec.append(...form(id + '-detect', [file], 'Detect', async (out) => {
    if (!file.files || file.files.length === 0) throw new Error('choose an audio file');
    const res = await fetch('/v1/speaker/' + encodeURIComponent(m.name) + '/detect', { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: file.files[0] });
    const json = await res.json();
    if (!res.ok) throw new Error(json.error.code + ': ' + json.error.message);
    table(out, ['start (s)', 'end (s)', 'score'], json.segments.map((s) => [s.start.toFixed(2), s.end.toFixed(2), fmt(s.score)]));
  }));
  return sec;
}

async function main() {
  const root = document.getElementById('models');
  try {
    const { models } = await call('GET', '/models');
    const cards = models.map((m) => (m.kind === 'vectors' ? vectorsCard(m) : m.kind === 'linear' ? linearCard(m) : speakerCard(m)));
    root.replaceChildren(...(cards.length ? cards : [el('p', {}, 'No models loaded.')]));
  } catch (err) {
    root.replaceChildren(el('p', { class: 'error' }, 'Could not list models: ' + err.message));
  }
}
main();
`;
