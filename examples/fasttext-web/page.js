// The demo page's script: language identification with a .ftz fetched whole, neighbours from a
// compact store read by HTTP range requests, and a count of the bytes each one fetched.
import { openModelBytes, openRemoteStore } from './leanml-fasttext-web.js';

const params = new URLSearchParams(location.search);
const FTZ = params.get('ftz') ?? 'lid.176.ftz';
const STORE = new URL(params.get('store') ?? 'store.ivf', location.href).href;
const STORE_NAME = params.get('store') ?? 'store.ivf';
const $ = (id) => document.getElementById(id);
const mb = (n) => `${(n / 1e6).toFixed(n < 1e7 ? 2 : 1)} MB`;
const esc = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const result = { lid: null, nn: null, errors: [] };
window.leanmlDemo = result;

$('lid-text').value =
  params.get('text') ??
  [
    'The quick brown fox jumps over the lazy dog.',
    'Le renard brun saute par-dessus le chien paresseux.',
    'Der schnelle braune Fuchs springt über den faulen Hund.',
    'El rápido zorro marrón salta sobre el perro perezoso.',
    'Быстрая коричневая лиса прыгает через ленивую собаку.',
    'すばやい茶色の狐がのろまな犬を飛び越える。',
  ].join('\n');
$('nn-word').value = params.get('word') ?? 'freedomz';
if (params.get('nprobe')) $('nn-nprobe').value = params.get('nprobe');

function fail(where, err) {
  result.errors.push(`${where}: ${err.message}`);
  $(`${where}-out`).innerHTML = `<p class="err">${esc(err.message)}</p>`;
}

let lid = null;
async function identify() {
  try {
    if (!lid) {
      const t0 = performance.now();
      const bytes = await (await fetch(FTZ)).arrayBuffer();
      lid = openModelBytes(bytes, FTZ);
      $('lid-model').textContent = `(${FTZ}, ${mb(bytes.byteLength)}, ${lid.nlabels} labels, loaded in ${Math.round(performance.now() - t0)} ms)`;
    }
    const lines = $('lid-text')
      .value.split('\n')
      .filter((l) => l.trim());
    const t0 = performance.now();
    const preds = lines.map((l) => ({ text: l, top: lid.predict(l, 1)[0] ?? { label: '?', prob: 0 } }));
    const ms = performance.now() - t0;
    result.lid = preds.map((p) => ({ text: p.text, label: p.top.label.replace('__label__', ''), prob: p.top.prob }));
    $('lid-out').innerHTML = `<table><tr><th>language</th><th>p</th><th>text</th></tr>${result.lid
      .map((p) => `<tr><td><b>${esc(p.label)}</b></td><td class="num">${p.prob.toFixed(3)}</td><td>${esc(p.text)}</td></tr>`)
      .join('')}</table><p class="sub">${lines.length} lines in ${ms.toFixed(1)} ms</p>`;
  } catch (err) {
    fail('lid', err);
  }
}

let store = null;
async function neighbours() {
  try {
    if (!store) {
      store = await openRemoteStore(STORE);
      const h = store.header;
      $('nn-store').innerHTML =
        `<p class="sub">${esc(STORE_NAME)}: ${mb(store.stats.size)}, ${h.nwords.toLocaleString()} words, dim ${h.args.dim}, ${h.dtype}${h.index ? `, ${h.index.lists} lists` : ', no index (search reads every row)'}</p>`;
    }
    store.nprobe = Number($('nn-nprobe').value);
    const word = $('nn-word').value.trim();
    const k = Number($('nn-k').value);
    const before = { ...store.stats };
    const t0 = performance.now();
    const known = (await store.id(word)) >= 0;
    const nn = await store.nearestNeighbors(word, k);
    const ms = performance.now() - t0;
    const s = store.stats;
    const fetched = s.bytesFetched - before.bytesFetched;
    result.nn = {
      word,
      known,
      neighbours: nn.map((n) => ({ word: n.word, score: n.score })),
      fetched,
      requests: s.requests - before.requests,
      total: s.bytesFetched,
      size: s.size,
    };
    $('nn-out').innerHTML =
      `<p>${esc(word)} is ${known ? 'in the vocabulary' : '<b>not in the vocabulary</b>: its vector is the mean of its character n-gram rows'}</p><table><tr><th>neighbour</th><th>cosine</th></tr>${nn
        .map((n) => `<tr><td>${esc(n.word)}</td><td class="num">${n.score.toFixed(4)}</td></tr>`)
        .join('')}</table>`;
    $('nn-meter').innerHTML =
      `this query: <b>${mb(fetched)}</b> in ${result.nn.requests} range requests, ${ms.toFixed(0)} ms &middot; since opening: <b>${mb(s.bytesFetched)}</b> of ${mb(s.size)} (<b>${((100 * s.bytesFetched) / s.size).toFixed(2)}%</b>) in ${s.requests} requests`;
  } catch (err) {
    fail('nn', err);
  }
}

$('lid-go').addEventListener('click', identify);
$('nn-go').addEventListener('click', neighbours);
if (params.get('auto') !== '0') {
  await identify();
  await neighbours();
}
document.body.dataset.state = 'done';
