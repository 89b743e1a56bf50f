/**
 * @module
 * The HTML report of `inspect`: one self-contained page (inline style and script, nothing
 * fetched). Per misclassified line: the text with each token coloured by how it moved the
 * decision (red towards the wrong label, blue towards the gold one), the tokens that moved it
 * most, and for the GRU three heatmaps — reset gate, update gate, candidate state — of units
 * (rows) by tokens (columns), drawn on canvases from the embedded numbers; hovering a cell
 * names the token, unit and value.
 */
import { renameSync, writeFileSync } from 'node:fs';
import type { InspectResult } from './inspect-errors.js';
import type { TextModel } from './text-model.js';

/** Tokens drawn per heatmap at most (the text above still shows every token's colour). */
const MAX_HEATMAP_TOKENS = 160;

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const round = (a: ArrayLike<number>): number[] => Array.from(a, (v) => Math.round(v * 1000) / 1000);

function tokenSpans(tokens: string[], deltas: Float32Array): string {
  let max = 1e-9;
  for (const d of deltas) max = Math.max(max, Math.abs(d));
  return tokens
    .map((t, i) => {
      const a = Math.min(1, Math.abs(deltas[i]!) / max);
      const bg = deltas[i]! > 0 ? `rgba(220,40,40,${a.toFixed(3)})` : `rgba(40,90,220,${a.toFixed(3)})`;
      return `<span class="tok" style="background:${bg}" title="${esc(t)}: ${deltas[i]! >= 0 ? '+' : ''}${deltas[i]!.toFixed(3)}">${esc(t)}</span>`;
    })
    .join(' ');
}

