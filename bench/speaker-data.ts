/**
 * Generates the speaker-spotting evaluation data: synthetic voices (Debian `flite` and
 * `espeak-ng`), resampled by `sox`, mixed here on float buffers into training material and
 * ~10 minute broadcasts with known truth (RTTM), plus two variants: the same
 * broadcast under a tonal music-like bed ~16 dB below the speech, and a channel-mismatched copy
 * with hiss above the speech band. Deterministic given the seed (the TTS engines are).
 *
 * Usage: node --import tsx bench/speaker-data.ts [--out bench/data/speaker] [--seed 1] [--sets dev,xlang] [--demo DIR] [--demo-model DIR]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_AUDIO } from '../src/audio/audio-defaults.js';
import { encodeWavHeader } from '../src/audio/wav-writer.js';
import { Rng } from '../src/core/rng.js';

/** Sample rate of everything generated (the speaker pipeline's native rate). */
export const SR = DEFAULT_AUDIO.sampleRate;

/** One synthetic voice: engine plus engine arguments. */
export interface Voice {
  id: string;
  engine: 'flite' | 'espeak';
  args: string[];
}

const flite = (name: string): Voice => ({ id: `flite-${name}`, engine: 'flite', args: ['-voice', name] });
const espeak = (voice: string, pitch: number, speed: number): Voice => ({
  id: `espeak-${voice.replace('+', '-')}-p${pitch}`,
  engine: 'espeak',
  args: ['-v', voice, '-p', String(pitch), '-s', String(speed)],
});

/**
 * One evaluation set: who the target is, whom training sees, and who else talks in the
 * broadcast. `dev` is what the method was tuned on; `eval` uses only voices never used in dev.
 */
export interface SetSpec {
  name: string;
  target: Voice;
  trainOthers: Voice[];
  /** Non-target voices of the broadcast; those not in `trainOthers` are unseen in training. */
  broadcastOthers: Voice[];
  /**
   * The target's voice variant in another espeak-ng language (same pitch and formants, another
   * language's phoneme rules and prosody reading the same words): half of the target's turns of
   * the cross-language broadcast. A stand-in for one person speaking two languages.
   */
  targetOtherLanguage?: Voice;
}

const DEV_ESPEAK = [
  espeak('en-us+m1', 45, 165),
  espeak('en-gb+f2', 55, 155),
  espeak('en-gb-scotland+m3', 40, 170),
  espeak('en-029+f4', 60, 160),
  espeak('en-us+m4', 35, 150),
];
const EVAL_ESPEAK = [
  espeak('en-gb-x-rp+m7', 50, 160),
  espeak('en-us-nyc+f1', 55, 170),
  espeak('en-gb+m2', 38, 155),
  espeak('en-029+f5', 62, 165),
  espeak('en-us+f3', 48, 150),
  espeak('en-gb-scotland+m6', 44, 175),
];

/**
 * `dev2` (added after the first `eval` run showed one training seed of three failing on
 * unseen voices): a harder development set — a flite target with an unseen flite voice and four
 * more unseen espeak voices among the non-targets. After that run, `eval` itself was used for
 * diagnosis (its failing net scored every voice under the bed as the target), so it counts as
 * development data from then on. `eval2`: the blind set that replaces it — a female target and
 * voices used in no other set (espeak-ng variants only: every flite voice is in dev, dev2 or
 * eval), two unseen female voices among the non-targets; run once, after every choice was made.
 * Its run showed a flaw of the set: espeak-ng's `belinda` variant is a near copy of its target
 * `linda` (same pitch range, same first two formants), so every method detected belinda as the
 * target. `eval3`: built after that run, before any other, with voices checked against each
 * other's variant definitions (pitch range and formants 0-3) so that no two are near copies;
 * every voice is new again. Its run showed that leanml's default (speech band 0-4 kHz only)
 * confused the target with an unseen voice the full-band original method separated, so eval3
 * too became development data. `eval4`: a male target, voices new again, none a near copy of
 * another or of a voice used before (near copy: every formant 0-3 within 5% and the pitch range
 * within 10%); run once, after the fix was chosen on the development sets.
 */
