/**
 * @module
 * fastText-style lines: `__label__spam free money now` — whitespace-separated tokens, labels
 * marked by a prefix, every other token a feature of value 1 in the default namespace.
 */
import { isSpace, type ParsedLine } from './parsed-line.js';

/**
 * Parses `buf[start, end)` into `out`. The first token with `labelPrefix` is the label (the
 * prefix stripped); further labels are ignored. Returns null, or what is wrong.
 */
export function parseFastText(buf: Buffer, start: number, end: number, out: ParsedLine, labelPrefix: Uint8Array): string | null {
  out.reset(buf);
  out.beginNamespace(0, 0, 1);
  const plen = labelPrefix.length;
  let i = start;
  while (i < end) {
    while (i < end && isSpace(buf[i]!)) i++;
    if (i >= end) break;
    const s = i;
    while (i < end && !isSpace(buf[i]!)) i++;
    if (plen > 0 && i - s >= plen && hasPrefix(buf, s, labelPrefix)) {
      if (i - s === plen) return `empty label '${Buffer.from(labelPrefix).toString()}'`;
      if (out.labelStart < 0) {
        out.labelStart = s + plen;
        out.labelEnd = i;
      }
      continue;
    }
    out.addFeature(s, i, 1);
  }
  return null;
}

function hasPrefix(buf: Buffer, at: number, prefix: Uint8Array): boolean {
  for (let k = 0; k < prefix.length; k++) if (buf[at + k] !== prefix[k]) return false;
  return true;
}
