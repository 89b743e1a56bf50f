/**
 * @module
 * The HTML report of a detection: one self-contained page (wavesurfer.js and its regions,
 * timeline, zoom and minimap plugins inlined; nothing fetched from elsewhere) with an overview
 * of the whole recording, the score curve and threshold over the detected segments, a
 * loudness strip with the segments as regions and a time axis in m:ss (h:mm:ss past an hour)
 * below it, zoom (slider, buttons, wheel) and scroll, a list of the segments that plays each
 * one, and the segments for download as Audacity labels, RTTM, CSV and JSON.
 *
 * The waveform strip is drawn from the loudness envelope detection computed anyway (mean mel
 * power per 46 ms column), so the browser never decodes the recording: a two-hour file opens
 * at once and the page stays a few megabytes. The audio is referenced by a path relative to
 * the report (or embedded, for short files, with `embedAudio`).
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LimitError } from '../core/errors.js';
import type { DetectResult } from './detect.js';
import { toAudacity, toCsv, toJson, toRttm } from './formats.js';

/** Options of `renderReport` / `writeReport`. */
export interface ReportOptions {
  /** The recording, as a path the page can reach (made relative to the report), or null. */
  audioPath: string | null;
  title?: string;
  /** Points of the score curve and loudness strip at most (columns are averaged in buckets). Default 60,000. */
  maxPoints?: number;
  /** Put the audio inside the page (base64) instead of referencing the file. Default false. */
  embedAudio?: boolean;
}

/** Defaults of the report. */
export const DEFAULT_REPORT = Object.freeze({
  maxPoints: 60_000,
  /** Largest recording `embedAudio` accepts: base64 makes it a third larger, and a browser holds the page in memory. */
  maxEmbedBytes: 25 * 1024 * 1024,
});

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON safe inside a <script> element. */
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');

/** `m:ss` under an hour, `h:mm:ss` from an hour on; `digits` decimals on the seconds. */
export function formatClock(seconds: number, digits = 0): string {
  const p = 10 ** digits;
  const t = Math.round(Math.max(0, seconds) * p) / p; // rounded first, so 59.96 s reads 1:00.0
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = (t % 60).toFixed(digits).padStart(digits > 0 ? digits + 3 : 2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * The score curve (mean over the gated columns of each bucket, null where none) and the
 * loudness envelope (amplitude, 0..1, scaled to the 99.5th percentile) in buckets of `step` columns.
 */
function series(r: DetectResult, maxPoints: number): { step: number; scores: (number | null)[]; peaks: number[] } {
  const T = r.scores.length;
  const step = Math.max(1, Math.ceil(T / maxPoints));
  const scores: (number | null)[] = [];
  const amp: number[] = [];
  for (let a = 0; a < T; a += step) {
    let sum = 0,
      k = 0,
      pow = 0;
    const b = Math.min(T, a + step);
    for (let c = a; c < b; c++) {
      if (!Number.isNaN(r.scores[c]!) && r.gate[c]) {
        sum += r.scores[c]!;
        k++;
      }
      pow += r.level?.[c] ?? 0;
    }
    scores.push(k > 0 ? Math.round((sum / k) * 1000) / 1000 : null);
    amp.push(Math.sqrt(pow / (b - a)));
  }
  const sorted = Float64Array.from(amp).sort();
  const ref = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.995))] || 1;
  return { step, scores, peaks: amp.map((v) => Math.round(Math.min(1, v / ref) * 1000) / 1000) };
}

