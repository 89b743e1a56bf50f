/**
 * @module
 * Detection output formats: JSON `{"duration","threshold","segments":[{"start","end","score"}]}`,
 * RTTM as pyannote writes it, and CSV; plus an RTTM reader for truth files.
 */
import { readFileSync } from 'node:fs';
import { FormatError } from '../core/errors.js';
import type { Segment } from './segments.js';

/** The result of detecting the target in one recording. */
export interface Detection {
  /** Recording length in seconds. */
  duration: number;
  /** The threshold the segments were cut at. */
  threshold: number;
  segments: Segment[];
}

/** Output formats of `detect`. */
export type DetectFormat = 'json' | 'rttm' | 'csv' | 'audacity';

/** Every output format of `detect`, for option parsers. */
export const DETECT_FORMATS: readonly DetectFormat[] = Object.freeze(['json', 'rttm', 'csv', 'audacity']);

/** The format `detect` writes unless told. */
export const DEFAULT_DETECT_FORMAT: DetectFormat = 'json';

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** JSON text (one object, newline-terminated); times and scores rounded to 1 ms / 1e-3. */
export function toJson(d: Detection): string {
  return `${JSON.stringify({ duration: r3(d.duration), threshold: r3(d.threshold), segments: d.segments.map((s) => ({ start: r3(s.start), end: r3(s.end), score: r3(s.score) })) })}\n`;
}

/**
 * RTTM as pyannote.core's `Annotation.write_rttm` writes it:
 * `SPEAKER {uri} 1 {start:.3f} {duration:.3f} <NA> <NA> {label} <NA> <NA>`.
 * `uri` must not contain spaces (pyannote's rule); they are replaced by `_`.
 */
export function toRttm(d: Detection, uri: string, label = 'target'): string {
  const u = uri.replace(/\s/g, '_') || 'recording';
  return d.segments.map((s) => `SPEAKER ${u} 1 ${s.start.toFixed(3)} ${(s.end - s.start).toFixed(3)} <NA> <NA> ${label} <NA> <NA>\n`).join('');
}

/** CSV with a header: `start,end,score`. */
export function toCsv(d: Detection): string {
  return `start,end,score\n${d.segments.map((s) => `${s.start.toFixed(3)},${s.end.toFixed(3)},${s.score.toFixed(3)}\n`).join('')}`;
}

/**
 * Audacity labels (File > Import > Labels...): one `start<TAB>end<TAB>label` line per segment,
 * times in seconds with 6 decimals as Audacity writes them; the label carries the score.
 */
export function toAudacity(d: Detection, label = 'target'): string {
  return d.segments.map((s) => `${s.start.toFixed(6)}\t${s.end.toFixed(6)}\t${label} ${s.score.toFixed(3)}\n`).join('');
}

/** Formats a detection. */
export function formatDetection(d: Detection, format: DetectFormat, uri = 'recording'): string {
  if (format === 'json') return toJson(d);
  if (format === 'rttm') return toRttm(d, uri);
  if (format === 'audacity') return toAudacity(d);
  return toCsv(d);
}

/** One RTTM speaker turn. */
export interface RttmTurn {
  uri: string;
  start: number;
  end: number;
  speaker: string;
}

/** Parses RTTM text (SPEAKER lines; other record types and `;;` comments skipped). */
export function parseRttm(text: string, source = '<rttm>'): RttmTurn[] {
  const out: RttmTurn[] = [];
  text.split('\n').forEach((line, i) => {
    const f = line.trim().split(/\s+/);
    if (f[0] !== 'SPEAKER') return;
    if (f.length < 8) throw new FormatError(`${source}:${i + 1}: RTTM SPEAKER line needs at least 8 fields, got ${f.length}`);
    const start = Number(f[3]);
    const dur = Number(f[4]);
    if (!Number.isFinite(start) || !Number.isFinite(dur) || dur < 0) throw new FormatError(`${source}:${i + 1}: bad onset/duration '${f[3]} ${f[4]}'`);
    out.push({ uri: f[1]!, start, end: start + dur, speaker: f[7]! });
  });
  return out;
}

/** Reads an RTTM file. */
export function readRttm(path: string): RttmTurn[] {
  return parseRttm(readFileSync(path, 'utf8'), path);
}
