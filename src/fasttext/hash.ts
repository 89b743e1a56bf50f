/**
 * @module
 * The hashes of fastText's dictionary: 32-bit FNV-1a over a word's UTF-8 bytes, and the
 * 64-bit rolling hash that turns consecutive word hashes into word n-gram buckets.
 */

/**
 * FNV-1a 32-bit of `bytes[start, end)`, exactly as fastText's `Dictionary::hash`.
 * The C++ XORs `uint32_t(int8_t(c))`: bytes >= 0x80 are sign-extended to 0xFFFFFFxx before
 * the XOR. That is a quirk, but every released model's n-gram buckets depend on it.
 */
export function fnv1a32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    h ^= b >= 0x80 ? b | 0xffffff00 : b;
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

const MASK64 = (1n << 64n) - 1n;
const MULT = 116049371n;

/**
 * Bucket ids of the word n-grams (2..n consecutive words) of a line, as
 * `Dictionary::addWordNgrams`: the word hashes are stored as int32 and widened to uint64 with
 * sign extension, combined as `h * 116049371 + next` modulo 2^64, then taken modulo `bucket`.
 */
export function wordNgramBuckets(hashes: ArrayLike<number>, n: number, bucket: number, push: (id: number) => void): void {
  if (n <= 1 || bucket <= 0) return;
  const wide = Array.from({ length: hashes.length }, (_, i) => BigInt.asUintN(64, BigInt(hashes[i]! | 0)));
  const b = BigInt(bucket);
  for (let i = 0; i < wide.length; i++) {
    let h = wide[i]!;
    for (let j = i + 1; j < wide.length && j < i + n; j++) {
      h = (h * MULT + wide[j]!) & MASK64;
      push(Number(h % b));
    }
  }
}
