/**
 * Builds speaker-spotting sets from recorded human voices that Debian ships (Asterisk prompt
 * sets, game music): a target's short prompt files as enrolment clips (1-4 s each, as real
 * enrolment material often is), other speakers' clips, and ~10 minute broadcasts with known
 * truth (RTTM) made of *other* files of the same people: clean, under a real music bed 14 dB
 * below the speech, and (where one person exists in two languages) a copy in which half of the
 * target's turns are that person speaking the other language. Everything is band-limited to
 * the telephone band (8 kHz sampling) so the recording channel of a prompt set does not give
 * its speaker away. Deterministic given the seed.
 *
 * Development sets (`real-fr`, `real-it`) use the non-reserved voices only. The `blind` set
 * uses voices reserved for one final evaluation (English/Spanish Allison prompts, the Russian
 * prompts, the music-on-hold tracks); it is generated once, before any development, and only
 * file counts are looked at until that run.
 *
 * Usage: node --import tsx bench/speaker-real-data.ts [--out bench/data/speaker] [--sets real-fr,real-it] [--seed 1]
 *        node --import tsx bench/speaker-real-data.ts --blind OUT_DIR
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/rng.js';
import { add, roomTone, scaleTo, SPEECH_RMS, SR, trimSilence, truthRttm, writeWav16, type TruthTurn } from './speaker-data.js';

/** One recorded speaker: a directory of prompt files (with the Debian package that ships it). */
export interface RealSpeaker {
  id: string;
  dir: string;
  package: string;
}

/** One set: the target, whom training sees, who else talks, the music, the other-language target. */
export interface RealSetSpec {
  name: string;
  target: RealSpeaker;
  /** The target person speaking another language (the cross-language variant), if one exists. */
  targetOtherLanguage?: RealSpeaker;
  trainOthers: RealSpeaker[];
  /** Non-target voices of the broadcasts; those not in `trainOthers` are unseen in training. */
  broadcastOthers: RealSpeaker[];
  /** Music files for the bed and the music-only breaks. */
  music: string[];
}

const SOUNDS = '/usr/share/asterisk/sounds';
const ast = (id: string, sub: string, pkg: string): RealSpeaker => ({ id, dir: join(SOUNDS, sub), package: pkg });

// development voices (not reserved)
const JUNE_FR_CA = ast('june-fr-ca', 'fr_CA_f_June', 'asterisk-core-sounds-fr-g722');
const CARLO_IT = ast('carlo-it', 'it_IT_m_Carlo', 'asterisk-core-sounds-it-g722');
const MENARDI_IT = ast('menardi-it', 'it_IT_f_Menardi', 'asterisk-prompt-it-menardi-wav');
const ARMELLE_FR = ast('armelle-fr', 'fr', 'asterisk-prompt-fr-armelle');
const ES_CO = ast('es-co', 'es', 'asterisk-prompt-es-co');
const HEDGEWARS_MUSIC = '/usr/share/games/hedgewars/Data/Music';
const devMusic = (names: string[]): string[] => names.map((n) => join(HEDGEWARS_MUSIC, `${n}.ogg`));

/** Development sets from the non-reserved voices (no person of these sets speaks two languages). */
export const REAL_SETS: RealSetSpec[] = [
  {
    name: 'real-fr',
    target: JUNE_FR_CA,
    trainOthers: [ARMELLE_FR, CARLO_IT, ES_CO],
    broadcastOthers: [ARMELLE_FR, CARLO_IT, MENARDI_IT, ES_CO],
    music: devMusic(['Art', 'City', 'Desert', 'Jungle', 'Rock', 'snow']),
  },
  {
    name: 'real-it',
    target: CARLO_IT,
    trainOthers: [MENARDI_IT, JUNE_FR_CA, ES_CO],
    broadcastOthers: [MENARDI_IT, JUNE_FR_CA, ARMELLE_FR, ES_CO],
    music: devMusic(['Beach', 'Castle', 'Golf', 'Nature', 'pirate', 'oriental']),
  },
];

/**
 * The blind set: reserved voices only as target and unseen voices (Allison in English as the
 * target, Allison in Spanish for the cross-language copy, the Russian prompt voice unseen), the
 * music-on-hold tracks as the bed; non-reserved voices as the other speakers training sees.
 */
export const BLIND_SET: RealSetSpec = {
  name: 'blind',
  target: ast('allison-en', 'en_US_f_Allison', 'asterisk-core-sounds-en-g722'),
  targetOtherLanguage: ast('allison-es', 'es_MX_f_Allison', 'asterisk-core-sounds-es-g722'),
  trainOthers: [JUNE_FR_CA, CARLO_IT, ES_CO],
  broadcastOthers: [JUNE_FR_CA, CARLO_IT, ast('ivrvoice-ru', 'ru_RU_f_IvrvoiceRU', 'asterisk-core-sounds-ru-g722'), MENARDI_IT],
  music: [],
};
const MOH_DIR = '/usr/share/asterisk/moh';