const DEV2_UNSEEN = [espeak('en-gb-x-gbclan+m5', 42, 160), espeak('en-us+Annie', 58, 165), espeak('en-gb+Andy', 47, 150)];
const EVAL2_TARGET = espeak('en-us+linda', 60, 165);
const EVAL2_ESPEAK = [
  espeak('en-gb-x-gbcwmd+m8', 46, 160),
  espeak('en-gb-x-rp+david', 40, 155),
  espeak('en-us+anika', 57, 170),
  espeak('en-gb-scotland+john', 44, 160),
  espeak('en-us-nyc+steph', 55, 150),
  espeak('en-029+norbert', 38, 170),
  espeak('en-us+belinda', 62, 165),
  espeak('en-gb+edward', 45, 155),
];
const EVAL3_TARGET = espeak('en-us+Alicia', 55, 165);
const EVAL3_ESPEAK = [
  espeak('en-gb+travis', 45, 160),
  espeak('en-us+grandma', 50, 150),
  espeak('en-gb-x-rp+victor', 42, 170),
  espeak('en-029+paul', 48, 155),
  espeak('en-us+Andrea', 55, 165),
  espeak('en-gb-scotland+robert', 40, 160),
  espeak('en-us-nyc+michel', 44, 170),
  espeak('en-gb+aunty', 58, 150),
];
const EVAL4_TARGET = espeak('en-us+Mario', 50, 160);
const EVAL4_ESPEAK = [
  espeak('en-gb+gustave', 45, 165),
  espeak('en-us+Denis', 52, 155),
  espeak('en-gb-x-rp+shelby', 50, 160),
  espeak('en-029+Gene', 46, 170),
  espeak('en-gb-scotland+sandro', 48, 160),
  espeak('en-us-nyc+antonio', 50, 165),
  espeak('en-us+Marco', 44, 155),
  espeak('en-gb+Nguyen', 50, 150),
];

/** `xlang`: a development set for identity across languages (English target, French copy). */
const XLANG_TARGET = espeak('en-us+f3', 52, 160);
const XLANG_OTHERS = [
  espeak('en-us+m1', 45, 165),
  espeak('en-gb+f2', 55, 155),
  espeak('fr+m4', 40, 160),
  espeak('en-029+f4', 60, 160),
  espeak('fr+f5', 58, 160),
];

export const SETS: SetSpec[] = [
  {
    name: 'dev',
    target: flite('kal16'),
    trainOthers: [flite('rms'), DEV_ESPEAK[0]!, DEV_ESPEAK[1]!, DEV_ESPEAK[2]!],
    broadcastOthers: [flite('rms'), DEV_ESPEAK[0]!, DEV_ESPEAK[3]!, DEV_ESPEAK[4]!],
  },
  {
    name: 'eval',
    target: flite('slt'),
    trainOthers: [EVAL_ESPEAK[0]!, EVAL_ESPEAK[1]!, EVAL_ESPEAK[2]!, EVAL_ESPEAK[3]!],
    broadcastOthers: [EVAL_ESPEAK[0]!, EVAL_ESPEAK[1]!, flite('awb'), EVAL_ESPEAK[4]!, EVAL_ESPEAK[5]!],
  },
  {
    name: 'dev2',
    target: flite('rms'),
    trainOthers: [DEV_ESPEAK[0]!, DEV_ESPEAK[1]!, DEV_ESPEAK[2]!, DEV_ESPEAK[3]!],
    broadcastOthers: [DEV_ESPEAK[0]!, DEV_ESPEAK[1]!, flite('kal16'), DEV_ESPEAK[4]!, ...DEV2_UNSEEN],
  },
  {
    name: 'eval2',
    target: EVAL2_TARGET,
    trainOthers: EVAL2_ESPEAK.slice(0, 4),
    broadcastOthers: [EVAL2_ESPEAK[0]!, EVAL2_ESPEAK[2]!, ...EVAL2_ESPEAK.slice(4)],
  },
  {
    name: 'eval3',
    target: EVAL3_TARGET,
    trainOthers: EVAL3_ESPEAK.slice(0, 4),
    broadcastOthers: [EVAL3_ESPEAK[0]!, EVAL3_ESPEAK[1]!, ...EVAL3_ESPEAK.slice(4)],
  },
  {
    name: 'eval4',
    target: EVAL4_TARGET,
    trainOthers: EVAL4_ESPEAK.slice(0, 4),
    broadcastOthers: [EVAL4_ESPEAK[0]!, EVAL4_ESPEAK[1]!, ...EVAL4_ESPEAK.slice(4)],
  },
  {
    name: 'xlang',
    target: XLANG_TARGET,
    targetOtherLanguage: espeak('fr+f3', 52, 160),
    trainOthers: [XLANG_OTHERS[0]!, XLANG_OTHERS[1]!, XLANG_OTHERS[2]!],
    broadcastOthers: [XLANG_OTHERS[0]!, XLANG_OTHERS[2]!, XLANG_OTHERS[3]!, XLANG_OTHERS[4]!, flite('awb')],
  },
];

