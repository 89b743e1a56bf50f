/**
 * speaker-eval: frame-level precision / recall / F1 (10 ms) and detection error rate of the
 * original preset and leanml's default on the evaluation set (target and voices never used in
 * development; see bench/speaker-data.ts), on the clean broadcast, the broadcast under a tonal
 * bed 16 dB below the speech, and a channel-mismatched copy (hiss above the speech band);
 * detection speed (times real time, in-process, median of 3) and training time; and the
 * original method in PyTorch/torchaudio (bench/speaker_reference.py) plus an MFCC-mean cosine
 * baseline, run on the same data in the same run.
 *
 * Usage: npm run -s bench -- speaker-eval [--set eval|dev] [--seeds 0,1,2] [--presets original,default] [--no-reference] [--cfg train.averageLast=0.3 ...]
 * (`-s` keeps npm's header lines off stdout, so stdout is the JSON alone; a summary table goes to stderr).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { backendInfo } from '../src/nn/index.js';
import { detectSpeaker, frameMetrics, mergeSegments, readRttm, thresholdCandidates, trainSpeakerModel, type FrameMetrics, type PresetName, type Segment, type SpeakerConfig } from '../src/speaker/index.js';
import { havePython, medianSeconds, type BenchResult } from './result.js';
import { ensureSpeakerData } from './speaker-data.js';

const VARIANTS = { clean: 'broadcast.wav', bed: 'broadcast-bed.wav', channel: 'broadcast-channel.wav' } as const;
type Variant = keyof typeof VARIANTS;

const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;
const summary = (m: FrameMetrics) => ({ precision: round(m.precision), recall: round(m.recall), f1: round(m.f1), detectionErrorRate: round(m.detectionErrorRate) });

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
function row(label: string, r: Record<string, unknown>): string {
  const v = (k: Variant): string => {
    const m = r[k] as { f1: number; precision: number; recall: number };
    return `${m.f1.toFixed(3)} (${m.precision.toFixed(3)}/${m.recall.toFixed(3)})`;
  };
  return `${label.padEnd(44)} clean ${v('clean')}  bed ${v('bed')}  channel ${v('channel')}  ${String(r['timesRealTime'])}x RT  train ${String(r['trainSeconds'])} s`;
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

export async function run(args: string[]): Promise<BenchResult> {
  const set = args.includes('--set') ? args[args.indexOf('--set') + 1]! : 'eval';
  const root = 'bench/data/speaker';
  ensureSpeakerData(root);
  const dir = join(root, set);
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { seconds: number; target: string; broadcastOthers: { id: string; seenInTraining: boolean }[] };
  const turns = readRttm(join(dir, 'broadcast.rttm'));
  const truth = turns.filter((t) => t.speaker === 'target');
  const targetDir = join(dir, 'train', 'target');
  const others = readdirSync(join(dir, 'train', 'others')).sort().map((d) => join(dir, 'train', 'others', d));

  const seeds = (opt(args, '--seeds') ?? '0').split(',').map(Number);
  const presets = (opt(args, '--presets') ?? 'original,default').split(',') as PresetName[];
  // dev experiments: --cfg train.averageLast=0.3 (JSON values) changes the default preset
  const overrides = args.flatMap((a, i) => (args[i - 1] === '--cfg' ? [a] : []));
  const load0 = loadavg();
  const ours: Record<string, unknown> = { set, target: meta.target, broadcastOthers: meta.broadcastOthers, broadcastSeconds: meta.seconds, seeds, ...(overrides.length ? { overrides } : {}) };
  const table: string[] = [];
  for (const preset of presets) {
    // the original is trained once (seed 0); our default once per seed
    for (const seed of preset === 'default' ? seeds : [0]) {
      const key = preset === 'default' && seeds.length > 1 ? `default-seed${seed}` : preset;
      const t0 = performance.now();
      const model = await trainSpeakerModel([targetDir], others, { preset, seed, configure: preset === 'default' ? (c) => applyOverrides(c, overrides) : undefined });
      const trainSeconds = (performance.now() - t0) / 1000;
      model.save(join(root, 'models', `${set}-${key}`));
      const h = model.meta.training.heldOut;
      const res: Record<string, unknown> = { seed, trainSeconds: round(trainSeconds, 1), threshold: round(model.meta.threshold), thresholdMode: model.config.detect.thresholdMode, heldOut: Object.fromEntries(Object.entries(h).map(([k, x]) => [k, typeof x === 'number' ? round(x) : x])) };
      // F1 at each threshold training could have chosen, from the same score curves
      const candidates: Record<string, number> = { model: model.meta.threshold, ...thresholdCandidates(h, model.config.detect.fixedThreshold) };
      const atCandidates: Record<string, Record<string, number>> = {};
      for (const v of Object.keys(VARIANTS) as Variant[]) {
        const r = await detectSpeaker(model, join(dir, VARIANTS[v]));
        res[v] = { ...summary(frameMetrics(r.segments, truth, r.duration)), nonSpeechFalseAlarmSeconds: nonSpeechFalseAlarm(r.segments, turns, r.duration) };
        const d = model.config.detect;
        for (const [name, thr] of Object.entries(candidates)) {
          const segs = mergeSegments(r.scores, r.gate, { threshold: thr, columnSeconds: r.columnSeconds, maxGap: d.maxGap, minDuration: d.minDuration });
          (atCandidates[name] ??= { threshold: round(thr) })[`${v}F1`] = round(frameMetrics(segs, truth, r.duration).f1);
        }
      }
      res['f1AtThresholds'] = atCandidates;
      const secs = await medianSeconds(() => detectSpeaker(model, join(dir, VARIANTS.clean)), 3);
      res['detectSeconds'] = round(secs, 2);
      res['timesRealTime'] = round(meta.seconds / secs, 0);
      ours[key] = res;
      table.push(row(`leanml ${key} (threshold ${round(model.meta.threshold)})`, res));
      model.dispose();
    }
  }
  if (seeds.length > 1 && presets.includes('default')) {
    const per = seeds.map((s) => ours[`default-seed${s}`] as Record<Variant, { f1: number }>);
    ours['defaultOverSeeds'] = Object.fromEntries((Object.keys(VARIANTS) as Variant[]).map((v) => {
      const f = per.map((p) => p[v].f1).sort((a, b) => a - b);
      return [v, { minF1: f[0], medianF1: f[Math.floor((f.length - 1) / 2)], maxF1: f[f.length - 1] }];
    }));
  }
  ours['backend'] = backendInfo();
  ours['loadAverageAtStart'] = load0.map((x) => round(x, 2));

  let reference: BenchResult['reference'] = null;
  let note: string | undefined;
  if (args.includes('--no-reference')) note = 'reference skipped (--no-reference)';
  else if (!havePython('torch', 'torchaudio')) note = 'PyTorch/torchaudio not installed for /usr/bin/python3; reference not run';
  else {
    reference = { tool: 'PyTorch/torchaudio (bench/speaker_reference.py)' };
    for (const method of ['original', 'mfcc']) {
      const files = Object.values(VARIANTS).map((f) => join(dir, f));
      const r = spawnSync('/usr/bin/python3', ['bench/speaker_reference.py', '--method', method, '--target', targetDir, '--others', ...others, '--detect', ...files, '--truth', ...files.map(() => join(dir, 'broadcast.rttm'))], { encoding: 'utf8', maxBuffer: 1 << 28 });
      if (r.status !== 0) throw new Error(`speaker_reference.py ${method} failed: ${r.stderr}`);
      const out = JSON.parse(r.stdout) as { torch: string; torchaudio: string; threads: number; trainSeconds: number; results: { seconds: number; duration: number; threshold: number; segments: Segment[] }[] };
      const res: Record<string, unknown> = { torch: out.torch, torchaudio: out.torchaudio, threads: out.threads, trainSeconds: round(out.trainSeconds, 1) };
      (Object.keys(VARIANTS) as Variant[]).forEach((v, i) => {
        const x = out.results[i]!;
        res[v] = { ...summary(frameMetrics(x.segments, truth, x.duration)), threshold: round(x.threshold), nonSpeechFalseAlarmSeconds: nonSpeechFalseAlarm(x.segments, turns, x.duration) };
      });
      res['detectSeconds'] = round(out.results[0]!.seconds, 2);
      res['timesRealTime'] = round(out.results[0]!.duration / out.results[0]!.seconds, 0);
      reference[method === 'original' ? 'original' : 'mfccBaselineTunedOnTest'] = res;
      table.push(row(method === 'original' ? 'PyTorch original (0.7)' : 'MFCC-mean cosine (threshold tuned on test)', res));
    }
  }
  const f1 = (o: unknown, v: Variant): number => ((o as Record<Variant, { f1: number }>)[v]).f1;
  const meanF1 = (o: unknown): number => (f1(o, 'clean') + f1(o, 'bed') + f1(o, 'channel')) / 3;
  // with several seeds, the worst seed's mean F1
  const defaults = Object.keys(ours).filter((k) => /^default(-seed\d+)?$/.test(k)).map((k) => ours[k]);
  const ratio = reference && defaults.length ? round(Math.min(...defaults.map(meanF1)) / Math.max(1e-9, meanF1(reference['original'])), 2) : null;
  ours['loadAverageAtEnd'] = loadavg().map((x) => round(x, 2));
  process.stderr.write(`speaker-eval (${set} set), frame F1 (precision/recall), 10 ms:\n${table.join('\n')}\n`);
  return {
    name: 'speaker-eval',
    ours,
    reference,
    ratio,
    note: note ?? 'ratio = mean frame F1 over clean, bed and channel variants, leanml default (worst seed) / PyTorch original; speed is in timesRealTime of each',
  };
}