let bundle: string | null = null;
/** wavesurfer.js and the plugins the page uses, with their licence, as one script. */
function wavesurferBundle(): string {
  if (bundle) return bundle;
  const dist = dirname(createRequire(import.meta.url).resolve('wavesurfer.js'));
  const pkg = JSON.parse(readFileSync(join(dist, '..', 'package.json'), 'utf8')) as { version: string };
  const licence = readFileSync(join(dist, '..', 'LICENSE'), 'utf8').replace(/\*\//g, '* /');
  const files = ['wavesurfer.min.js', 'plugins/regions.min.js', 'plugins/timeline.min.js', 'plugins/zoom.min.js', 'plugins/minimap.min.js'];
  const code = files.map((f) => readFileSync(join(dist, f), 'utf8').replace(/<\/script/gi, '<\\/script')).join('\n');
  bundle = `/* wavesurfer.js ${pkg.version} (regions, timeline, zoom, minimap plugins)\n${licence}*/\n${code}`;
  return bundle;
}

const MIME: Record<string, string> = {
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.flac': 'audio/flac',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.webm': 'audio/webm',
};

/** The report page for `r`. `src` is the audio's URL (relative path, file: or data: URL) or null for none. */
export function renderReport(r: DetectResult, src: string | null, opts: Omit<ReportOptions, 'audioPath' | 'embedAudio'> = {}): string {
  const { step, scores, peaks } = series(r, opts.maxPoints ?? DEFAULT_REPORT.maxPoints);
  const title = opts.title ?? 'speaker detection';
  const uri = title.replace(/\.[^.]*$/, '') || 'recording';
  const data = {
    duration: r.duration,
    threshold: r.threshold,
    pointSeconds: step * r.columnSeconds,
    scores,
    peaks,
    segments: r.segments.map((s) => ({ start: +s.start.toFixed(3), end: +s.end.toFixed(3), score: +s.score.toFixed(3) })),
    exports: {
      audacity: { name: `${uri}.labels.txt`, type: 'text/plain', text: toAudacity(r) },
      rttm: { name: `${uri}.rttm`, type: 'text/plain', text: toRttm(r, uri) },
      csv: { name: `${uri}.csv`, type: 'text/csv', text: toCsv(r) },
      json: { name: `${uri}.json`, type: 'application/json', text: toJson(r) },
    },
    hasAudio: src !== null,
  };
  const total = r.segments.reduce((a, s) => a + s.end - s.start, 0);
  const pct = r.duration > 0 ? (100 * total) / r.duration : 0;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} — leanml speaker report</title>
<style>
body{font:14px system-ui,sans-serif;margin:1.2em 1.5em;color:#222}
h1{font-size:1.35em;margin:0 0 .3em}
#summary{margin:.2em 0 .8em;color:#444}
.bar{display:flex;flex-wrap:wrap;gap:.5em;align-items:center;margin:.4em 0}
.bar button,.bar a{font:inherit;padding:2px 9px;border:1px solid #bbb;border-radius:4px;background:#f6f6f6;color:#222;text-decoration:none;cursor:pointer}
.bar button:hover,.bar a:hover{background:#e8eefc}
#clock{font-variant-numeric:tabular-nums;min-width:11em}
#overview{border:1px solid #ddd;margin:.3em 0}
.label{font-size:12px;color:#666;margin:.5em 0 .15em}
#lane{position:relative;overflow:hidden;height:150px;border:1px solid #ccc;border-bottom:none;background:#fafafa}
#lane svg{position:absolute;left:0;top:0;height:100%;display:block}
#lane .seg{fill:#2a7ae2;fill-opacity:.22;cursor:pointer}#lane .seg:hover,#lane .seg.on{fill-opacity:.5}
#lane .curve{fill:none;stroke:#222;stroke-width:1.2px;vector-effect:non-scaling-stroke}
#lane .thr{stroke:#d33;stroke-width:1px;stroke-dasharray:5 4;vector-effect:non-scaling-stroke}
#lane .cursor{stroke:#e07b00;stroke-width:1.5px;vector-effect:non-scaling-stroke}
#axis{position:absolute;right:4px;top:2px;font-size:11px;color:#666;text-align:right;pointer-events:none}
#wave{border:1px solid #ccc}
#list{max-height:22em;overflow:auto;margin-top:1em;border:1px solid #eee;display:inline-block}
table{border-collapse:collapse}td,th{padding:2px 12px;text-align:right;border-bottom:1px solid #eee;font-variant-numeric:tabular-nums}
th{position:sticky;top:0;background:#fff}
tr.row{cursor:pointer}tr.row:hover{background:#eef4ff}tr.row.on{background:#d7e5ff}
.note{color:#666;font-size:12px}
</style></head><body>
<h1>${esc(title)}</h1>
<p id="summary">${r.segments.length} segment${r.segments.length === 1 ? '' : 's'} of the target voice, ${formatClock(total)} of ${formatClock(r.duration)} (${pct.toFixed(1)}%); threshold ${r.threshold.toFixed(3)}.</p>
${src ? `<audio id="audio" preload="metadata" src="${esc(src)}"></audio>` : ''}
<div class="bar">
  <button id="play" type="button"${src ? '' : ' disabled'}>Play</button><span id="clock">0:00 / ${formatClock(r.duration)}</span>
  <button id="prev" type="button" title="previous segment">&#9664; segment</button><button id="next" type="button" title="next segment">segment &#9654;</button>
  <span>Zoom</span><button id="zoomOut" type="button" title="zoom out">&minus;</button>
  <input id="zoom" type="range" min="0" max="1000" value="0" aria-label="zoom"><button id="zoomIn" type="button" title="zoom in">+</button><button id="fit" type="button">Whole file</button>
  <span id="scale" class="note"></span>
</div>
<div class="bar"><span>Segments as</span><a data-export="audacity" href="#">Audacity labels</a><a data-export="rttm" href="#">RTTM</a><a data-export="csv" href="#">CSV</a><a data-export="json" href="#">JSON</a></div>
${src ? '' : '<p class="note">No audio to play: the input was read from stdin.</p>'}
<div class="label">Whole recording (drag the window to scroll)</div>
<div id="overview"></div>
<div class="label">Score (black), threshold (red dashed), detected segments (blue); below: loudness and time. Wheel to zoom, click to move, click a segment to play it.</div>
<div id="lane"><svg id="curve" preserveAspectRatio="none"></svg><div id="axis"></div></div>
<div id="wave"></div>
<div id="list"><table><thead><tr><th>#</th><th>start</th><th>end</th><th>length</th><th>score</th></tr></thead><tbody id="rows"></tbody></table></div>
<script id="data" type="application/json">${scriptJson(data)}</script>
<script>${wavesurferBundle()}</script>
<script>
(() => {
  const d = JSON.parse(document.getElementById('data').textContent);
  const NS = 'http://www.w3.org/2000/svg';
  const audio = document.getElementById('audio');
  const clock = (t, digits) => {
    t = Math.max(0, t); digits = digits || 0;
    const p = 10 ** digits; t = Math.round(t * p) / p;
    const h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), s = (t % 60).toFixed(digits).padStart(digits ? digits + 3 : 2, '0');
    return h > 0 ? h + ':' + String(m).padStart(2, '0') + ':' + s : m + ':' + s;
  };
  window.leanmlClock = clock;
  // --- the score lane: an SVG in seconds x score, stretched to the waveform's width
  const lane = document.getElementById('lane'), svg = document.getElementById('curve');
  const vals = d.scores.filter((s) => s !== null);
  let lo = Math.min(d.threshold, 0), hi = Math.max(d.threshold, 1);
  for (const v of vals) { if (v < lo) lo = v; if (v > hi) hi = v; }
  const y = (s) => (1 - (s - lo) / (hi - lo || 1)) * 100;
  svg.setAttribute('viewBox', '0 0 ' + Math.max(d.duration, 1e-6) + ' 100');
  const el = (name, attrs, parent) => { const e = document.createElementNS(NS, name); for (const k in attrs) e.setAttribute(k, attrs[k]); (parent || svg).appendChild(e); return e; };
  d.segments.forEach((s, i) => {
    const r = el('rect', { class: 'seg', 'data-i': i, x: s.start, y: 0, width: Math.max(s.end - s.start, 1e-3), height: 100 });
    el('title', {}, r).textContent = clock(s.start, 1) + '–' + clock(s.end, 1) + ', score ' + s.score.toFixed(3);
  });
  let path = '', pen = false;
  d.scores.forEach((s, k) => {
    if (s === null) { pen = false; return; }
    path += (pen ? 'L' : 'M') + ((k + 0.5) * d.pointSeconds).toFixed(2) + ' ' + y(s).toFixed(2); pen = true;
  });
  el('path', { class: 'curve', d: path });
  el('line', { class: 'thr', x1: 0, x2: d.duration, y1: y(d.threshold), y2: y(d.threshold) });
  const cursor = el('line', { class: 'cursor', x1: 0, x2: 0, y1: 0, y2: 100 });
  document.getElementById('axis').innerHTML = hi.toFixed(2) + '<br><span style="color:#d33">threshold ' + d.threshold.toFixed(2) + '</span><br>' + lo.toFixed(2);
  // --- the waveform strip, regions, time axis, overview
  const regions = WaveSurfer.Regions.create();
  const ws = WaveSurfer.create({
    container: '#wave', height: 70, waveColor: '#9aa4b1', progressColor: '#5d6b7d', cursorColor: '#e07b00', normalize: false,
    barWidth: 0, minPxPerSec: 0, autoScroll: true, autoCenter: false, hideScrollbar: false, dragToSeek: true,
    peaks: [d.peaks], duration: d.duration, media: audio || undefined,
    plugins: [
      regions,
      WaveSurfer.Timeline.create({ height: 18, formatTimeCallback: (t) => clock(t), style: { fontSize: '11px', color: '#333' } }),
      WaveSurfer.Zoom.create({ scale: 0.25, maxZoom: 400 }),
      WaveSurfer.Minimap.create({ container: '#overview', height: 34, waveColor: '#c4cad3', progressColor: '#8b96a5', overlayColor: 'rgba(42,122,226,.18)', peaks: [d.peaks], duration: d.duration }),
    ],
  });
  window.leanmlReport = { ws, regions, data: d };
  const fitPx = () => document.getElementById('wave').clientWidth / Math.max(d.duration, 1e-6);
  const MAX = 400;
  const zoomSlider = document.getElementById('zoom');
  // the slider is logarithmic from "whole file" to MAX px/s
  const toPx = (v) => fitPx() * Math.pow(MAX / fitPx(), v / 1000);
  const toSlider = (px) => (MAX <= fitPx() ? 0 : Math.round(1000 * Math.log(Math.max(px, fitPx()) / fitPx()) / Math.log(MAX / fitPx())));
  let px = 0;
  const sync = () => {
    const width = ws.getWrapper().scrollWidth || document.getElementById('wave').clientWidth;
    svg.style.width = width + 'px';
    svg.style.transform = 'translateX(' + (-ws.getScroll()) + 'px)';
    const pps = width / Math.max(d.duration, 1e-6);
    document.getElementById('scale').textContent = pps >= 1 ? Math.round(pps) + ' px/s' : (1 / pps).toFixed(1) + ' s/px';
  };
  ws.on('scroll', sync); ws.on('redrawcomplete', sync); window.addEventListener('resize', sync);
  ws.on('zoom', (p) => { px = p; zoomSlider.value = String(toSlider(p)); requestAnimationFrame(sync); });
  const zoomTo = (p) => { px = Math.min(MAX, Math.max(0, p)); ws.zoom(px <= fitPx() ? 0 : px); requestAnimationFrame(sync); };
  zoomSlider.addEventListener('input', () => zoomTo(+zoomSlider.value === 0 ? 0 : toPx(+zoomSlider.value)));
  document.getElementById('zoomIn').onclick = () => zoomTo(Math.max(px, fitPx()) * 2);
  document.getElementById('zoomOut').onclick = () => zoomTo(Math.max(px, fitPx()) / 2);
  document.getElementById('fit').onclick = () => zoomTo(0);
  // --- playback of one segment
  let stopAt = null, current = -1;
  const mark = (i) => {
    document.querySelectorAll('.on').forEach((e) => e.classList.remove('on'));
    document.querySelectorAll('[data-i="' + i + '"]').forEach((e) => e.classList.add('on'));
    current = i;
  };
  const show = (t) => {
    const width = ws.getWrapper().scrollWidth, view = document.getElementById('wave').clientWidth;
    const x = (t / d.duration) * width;
    if (x < ws.getScroll() || x > ws.getScroll() + view * 0.9) ws.setScroll(Math.max(0, x - view * 0.1));
  };
  const play = (i) => {
    const s = d.segments[i];
    mark(i);
    window.lastPlayed = { index: i, start: s.start, end: s.end };
    show(s.start);
    ws.setTime(s.start);
    if (!audio) return;
    stopAt = s.end;
    const p = ws.play(); if (p && p.catch) p.catch(() => {});
  };
  ws.on('timeupdate', (t) => {
    cursor.setAttribute('x1', t); cursor.setAttribute('x2', t);
    document.getElementById('clock').textContent = clock(t, 1) + ' / ' + clock(d.duration);
    if (stopAt !== null && t >= stopAt) { ws.pause(); stopAt = null; }
  });
  ws.on('play', () => { document.getElementById('play').textContent = 'Pause'; });
  ws.on('pause', () => { document.getElementById('play').textContent = 'Play'; });
  document.getElementById('play').onclick = () => { stopAt = null; ws.playPause(); };
  const step = (dir) => {
    const t = ws.getCurrentTime();
    let i = dir > 0 ? d.segments.findIndex((s) => s.start > t + 0.05) : -1;
    if (dir < 0) for (let k = d.segments.length - 1; k >= 0; k--) if (d.segments[k].start < t - 0.5) { i = k; break; }
    if (i >= 0) { play(i); document.querySelector('tr.row[data-i="' + i + '"]').scrollIntoView({ block: 'nearest' }); }
  };
  document.getElementById('prev').onclick = () => step(-1);
  document.getElementById('next').onclick = () => step(1);
  ws.on('ready', () => {
    d.segments.forEach((s, i) => regions.addRegion({ id: 'seg' + i, start: s.start, end: s.end, color: 'rgba(42,122,226,0.25)', drag: false, resize: false }));
    sync();
  });
  regions.on('region-clicked', (r, e) => { e.stopPropagation(); play(+r.id.slice(3)); });
  svg.addEventListener('click', (e) => {
    const t = ((e.clientX - lane.getBoundingClientRect().left + ws.getScroll()) / ws.getWrapper().scrollWidth) * d.duration;
    const i = e.target.dataset && e.target.dataset.i;
    if (i !== undefined) play(+i); else ws.setTime(Math.max(0, Math.min(d.duration, t)));
  });
  lane.addEventListener('wheel', (e) => { if (Math.abs(e.deltaY) > Math.abs(e.deltaX)) { e.preventDefault(); zoomTo(Math.max(px, fitPx()) * (e.deltaY < 0 ? 1.25 : 0.8)); } else ws.setScroll(ws.getScroll() + e.deltaX); }, { passive: false });
  // --- the list
  const rows = document.getElementById('rows');
  const frag = document.createDocumentFragment();
  d.segments.forEach((s, i) => {
    const row = document.createElement('tr'); row.className = 'row'; row.dataset.i = i; row.title = 'play';
    row.innerHTML = '<td>' + (i + 1) + '</td><td>' + clock(s.start, 1) + '</td><td>' + clock(s.end, 1) + '</td><td>' + (s.end - s.start).toFixed(1) + ' s</td><td>' + s.score.toFixed(3) + '</td>';
    row.addEventListener('click', () => play(i));
    frag.appendChild(row);
  });
  rows.appendChild(frag);
  // --- downloads
  document.querySelectorAll('[data-export]').forEach((a) => {
    const x = d.exports[a.dataset.export];
    a.download = x.name;
    a.href = URL.createObjectURL(new Blob([x.text], { type: x.type }));
  });
})();
</script></body></html>
`;
}

/**
 * Writes the report for `r` to `path` (through a temporary file, so a failed write leaves no
 * half page). The audio is referenced relative to the report's folder, or embedded.
 */
export function writeReport(path: string, r: DetectResult, opts: ReportOptions): void {
  let src: string | null = null;
  if (opts.audioPath && opts.embedAudio) {
    const size = statSync(opts.audioPath).size;
    if (size > DEFAULT_REPORT.maxEmbedBytes) {
      throw new LimitError(
        `speaker report: ${opts.audioPath} is ${(size / 1048576).toFixed(1)} MiB; embedding takes at most ${DEFAULT_REPORT.maxEmbedBytes / 1048576} MiB (base64 adds a third and the browser holds the page in memory); link the file instead`,
      );
    }
    const mime = MIME[extname(opts.audioPath).toLowerCase()] ?? 'application/octet-stream';
    src = `data:${mime};base64,${readFileSync(opts.audioPath).toString('base64')}`;
  } else if (opts.audioPath) {
    const rel = relative(dirname(resolve(path)), resolve(opts.audioPath));
    src =
      rel.startsWith('..') && rel.split('/').filter((p) => p === '..').length > 3
        ? pathToFileURL(resolve(opts.audioPath)).href
        : rel.split('/').map(encodeURIComponent).join('/');
  }
  const tmp = join(dirname(resolve(path)), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(tmp, renderReport(r, src, { title: opts.title, maxPoints: opts.maxPoints }));
  renameSync(tmp, path);
}
