/**
 * @module
 * Vowpal Wabbit text lines: `[label [importance [base]]] ['tag]|ns[:weight] feature[:value] ... |ns2 ...`.
 * A namespace is named by the text after `|` (its first character is what `--interactions`
 * refers to); `| a b` is the default namespace. The label may be any token (`1`, `-1`, `spam`).
 */
import { parseNumber } from './parse-number.js';
import { isSpace, type ParsedLine } from './parsed-line.js';

/** Parses `buf[start, end)` into `out`; the label is optional (prediction input). Returns null, or what is wrong. */
export function parseVw(buf: Buffer, start: number, end: number, out: ParsedLine): string | null {
  out.reset(buf);
  const bar = buf.indexOf(124, start);
  if (bar < 0 || bar >= end) return "expected a '|' before the features";
  // header: label, importance, base, tag
  let i = start;
  let field = 0;
  while (i < bar) {
    while (i < bar && isSpace(buf[i]!)) i++;
    if (i >= bar) break;
    const s = i;
    while (i < bar && !isSpace(buf[i]!)) i++;
    if (buf[s] === 39) continue; // 'tag
    if (field === 0) {
      out.labelStart = s;
      out.labelEnd = i;
    } else if (field === 1) {
      const w = parseNumber(buf, s, i);
      if (Number.isNaN(w) || w < 0) return `bad importance weight '${buf.toString('utf8', s, i)}' (expected a number >= 0)`;
      out.weight = w;
    } else if (field === 2) {
      if (Number.isNaN(parseNumber(buf, s, i))) return `bad base '${buf.toString('utf8', s, i)}'`;
    } else {
      return `unexpected '${buf.toString('utf8', s, i)}' before '|' (expected: label [importance [base]] ['tag])`;
    }
    field++;
  }
  i = bar;
  while (i < end) {
    // at a '|': namespace name runs to whitespace; `name:weight` scales its features
    i++;
    const ns = i;
    let colon = -1;
    while (i < end && !isSpace(buf[i]!) && buf[i] !== 124) {
      if (buf[i] === 58 && colon < 0) colon = i;
      i++;
    }
    let nsWeight = 1;
    let nsEnd = i;
    if (colon >= 0) {
      nsWeight = parseNumber(buf, colon + 1, i);
      if (Number.isNaN(nsWeight)) return `bad namespace weight in '${buf.toString('utf8', ns, i)}'`;
      nsEnd = colon;
      if (nsEnd === ns) return `empty namespace name in '${buf.toString('utf8', ns, i)}'`;
    }
    out.beginNamespace(ns, nsEnd, nsWeight);
    while (i < end) {
      while (i < end && isSpace(buf[i]!)) i++;
      if (i >= end || buf[i] === 124) break;
      const s = i;
      let fc = -1;
      while (i < end && !isSpace(buf[i]!) && buf[i] !== 124) {
        if (buf[i] === 58) fc = i;
        i++;
      }
      if (fc < 0) {
        out.addFeature(s, i, 1);
        continue;
      }
      if (fc === s) return `missing feature name in '${buf.toString('utf8', s, i)}'`;
      const v = parseNumber(buf, fc + 1, i);
      if (Number.isNaN(v)) return `bad feature value in '${buf.toString('utf8', s, i)}'`;
      if (v !== 0) out.addFeature(s, fc, v);
    }
  }
  return null;
}