const WORDS = (
  'the a of and to in is was for on that with as by at from it this be are have has had not but or an they we you he she ' +
  'his her their our its will would can could should may might must about after before over under between through during ' +
  'news report market city council weather morning evening today tomorrow yesterday week month year people government ' +
  'minister president company police school hospital river bridge road train station airport water energy price rate ' +
  'money budget plan project team game match season player coach result record number share growth public private ' +
  'local national world north south east west central new old large small high low early late first last next other ' +
  'said told asked announced expected reported confirmed described found made took gave showed opened closed started ' +
  'finished moved raised lowered increased decreased continued remained became seemed looked worked played called ' +
  'music film book story question answer problem change system service program support control policy decision ' +
  'traffic storm rain snow wind sunshine temperature degrees percent million thousand hundred dozen several many few ' +
  'three four five seven eight ten twelve twenty thirty forty fifty ninety always often sometimes never again still ' +
  'already quickly slowly clearly nearly almost really very quite rather perhaps indeed however meanwhile therefore'
).split(' ');

/** A sentence of 7-15 words from a fixed vocabulary. */
function sentence(rng: Rng): string {
  const n = 7 + rng.int(9);
  const w: string[] = [];
  for (let i = 0; i < n; i++) w.push(WORDS[rng.int(WORDS.length)]!);
  return `${w.join(' ')}.`;
}

/** Synthesises `text` with `voice`, returned mono float32 at SR with leading/trailing silence trimmed. */
export function synthesize(voice: Voice, text: string, work: string): Float32Array {
  const wav = join(work, 'tts.wav');
  const raw = join(work, 'tts.f32');
  const r = voice.engine === 'flite' ? spawnSync('flite', [...voice.args, '-t', text, '-o', wav]) : spawnSync('espeak-ng', [...voice.args, '-w', wav, text]);
  if (r.status !== 0) throw new Error(`${voice.engine} failed for ${voice.id}: ${r.stderr}`);
  const s = spawnSync('sox', [wav, '-t', 'f32', '-c', '1', '-r', String(SR), raw]);
  if (s.status !== 0) throw new Error(`sox failed: ${s.stderr}`);
  const buf = readFileSync(raw);
  return trimSilence(new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)));
}

/** Drops leading/trailing stretches whose 10 ms RMS is 40 dB below the clip's peak RMS. */
export function trimSilence(x: Float32Array): Float32Array {
  const win = Math.round(SR * 0.01);
  const n = Math.floor(x.length / win);
  const rms = new Float64Array(n);
  let peak = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = i * win; j < (i + 1) * win; j++) s += x[j]! * x[j]!;
    rms[i] = Math.sqrt(s / win);
    peak = Math.max(peak, rms[i]!);
  }
  let a = 0;
  let b = n - 1;
  while (a < n && rms[a]! < peak * 0.01) a++;
  while (b > a && rms[b]! < peak * 0.01) b--;
  return x.slice(a * win, (b + 1) * win);
}

