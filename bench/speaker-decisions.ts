/**
 * Decision rules compared offline on stored detection curves: for every model directory under
 * `--models` that bench/speaker-eval.ts left column scores in (`scores-<variant>.f32`,
 * `gate-<variant>.u8`, `curve-<variant>.json`), frame F1 at the model's threshold (fixed 0.7
 * by default) and with per-file calibration (src/speaker/file-threshold.ts) under the default
 * and any `--try key=value,...` settings; per set and variant, the worst and median over the
 * set's trainings. Development sets only: the rule is chosen here, never on the blind set.
 *
 * Usage: node --import tsx bench/speaker-decisions.ts [--models bench/data/speaker/models] [--try lowest=0.45,minUpperMean=0.55 ...]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_FILE_CALIBRATION, fileThreshold, type FileCalibrationOptions } from '../src/speaker/file-threshold.js';
import { readRttm } from '../src/speaker/formats.js';
import { frameMetrics } from '../src/speaker/metrics.js';
import { mergeSegments } from '../src/speaker/segments.js';
import type { ModelMeta } from '../src/speaker/speaker-model.js';

interface Curve {
  variant: string;
  scores: Float32Array;
  gate: Uint8Array;
  columnSeconds: number;
  duration: number;
  truth: string;
}

function curves(dir: string): Curve[] {
  return readdirSync(dir)
    .filter((f) => /^curve-.+\.json$/.test(f))
    .map((f) => {
      const variant = f.slice(6, -5);
      const c = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { columnSeconds: number; duration: number; truth: string };
      const b = readFileSync(join(dir, `scores-${variant}.f32`));
      const g = readFileSync(join(dir, `gate-${variant}.u8`));
      return { variant, scores: new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)), gate: new Uint8Array(g), ...c };
    });
}

export function main(args: string[]): void {
  const root = args.includes('--models') ? args[args.indexOf('--models') + 1]! : 'bench/data/speaker/models';
  const tries: [string, FileCalibrationOptions][] = [['file', { ...DEFAULT_FILE_CALIBRATION }]];
  args.forEach((a, i) => {
    if (args[i - 1] !== '--try') return;
    const o: FileCalibrationOptions = { ...DEFAULT_FILE_CALIBRATION };
    for (const kv of a.split(',')) {
      const [k, v] = kv.split('=');
      (o as unknown as Record<string, number>)[k!] = Number(v);
    }
    tries.push([`file(${a})`, o]);
  });
  // f1[rule][set/variant] = per-training F1s
  const f1 = new Map<string, Map<string, number[]>>();
  const put = (rule: string, key: string, v: number): void => {
    const m = f1.get(rule) ?? new Map<string, number[]>();
    f1.set(rule, m);
    m.set(key, [...(m.get(key) ?? []), v]);
  };
  const thresholds: string[] = [];
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    if (!existsSync(join(dir, 'model.json')) || !readdirSync(dir).some((f) => f.startsWith('curve-'))) continue;
    const meta = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelMeta;
    if (meta.config.preset !== 'default') continue;
    const set = name.replace(/-default(-seed\d+)?$/, '');
    const d = meta.config.detect;
    for (const c of curves(dir)) {
      const truth = readRttm(c.truth).filter((t) => t.speaker === 'target');
      const at = (thr: number): number =>
        frameMetrics(
          mergeSegments(c.scores, c.gate, { threshold: thr, columnSeconds: c.columnSeconds, maxGap: d.maxGap, minDuration: d.minDuration }),
          truth,
          c.duration,
        ).f1;
      put('model threshold', `${set}/${c.variant}`, at(meta.threshold));
      for (const [rule, o] of tries) {
        const ft = fileThreshold(c.scores, c.gate, meta.threshold, o);
        put(rule, `${set}/${c.variant}`, at(ft.threshold));
        if (rule === 'file') thresholds.push(`${name} ${c.variant}: ${ft.threshold.toFixed(3)} (${ft.reason})`);
      }
    }
  }
  const keys = [...(f1.get('model threshold')?.keys() ?? [])].sort();
  const out: Record<string, Record<string, { n: number; min: number; median: number }>> = {};
  for (const [rule, m] of f1) {
    out[rule] = {};
    for (const k of keys) {
      const v = (m.get(k) ?? []).slice().sort((a, b) => a - b);
      out[rule][k] = { n: v.length, min: Math.round(v[0]! * 1000) / 1000, median: Math.round(v[Math.floor((v.length - 1) / 2)]! * 1000) / 1000 };
    }
  }
  process.stderr.write(`${thresholds.join('\n')}\n\n`);
  process.stderr.write(`${'set/variant'.padEnd(22)}${[...f1.keys()].map((r) => r.slice(0, 28).padStart(30)).join('')}\n`);
  for (const k of keys)
    process.stderr.write(
      `${k.padEnd(22)}${[...f1.keys()].map((r) => `${out[r]![k]!.min.toFixed(3)} (med ${out[r]![k]!.median.toFixed(3)})`.padStart(30)).join('')}\n`,
    );
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

main(process.argv.slice(2));
