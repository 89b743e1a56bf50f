import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fnv1a32 } from './hash.js';
import { forEachSubword, wrapWord } from './subwords.js';
import { formatG } from './format-float.js';
import { StdHeap } from './std-heap.js';

const enc = new TextEncoder();

test('fnv1a32: standard FNV-1a on ASCII, sign-extended bytes above 0x7f (the C++ quirk)', () => {
  assert.equal(fnv1a32(enc.encode('')), 0x811c9dc5);
  assert.equal(fnv1a32(enc.encode('a')), 0xe40c292c); // published FNV-1a test vector
  assert.equal(fnv1a32(enc.encode('foobar')), 0xbf9cf968);
  // 'é' = C3 A9: XOR with 0xFFFFFFC3 / 0xFFFFFFA9, unlike standard FNV-1a
  let h = 0x811c9dc5;
  for (const b of [0xc3, 0xa9]) {
    h = (h ^ (b | 0xffffff00)) >>> 0;
    h = Math.imul(h, 16777619) >>> 0;
  }
  assert.equal(fnv1a32(enc.encode('é')), h);
  let standard = 0x811c9dc5;
  for (const b of [0xc3, 0xa9]) standard = Math.imul((standard ^ b) >>> 0, 16777619) >>> 0;
  assert.notEqual(fnv1a32(enc.encode('é')), standard);
});

function ngrams(word: string, minn: number, maxn: number): string[] {
  const w = wrapWord(enc.encode(word));
  const out: string[] = [];
  forEachSubword(w, minn, maxn, 1000, (_b, s, e) => out.push(new TextDecoder().decode(w.subarray(s, e))));
  return out;
}

test('subwords: C++ order, UTF-8 characters kept whole, lone < and > skipped', () => {
  assert.deepEqual(ngrams('ab', 1, 2), ['<a', 'a', 'ab', 'b', 'b>']);
  assert.deepEqual(ngrams('ab', 3, 3), ['<ab', 'ab>']);
  assert.deepEqual(ngrams('für', 3, 3), ['<fü', 'für', 'ür>']);
  assert.deepEqual(ngrams('x', 3, 6), ['<x>']);
  assert.deepEqual(ngrams('abc', 3, 0), []);
});

test('formatG matches printf %g', () => {
  const cases: [number, number, string][] = [
    [0, 5, '0'],
    [-0, 5, '-0'],
    [1, 5, '1'],
    [0.1, 5, '0.1'],
    [123456, 5, '1.2346e+05'],
    [12345, 5, '12345'],
    [0.0001, 5, '0.0001'],
    [0.00001234567, 5, '1.2346e-05'],
    [-1.5e-10, 6, '-1.5e-10'],
    [0.999999, 6, '0.999999'],
    [0.9999995, 6, '1'],
    [1e100, 6, '1e+100'],
    [NaN, 5, 'nan'],
    [-Infinity, 5, '-inf'],
    [1.03125, 5, '1.0312'], // exact tie: glibc rounds to even, toPrecision would give 1.0313
    [1.09375, 5, '1.0938'], // tie, odd digit rounds up
  ];
  for (const [x, p, s] of cases) assert.equal(formatG(x, p), s, `${x} at ${p}`);
});

test('StdHeap keeps the k best, highest first; a later equal score displaces the front', () => {
  const h = new StdHeap(3);
  [0.5, 0.1, 0.9, 0.7, 0.3].forEach((s, i) => {
    if (!h.skips(s)) h.push(s, i);
  });
  assert.deepEqual(
    h.sorted().map((x) => x.id),
    [2, 3, 0],
  );
  const t = new StdHeap(2);
  [1, 1, 1].forEach((s, i) => t.push(s, i));
  assert.equal(t.sorted().length, 2);
});
