/**
 * @module
 * fastText-style lines: `__label__spam free money now` — whitespace-separated tokens, labels
 * marked by a prefix, every other token a feature of value 1 in the default namespace.
 */
import { SPACE, type ParsedLine } from './parsed-line.js';

/**
 * Parses `buf[start, end)` into `out`. The first token with `labelPrefix` is the label (the
 * prefix stripped); further labels are ignored. Returns null, or what is wrong.
 */
export function parseFastText(buf: Buffer, start: number, end: number, out: ParsedLine, labelPrefix: Uint8Array): string | null {
  out.reset(buf);
  out.beginNamespace(0, 0, 1);
  out.hashed = true;
  const plen = labelPrefix.length;
  const p0 = plen > 0 ? labelPrefix[0]! : -1;
  let i = start;
  while (i < end) {
    while (i < end && SPACE[buf[i]!] === 1) i++;
    if (i >= end) break;
    const s = i;
    // murmur3 (seed 0) of the token, computed while scanning it (the bytes are read once),
    // unrolled by murmur3's 4-byte blocks so each byte lands at a fixed shift; a token ends
    // at `end` or at a separator (bytes above 32 never are: one compare for most bytes)
    let h = 0;
    let k = 0;
    let c: number;
    for (;;) {
      if (i >= end || ((c = buf[i]!) <= 32 && SPACE[c] === 1)) break;
      k = c;
      if (i + 1 >= end || ((c = buf[i + 1]!) <= 32 && SPACE[c] === 1)) {
        i += 1;
        break;
      }
      k |= c << 8;
      if (i + 2 >= end || ((c = buf[i + 2]!) <= 32 && SPACE[c] === 1)) {
        i += 2;
        break;
      }
      k |= c << 16;
      if (i + 3 >= end || ((c = buf[i + 3]!) <= 32 && SPACE[c] === 1)) {
        i += 3;
        break;
      }
      k |= c << 24;
      i += 4;
      k = Math.imul(k, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      h ^= Math.imul(k, 0x1b873593);
      h = (h << 13) | (h >>> 19);
      h = (Math.imul(h, 5) + 0xe6546b64) | 0;
      k = 0;
    }
    if (buf[s] === p0 && i - s >= plen && hasPrefix(buf, s, labelPrefix)) {
      if (i - s === plen) return `empty label '${Buffer.from(labelPrefix).toString()}'`;
      if (out.labelStart < 0) {
        out.labelStart = s + plen;
        out.labelEnd = i;
      }
      continue;
    }
    if ((i - s) & 3) {
      // the last 1-3 bytes
      k = Math.imul(k, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      h ^= Math.imul(k, 0x1b873593);
    }
    h ^= i - s;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    out.addHashedFeature(s, i, 1, h);
  }
  return null;
}

function hasPrefix(buf: Buffer, at: number, prefix: Uint8Array): boolean {
  for (let k = 0; k < prefix.length; k++) if (buf[at + k] !== prefix[k]) return false;
  return true;
}
