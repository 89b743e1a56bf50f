/**
 * audio-mel: log-mel (dB) of one hour of 44.1 kHz stereo 16-bit WAV at the defaults (downmix,
 * resample to 22,050 Hz, nFft 2048, hop 1024, 128 mels), `leanml audio mel` as a subprocess
 * against torchaudio 0.13 (torchaudio.load + mean + functional.resample + MelSpectrogram +
 * AmplitudeToDB + np.save) in the same run, alternating, medians of `--repeats` runs (default 3).
 * Both measured with GNU time (wall seconds, peak RSS). The outputs are compared too.
 * The input is generated once into bench/data/ (git-ignored).
 * Usage: npm run bench -- audio-mel [--seconds 3600] [--repeats 3]
 */
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWavHeader } from '../src/audio/wav-writer.js';
import { readNpy } from '../src/core/npy.js';
import { Rng } from '../src/core/rng.js';
import { havePython, timeCommand, type BenchResult } from './result.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const DATA = fileURLToPath(new URL('./data/', import.meta.url));

const REFERENCE = `
import sys, numpy as np, torch, torchaudio
import torchaudio.functional as AF, torchaudio.transforms as AT
w, sr = torchaudio.load(sys.argv[1])
x = w.mean(0)
del w
x = AF.resample(x, sr, 22050)
mel = AT.MelSpectrogram(sample_rate=22050, n_fft=2048, hop_length=1024, n_mels=128)(x)
np.save(sys.argv[2], np.ascontiguousarray(AT.AmplitudeToDB()(mel).numpy()))
print(torchaudio.__version__, torch.__version__, torch.get_num_threads())
`;

/** Writes `seconds` of 44.1 kHz stereo 16-bit audio: a voice-like pulsed harmonic tone plus noise, different per channel. */
function generate(path: string, seconds: number): void {
  const sr = 44100;
  const frames = sr * seconds;
  const tmp = `${path}.part`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, encodeWavHeader({ sampleRate: sr, channels: 2, frames, encoding: 'pcm16' }));
    const rng = new Rng(2024);
    const block = sr; // one second at a time
    const buf = new Int16Array(block * 2);
    for (let s = 0; s < seconds; s++) {
      const f0 = 110 + 90 * rng.next();
      for (let i = 0; i < block; i++) {
        const t = (s * block + i) / sr;
        const envelope = 0.5 + 0.5 * Math.sin(2 * Math.PI * 3 * t);
        const voice = envelope * (Math.sin(2 * Math.PI * f0 * t) + 0.5 * Math.sin(4 * Math.PI * f0 * t) + 0.25 * Math.sin(6 * Math.PI * f0 * t));
        buf[2 * i] = Math.round(6000 * voice + 800 * rng.normal());
        buf[2 * i + 1] = Math.round(4000 * voice + 1500 * rng.normal());
      }
      writeSync(fd, new Uint8Array(buf.buffer));
    }
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function run(args: string[]): Promise<BenchResult> {
  const opt = (name: string, dflt: number): number => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : dflt;
  };
  const seconds = opt('seconds', 3600);
  const repeats = opt('repeats', 3);
  mkdirSync(DATA, { recursive: true });
  const input = join(DATA, `audio-mel-${seconds}s-44100-stereo-s16.wav`);
  if (!existsSync(input)) {
    process.stderr.write(`audio-mel: generating ${seconds} s of 44.1 kHz stereo audio in ${input}\n`);
    generate(input, seconds);
  }
  const work = mkdtempSync(join(tmpdir(), 'leanml-bench-audio-'));
  try {
    const oursOut = join(work, 'ours.npy');
    const refOut = join(work, 'ref.npy');
    const haveRef = havePython('torch', 'torchaudio', 'numpy');
    const ours: Array<{ seconds: number; peakRssMiB: number }> = [];
    const ref: Array<{ seconds: number; peakRssMiB: number }> = [];
    let refVersion = '';
    for (let r = 0; r < repeats; r++) {
      const o = timeCommand(process.execPath, ['--import', 'tsx', MAIN, 'audio', 'mel', input, '--out', oursOut]);
      if (o.status !== 0) throw new Error(`leanml audio mel failed: ${o.stderr}`);
      ours.push(o);
      process.stderr.write(`audio-mel: run ${r + 1}/${repeats}: leanml ${o.seconds.toFixed(1)} s, ${o.peakRssMiB.toFixed(0)} MiB\n`);
      if (haveRef) {
        const t = timeCommand('/usr/bin/python3', ['-c', REFERENCE, input, refOut]);
        if (t.status !== 0) throw new Error(`torchaudio reference failed: ${t.stderr}`);
        refVersion = t.stdout.trim();
        ref.push(t);
        process.stderr.write(`audio-mel: run ${r + 1}/${repeats}: torchaudio ${t.seconds.toFixed(1)} s, ${t.peakRssMiB.toFixed(0)} MiB\n`);
      }
    }
    const mine = readNpy(oursOut);
    const oursFig = {
      seconds: median(ours.map((o) => o.seconds)),
      peakRssMiB: median(ours.map((o) => o.peakRssMiB)),
      shape: mine.shape,
      audioSeconds: seconds,
      runs: ours.length,
    };
    if (!haveRef) {
      return {
        name: 'audio-mel',
        ours: oursFig,
        reference: null,
        ratio: null,
        note: 'torchaudio not installed (/usr/bin/python3 with torch, torchaudio, numpy); apt-get install python3-torchaudio',
      };
    }
    const theirs = readNpy(refOut);
    let maxDiff = 0;
    for (let i = 0; i < theirs.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(mine.data[i]! - theirs.data[i]!));
    const [ta, torch, threads] = refVersion.split(' ');
    const refFig = {
      seconds: median(ref.map((o) => o.seconds)),
      peakRssMiB: median(ref.map((o) => o.peakRssMiB)),
      runs: ref.length,
      torchThreads: Number(threads),
    };
    return {
      name: 'audio-mel',
      ours: { ...oursFig, maxAbsDiffDbVsReference: maxDiff, sameShape: mine.shape.join() === theirs.shape.join() },
      reference: { tool: `torchaudio ${ta} (torch ${torch})`, ...refFig },
      ratio: refFig.seconds / oursFig.seconds,
      note: `ratio = torchaudio seconds / leanml seconds; peak memory ratio (torchaudio / leanml) = ${(refFig.peakRssMiB / oursFig.peakRssMiB).toFixed(1)}`,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
