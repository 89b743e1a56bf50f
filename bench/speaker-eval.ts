/**
 * speaker-eval: frame-level precision / recall / F1 (10 ms) and detection error rate of the
 * original preset and leanml's default on one set: a TTS set (bench/speaker-data.ts: clean, a
 * tonal bed 16 dB below the speech, a channel-mismatched copy) or a set of recorded voices
 * (bench/speaker-real-data.ts: clean, a real music bed 14 dB below, and where one person speaks
 * two languages a cross-language copy); training time, optionally detection speed (in-process,
 * median of 3); and the original method in PyTorch/torchaudio (bench/speaker_reference.py, one
 * training per --ref-seeds seed) plus an MFCC-mean cosine baseline, on the same data in the same
 * run. Each default model's column scores are stored beside it for bench/speaker-decisions.ts.
 *
 * Usage: npm run -s bench -- speaker-eval [--set eval|dev|real-fr|...] [--dir SET_DIR] [--models DIR]
 *        [--seeds 0,1,2] [--ref-seeds 0] [--ref-methods original,mfcc] [--presets original,default] [--no-reference] [--time] [--cfg train.averageLast=0.3 ...]
 * (`-s` keeps npm's header lines off stdout, so stdout is the JSON alone; a summary table goes to stderr).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { backendInfo } from '../src/nn/index.js';
import {
  detectSpeaker,
  frameMetrics,
  mergeSegments,
  readRttm,
  thresholdCandidates,
  trainSpeakerModel,
  type FrameMetrics,
  type PresetName,
  type Segment,
  type SpeakerConfig,
} from '../src/speaker/index.js';
import { havePython, medianSeconds, type BenchResult } from './result.js';
import { ensureSpeakerData } from './speaker-data.js';
import { ensureRealData, REAL_SETS } from './speaker-real-data.js';

/** The broadcasts of a set and their truth: TTS sets have clean / bed / channel, real sets clean / bed (/ cross). */
type Variant = string;
interface SetFiles {
  [variant: string]: { audio: string; truth: string };
}

/** Variants of a set from its meta.json (TTS sets list plain file names with one truth). */
function setFiles(meta: { files: Record<string, string | { audio: string; truth: string }> }): SetFiles {
  const out: SetFiles = {};
  const f = meta.files;
  for (const [k, v] of Object.entries(f)) {
    if (k === 'truth') continue;
    out[k] = typeof v === 'string' ? { audio: v, truth: f['truth'] as string } : v;
  }
  return out;
}

const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;
const summary = (m: FrameMetrics) => ({
  precision: round(m.precision),
  recall: round(m.recall),
  f1: round(m.f1),
  detectionErrorRate: round(m.detectionErrorRate),
});

/** Seconds of detections that fall outside every speaker turn (silence, music breaks): the speech-gate weakness. */
function nonSpeechFalseAlarm(segs: Segment[], turns: { start: number; end: number }[], duration: number): number {
  const step = 0.01;
  const n = Math.ceil(duration / step);
  const speech = new Uint8Array(n);
  for (const t of turns) for (let i = Math.floor(t.start / step); i < Math.min(n, Math.ceil(t.end / step)); i++) speech[i] = 1;
  let fa = 0;
  for (const s of segs) for (let i = Math.floor(s.start / step); i < Math.min(n, Math.ceil(s.end / step)); i++) if (!speech[i]) fa++;
  return round(fa * step, 2);
}

const opt = (args: string[], name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

/** One line of the human-readable summary (stderr): F1 (P / R) per variant, speed, training time. */
function row(label: string, r: Record<string, unknown>, variants: Variant[]): string {
  const v = (k: Variant): string => {
    const m = r[k] as { f1: number; precision: number; recall: number };
    return `${k} ${m.f1.toFixed(3)} (${m.precision.toFixed(3)}/${m.recall.toFixed(3)})`;
  };
  return `${label.padEnd(44)} ${variants.map(v).join('  ')}  ${String(r['timesRealTime'] ?? '-')}x RT  train ${String(r['trainSeconds'])} s`;
}

/** Applies `path.to.key=JSON` overrides to a configuration. */
function applyOverrides(cfg: SpeakerConfig, overrides: string[]): void {
  for (const o of overrides) {
    const [path, value] = o.split('=') as [string, string];
    const keys = path.split('.');
    let obj = cfg as unknown as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) obj = obj[k] as Record<string, unknown>;
    if (!(keys[keys.length - 1]! in obj)) throw new Error(`--cfg ${o}: no such setting`);
    obj[keys[keys.length - 1]!] = JSON.parse(value);
  }
}

/** Writes a detection's column scores and gate beside the model, for offline decision studies (bench/speaker-decisions.ts). */
function saveCurve(
  dir: string,
  variant: Variant,
  r: { scores: Float32Array; gate: Uint8Array; columnSeconds: number; duration: number },
  truthPath: string,
): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `scores-${variant}.f32`), Buffer.from(r.scores.buffer, r.scores.byteOffset, r.scores.byteLength));
  writeFileSync(join(dir, `gate-${variant}.u8`), Buffer.from(r.gate.buffer, r.gate.byteOffset, r.gate.byteLength));
  writeFileSync(join(dir, `curve-${variant}.json`), `${JSON.stringify({ columnSeconds: r.columnSeconds, duration: r.duration, truth: truthPath })}\n`);
}

