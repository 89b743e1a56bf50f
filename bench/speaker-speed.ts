/**
 * speaker-speed: what `leanml speaker detect --model DIR FILE` costs a user — the CLI as a
 * process (start-up, model load, decode, resample, mel, the nets, segments), wall seconds, CPU
 * seconds and peak RSS measured with GNU time — on a 10-minute and a one-hour recording, as
 * 44.1 kHz stereo 16-bit WAV and as 128 kbit/s MP3 (decoded by ffmpeg), alternating with the
 * original method in PyTorch/torchaudio (bench/speaker_reference.py, 2 threads) on the same
 * files in the same run. The reference is timed two ways: its process (which also imports torch
 * and trains a few steps) and, the headline, its own in-process detection time (load, resample,
 * mel, net, segments), which favours it.
 *
 * The recordings are built once into bench/data/speaker-speed/ (git-ignored) by concatenating
 * the bundled demo broadcast and clips, espeak-ng and flite speech and sox-synthesised music.
 * Needs a built CLI (`npm run build`), ffmpeg, sox, espeak-ng and flite.
 *
 * Usage: npm run -s bench -- speaker-speed [--seconds 600,3600] [--formats wav,mp3] [--repeats 3]
 *        [--reference-repeats 1] [--model data/speaker-demo/model] [--no-reference]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { haveTool, havePython, timeCommand, type BenchResult } from './result.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const DATA = join(ROOT, 'bench', 'data', 'speaker-speed');
const DEMO = join(ROOT, 'data', 'speaker-demo');

const TEXT = [
  'The committee met on Tuesday to discuss the new budget for the river bridge and the train station. Several members asked why the price of energy had risen so quickly over the winter, and the minister promised a full report before the summer.',
  'In other news, the local school will open a new library next month. Teachers said the students had waited a long time for a quiet place to read, and parents offered to help paint the walls and carry the books.',
];

function exec(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`speaker-speed: ${cmd} ${args.join(' ')} failed: ${r.error?.message ?? r.stderr}`);
}

/** About four minutes of 44.1 kHz stereo material: demo clips, TTS speech, synthetic music. */
function baseMaterial(dir: string): string {
  const base = join(dir, 'base.wav');
  if (existsSync(base)) return base;
  const work = join(dir, 'work');
  mkdirSync(work, { recursive: true });
  const clip = (name: string) => join(work, name);
  exec('espeak-ng', ['-v', 'en-us', '-s', '160', '-w', clip('e1.wav'), `${TEXT[0]} ${TEXT[1]}`]);
  exec('espeak-ng', ['-v', 'en-gb+f3', '-s', '150', '-w', clip('e2.wav'), `${TEXT[1]} ${TEXT[0]}`]);
  exec('flite', ['-voice', 'slt', '-t', TEXT[0]!, '-o', clip('f1.wav')]);
  exec('flite', ['-voice', 'rms', '-t', `${TEXT[0]} ${TEXT[1]}`, '-o', clip('f2.wav')]);
  // synthetic music, mono at 22,050 Hz (joined and resampled with the rest below)
  const synth = (out: string, effects: string) => exec('sox', ['-n', '-r', '22050', '-c', '1', out, ...effects.split(' ')]);
  synth(clip('m1.wav'), 'synth 30 pluck C4 pluck E4 pluck G4 remix - fade 0.5 30 0.5 gain -12');
  synth(clip('m2.wav'), 'synth 25 sine 220 sine 277 sine 330 tremolo 3 40 remix - gain -15');
  const order = [
    join(DEMO, 'broadcast.wav'),
    clip('e1.wav'),
    clip('m1.wav'),
    join(DEMO, 'target.wav'),
    clip('f1.wav'),
    clip('e2.wav'),
    clip('m2.wav'),
    join(DEMO, 'others', 'espeak-en-gb-f2-p55.wav'),
    join(DEMO, 'others', 'flite-kal16.wav'),
    clip('f2.wav'),
  ];
  const parts = order.map((f, i) => {
    const out = clip(`p${String(i).padStart(2, '0')}.wav`);
    exec('sox', [f, '-r', '44100', '-c', '2', '-b', '16', out]);
    return out;
  });
  exec('sox', [...parts, `${base}.part.wav`]);
  renameSync(`${base}.part.wav`, base);
  rmSync(work, { recursive: true, force: true });
  return base;
}