const AUDIO = /\.(g722|gsm|wav|ogg|alaw|ulaw)$/;

/** Prompt files of a speaker (the `silence` folder left out), sorted. */
function promptFiles(s: RealSpeaker): string[] {
  if (!existsSync(s.dir)) throw new Error(`${s.dir}: missing; apt-get install ${s.package}`);
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        if (name !== 'silence') walk(p);
      } else if (AUDIO.test(name)) out.push(p);
    }
  };
  walk(s.dir);
  // a prompt set may hold one prompt in several encodings: keep one file per name
  const seen = new Set<string>();
  return out.filter((p) => {
    const k = p.replace(AUDIO, '');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const TELEPHONE = `aresample=8000,aresample=${SR}`;

/** Decodes any file to mono float32 at SR through the telephone band (8 kHz sampling). */
export function decodeTelephone(path: string): Float32Array {
  return ffmpegF32([...inputFormat(path), '-i', path]);
}

function ffmpegF32(input: string[]): Float32Array {
  const r = spawnSync('ffmpeg', ['-v', 'error', ...input, '-af', TELEPHONE, '-ac', '1', '-f', 'f32le', '-'], { maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`ffmpeg failed on ${input.join(' ')}: ${r.stderr}`);
  const b = r.stdout;
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function inputFormat(path: string): string[] {
  return path.endsWith('.g722') ? ['-f', 'g722'] : path.endsWith('.gsm') ? ['-f', 'gsm'] : [];
}

/** Raw payload of a file for concatenation: G.722 / GSM bytes as they are, PCM of a 16-bit mono WAV. */
function payload(path: string): { bytes: Buffer; format: string[]; samplesPerByte: number; rate: number } {
  const b = readFileSync(path);
  if (path.endsWith('.g722')) return { bytes: b, format: ['-f', 'g722'], samplesPerByte: 2, rate: 16000 };
  if (path.endsWith('.gsm')) return { bytes: b.subarray(0, b.length - (b.length % 33)), format: ['-f', 'gsm'], samplesPerByte: 160 / 33, rate: 8000 };
  if (path.endsWith('.wav')) {
    // walk the RIFF chunks to 'fmt ' and 'data'
    let o = 12;
    let rate = 0,
      channels = 0,
      bits = 0;
    while (o + 8 <= b.length) {
      const id = b.toString('latin1', o, o + 4);
      const size = b.readUInt32LE(o + 4);
      if (id === 'fmt ') {
        channels = b.readUInt16LE(o + 10);
        rate = b.readUInt32LE(o + 12);
        bits = b.readUInt16LE(o + 22);
      }
      if (id === 'data') {
        if (channels !== 1 || bits !== 16) break;
        const end = Math.min(b.length, o + 8 + size);
        return { bytes: b.subarray(o + 8, end - ((end - o - 8) % 2)), format: ['-f', 's16le', '-ar', String(rate), '-ac', '1'], samplesPerByte: 0.5, rate };
      }
      o += 8 + size + (size % 2);
    }
  }
  throw new Error(`${path}: not a G.722, GSM or 16-bit mono WAV prompt`);
}

/**
 * Decodes many prompt files of one encoding in one ffmpeg run (spawning one per file took
 * ~1 s each on a loaded machine): their payloads are concatenated and the output is split at
 * the matching sample offsets. A stateful codec (G.722's ADPCM) carries its state over a
 * boundary, a glitch of a few milliseconds at the start of a prompt, cut by the silence trim.
 */
function decodeMany(paths: string[]): Float32Array[] {
  if (paths.length === 0) return [];
  const parts = paths.map(payload);
  const fmt = parts[0]!.format.join(' ');
  if (parts.some((p) => p.format.join(' ') !== fmt)) return paths.map(decodeTelephone);
  const dir = mkdtempSync(join(tmpdir(), 'leanml-real-'));
  try {
    const raw = join(dir, 'all.raw');
    writeFileSync(raw, Buffer.concat(parts.map((p) => p.bytes)));
    const x = ffmpegF32([...parts[0]!.format, '-i', raw]);
    const scale = SR / parts[0]!.rate;
    const out: Float32Array[] = [];
    let at = 0;
    for (const p of parts) {
      const n = p.bytes.length * p.samplesPerByte;
      out.push(x.slice(Math.round(at * scale), Math.min(x.length, Math.round((at + n) * scale))));
      at += n;
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function shuffle<T>(xs: T[], rng: Rng): T[] {
  const a = xs.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** A speaker's prompts split into enrolment clips (about `trainSeconds`) and broadcast material (the rest). */
interface Pool {
  train: Float32Array[];
  trainNames: string[];
  rest: Float32Array[];
}

function pool(s: RealSpeaker, trainSeconds: number, rng: Rng): Pool {
  const files = shuffle(promptFiles(s), rng);
  const audio = decodeMany(files);
  const p: Pool = { train: [], trainNames: [], rest: [] };
  let t = 0;
  for (const [i, f] of files.entries()) {
    const x = trimSilence(audio[i]!);
    if (x.length < SR * 0.3) continue;
    if (t < trainSeconds) {
      p.train.push(x);
      p.trainNames.push(basename(f).replace(AUDIO, ''));
      t += x.length / SR;
    } else p.rest.push(x);
  }
  return p;
}

/** A turn: 1-4 prompts of one speaker with short pauses, at the speech level (±3 dB per turn). */
function turn(clips: Float32Array[], rng: Rng): Float32Array {
  const k = 1 + rng.int(4);
  const parts: Float32Array[] = [];
  for (let i = 0; i < k; i++) {
    if (i > 0) parts.push(new Float32Array(Math.round(SR * rng.uniform(0.15, 0.5))));
    parts.push(scaleTo(clips[rng.int(clips.length)]!.slice(), SPEECH_RMS));
  }
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  const g = 10 ** (rng.uniform(-3, 3) / 20);
  for (let i = 0; i < out.length; i++) out[i]! *= g;
  return out;
}

/** A stretch of `n` samples of music from a random file at a random offset, at `rms`. */
function musicStretch(music: Float32Array[], n: number, rng: Rng, rms: number): Float32Array {
  const out = new Float32Array(n);
  let o = 0;
  while (o < n) {
    const m = music[rng.int(music.length)]!;
    const from = rng.int(Math.max(1, m.length - SR));
    const len = Math.min(n - o, m.length - from);
    out.set(m.subarray(from, from + len), o);
    o += len;
  }
  return scaleTo(out, rms);
}

/**
 * A ~`seconds` broadcast: turns of the target (drawn from `targetClips`, or from
 * `crossClips` with probability `crossShare`) and of the others, pauses, long silences and
 * music-only breaks, on room tone; returns the signal and its truth.
 */
function broadcast(
  spec: {
    targetClips: Float32Array[];
    crossClips: Float32Array[] | null;
    crossShare: number;
    others: { id: string; clips: Float32Array[] }[];
    music: Float32Array[];
  },
  seconds: number,
  rng: Rng,
): { x: Float32Array; turns: TruthTurn[] } {
  const n = Math.round(seconds * SR);
  const x = roomTone(n, rng);
  const turns: TruthTurn[] = [];
  let t = rng.uniform(1, 3);
  let last = '';
  for (;;) {
    const r = rng.next();
    if (r < 0.05) {
      t += rng.uniform(3, 8);
      continue;
    }
    if (r < 0.09) {
      const len = rng.uniform(4, 8);
      const at = Math.round(t * SR);
      if (at + len * SR >= n) break;
      add(x, musicStretch(spec.music, Math.round(len * SR), rng, SPEECH_RMS * 0.5), at);
      t += len + rng.uniform(0.5, 1.5);
      continue;
    }
    let isTarget = rng.next() < 0.35;
    if (isTarget && last === 'target') isTarget = false;
    const other = spec.others[rng.int(spec.others.length)]!;
    const clips = isTarget ? (spec.crossClips && rng.next() < spec.crossShare ? spec.crossClips : spec.targetClips) : other.clips;
    const y = turn(clips, rng);
    const at = Math.round(t * SR);
    if (at + y.length >= n) break;
    add(x, y, at);
    const speaker = isTarget ? 'target' : other.id;
    turns.push({ start: at / SR, end: (at + y.length) / SR, speaker });
    last = speaker;
    t = (at + y.length) / SR + rng.uniform(0.3, 1.5);
  }
  return { x, turns };
}

/** Generates one set under `root/<name>/` (a `meta.json` marks a finished set). */
export function generateRealSet(
  root: string,
  spec: RealSetSpec,
  seed: number,
  opts: { seconds?: number; targetSeconds?: number; otherSeconds?: number; musicFiles?: string[] } = {},
): void {
  const dir = join(root, spec.name);
  const rng = new Rng(seed);
  const seconds = opts.seconds ?? 600;
  const target = pool(spec.target, opts.targetSeconds ?? 90, rng);
  const cross = spec.targetOtherLanguage ? pool(spec.targetOtherLanguage, 0, rng) : null;
  const trainIds = new Set(spec.trainOthers.map((s) => s.id));
  const others = new Map<string, Pool>();
  for (const s of [...spec.trainOthers, ...spec.broadcastOthers])
    if (!others.has(s.id)) others.set(s.id, pool(s, trainIds.has(s.id) ? (opts.otherSeconds ?? 60) : 0, rng));
  const musicFiles = opts.musicFiles ?? spec.music;
  const music = musicFiles.map(decodeTelephone);

  const writeClips = (sub: string, p: Pool): void => {
    mkdirSync(join(dir, sub), { recursive: true });
    p.train.forEach((x, i) => writeWav16(join(dir, sub, `${String(i).padStart(3, '0')}-${p.trainNames[i]!.replace(/[^\w-]/g, '_')}.wav`), x));
  };
  writeClips(join('train', 'target'), target);
  for (const s of spec.trainOthers) writeClips(join('train', 'others', s.id), others.get(s.id)!);

  const bOthers = spec.broadcastOthers.map((s) => ({ id: s.id, clips: others.get(s.id)!.rest }));
  const clean = broadcast({ targetClips: target.rest, crossClips: null, crossShare: 0, others: bOthers, music }, seconds, rng);
  writeWav16(join(dir, 'broadcast.wav'), clean.x);
  writeFileSync(join(dir, 'broadcast.rttm'), truthRttm('broadcast', clean.turns));
  // the same broadcast under a music bed 14 dB below the speech level, throughout
  const bed = clean.x.slice();
  add(bed, musicStretch(music, bed.length, rng, SPEECH_RMS * 10 ** (-14 / 20)));
  writeWav16(join(dir, 'broadcast-bed.wav'), bed);
  const files: Record<string, { audio: string; truth: string }> = {
    clean: { audio: 'broadcast.wav', truth: 'broadcast.rttm' },
    bed: { audio: 'broadcast-bed.wav', truth: 'broadcast.rttm' },
  };
  if (cross) {
    // another broadcast in which half the target's turns are the target in the other language
    const c = broadcast({ targetClips: target.rest, crossClips: cross.rest, crossShare: 0.5, others: bOthers, music }, seconds, rng);
    writeWav16(join(dir, 'broadcast-cross.wav'), c.x);
    writeFileSync(join(dir, 'broadcast-cross.rttm'), truthRttm('broadcast-cross', c.turns));
    files['cross'] = { audio: 'broadcast-cross.wav', truth: 'broadcast-cross.rttm' };
  }
  const secs = (xs: Float32Array[]): number => Math.round(xs.reduce((a, x) => a + x.length, 0) / SR);
  writeFileSync(
    join(dir, 'meta.json'),
    `${JSON.stringify(
      {
        seed,
        sampleRate: SR,
        seconds,
        band: 'telephone (8 kHz sampling)',
        target: spec.target.id,
        targetOtherLanguage: spec.targetOtherLanguage?.id ?? null,
        targetTrainClips: target.train.length,
        targetTrainSeconds: secs(target.train),
        trainOthers: spec.trainOthers.map((s) => ({ id: s.id, clips: others.get(s.id)!.train.length, seconds: secs(others.get(s.id)!.train) })),
        broadcastOthers: spec.broadcastOthers.map((s) => ({ id: s.id, seenInTraining: trainIds.has(s.id) })),
        packages: [
          ...new Set(
            [spec.target, ...(spec.targetOtherLanguage ? [spec.targetOtherLanguage] : []), ...spec.trainOthers, ...spec.broadcastOthers].map((s) => s.package),
          ),
        ],
        music: musicFiles.map((f) => basename(f)),
        files,
      },
      null,
      2,
    )}\n`,
  );
}

/** Generates the development sets under `root` unless already there. */
export function ensureRealData(root: string, names = REAL_SETS.map((s) => s.name), seed = 1): void {
  for (const [i, spec] of REAL_SETS.entries()) {
    if (!names.includes(spec.name) || existsSync(join(root, spec.name, 'meta.json'))) continue;
    process.stderr.write(`speaker-real-data: generating ${spec.name} under ${root}\n`);
    generateRealSet(root, spec, seed * 1000 + 500 + i);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: string): string => (args.includes(name) && args[args.indexOf(name) + 1] ? args[args.indexOf(name) + 1]! : dflt);
  if (args.includes('--blind')) {
    const out = opt('--blind', '');
    const moh = readdirSync(MOH_DIR)
      .filter((f) => f.endsWith('.wav'))
      .sort()
      .map((f) => join(MOH_DIR, f));
    generateRealSet(out, BLIND_SET, 4242, { musicFiles: moh });
    // only counts are printed: the blind set is not looked at before its one run
    const count = (d: string): number => readdirSync(d, { recursive: true }).filter((f) => String(f).endsWith('.wav')).length;
    process.stderr.write(`speaker-real-data: blind set in ${join(out, BLIND_SET.name)}: ${count(join(out, BLIND_SET.name))} wav files\n`);
  } else ensureRealData(opt('--out', 'bench/data/speaker'), opt('--sets', REAL_SETS.map((s) => s.name).join(',')).split(','), Number(opt('--seed', '1')));
}