/** RMS of the non-silent part (10 ms windows above -50 dB of peak), as a speech level. */
export function activeRms(x: Float32Array): number {
  const win = Math.round(SR * 0.01);
  let s = 0;
  let c = 0;
  let peak = 0;
  for (let i = 0; i < x.length; i++) peak = Math.max(peak, Math.abs(x[i]!));
  for (let i = 0; i + win <= x.length; i += win) {
    let e = 0;
    for (let j = i; j < i + win; j++) e += x[j]! * x[j]!;
    if (Math.sqrt(e / win) > peak * 0.003) {
      s += e;
      c += win;
    }
  }
  return c > 0 ? Math.sqrt(s / c) : 0;
}

export function scaleTo(x: Float32Array, rms: number): Float32Array {
  const r = activeRms(x);
  if (r > 0) for (let i = 0; i < x.length; i++) x[i]! *= rms / r;
  return x;
}

/** Speech level of every clip: -23 dBFS RMS (per-turn jitter of ±3 dB on top). */
export const SPEECH_RMS = 0.07;

/** Room tone: lowpassed white noise around -55 dBFS. */
export function roomTone(n: number, rng: Rng, rms = 0.0018): Float32Array {
  const out = new Float32Array(n);
  let y = 0;
  for (let i = 0; i < n; i++) {
    y = 0.97 * y + 0.03 * rng.normal();
    out[i] = y;
  }
  return scaleTo(out, rms);
}

/**
 * A tonal music-like bed: a slow chord progression of harmonic tones (fundamentals 110-440 Hz,
 * 5 harmonics falling off) with per-note attack/decay, scaled to `rms`.
 */
export function tonalBed(n: number, rng: Rng, rms: number): Float32Array {
  const out = new Float32Array(n);
  const chords = [
    [0, 4, 7],
    [5, 9, 12],
    [7, 11, 14],
    [-3, 0, 4],
    [2, 5, 9],
  ];
  const noteLen = Math.round(SR * 1.6);
  for (let start = 0; start < n; start += noteLen) {
    const chord = chords[rng.int(chords.length)]!;
    const root = 110 * 2 ** (rng.int(12) / 12);
    for (const semi of chord) {
      const f0 = root * 2 ** (semi / 12) * (rng.next() < 0.3 ? 2 : 1);
      const phase = rng.next() * 2 * Math.PI;
      const end = Math.min(n, start + noteLen + Math.round(SR * 0.3));
      for (let i = start; i < end; i++) {
        const t = (i - start) / SR;
        const env = Math.min(1, t / 0.05) * Math.exp(-t * 0.8);
        let v = 0;
        for (let h = 1; h <= 5; h++) if (f0 * h < SR / 2) v += Math.sin(2 * Math.PI * f0 * h * t + phase * h) / (h * h);
        out[i]! += env * v;
      }
    }
  }
  return scaleTo(out, rms);
}

/** White noise highpassed at `cutoff` (4th order Butterworth as two biquads), scaled to `rms`. */
export function hiss(n: number, rng: Rng, rms: number, cutoff = 5000): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal();
  for (const q of [0.5412, 1.3066]) {
    const w0 = (2 * Math.PI * cutoff) / SR;
    const alpha = Math.sin(w0) / (2 * q);
    const cos = Math.cos(w0);
    const a0 = 1 + alpha;
    const b0 = (1 + cos) / 2 / a0,
      b1 = -(1 + cos) / a0,
      b2 = (1 + cos) / 2 / a0,
      a1 = (-2 * cos) / a0,
      a2 = (1 - alpha) / a0;
    let x1 = 0,
      x2 = 0,
      y1 = 0,
      y2 = 0;
    for (let i = 0; i < n; i++) {
      const x0 = out[i]!;
      const y0 = b0 * x0 + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
      x2 = x1;
      x1 = x0;
      y2 = y1;
      y1 = y0;
      out[i] = y0;
    }
  }
  return scaleTo(out, rms);
}

