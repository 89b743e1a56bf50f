/**
 * @module
 * Vowpal Wabbit text lines: `[label [importance [base]]] ['tag]|ns[:weight] feature[:value] ... |ns2 ...`.
 * A namespace is named by the text after `|` (its first character is what `--interactions`
 * refers to); `| a b` is the default namespace. The label may be any token (`1`, `-1`, `spam`).
 *
 * Each feature's key hash is computed while its bytes are scanned (one read per byte), for the
 * encoder's mode: a lookup keys a named namespace's feature as `ns^token` and hashes that
 * (murmur3, seed 0, continued from the namespace's bytes); hashing seeds murmur3 of the token
 * with murmur3 of the namespace. Default-namespace tokens hash alike in both modes.
 */
import { murmur3 } from './murmur-hash.js';
import { parseNumber } from './parse-number.js';
import { isSpace, type ParsedLine } from './parsed-line.js';
import type { FeatureMode } from './feature-encoder.js';

/** Byte classes of the feature scan: one load per byte. */
const ORDINARY = 0;
const SEPARATOR = 1;
const BAR = 2;
const COLON = 3;
const CLASS = new Uint8Array(256);
for (const c of [32, 9, 11, 12, 13]) CLASS[c] = SEPARATOR;
CLASS[124] = BAR;
CLASS[58] = COLON;

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** murmur3's running state at a namespace's start (set by `seedNamespace`). */
let seedH = 0;
let seedK = 0;
let seedBytes = 0;
let seedLength = 0;

/** Parses `buf[start, end)` into `out`; the label is optional (prediction input). Returns null, or what is wrong. */
export function parseVw(buf: Buffer, start: number, end: number, out: ParsedLine, mode: FeatureMode = 'lookup'): string | null {
  out.reset(buf);
  out.hashed = true;
  const bar = buf.indexOf(124, start);
  if (bar < 0 || bar >= end) return "expected a '|' before the features";
  const err = parseHeader(buf, start, bar, out);
  if (err !== null) return err;
  let i = bar;
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
    seedNamespace(buf, ns, nsEnd, mode);
    const h0 = seedH;
    const k0 = seedK;
    const b0 = seedBytes;
    const len0 = seedLength;
    while (i < end) {
      while (i < end && CLASS[buf[i]!] === SEPARATOR) i++;
      if (i >= end || buf[i] === 124) break;
      const s = i;
      let fc = -1;
      // murmur3 continued from the namespace's state, one byte at a time
      let h = h0;
      let k = k0;
      let nb = b0;
      for (; i < end; i++) {
        const c = buf[i]!;
        const cls = CLASS[c]!;
        if (cls !== ORDINARY) {
          if (cls !== COLON) break;
          fc = i;
        }
        k |= c << (nb << 3);
        if (++nb === 4) {
          k = Math.imul(k, C1);
          k = (k << 15) | (k >>> 17);
          h ^= Math.imul(k, C2);
          h = (h << 13) | (h >>> 19);
          h = (Math.imul(h, 5) + 0xe6546b64) | 0;
          k = 0;
          nb = 0;
        }
      }
      if (fc < 0) {
        out.addHashedFeature(s, i, 1, finish(h, k, nb, len0 + i - s));
        continue;
      }
      // `name:value`: the key is the name (up to the last ':'), hashed again without the value
      if (fc === s) return `missing feature name in '${buf.toString('utf8', s, i)}'`;
      const v = parseNumber(buf, fc + 1, i);
      if (Number.isNaN(v)) return `bad feature value in '${buf.toString('utf8', s, i)}'`;
      if (v !== 0) out.addHashedFeature(s, fc, v, continueHash(h0, k0, b0, len0, buf, s, fc));
    }
  }
  return null;
}

/** The label, importance, base and tag before the first '|'. */
function parseHeader(buf: Buffer, start: number, bar: number, out: ParsedLine): string | null {
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
  return null;
}

/**
 * Sets murmur3's state at the start of the namespace `buf[ns, nsEnd)`'s features: seed 0 for
 * the default namespace; the lookup's `ns^` bytes already consumed; or hashing's seed murmur3(ns).
 */
function seedNamespace(buf: Buffer, ns: number, nsEnd: number, mode: FeatureMode): void {
  seedH = 0;
  seedK = 0;
  seedBytes = 0;
  seedLength = 0;
  if (nsEnd === ns) return;
  if (mode === 'hash') {
    seedH = murmur3(buf, ns, nsEnd, 0) | 0;
    return;
  }
  let h = 0;
  let k = 0;
  let nb = 0;
  for (let i = ns; i <= nsEnd; i++) {
    const c = i < nsEnd ? buf[i]! : 94; // ^
    k |= c << (nb << 3);
    if (++nb === 4) {
      k = Math.imul(k, C1);
      k = (k << 15) | (k >>> 17);
      h ^= Math.imul(k, C2);
      h = (h << 13) | (h >>> 19);
      h = (Math.imul(h, 5) + 0xe6546b64) | 0;
      k = 0;
      nb = 0;
    }
  }
  seedH = h;
  seedK = k;
  seedBytes = nb;
  seedLength = nsEnd - ns + 1;
}

/** murmur3 continued from a state over `buf[s, e)`, finished for a key of `len0 + e - s` bytes. */
function continueHash(h: number, k: number, nb: number, len0: number, buf: Buffer, s: number, e: number): number {
  for (let i = s; i < e; i++) {
    k |= buf[i]! << (nb << 3);
    if (++nb === 4) {
      k = Math.imul(k, C1);
      k = (k << 15) | (k >>> 17);
      h ^= Math.imul(k, C2);
      h = (h << 13) | (h >>> 19);
      h = (Math.imul(h, 5) + 0xe6546b64) | 0;
      k = 0;
      nb = 0;
    }
  }
  return finish(h, k, nb, len0 + e - s);
}

/** murmur3's tail and finalisation: pending bytes `k` (`nb` of them), key length `len`; signed 32-bit. */
function finish(h: number, k: number, nb: number, len: number): number {
  if (nb > 0) {
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, C2);
  }
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
