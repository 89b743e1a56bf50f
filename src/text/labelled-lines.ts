/**
 * @module
 * Reading fastText-style lines (`__label__a __label__b token token …`): labels are the
 * tokens with the label prefix (anywhere on the line, as fastText), everything else is text,
 * split on whitespace. Errors name the file and line.
 */
import { readFileSync, statSync } from 'node:fs';
import { FormatError, LimitError, NotFoundError } from '../core/errors.js';
import { DEFAULT_LABEL_PREFIX } from '../core/label-prefix.js';

/** One line: its labels (none when unlabelled) and tokens, and where it came from (1-based). */
export interface LabelledLine {
  labels: string[];
  tokens: string[];
  line: number;
}

export interface ReadLinesOptions {
  /** Default `__label__`. */
  labelPrefix?: string;
  /** Every line must carry at least one label (train, test). Default true. */
  requireLabels?: boolean;
}

/** Largest input read into memory at once. */
const MAX_INPUT_BYTES = 2 ** 31 - 1;

/** Reads `path` (`-` or undefined = stdin) whole as UTF-8 text, with a clear error for a missing or oversized file. */
export function readInputText(path: string | undefined): { text: string; name: string } {
  if (path === undefined || path === '-') return { text: readFileSync(0, 'utf8'), name: 'stdin' };
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new NotFoundError(`${path}: no such file`);
  }
  if (size > MAX_INPUT_BYTES) throw new LimitError(`${path}: ${size} bytes is more than the ${MAX_INPUT_BYTES} leanml text reads at once`);
  return { text: readFileSync(path, 'utf8'), name: path };
}

/** Parses labelled lines from text; blank lines are skipped. `name` is used in errors. */
export function parseLabelledLines(text: string, name: string, opts: ReadLinesOptions = {}): LabelledLine[] {
  const prefix = opts.labelPrefix ?? DEFAULT_LABEL_PREFIX;
  const requireLabels = opts.requireLabels ?? true;
  const out: LabelledLine[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const words = lines[i]!.split(/\s+/).filter((w) => w.length > 0);
    if (words.length === 0) continue;
    const labels: string[] = [];
    const tokens: string[] = [];
    for (const w of words) {
      if (w.startsWith(prefix) && w.length > prefix.length) labels.push(w.slice(prefix.length));
      else tokens.push(w);
    }
    if (requireLabels && labels.length === 0) {
      throw new FormatError(`${name}:${i + 1}: no label (expected '${prefix}NAME' before the text), got '${lines[i]!.slice(0, 60)}'`);
    }
    out.push({ labels: [...new Set(labels)], tokens, line: i + 1 });
  }
  if (out.length === 0) throw new FormatError(`${name}: no lines (the input is empty)`);
  return out;
}

/** `readInputText` + `parseLabelledLines`. */
export function readLabelledLines(path: string | undefined, opts: ReadLinesOptions = {}): LabelledLine[] {
  const { text, name } = readInputText(path);
  return parseLabelledLines(text, name, opts);
}
