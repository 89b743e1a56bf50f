/**
 * @module
 * A speaker's training audio as frames: the files of a speaker path, cut into frames of
 * mostly speech. Clips shorter than one frame (prompts, short replies, 1-3 s cuts from an
 * interview) are not thrown away: their speech columns are joined, in file order, into one
 * run per kind (training or held-out files) and frames are cut from that run. A frame of a run
 * may straddle two clips of the same speaker: a 2 s frame cannot fit inside a 1.5 s clip, and
 * both sides are the same voice. Longer files are framed on their own, as before.
 * Legend: C = mel bins, T = columns, L = columns per frame.
 */
import { readdirSync, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';
import { NotFoundError } from '../core/errors.js';
import { columnSeconds, type SpeakerConfig } from './config.js';
import { cutFrames, frameStarts } from './frames.js';
import { loadPowerMel, melCenters } from './power-mel.js';
import { SpeechGate } from './speech-gate.js';
import type { FrameSet } from './trainer.js';

const AUDIO_EXT = /\.(wav|wave|flac|mp3|ogg|opus|m4a|aac|webm|mka|mkv|mp4)$/i;

/** Files of one speaker path: the file itself, or the audio files under a directory (sorted). */
export function speakerFiles(path: string): string[] {
  let st: Stats;
  try {
    st = statSync(path);
  } catch {
    throw new NotFoundError(`${path}: no such file or directory`);
  }
  if (!st.isDirectory()) return [path];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (AUDIO_EXT.test(name)) out.push(p);
    }
  };
  walk(path);
  if (out.length === 0) throw new NotFoundError(`${path}: directory holds no audio files (${AUDIO_EXT.source})`);
  return out;
}

/** Speech frames (power, (N, L, C)) of one speaker, per clip, plus bookkeeping. */
export interface SpeakerFrames {
  /** One frame set per framed file or joined run, in file order (runs last). */
  clips: FrameSet[];
  /** Index into the file list of each clip (of a joined run: its first file). */
  fileIndex: number[];
  /** Files that contributed speech (framed alone or joined). */
  usedFiles: number[];
  count: number;
  /** Seconds of speech (gate open) in the used files. */
  speechSeconds: number;
  /** Files shorter than one frame whose speech was joined. */
  joinedFiles: number;
  /** Sample rate of every file, in file order. */
  rates: number[];
}

/** Files below this peak mel power (re full scale) are silent. */
const SILENT_POWER = 1e-9;

/**
 * Cuts a speaker's files into frames; with a gate, only frames that are mostly speech are
 * kept. Files in `held` (held out for validation) are cut at the detection hop (they stand for
 * what `detect` will score), the others at the training hop; short files are joined only with
 * short files of the same kind.
 */
export async function speakerFrames(
  files: string[],
  cfg: SpeakerConfig,
  useGate: boolean,
  warn: (s: string) => void,
  held: Set<number>,
): Promise<SpeakerFrames> {
  const hopFor = (i: number): number => (held.has(i) ? cfg.detect.hopColumns : cfg.train.hopColumns);
  const { audio } = cfg;
  const L = audio.frameColumns;
  const C = audio.nMels;
  const out: SpeakerFrames = { clips: [], fileIndex: [], usedFiles: [], count: 0, speechSeconds: 0, joinedFiles: 0, rates: [] };
  // speech columns of short files, (C, T) blocks, training and held-out files apart
  const runs = new Map<boolean, { blocks: Float32Array[]; cols: number; first: number }>();
  const keep = (data: Float32Array, T: number, starts: Int32Array, file: number): void => {
    const f = cutFrames(data, C, T, L, starts);
    if (f.count === 0) return;
    out.clips.push({ data: f.data, count: f.count });
    out.fileIndex.push(file);
    out.count += f.count;
  };
  let speechCols = 0;
  for (const [i, file] of files.entries()) {
    const mel = await loadPowerMel(file, audio);
    out.rates.push(mel.info.sampleRate);
    let peak = 0;
    for (let j = 0; j < mel.data.length; j++) if (mel.data[j]! > peak) peak = mel.data[j]!;
    if (peak < SILENT_POWER) {
      warn(`${file}: silent; skipped`);
      continue;
    }
    // the gate's noise floor starts at the first column, which in a trimmed prompt is speech:
    // a first pass over the clip sets the floor, the second decides
    const g = new SpeechGate(melCenters(audio), columnSeconds(audio), cfg.detect.gate ?? {});
    g.push(mel.data, mel.nFrames);
    const gate = g.push(mel.data, mel.nFrames);
    const speech = gate.reduce((s, g) => s + g, 0);
    if (speech === 0) {
      warn(`${file}: no speech found (too quiet, or noise without speech); skipped`);
      continue;
    }
    speechCols += speech;
    out.usedFiles.push(i);
    const T = mel.nFrames;
    if (T < L) {
      // its speech span (first to last open column) joins the run of its kind
      let a = 0;
      let b = T - 1;
      while (!gate[a]) a++;
      while (!gate[b]) b--;
      const n = b - a + 1;
      const block = new Float32Array(C * n);
      for (let c = 0; c < C; c++) block.set(mel.data.subarray(c * T + a, c * T + b + 1), c * n);
      const run = runs.get(held.has(i)) ?? { blocks: [], cols: 0, first: i };
      run.blocks.push(block);
      run.cols += n;
      runs.set(held.has(i), run);
      out.joinedFiles++;
      continue;
    }
    let starts = frameStarts(T, L, hopFor(i));
    if (useGate) {
      starts = starts.filter((s) => {
        let g = 0;
        for (let c = s; c < s + L; c++) g += gate[c]!;
        return g >= L / 2;
      });
    }
    keep(mel.data, T, starts, i);
  }
  for (const run of runs.values()) {
    if (run.cols < L) {
      warn(
        `${(run.cols * columnSeconds(audio)).toFixed(1)} s of speech in short clips (from ${files[run.first]}) make less than one ${(L * columnSeconds(audio)).toFixed(1)} s frame even joined; not used`,
      );
      continue;
    }
    // (C, T) of the joined run: row c is every block's row c in turn
    const joined = new Float32Array(C * run.cols);
    let o = 0;
    for (const blk of run.blocks) {
      const n = blk.length / C;
      for (let c = 0; c < C; c++) joined.set(blk.subarray(c * n, (c + 1) * n), c * run.cols + o);
      o += n;
    }
    keep(joined, run.cols, frameStarts(run.cols, L, hopFor(run.first)), run.first);
  }
  out.speechSeconds = speechCols * columnSeconds(audio);
  return out;
}