/** `seconds` of the base material repeated, as WAV (44.1 kHz stereo 16-bit) or MP3 (128 kbit/s). */
export function recording(seconds: number, format: 'wav' | 'mp3'): string {
  mkdirSync(DATA, { recursive: true });
  const out = join(DATA, `broadcast-${seconds}s.${format}`);
  if (existsSync(out)) return out;
  const base = baseMaterial(DATA);
  const list = join(DATA, `list-${seconds}.txt`);
  writeFileSync(list, Array.from({ length: Math.ceil(seconds / 200) + 1 }, () => `file '${base.replace(/'/g, "'\\''")}'\n`).join(''));
  const codec = format === 'wav' ? ['-c:a', 'pcm_s16le'] : ['-c:a', 'libmp3lame', '-b:a', '128k'];
  const tmp = join(DATA, `part-${seconds}.${format}`);
  exec('ffmpeg', ['-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-t', String(seconds), ...codec, tmp]);
  renameSync(tmp, out);
  rmSync(list);
  return out;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;
const opt = (args: string[], name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

export async function run(args: string[]): Promise<BenchResult> {
  for (const t of ['ffmpeg', 'sox', 'espeak-ng', 'flite', '/usr/bin/time']) {
    if (!haveTool(t)) throw new Error(`speaker-speed: needs ${t} (apt-get install ${t === '/usr/bin/time' ? 'time' : t})`);
  }
  if (!existsSync(MAIN)) throw new Error('speaker-speed: no built CLI (dist/cli/main.js); run npm run build first');
  const sizes = (opt(args, '--seconds') ?? '600,3600').split(',').map(Number);
  const formats = (opt(args, '--formats') ?? 'wav,mp3').split(',') as ('wav' | 'mp3')[];
  const repeats = Number(opt(args, '--repeats') ?? 3);
  const model = opt(args, '--model') ?? join(DEMO, 'model');
  const withRef = !args.includes('--no-reference') && havePython('torch', 'torchaudio');
  const load0 = loadavg().map((x) => round(x));

  // start-up and model load alone: a 3 s file
  const tiny = join(DATA, 'tiny-3s.wav');
  if (!existsSync(tiny)) {
    mkdirSync(DATA, { recursive: true });
    exec('sox', [join(DEMO, 'broadcast.wav'), tiny, 'trim', '0', '3']);
  }
  const startup = Array.from({ length: repeats }, () => timeCommand(process.execPath, [MAIN, 'speaker', 'detect', '--model', model, tiny]).seconds);

  const ours: Record<string, unknown> = {
    command: 'leanml speaker detect --model MODEL FILE (dist/cli/main.js)',
    model: relative(ROOT, model),
    startupAndLoadSeconds: round(median(startup)),
  };
  const reference: { tool: string } & Record<string, unknown> = { tool: 'PyTorch/torchaudio original method (bench/speaker_reference.py, 2 threads)' };
  const ratios: number[] = [];
  const files = sizes.flatMap((seconds) => formats.map((format) => ({ seconds, format, key: `${seconds}s-${format}`, path: recording(seconds, format) })));
  const refRepeats = Number(opt(args, '--reference-repeats') ?? 1);
  // the reference once per round over all files (one torch import and training each): its own in-process detection time per file
  const refIn = new Map<string, number[]>();
  const refWall: number[] = [];
  const rounds = Math.max(repeats, withRef ? refRepeats : 0);
  const results = new Map<string, { walls: number[]; cpus: number[]; rss: number[]; segments: number }>();
  for (let i = 0; i < rounds; i++) {
    if (i < repeats) {
      for (const f of files) {
        const o = timeCommand(process.execPath, [MAIN, 'speaker', 'detect', '--model', model, f.path]);
        if (o.status !== 0) throw new Error(`speaker-speed: leanml failed on ${f.path}: ${o.stderr}`);
        const r = results.get(f.key) ?? { walls: [], cpus: [], rss: [], segments: -1 };
        r.walls.push(o.seconds);
        r.cpus.push(o.cpuSeconds);
        r.rss.push(o.peakRssMiB);
        r.segments = (JSON.parse(o.stdout) as { segments: unknown[] }).segments.length;
        results.set(f.key, r);
      }
    }
    if (withRef && i < refRepeats) {
      const r = timeCommand('/usr/bin/python3', [
        join(ROOT, 'bench', 'speaker_reference.py'),
        '--target',
        join(DEMO, 'target.wav'),
        '--others',
        join(DEMO, 'others'),
        '--steps',
        '20',
        '--detect',
        ...files.map((f) => f.path),
      ]);
      if (r.status !== 0) throw new Error(`speaker-speed: speaker_reference.py failed: ${r.stderr}`);
      const out = JSON.parse(r.stdout) as { results: { seconds: number }[] };
      files.forEach((f, k) => refIn.set(f.key, [...(refIn.get(f.key) ?? []), out.results[k]!.seconds]));
      refWall.push(r.seconds);
    }
  }
  for (const f of files) {
    const r = results.get(f.key)!;
    const wall = median(r.walls);
    ours[f.key] = {
      audioSeconds: f.seconds,
      wallSeconds: round(wall),
      cpuSeconds: round(median(r.cpus)),
      timesRealTime: Math.round(f.seconds / wall),
      peakRssMiB: round(median(r.rss), 1),
      segments: r.segments,
      runs: repeats,
    };
    if (withRef) {
      const ref = median(refIn.get(f.key)!);
      reference[f.key] = { detectSecondsInProcess: round(ref), timesRealTimeInProcess: Math.round(f.seconds / ref), runs: refRepeats };
      ratios.push(ref / wall);
    }
  }
  if (withRef) reference['processWallSecondsAllFilesWithImportAndTraining'] = round(median(refWall));
  ours['loadAverageAtStart'] = load0;
  ours['loadAverageAtEnd'] = loadavg().map((x) => round(x));
  return {
    name: 'speaker-speed',
    ours,
    reference: withRef ? reference : null,
    ratio: withRef ? round(Math.min(...ratios)) : null,
    note: withRef
      ? 'ratio = worst over files of (reference in-process detection seconds / leanml CLI process wall seconds); leanml includes start-up and model load, the reference does not'
      : 'reference not run (--no-reference, or PyTorch/torchaudio missing for /usr/bin/python3)',
  };
}
