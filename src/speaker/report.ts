/**
 * @module
 * The HTML timeline report of a detection: one self-contained page (no scripts or styles
 * from elsewhere) with the detected segments drawn over the score curve, the threshold and
 * the speech gate; clicking a segment (or its row in the table) plays that stretch of the
 * recording through an <audio> element pointing at the file.
 */
import { writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DetectResult } from './detect.js';

/** Options of `renderReport`. */
export interface ReportOptions {
  /** The recording, as a path the page can reach (made relative to the report), or null. */
  audioPath: string | null;
  title?: string;
  /** Points of the drawn curve at most. Default 4000. */
  maxPoints?: number;
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Score curve reduced to at most `n` points (min and max per bucket would hide nothing, mean is enough here). */
function curve(r: DetectResult, n: number): { t: number; s: number | null }[] {
  const T = r.scores.length;
  const step = Math.max(1, Math.ceil(T / n));
  const out: { t: number; s: number | null }[] = [];
  for (let a = 0; a < T; a += step) {
    let sum = 0, k = 0;
    for (let c = a; c < Math.min(T, a + step); c++) if (!Number.isNaN(r.scores[c]!) && r.gate[c]) { sum += r.scores[c]!; k++; }
    out.push({ t: (a + step / 2) * r.columnSeconds, s: k > 0 ? Math.round((sum / k) * 1000) / 1000 : null });
  }
  return out;
}

/** The report page for `r`. `src` is the audio element's URL (or null for none). */
export function renderReport(r: DetectResult, src: string | null, opts: Omit<ReportOptions, 'audioPath'> = {}): string {
  const data = {
    duration: r.duration,
    threshold: r.threshold,
    segments: r.segments.map((s) => ({ start: +s.start.toFixed(3), end: +s.end.toFixed(3), score: +s.score.toFixed(3) })),
    curve: curve(r, opts.maxPoints ?? 4000),
  };
  const title = esc(opts.title ?? 'speaker detection');
  const total = r.segments.reduce((a, s) => a + s.end - s.start, 0);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} — leanml speaker report</title>
<style>
body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}
#timeline{width:100%;height:220px;display:block;border:1px solid #ccc;background:#fafafa}
.seg{fill:#2a7ae2;fill-opacity:.35;stroke:#2a7ae2;cursor:pointer}.seg:hover,.seg.playing{fill-opacity:.7}
.curve{fill:none;stroke:#333;stroke-width:1}.thr{stroke:#d33;stroke-dasharray:4 3}
table{border-collapse:collapse;margin-top:1em}td,th{padding:2px 10px;text-align:right;border-bottom:1px solid #eee}
tr.row{cursor:pointer}tr.row:hover{background:#eef4ff}
</style></head><body>
<h1>${title}</h1>
<p id="summary">${r.segments.length} segment(s), ${total.toFixed(1)} s of ${r.duration.toFixed(1)} s; threshold ${r.threshold.toFixed(3)}. Click a segment to play it.</p>
${src ? `<audio id="audio" controls preload="auto" src="${esc(src)}"></audio>` : '<p>(no audio file to play: the input was read from stdin)</p>'}
<svg id="timeline" viewBox="0 0 1000 220" preserveAspectRatio="none"></svg>
<table><thead><tr><th>#</th><th>start (s)</th><th>end (s)</th><th>score</th></tr></thead><tbody id="rows"></tbody></table>
<script id="data" type="application/json">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>
<script>
(() => {
  const d = JSON.parse(document.getElementById('data').textContent);
  const svg = document.getElementById('timeline');
  const audio = document.getElementById('audio');
  const W = 1000, H = 220, NS = 'http://www.w3.org/2000/svg';
  const lo = Math.min(d.threshold, ...d.curve.filter(p => p.s !== null).map(p => p.s), 0);
  const hi = Math.max(d.threshold, ...d.curve.filter(p => p.s !== null).map(p => p.s), 1);
  const x = t => (t / Math.max(d.duration, 1e-9)) * W;
  const y = s => H - 10 - ((s - lo) / (hi - lo || 1)) * (H - 20);
  const el = (name, attrs) => { const e = document.createElementNS(NS, name); for (const k in attrs) e.setAttribute(k, attrs[k]); svg.appendChild(e); return e; };
  let stopAt = null, current = null;
  const play = (i) => {
    const s = d.segments[i];
    if (current) current.classList.remove('playing');
    current = document.querySelector('.seg[data-i="' + i + '"]');
    if (current) current.classList.add('playing');
    window.lastPlayed = { index: i, start: s.start, end: s.end };
    if (!audio) return;
    stopAt = s.end;
    audio.currentTime = s.start;
    const p = audio.play();
    if (p && p.catch) p.catch(() => {});
  };
  if (audio) audio.addEventListener('timeupdate', () => { if (stopAt !== null && audio.currentTime >= stopAt) { audio.pause(); stopAt = null; } });
  d.segments.forEach((s, i) => {
    const r = el('rect', { class: 'seg', 'data-i': i, x: x(s.start), y: 0, width: Math.max(1, x(s.end) - x(s.start)), height: H });
    const t = document.createElementNS(NS, 'title'); t.textContent = s.start.toFixed(2) + '–' + s.end.toFixed(2) + ' s, score ' + s.score.toFixed(3); r.appendChild(t);
    r.addEventListener('click', () => play(i));
    const row = document.createElement('tr'); row.className = 'row'; row.dataset.i = i;
    row.innerHTML = '<td>' + (i + 1) + '</td><td>' + s.start.toFixed(2) + '</td><td>' + s.end.toFixed(2) + '</td><td>' + s.score.toFixed(3) + '</td>';
    row.addEventListener('click', () => play(i));
    document.getElementById('rows').appendChild(row);
  });
  let path = '', pen = false;
  for (const p of d.curve) { if (p.s === null) { pen = false; continue; } path += (pen ? 'L' : 'M') + x(p.t).toFixed(1) + ' ' + y(p.s).toFixed(1); pen = true; }
  el('path', { class: 'curve', d: path });
  el('line', { class: 'thr', x1: 0, x2: W, y1: y(d.threshold), y2: y(d.threshold) });
})();
</script></body></html>
`;
}

/** Writes the report for `r` to `path`; the audio is referenced relative to the report's folder. */
export function writeReport(path: string, r: DetectResult, opts: ReportOptions): void {
  let src: string | null = null;
  if (opts.audioPath) {
    const rel = relative(dirname(resolve(path)), resolve(opts.audioPath));
    src = rel.startsWith('..') && rel.split('/').filter((p) => p === '..').length > 3 ? pathToFileURL(resolve(opts.audioPath)).href : rel.split('/').map(encodeURIComponent).join('/');
  }
  writeFileSync(path, renderReport(r, src, opts));
}
