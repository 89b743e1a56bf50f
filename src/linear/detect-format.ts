/**
 * @module
 * Input formats, and guessing one from a line when `--format auto`.
 */
import { UsageError } from '../core/errors.js';
import { DEFAULT_LABEL_PREFIX } from '../core/label-prefix.js';
import { parseFastText } from './parse-fasttext.js';
import { parseLibsvm } from './parse-libsvm.js';
import { parseVw } from './parse-vw.js';
import type { ParsedLine } from './parsed-line.js';
import type { FeatureMode } from './feature-encoder.js';

export type InputFormat = 'fasttext' | 'vw' | 'libsvm';
export const INPUT_FORMATS: readonly InputFormat[] = ['fasttext', 'vw', 'libsvm'];

/** Checks a format name (`auto` allowed when `allowAuto`). */
export function checkFormat(f: string, allowAuto: boolean): InputFormat | 'auto' {
  if ((allowAuto && f === 'auto') || (INPUT_FORMATS as readonly string[]).includes(f)) return f as InputFormat | 'auto';
  throw new UsageError(`format must be ${allowAuto ? 'auto, ' : ''}${INPUT_FORMATS.join(', ')}; got '${f}'`);
}

/**
 * Guesses the format of a data line: `__label__` tokens mean fastText; a `|` means Vowpal
 * Wabbit; `label index:value ...` means libsvm; anything else is read as fastText text.
 */
export function detectFormat(line: string, labelPrefix = DEFAULT_LABEL_PREFIX): InputFormat {
  const tokens = line.trim().split(/\s+/);
  if (labelPrefix && tokens.some((t) => t.startsWith(labelPrefix))) return 'fasttext';
  if (line.includes('|')) return 'vw';
  const rest = tokens[0]?.includes(':') ? tokens : tokens.slice(1);
  if (rest.length > 0 && rest.every((t) => /^[^:\s]+:[-+.\deE]+$/.test(t))) return 'libsvm';
  return 'fasttext';
}

/** A parser: fills `out` from `buf[start, end)`, returns null or what is wrong. */
export type LineParser = (buf: Buffer, start: number, end: number, out: ParsedLine) => string | null;

/** The parser of a format; `mode` says which key hashes it computes while scanning (see `parseVw`). */
export function parserFor(format: InputFormat, labelPrefix: string, mode: FeatureMode = 'lookup'): LineParser {
  if (format === 'vw') return (buf, start, end, out) => parseVw(buf, start, end, out, mode);
  if (format === 'libsvm') return parseLibsvm;
  const prefix = Buffer.from(labelPrefix, 'utf8');
  return (buf, start, end, out) => parseFastText(buf, start, end, out, prefix);
}
