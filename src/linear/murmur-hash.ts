/**
 * @module
 * MurmurHash3 (x86, 32-bit) over raw bytes, so that features are hashed straight from the
 * input buffer without building strings; plus the mixing used for crosses and n-grams.
 * Matches the reference `MurmurHash3_x86_32` (and scikit-learn's `murmurhash3_32`).
 */

/** MurmurHash3_x86_32 of `buf[start, end)` with `seed`, as an unsigned 32-bit integer. */
export function murmur3(buf: Uint8Array, start: number, end: number, seed: number): number {
  let h = seed | 0;
  const n = end - start;
  const blocksEnd = start + (n & ~3);
  let i = start;
  for (; i < blocksEnd; i += 4) {
    let k = buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  // tail: the last 1-3 bytes
  const rem = n & 3;
  if (rem > 0) {
    let k = buf[i]!;
    if (rem > 1) k |= buf[i + 1]! << 8;
    if (rem > 2) k |= buf[i + 2]! << 16;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of a string (UTF-8) — for namespace seeds and names outside the hot path. */
export function murmur3String(s: string, seed = 0): number {
  const b = Buffer.from(s, 'utf8');
  return murmur3(b, 0, b.length, seed);
}

/** FNV prime: crosses combine as Vowpal Wabbit does, `(a * prime) ^ b`. */
const FNV_PRIME = 16777619;

/** Hash of the cross of two feature hashes (order matters: namespace a then b). */
export function crossHash(a: number, b: number): number {
  return (Math.imul(a, FNV_PRIME) ^ b) >>> 0;
}

/** Hash of a word n-gram extended by one more token; differs from `crossHash` so n-grams and crosses do not collide. */
export function ngramHash(prefix: number, next: number): number {
  return (Math.imul(prefix ^ 0x5bd1e995, FNV_PRIME) ^ next) >>> 0;
}
