/**
 * Vowpal Wabbit as a reference for the linear benchmarks, when a `vw` binary is available
 * (env `LEANML_VW` = its path, else `vw` on the PATH; it has no Debian package). fastText-style
 * token lines are converted to VW text (`±1 | tokens`, not timed); VW-format files are used as
 * they are. Training is timed as a process (wall seconds, peak RSS, so VW's start-up and model
 * writing are included, as for leanml's CLI figure); accuracy comes from `vw -t` predictions.
 */
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { forEachLine } from '../../src/linear/byte-lines.js';
import type { ReferenceRun } from './references.js';
import { timeCommand } from '../result.js';

const POSITIVE = new Set(['spam', '1', '+1']);

/** The vw executable, or null when there is none. */
export function vwBinary(): string | null {
  const env = process.env.LEANML_VW;
  if (env) return existsSync(env) ? env : null;
  const r = spawnSync('sh', ['-c', 'command -v vw'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

/** The note a benchmark prints when VW is absent. */
export const VW_ABSENT = 'Vowpal Wabbit: no `vw` binary (set LEANML_VW or put vw on the PATH; no Debian package exists): not measured.';

/** VW's version string. */
export function vwVersion(vw: string): string {
  return spawnSync(vw, ['--version'], { encoding: 'utf8' }).stdout.trim().split('\n')[0]!;
}

/** Writes fastText token lines (`__label__x tok ...`) as VW lines `±1 | tok ...` (':' and '|' in tokens become '_'). */
async function fastTextToVw(src: string, dst: string): Promise<void> {
  const out = createWriteStream(dst);
  let parts: string[] = [];
  await forEachLine(src, (buf, s, e) => {
    const tokens = buf.toString('utf8', s, e).split(/\s+/).filter(Boolean);
    let label = '';
    const feats: string[] = [];
    for (const t of tokens) {
      if (t.startsWith('__label__')) {
        if (!label) label = t.slice(9);
      } else feats.push(t.replace(/[:|]/g, '_'));
    }
    if (!label) return;
    parts.push(`${POSITIVE.has(label) ? 1 : -1} | ${feats.join(' ')}\n`);
    if (parts.length >= 10_000) {
      out.write(parts.join(''));
      parts = [];
    }
  });
  out.write(parts.join(''));
  await new Promise<void>((r) => out.end(() => r()));
}

/** Labels (±1) of a VW file, in order. */
function vwLabels(path: string): Int8Array {
  const lines = readFileSync(path, 'utf8').split('\n');
  const out = new Int8Array(lines.length);
  let n = 0;
  for (const l of lines) if (l.length > 0) out[n++] = Number(l.slice(0, l.indexOf(' '))) > 0 ? 1 : -1;
  return out.subarray(0, n);
}

export interface VwRunOptions {
  /** `fasttext`: token lines to convert; `vw`: VW text used as is. */
  format: 'fasttext' | 'vw';
  /** Extra VW training arguments (e.g. `-b 20`, `-q ab`, `--passes 3 -c`). */
  args: string[];
  /** A short description of the setting. */
  setting: string;
}

/** Trains VW one pass (or as `args` say) on `train`, tests on `test`; null when VW is absent. */
export async function runVw(train: string, test: string, examples: number, o: VwRunOptions): Promise<ReferenceRun | null> {
  const vw = vwBinary();
  if (!vw) return null;
  const dir = mkdtempSync(join(tmpdir(), 'leanml-vw-'));
  try {
    let tr = train;
    let te = test;
    if (o.format === 'fasttext') {
      tr = join(dir, 'train.vw');
      te = join(dir, 'test.vw');
      await fastTextToVw(train, tr);
      await fastTextToVw(test, te);
    }
    const model = join(dir, 'model.vw');
    const r = timeCommand(vw, ['--quiet', '--binary', '-d', tr, '-f', model, ...o.args]);
    if (r.status !== 0) throw new Error(`vw failed: ${r.stderr}`);
    const preds = join(dir, 'preds');
    const p = spawnSync(vw, ['--quiet', '--binary', '-t', '-i', model, '-d', te, '-p', preds], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (p.status !== 0) throw new Error(`vw -t failed: ${p.stderr}`);
    const labels = vwLabels(te);
    const predicted = readFileSync(preds, 'utf8').split('\n').filter(Boolean);
    let correct = 0;
    for (let i = 0; i < labels.length; i++) if ((Number(predicted[i]!.split(' ')[0]) > 0 ? 1 : -1) === labels[i]) correct++;
    return {
      tool: `Vowpal Wabbit ${vwVersion(vw)} ${['--binary', ...o.args].join(' ')}`,
      examplesPerSecond: examples / r.seconds,
      accuracy: correct / labels.length,
      wallSeconds: r.seconds,
      trainSeconds: null,
      peakRssMiB: r.peakRssMiB,
      note: `${o.setting}; process wall time (start-up, parsing the text file, learning, writing the model); ${o.format === 'fasttext' ? 'token lines converted to `±1 | tokens` (not timed)' : 'the VW-format file as is'}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
