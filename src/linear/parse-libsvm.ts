/**
 * @module
 * libsvm / svmlight lines: `label index:value index:value ...` (`qid:` is ignored). Indices
 * become feature names, so `3:0.5` is the feature `3`.
 */
import { parseNumber } from './parse-number.js';
import { isSpace, type ParsedLine } from './parsed-line.js';

/** Parses `buf[start, end)` into `out`; the label is optional (prediction input). Returns null, or what is wrong. */
export function parseLibsvm(buf: Buffer, start: number, end: number, out: ParsedLine): string | null {
  out.reset(buf);
  out.beginNamespace(0, 0, 1);
  let i = start;
  let first = true;
  while (i < end) {
    while (i < end && isSpace(buf[i]!)) i++;
    if (i >= end) break;
    const s = i;
    let colon = -1;
    while (i < end && !isSpace(buf[i]!)) {
      if (buf[i] === 58 && colon < 0) colon = i;
      i++;
    }
    if (first && colon < 0) {
      out.labelStart = s;
      out.labelEnd = i;
      first = false;
      continue;
    }
    first = false;
    if (colon < 0) return `expected index:value, got '${buf.toString('utf8', s, i)}'`;
    if (colon === s) return `missing index in '${buf.toString('utf8', s, i)}'`;
    const v = parseNumber(buf, colon + 1, i);
    if (Number.isNaN(v)) return `bad value in '${buf.toString('utf8', s, i)}'`;
    if (colon - s === 3 && buf[s] === 113 && buf[s + 1] === 105 && buf[s + 2] === 100) continue; // qid:
    if (v !== 0) out.addFeature(s, colon, v);
  }
  return null;
}