/** The page as a string. */
export function renderInspectReport(r: InspectResult, model: TextModel): string {
  const arch = r.arch;
  const sections = r.errors
    .map((e, k) => {
      const T = Math.min(e.tokens.length, MAX_HEATMAP_TOKENS);
      const moved = e.moved.map((m) => `<li><b>${esc(m.token)}</b> (token ${m.index + 1}): ${m.delta >= 0 ? '+' : ''}${m.delta.toFixed(3)}</li>`).join('');
      let maps = '';
      if (e.gates) {
        const H = e.gates.hidden;
        const data = {
          tokens: e.tokens.slice(0, T),
          H,
          reset: round(e.gates.reset.subarray(0, T * H)),
          update: round(e.gates.update.subarray(0, T * H)),
          candidate: round(e.gates.candidate.subarray(0, T * H)),
        };
        const summary = e.tokens
          .slice(0, T)
          .map(
            (t, i) =>
              `<tr><td>${i + 1}</td><td>${esc(t)}</td><td>${e.gates!.meanReset[i]!.toFixed(3)}</td><td>${e.gates!.meanUpdate[i]!.toFixed(3)}</td><td>${e.gates!.meanCandidate[i]!.toFixed(3)}</td><td>${e.deltas[i]!.toFixed(3)}</td></tr>`,
          )
          .join('');
        maps = `
  <div class="maps" data-k="${k}">
    ${['reset', 'update', 'candidate'].map((g) => `<figure><figcaption>${g === 'reset' ? 'reset gate r' : g === 'update' ? 'update gate z (1 = keep the old state)' : 'candidate state n'} — ${H} units × ${T} tokens${e.tokens.length > T ? ` (first ${T} of ${e.tokens.length})` : ''}</figcaption><canvas class="heat" data-gate="${g}"></canvas></figure>`).join('')}
    <div class="hover">hover a cell</div>
  </div>
  <details><summary>per-token means over units</summary><table class="sum"><tr><th>#</th><th>token</th><th>mean r</th><th>mean z</th><th>mean |n|</th><th>margin move</th></tr>${summary}</table></details>
  <script type="application/json" id="gates-${k}">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`;
      }
      return `<section class="err">
  <h2>line ${e.line}: gold <span class="gold">${esc(e.gold.join(', '))}</span>, predicted <span class="pred">${esc(e.predicted)}</span> (p = ${e.probability.toFixed(3)}; gold p = ${e.goldProbability.toFixed(3)}; margin ${e.margin.toFixed(3)})</h2>
  <p class="text">${tokenSpans(e.tokens, e.deltas)}</p>
  <p>tokens that moved the decision most:</p><ol class="moved">${moved}</ol>${maps}
</section>`;
    })
    .join('\n');
  const top = r.topTokens
    .slice(0, 12)
    .map((t) => `<li>${esc(t.token)}: ${t.total >= 0 ? '+' : ''}${t.total.toFixed(3)} over ${t.count}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>leanml text inspect — ${r.errors.length} errors</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em; color: #222; max-width: 1300px; }
h1 { font-size: 1.3em; } h2 { font-size: 1.05em; margin-top: 0; }
.err { border-top: 1px solid #ccc; padding: 0.8em 0; }
.gold { color: #1a4fb8; } .pred { color: #b81a1a; }
.tok { padding: 0 2px; border-radius: 3px; }
.text { line-height: 1.9; }
.maps { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }
figure { margin: 0; } figcaption { font-size: 12px; color: #555; }
canvas.heat { image-rendering: pixelated; border: 1px solid #ddd; display: block; }
.hover { font: 12px monospace; min-width: 18em; color: #333; }
table.sum { border-collapse: collapse; font-size: 12px; } table.sum td, table.sum th { padding: 1px 6px; text-align: right; }
.legend { font-size: 12px; color: #555; }
</style></head><body>
<h1>leanml text inspect: ${r.errorCount} of ${r.lines} lines misclassified (${arch}), ${r.errors.length} shown</h1>
<p class="legend">Labels: ${esc(model.labels.slice(0, 50).join(', '))}${model.labels.length > 50 ? ', …' : ''}. A token's colour is how much it moved the margin of the predicted label over the gold label: <span class="tok" style="background:rgba(220,40,40,0.8)">red</span> towards the wrong label, <span class="tok" style="background:rgba(40,90,220,0.8)">blue</span> towards the gold one. ${arch === 'gru' ? 'Heatmaps: rows are hidden units, columns tokens; gates from 0 (white) to 1 (dark), the candidate state from −1 (blue) to 1 (red).' : "Bag: each token's exact additive share of the margin."}</p>
${top ? `<p>tokens that pushed these errors most (sum of moves): </p><ol class="top">${top}</ol>` : ''}
${sections || '<p>No misclassified lines.</p>'}
<script>
const CELL = 10;
function colour(g, v) {
  if (g === 'candidate') { const a = Math.max(-1, Math.min(1, v)); return a >= 0 ? [255, Math.round(255 * (1 - a)), Math.round(255 * (1 - a))] : [Math.round(255 * (1 + a)), Math.round(255 * (1 + a)), 255]; }
  const c = Math.round(255 * (1 - Math.max(0, Math.min(1, v)))); return [c, c, Math.min(255, c + 40)];
}
for (const box of document.querySelectorAll('.maps')) {
  const data = JSON.parse(document.getElementById('gates-' + box.dataset.k).textContent);
  const T = data.tokens.length, H = data.H;
  const hover = box.querySelector('.hover');
  for (const cv of box.querySelectorAll('canvas.heat')) {
    const g = cv.dataset.gate, vals = data[g];
    cv.width = T; cv.height = H; cv.style.width = (T * CELL) + 'px'; cv.style.height = (H * CELL) + 'px';
    const ctx = cv.getContext('2d'), img = ctx.createImageData(T, H);
    for (let t = 0; t < T; t++) for (let j = 0; j < H; j++) {
      const [r, gg, b] = colour(g, vals[t * H + j]); const o = (j * T + t) * 4;
      img.data[o] = r; img.data[o + 1] = gg; img.data[o + 2] = b; img.data[o + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    cv.addEventListener('mousemove', (ev) => {
      const t = Math.floor(ev.offsetX / CELL), j = Math.floor(ev.offsetY / CELL);
      if (t >= 0 && t < T && j >= 0 && j < H) hover.textContent = g + ': token ' + (t + 1) + ' "' + data.tokens[t] + '", unit ' + j + ' = ' + vals[t * H + j];
    });
  }
}
window.heatmapsDrawn = document.querySelectorAll('canvas.heat').length;
</script>
</body></html>
`;
}

/** Writes the report atomically (temp file renamed into place). */
export function writeInspectReport(path: string, r: InspectResult, model: TextModel): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, renderInspectReport(r, model));
  renameSync(tmp, path);
}