/** Writes mono 16-bit PCM WAV (clipped to [-1, 1]); the header is `encodeWavHeader`'s. */
export function writeWav16(path: string, x: Float32Array, sr = SR): void {
  const header = encodeWavHeader({ sampleRate: sr, channels: 1, frames: x.length, encoding: 'pcm16' });
  const buf = Buffer.alloc(header.length + x.length * 2);
  buf.set(header, 0);
  for (let i = 0; i < x.length; i++) buf.writeInt16LE(Math.round(Math.max(-1, Math.min(1, x[i]!)) * 32767), header.length + i * 2);
  writeFileSync(path, buf);
}

export function add(dst: Float32Array, src: Float32Array, at = 0, gain = 1): void {
  const n = Math.min(src.length, dst.length - at);
  for (let i = 0; i < n; i++) dst[at + i]! += gain * src[i]!;
}

/** A turn: 1-3 sentences by one voice with short pauses between them, scaled to the speech level. */
function turn(voice: Voice, rng: Rng, work: string, maxSentences = 3): Float32Array {
  const parts: Float32Array[] = [];
  const k = 1 + rng.int(maxSentences);
  for (let i = 0; i < k; i++) {
    if (i > 0) parts.push(new Float32Array(Math.round(SR * rng.uniform(0.15, 0.4))));
    parts.push(scaleTo(synthesize(voice, sentence(rng), work), SPEECH_RMS));
  }
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  const g = 10 ** (rng.uniform(-3, 3) / 20);
  for (let i = 0; i < out.length; i++) out[i]! *= g;
  return out;
}

/** One truth turn of the broadcast. */
export interface TruthTurn {
  start: number;
  end: number;
  speaker: string;
}

/** RTTM lines as pyannote writes them: `SPEAKER uri 1 start dur <NA> <NA> label <NA> <NA>`. */
export function truthRttm(uri: string, turns: TruthTurn[]): string {
  return turns.map((t) => `SPEAKER ${uri} 1 ${t.start.toFixed(3)} ${(t.end - t.start).toFixed(3)} <NA> <NA> ${t.speaker} <NA> <NA>\n`).join('');
}

/** Writes one speaker's training clips (`seconds` of speech, one WAV per sentence group). */
function writeTrainingClips(dir: string, voice: Voice, seconds: number, rng: Rng, work: string): void {
  mkdirSync(dir, { recursive: true });
  let total = 0;
  for (let i = 0; total < seconds; i++) {
    const t = turn(voice, rng, work);
    const clip = new Float32Array(t.length + SR);
    add(clip, roomTone(clip.length, rng), 0);
    add(clip, t, Math.round(SR * 0.5));
    writeWav16(join(dir, `${String(i).padStart(3, '0')}.wav`), clip);
    total += t.length / SR;
  }
}

interface BroadcastOptions {
  seconds: number;
  targetShare: number;
  musicBreaks: boolean;
  maxSentences?: number /** Half of the target's turns spoken by this voice (truth: still the target). */;
  cross?: Voice;
}

/** Builds the clean broadcast (room tone, silences, a few music-only breaks) and its truth. */
function broadcast(spec: SetSpec, rng: Rng, work: string, opts: BroadcastOptions): { speech: Float32Array; music: Float32Array; turns: TruthTurn[] } {
  const n = Math.round(opts.seconds * SR);
  const speech = new Float32Array(n);
  const music = new Float32Array(n);
  const turns: TruthTurn[] = [];
  let t = rng.uniform(1, 3);
  let last = '';
  while (t < opts.seconds - 2) {
    // now and then a long silence or a music-only break
    const r = rng.next();
    if (r < 0.06) {
      t += rng.uniform(3, 8);
      continue;
    }
    if (opts.musicBreaks && r < 0.1) {
      const len = rng.uniform(4, 8);
      add(music, tonalBed(Math.round(len * SR), rng, SPEECH_RMS * 0.5), Math.round(t * SR));
      t += len + rng.uniform(0.5, 1.5);
      continue;
    }
    let voice = rng.next() < opts.targetShare ? spec.target : spec.broadcastOthers[rng.int(spec.broadcastOthers.length)]!;
    if (voice.id === last) voice = voice === spec.target ? spec.broadcastOthers[rng.int(spec.broadcastOthers.length)]! : spec.target;
    const x = turn(voice === spec.target && opts.cross && rng.next() < 0.5 ? opts.cross : voice, rng, work, opts.maxSentences);
    const at = Math.round(t * SR);
    if (at + x.length >= n) {
      if (opts.maxSentences === 1) {
        t += 0.5;
        if (t > opts.seconds - 4) break;
        continue;
      }
      break;
    }
    add(speech, x, at);
    turns.push({ start: at / SR, end: (at + x.length) / SR, speaker: voice === spec.target ? 'target' : voice.id });
    last = voice.id;
    t = (at + x.length) / SR + rng.uniform(0.3, 1.5);
  }
  return { speech, music, turns };
}

