/**
 * @module
 * Character n-grams of a word, exactly as fastText's `Dictionary::computeSubwords`.
 */
import { fnv1a32 } from './hash.js';

const BOW = 0x3c; // '<'
const EOW = 0x3e; // '>'

/** `<` + word + `>` as bytes. */
export function wrapWord(word: Uint8Array): Uint8Array {
  const w = new Uint8Array(word.length + 2);
  w[0] = BOW;
  w.set(word, 1);
  w[w.length - 1] = EOW;
  return w;
}

/**
 * Calls `visit(hash % bucket, start, end)` for every n-gram of the wrapped word `w`
 * (`<word>`) with minn..maxn UTF-8 characters, in the C++ order. N-grams start only at
 * character boundaries (bytes that are not 10xxxxxx continuation bytes) and extend over whole
 * characters; the single-character n-grams `<` and `>` are skipped, as the C++ does.
 */
export function forEachSubword(w: Uint8Array, minn: number, maxn: number, bucket: number, visit: (bucketId: number, start: number, end: number) => void): void {
  if (bucket <= 0) return;
  const len = w.length;
  for (let i = 0; i < len; i++) {
    if ((w[i]! & 0xc0) === 0x80) continue;
    let j = i;
    for (let n = 1; j < len && n <= maxn; n++) {
      j++;
      while (j < len && (w[j]! & 0xc0) === 0x80) j++;
      if (n >= minn && !(n === 1 && (i === 0 || j === len))) {
        visit(fnv1a32(w, i, j) % bucket, i, j);
      }
    }
  }
}
