/**
 * speaker-eval: frame-level precision / recall / F1 (10 ms) and detection error rate of the
 * original preset and leanml's default on the evaluation set (target and voices never used in
 * development; see bench/speaker-data.ts), on the clean broadcast, the broadcast under a tonal
 * bed 16 dB below the speech, and a channel-mismatched copy (hiss above the speech band);
 * detection speed (times real time, in-process, median of 3) and training time; and the
 * original method in PyTorch/torchaudio (bench/speaker_reference.py) plus an MFCC-mean cosine
 * baseline, run on the same data in the same run.
 *
 * Usage: npm run bench -- speaker-eval [--set eval|dev] [--no-reference]
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { backendInfo } from '../src/nn/index.js';
import { detectSpeaker, frameMetrics, readRttm, trainSpeakerModel, type FrameMetrics, type PresetName, type Segment } from '../src/speaker/index.js';
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

  const ours: Record<string, unknown> = { set, target: meta.target, broadcastOthers: meta.broadcastOthers, broadcastSeconds: meta.seconds };
  for (const preset of ['original', 'default'] as PresetName[]) {
    const t0 = performance.now();
    const model = await trainSpeakerModel([targetDir], others, { preset });
    const trainSeconds = (performance.now() - t0) / 1000;
    model.save(join(root, 'models', `${set}-${preset}`));
    const res: Record<string, unknown> = { trainSeconds: round(trainSeconds, 1), threshold: round(model.meta.threshold), heldOutEer: round(model.meta.training.heldOut.eer) };
    for (const v of Object.keys(VARIANTS) as Variant[]) {
      const r = await detectSpeaker(model, join(dir, VARIANTS[v]));
      res[v] = { ...summary(frameMetrics(r.segments, truth, r.duration)), nonSpeechFalseAlarmSeconds: nonSpeechFalseAlarm(r.segments, turns, r.duration) };
      if (v === 'clean' && preset === 'default') {
        // the original's decision rule on this model's score, for the record
        res['cleanAtFixed0.7'] = summary(frameMetrics((await detectSpeaker(model, join(dir, VARIANTS[v]), { threshold: 0.7 })).segments, truth, r.duration));
      }
    }
    const secs = await medianSeconds(() => detectSpeaker(model, join(dir, VARIANTS.clean)), 3);
    res['detectSeconds'] = round(secs, 2);
    res['timesRealTime'] = round(meta.seconds / secs, 0);
    ours[preset] = res;
    model.dispose();
  }
  ours['backend'] = backendInfo();

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
    }
  }
  const f1 = (o: unknown, v: Variant): number => ((o as Record<Variant, { f1: number }>)[v]).f1;
  const meanF1 = (o: unknown): number => (f1(o, 'clean') + f1(o, 'bed') + f1(o, 'channel')) / 3;
  const ratio = reference ? round(meanF1(ours['default']) / Math.max(1e-9, meanF1(reference['original'])), 2) : null;
  return {
    name: 'speaker-eval',
    ours,
    reference,
    ratio,
    note: note ?? 'ratio = mean frame F1 over clean, bed and channel variants, leanml default / PyTorch original; speed is in timesRealTime of each',
  };
}