/** Generates one set under `root/<name>/`. */
export function generateSet(
  root: string,
  spec: SetSpec,
  seed: number,
  opts: { broadcastSeconds?: number; targetSeconds?: number; otherSeconds?: number } = {},
): void {
  const dir = join(root, spec.name);
  const work = mkdtempSync(join(tmpdir(), 'leanml-speaker-gen-'));
  try {
    const rng = new Rng(seed);
    writeTrainingClips(join(dir, 'train', 'target'), spec.target, opts.targetSeconds ?? 120, rng, work);
    for (const v of spec.trainOthers) writeTrainingClips(join(dir, 'train', 'others', v.id), v, opts.otherSeconds ?? 60, rng, work);
    const seconds = opts.broadcastSeconds ?? 600;
    const { speech, music, turns } = broadcast(spec, rng, work, { seconds, targetShare: 0.35, musicBreaks: true });
    const base = roomTone(speech.length, rng);
    add(base, speech);
    add(base, music);
    writeWav16(join(dir, 'broadcast.wav'), base);
    // the target (and everyone) under a tonal bed 16 dB below the speech level, throughout
    const bed = base.slice();
    add(bed, tonalBed(bed.length, rng, SPEECH_RMS * 10 ** (-16 / 20)));
    writeWav16(join(dir, 'broadcast-bed.wav'), bed);
    // channel mismatch: hiss above the speech band (>5 kHz) 12 dB below the speech level
    const chan = base.slice();
    add(chan, hiss(chan.length, rng, SPEECH_RMS * 10 ** (-12 / 20)));
    writeWav16(join(dir, 'broadcast-channel.wav'), chan);
    writeFileSync(join(dir, 'broadcast.rttm'), truthRttm('broadcast', turns));
    const files: Record<string, string | { audio: string; truth: string }> = {
      clean: 'broadcast.wav',
      bed: 'broadcast-bed.wav',
      channel: 'broadcast-channel.wav',
      truth: 'broadcast.rttm',
    };
    if (spec.targetOtherLanguage) {
      const c = broadcast(spec, rng, work, { seconds, targetShare: 0.35, musicBreaks: true, cross: spec.targetOtherLanguage });
      const x = roomTone(c.speech.length, rng);
      add(x, c.speech);
      add(x, c.music);
      writeWav16(join(dir, 'broadcast-cross.wav'), x);
      writeFileSync(join(dir, 'broadcast-cross.rttm'), truthRttm('broadcast-cross', c.turns));
      files['cross'] = { audio: 'broadcast-cross.wav', truth: 'broadcast-cross.rttm' };
    }
    const seen = new Set(spec.trainOthers.map((v) => v.id));
    writeFileSync(
      join(dir, 'meta.json'),
      `${JSON.stringify(
        {
          seed,
          sampleRate: SR,
          seconds,
          target: spec.target.id,
          trainOthers: spec.trainOthers.map((v) => v.id),
          broadcastOthers: spec.broadcastOthers.map((v) => ({ id: v.id, seenInTraining: seen.has(v.id) })),
          targetSeconds: turns.filter((t) => t.speaker === 'target').reduce((s, t) => s + t.end - t.start, 0),
          targetOtherLanguage: spec.targetOtherLanguage?.id ?? null,
          files,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The small bundled demo example (< 2 MB at 16 kHz): a short target clip, one other voice, and
 * a 30 s broadcast with its truth.
 */
export function generateDemo(dir: string, seed = 7): void {
  const work = mkdtempSync(join(tmpdir(), 'leanml-speaker-gen-'));
  try {
    const rng = new Rng(seed);
    const spec: SetSpec = {
      name: 'demo',
      target: flite('rms'),
      trainOthers: [flite('kal16'), DEV_ESPEAK[1]!],
      broadcastOthers: [flite('kal16'), DEV_ESPEAK[4]!],
    };
    mkdirSync(dir, { recursive: true });
    const gather = (v: Voice, seconds: number): Float32Array => {
      const parts: Float32Array[] = [];
      let total = 0;
      while (total < seconds) {
        const t = turn(v, rng, work, 1);
        parts.push(t, new Float32Array(Math.round(SR * 0.4)));
        total += t.length / SR;
      }
      const out = roomTone(
        parts.reduce((s, p) => s + p.length, 0),
        rng,
      );
      let o = 0;
      for (const p of parts) {
        add(out, p, o);
        o += p.length;
      }
      return out;
    };
    const to16k = (name: string, x: Float32Array): void => {
      const tmp = join(work, 'x.wav');
      writeWav16(tmp, x);
      const r = spawnSync('sox', [tmp, '-b', '16', '-r', '16000', join(dir, name)]);
      if (r.status !== 0) throw new Error(`sox failed: ${r.stderr}`);
    };
    to16k('target.wav', gather(spec.target, 9));
    mkdirSync(join(dir, 'others'), { recursive: true });
    for (const v of spec.trainOthers) to16k(`others/${v.id}.wav`, gather(v, 4));
    const { speech, music, turns } = broadcast(spec, rng, work, { seconds: 30, targetShare: 0.45, musicBreaks: false, maxSentences: 1 });
    const base = roomTone(speech.length, rng);
    add(base, speech);
    add(base, music);
    to16k('broadcast.wav', base);
    writeFileSync(join(dir, 'broadcast.rttm'), truthRttm('broadcast', turns));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Generates every set under `root` unless already there (a `meta.json` marks a finished set). */
export function ensureSpeakerData(root: string, seed = 1, names?: string[]): void {
  for (const [i, spec] of SETS.entries()) {
    if (names && !names.includes(spec.name)) continue;
    if (existsSync(join(root, spec.name, 'meta.json'))) continue;
    process.stderr.write(`speaker-data: generating ${spec.name} set under ${root}\n`);
    generateSet(root, spec, seed * 1000 + i);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: string): string => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
  };
  if (args.includes('--demo-model')) {
    // the demo's bundled model: the default preset trained on the bundled clips
    const dir = opt('--demo-model', 'data/speaker-demo');
    const { trainSpeakerModel } = await import('../src/speaker/index.js');
    const model = await trainSpeakerModel(
      [join(dir, 'target.wav')],
      readdirSync(join(dir, 'others'))
        .sort()
        .map((f) => join(dir, 'others', f)),
      { preset: 'default', log: (l) => process.stderr.write(`${l}\n`) },
    );
    // ~12 s of target speech leave too few held-out frames for a calibrated threshold (the
    // held-out estimate came out at 0.989 and detected nothing); the demo uses the fixed 0.7
    model.meta.threshold = model.config.detect.fixedThreshold;
    model.save(join(dir, 'model'));
    process.stderr.write(`speaker-data: demo model in ${join(dir, 'model')} (threshold ${model.meta.threshold.toFixed(3)})\n`);
  } else if (args.includes('--demo')) generateDemo(opt('--demo', 'data/speaker-demo'));
  else ensureSpeakerData(opt('--out', 'bench/data/speaker'), Number(opt('--seed', '1')), args.includes('--sets') ? opt('--sets', '').split(',') : undefined);
}
