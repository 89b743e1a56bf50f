/**
 * @module
 * `leanml audio ...`: decode, resample, mel spectrograms equal to torchaudio.
 */
import { Option, type Command } from 'commander';
import { writeNpy } from '../core/npy.js';
import { UsageError } from '../core/errors.js';
import {
  audioInfo,
  DEFAULT_AUDIO,
  DEFAULT_MEL,
  loadMono,
  logMelFile,
  withInputFile,
  writeWav,
  type LogKind,
  type MelNorm,
  type MelScale,
} from '../audio/index.js';
import { addGroup } from './group.js';
import { floatArg, intArg } from './options.js';

interface MelCliOptions {
  out: string;
  sampleRate: number;
  nFft: number;
  winLength?: number;
  hopLength: number;
  nMels: number;
  fMin: number;
  fMax?: number;
  melScale: MelScale;
  norm: MelNorm;
  padMode: 'reflect' | 'constant';
  power: number;
  log: LogKind;
  topDb?: number;
  amin: number;
  logOffset: number;
}

export function registerAudio(program: Command): void {
  const audio = addGroup(program, 'audio', 'decode, resample, mel spectrograms equal to torchaudio');

  audio
    .command('info')
    .description('container, codec, sample rate, channels and duration of an audio file, as JSON')
    .argument('[file]', 'audio file (WAV natively, anything else through ffmpeg); - for stdin', '-')
    .action(async (file: string) => {
      const info = await withInputFile(file, (p) => audioInfo(p));
      process.stdout.write(`${JSON.stringify({ ...info, path: file }, null, 2)}\n`);
    });

  audio
    .command('mel')
    .description('log-mel spectrogram as a float32 .npy of shape (n_mels, frames); the input is downmixed and resampled first')
    .argument('[file]', 'audio file; - for stdin', '-')
    .requiredOption('--out <file.npy>', 'output .npy')
    .option('--sample-rate <hz>', 'resample to this rate first', intArg(1), DEFAULT_AUDIO.sampleRate)
    .option('--n-fft <n>', 'FFT size', intArg(1), DEFAULT_AUDIO.nFft)
    .option('--win-length <n>', 'Hann window length (default: n-fft)', intArg(1))
    .option('--hop-length <n>', 'samples between frames', intArg(1), DEFAULT_AUDIO.hopLength)
    .option('--n-mels <n>', 'mel bins', intArg(1), DEFAULT_AUDIO.nMels)
    .option('--f-min <hz>', 'lowest filter frequency', floatArg(0), DEFAULT_MEL.fMin)
    .option('--f-max <hz>', 'highest filter frequency (default: sample-rate / 2)', floatArg(0))
    .addOption(new Option('--mel-scale <scale>', 'mel scale').choices(['htk', 'slaney']).default(DEFAULT_MEL.melScale))
    .addOption(new Option('--norm <norm>', 'filter normalisation').choices(['none', 'slaney']).default(DEFAULT_MEL.norm))
    .addOption(new Option('--pad-mode <mode>', 'padding of the centred STFT').choices(['reflect', 'constant']).default(DEFAULT_MEL.padMode))
    .option('--power <p>', 'exponent of the magnitude (2 = power, 1 = magnitude)', floatArg(Number.MIN_VALUE), DEFAULT_MEL.power)
    .addOption(new Option('--log <kind>', 'log compression: dB (AmplitudeToDB), ln(x + offset) or none').choices(['none', 'db', 'ln']).default(DEFAULT_MEL.log))
    .option('--top-db <db>', 'with --log db: floor at max - top-db over the whole file', floatArg(0))
    .option('--amin <x>', 'with --log db: clamp below this before the log', floatArg(Number.MIN_VALUE), DEFAULT_MEL.amin)
    .option('--log-offset <x>', 'with --log ln: added before the log', floatArg(0), DEFAULT_MEL.logOffset)
    .action(async (file: string, o: MelCliOptions) => {
      if (!o.out.endsWith('.npy')) throw new UsageError(`audio mel: --out must end in .npy, got '${o.out}'`);
      const mel = await withInputFile(file, (p) =>
        logMelFile(p, {
          sampleRate: o.sampleRate,
          nFft: o.nFft,
          winLength: o.winLength,
          hopLength: o.hopLength,
          nMels: o.nMels,
          fMin: o.fMin,
          fMax: o.fMax,
          melScale: o.melScale,
          norm: o.norm,
          padMode: o.padMode,
          power: o.power,
          log: o.log,
          topDb: o.topDb,
          amin: o.amin,
          stype: o.power === 1 ? 'magnitude' : 'power',
          logOffset: o.logOffset,
        }),
      );
      writeNpy(o.out, mel.data, [mel.nMels, mel.nFrames]);
      process.stderr.write(`wrote ${o.out}: (${mel.nMels}, ${mel.nFrames}) float32\n`);
    });

  audio
    .command('resample')
    .description('decode, downmix to mono and resample (torchaudio sinc_interp_hann); .wav = 32-bit float WAV, .npy = float32 samples')
    .argument('[file]', 'audio file; - for stdin', '-')
    .requiredOption('--sr <hz>', 'target sample rate', intArg(1))
    .requiredOption('--out <file>', 'output .wav or .npy')
    .action(async (file: string, o: { sr: number; out: string }) => {
      const isWav = o.out.endsWith('.wav');
      if (!isWav && !o.out.endsWith('.npy')) throw new UsageError(`audio resample: --out must end in .wav or .npy, got '${o.out}'`);
      const x = await withInputFile(file, (p) => loadMono(p, o.sr));
      if (isWav) writeWav(o.out, [x], o.sr);
      else writeNpy(o.out, x, [x.length]);
      process.stderr.write(`wrote ${o.out}: ${x.length} samples at ${o.sr} Hz\n`);
    });
}