export async function run(args: string[]): Promise<BenchResult> {
  const set = opt(args, '--set') ?? 'eval';
  // --dir: a set outside bench/data/speaker (the blind set)
  const root = 'bench/data/speaker';
  const dir = opt(args, '--dir') ?? join(root, set);
  if (!opt(args, '--dir')) {
    if (REAL_SETS.some((s) => s.name === set)) ensureRealData(root, [set]);
    else ensureSpeakerData(root, 1, [set]);
  }
  if (!existsSync(join(dir, 'meta.json'))) throw new Error(`speaker-eval: no set in ${dir} (meta.json missing)`);
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as {
    seconds: number;
    target: string;
    broadcastOthers: unknown;
    files: Record<string, string | { audio: string; truth: string }>;
  };
  const files = setFiles(meta);
  const variants = Object.keys(files);
  const truthOf = new Map(
    variants.map((v) => {
      const turns = readRttm(join(dir, files[v]!.truth));
      return [v, { turns, target: turns.filter((t) => t.speaker === 'target') }];
    }),
  );
  const targetDir = join(dir, 'train', 'target');
  const others = readdirSync(join(dir, 'train', 'others'))
    .sort()
    .map((d) => join(dir, 'train', 'others', d));
  const modelRoot = opt(args, '--models') ?? join(root, 'models');

  const seeds = (opt(args, '--seeds') ?? '0').split(',').map(Number);
  const refSeeds = (opt(args, '--ref-seeds') ?? '0').split(',').map(Number);
  const presets = (opt(args, '--presets') ?? 'original,default').split(',').filter(Boolean) as PresetName[];
  // dev experiments: --cfg train.averageLast=0.3 (JSON values) changes the default preset
  const overrides = args.flatMap((a, i) => (args[i - 1] === '--cfg' ? [a] : []));
  const load0 = loadavg();
  const ours: Record<string, unknown> = {
    set,
    target: meta.target,
    broadcastOthers: meta.broadcastOthers,
    broadcastSeconds: meta.seconds,
    variants,
    seeds,
    ...(overrides.length ? { overrides } : {}),
  };
  const table: string[] = [];
  for (const preset of presets) {
    // the original is trained once (seed 0); our default once per seed
    for (const seed of preset === 'default' ? seeds : [0]) {
      const key = preset === 'default' && seeds.length > 1 ? `default-seed${seed}` : preset;
      const t0 = performance.now();
      const model = await trainSpeakerModel([targetDir], others, {
        preset,
        seed,
        configure: preset === 'default' ? (c) => applyOverrides(c, overrides) : undefined,
      });
      const trainSeconds = (performance.now() - t0) / 1000;
      const modelDir = join(modelRoot, `${set}-${key}`);
      model.save(modelDir);
      const h = model.meta.training.heldOut;
      const res: Record<string, unknown> = {
        seed,
        trainSeconds: round(trainSeconds, 1),
        threshold: round(model.meta.threshold),
        thresholdMode: model.config.detect.thresholdMode,
        targetSeconds: round(model.meta.training.targetSeconds, 1),
        warnings: model.meta.training.warnings.length,
        heldOut: Object.fromEntries(Object.entries(h).map(([k, x]) => [k, typeof x === 'number' ? round(x) : x])),
      };
      // F1 at each threshold training could have chosen, from the same score curves
      const candidates: Record<string, number> = { model: model.meta.threshold, ...thresholdCandidates(h, model.config.detect.fixedThreshold) };
      const atCandidates: Record<string, Record<string, number>> = {};
      for (const v of variants) {
        const truth = truthOf.get(v)!;
        const r = await detectSpeaker(model, join(dir, files[v]!.audio));
        saveCurve(modelDir, v, r, join(dir, files[v]!.truth));
        res[v] = {
          ...summary(frameMetrics(r.segments, truth.target, r.duration)),
          threshold: round(r.threshold),
          nonSpeechFalseAlarmSeconds: nonSpeechFalseAlarm(r.segments, truth.turns, r.duration),
        };
        const d = model.config.detect;
        for (const [name, thr] of Object.entries(candidates)) {
          const segs = mergeSegments(r.scores, r.gate, { threshold: thr, columnSeconds: r.columnSeconds, maxGap: d.maxGap, minDuration: d.minDuration });
          (atCandidates[name] ??= { threshold: round(thr) })[`${v}F1`] = round(frameMetrics(segs, truth.target, r.duration).f1);
        }
      }
      res['f1AtThresholds'] = atCandidates;
      if (args.includes('--time')) {
        const secs = await medianSeconds(() => detectSpeaker(model, join(dir, files[variants[0]!]!.audio)), 3);
        res['detectSeconds'] = round(secs, 2);
        res['timesRealTime'] = round(meta.seconds / secs, 0);
      }
      ours[key] = res;
      table.push(row(`leanml ${key} (threshold ${round(model.meta.threshold)})`, res, variants));
      model.dispose();
    }
  }
  if (seeds.length > 1 && presets.includes('default')) {
    const per = seeds.map((s) => ours[`default-seed${s}`] as Record<Variant, { f1: number }>);
    ours['defaultOverSeeds'] = Object.fromEntries(
      variants.map((v) => {
        const f = per.map((p) => p[v]!.f1).sort((a, b) => a - b);
        return [v, { minF1: f[0], medianF1: f[Math.floor((f.length - 1) / 2)], maxF1: f[f.length - 1] }];
      }),
    );
  }
  ours['backend'] = backendInfo();
  ours['loadAverageAtStart'] = load0.map((x) => round(x, 2));

  let reference: BenchResult['reference'] = null;
  let note: string | undefined;
  if (args.includes('--no-reference')) note = 'reference skipped (--no-reference)';
  else if (!havePython('torch', 'torchaudio')) note = 'PyTorch/torchaudio not installed for /usr/bin/python3; reference not run';
  else {
    reference = { tool: 'PyTorch/torchaudio (bench/speaker_reference.py)' };
    // the original once per --ref-seeds seed; the MFCC baseline has no training randomness
    const methods = (opt(args, '--ref-methods') ?? 'original,mfcc').split(',');
    const runs: [string, number][] = [
      ...(methods.includes('original') ? refSeeds.map((s): [string, number] => ['original', s]) : []),
      ...(methods.includes('mfcc') ? [['mfcc', 0] as [string, number]] : []),
    ];
    for (const [method, seed] of runs) {
      const audio = variants.map((v) => join(dir, files[v]!.audio));
      const r = spawnSync(
        '/usr/bin/python3',
        [
          'bench/speaker_reference.py',
          '--method',
          method,
          '--seed',
          String(seed),
          '--target',
          targetDir,
          '--others',
          ...others,
          '--detect',
          ...audio,
          '--truth',
          ...variants.map((v) => join(dir, files[v]!.truth)),
        ],
        { encoding: 'utf8', maxBuffer: 1 << 28 },
      );
      if (r.status !== 0) throw new Error(`speaker_reference.py ${method} failed: ${r.stderr}`);
      const out = JSON.parse(r.stdout) as {
        torch: string;
        torchaudio: string;
        threads: number;
        trainSeconds: number;
        results: { seconds: number; duration: number; threshold: number; segments: Segment[] }[];
      };
      const res: Record<string, unknown> = {
        seed,
        torch: out.torch,
        torchaudio: out.torchaudio,
        threads: out.threads,
        trainSeconds: round(out.trainSeconds, 1),
      };
      variants.forEach((v, i) => {
        const x = out.results[i]!;
        const truth = truthOf.get(v)!;
        res[v] = {
          ...summary(frameMetrics(x.segments, truth.target, x.duration)),
          threshold: round(x.threshold),
          nonSpeechFalseAlarmSeconds: nonSpeechFalseAlarm(x.segments, truth.turns, x.duration),
        };
      });
      res['detectSeconds'] = round(out.results[0]!.seconds, 2);
      res['timesRealTime'] = round(out.results[0]!.duration / out.results[0]!.seconds, 0);
      const key = method === 'original' ? (refSeeds.length > 1 ? `original-seed${seed}` : 'original') : 'mfccBaselineTunedOnTest';
      reference[key] = res;
      table.push(row(method === 'original' ? `PyTorch original seed ${seed} (0.7)` : 'MFCC-mean cosine (threshold tuned on test)', res, variants));
    }
  }
  const f1 = (o: unknown, v: Variant): number => (o as Record<Variant, { f1: number }>)[v]!.f1;
  const meanF1 = (o: unknown): number => variants.reduce((a, v) => a + f1(o, v), 0) / variants.length;
  // with several seeds, the worst seed's mean F1 against the best reference seed's
  const defaults = Object.keys(ours)
    .filter((k) => /^default(-seed\d+)?$/.test(k))
    .map((k) => ours[k]);
  const originals = reference
    ? Object.keys(reference)
        .filter((k) => k.startsWith('original'))
        .map((k) => reference[k])
    : [];
  const ratio = originals.length && defaults.length ? round(Math.min(...defaults.map(meanF1)) / Math.max(1e-9, Math.max(...originals.map(meanF1))), 2) : null;
  ours['loadAverageAtEnd'] = loadavg().map((x) => round(x, 2));
  process.stderr.write(`speaker-eval (${set} set), frame F1 (precision/recall), 10 ms:\n${table.join('\n')}\n`);
  return {
    name: 'speaker-eval',
    ours,
    reference,
    ratio,
    note: note ?? 'ratio = mean frame F1 over the variants, leanml default (worst seed) / PyTorch original (best seed); --time adds in-process detection speed',
  };
}
