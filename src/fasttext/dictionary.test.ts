/**
 * The dictionary as `Dictionary::save` writes it: parsing (entries, counts, the pruned-bucket
 * table, truncation), lookups on raw bytes, bucket rows and subwords.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { BinaryFile } from '../core/binary-reader.js';
import { FormatError } from '../core/errors.js';
import { Dictionary, readDictionary } from './dictionary.js';
import { fnv1a32 } from './hash.js';
import { forEachSubword, wrapWord } from './subwords.js';

const enc = new TextEncoder();
const dir = mkdtempSync(join(tmpdir(), 'leanml-dict-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** `Dictionary::save`: header, entries (bytes, NUL, int64 count, int8 type), then (key, value) pruned pairs. */
function dictBytes(words: string[], labels: string[], prune: [number, number][] | null): Uint8Array {
  const parts: number[] = [];
  const i32 = (v: number) => parts.push(...new Uint8Array(new Int32Array([v]).buffer));
  const i64 = (v: number) => parts.push(...new Uint8Array(new BigInt64Array([BigInt(v)]).buffer));
  i32(words.length + labels.length);
  i32(words.length);
  i32(labels.length);
  i64(1000);
  i64(prune ? prune.length : -1);
  [...words, ...labels].forEach((w, i) => {
    parts.push(...enc.encode(w), 0);
    i64(100 - i);
    parts.push(i < words.length ? 0 : 1);
  });
  for (const [k, v] of prune ?? []) {
    i32(k);
    i32(v);
  }
  return new Uint8Array(parts);
}

function read(bytes: Uint8Array, name: string): ReturnType<typeof readDictionary> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const f = BinaryFile.open(path);
  try {
    return readDictionary(f, 0);
  } finally {
    f.close();
  }
}

test('readDictionary: entries, counts and types in order, end offset after the table', () => {
  const bytes = dictBytes(['the', 'für', '</s>'], ['__label__en', '__label__de'], null);
  const { parts, end } = read(bytes, 'plain.bin');
  assert.equal(end, bytes.length);
  assert.equal(parts.nwords, 3);
  assert.equal(parts.nlabels, 2);
  assert.equal(parts.pruneSize, -1);
  assert.deepEqual(Array.from(parts.counts), [100, 99, 98, 97, 96]);
  const d = new Dictionary(parts, { minn: 2, maxn: 3, bucket: 100 });
  assert.equal(d.entry(1), 'für');
  assert.equal(d.label(1), '__label__de');
  assert.equal(d.id(enc.encode('für')), 1);
  assert.equal(d.id(enc.encode('fü')), -1);
  assert.ok(d.isLabel(d.id(enc.encode('__label__en'))));
});

test('readDictionary: pruned buckets sorted by key, a later pair for a key wins (pruneidx_[first] = second)', () => {
  const { parts } = read(
    dictBytes(
      ['a'],
      [],
      [
        [50, 3],
        [7, 0],
        [50, 1],
        [2_000_000, 2],
        [0, 4],
      ],
    ),
    'pruned.bin',
  );
  assert.equal(parts.pruneSize, 5);
  assert.deepEqual(Array.from(parts.pruneKeys), [0, 7, 50, 2_000_000]);
  assert.deepEqual(Array.from(parts.pruneValues), [4, 0, 1, 2]);
  const d = new Dictionary(parts, { minn: 2, maxn: 3, bucket: 3_000_000 });
  assert.equal(d.bucketRow(50), 1 + 1); // nwords + value
  assert.equal(d.bucketRow(7), 1);
  assert.equal(d.bucketRow(8), -1); // dropped by pruning
});

test('readDictionary: pruned table agrees with a Map for random pairs', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 100 })), { minLength: 1, maxLength: 60 }), (pairs) => {
      const { parts } = read(dictBytes(['w'], [], pairs), 'random.bin');
      const want = new Map<number, number>();
      for (const [k, v] of pairs) want.set(k, v);
      const keys = [...want.keys()].sort((a, b) => a - b);
      assert.deepEqual(Array.from(parts.pruneKeys), keys);
      assert.deepEqual(
        Array.from(parts.pruneValues),
        keys.map((k) => want.get(k)!),
      );
    }),
    { numRuns: 50 },
  );
});

test('readDictionary: truncated or inconsistent input is a FormatError naming the byte', () => {
  const bytes = dictBytes(['alpha', 'beta'], ['__label__x'], null);
  assert.throws(
    () => read(bytes.subarray(0, bytes.length - 4), 'trunc.bin'),
    (e: Error) => e instanceof FormatError && /truncated|byte/.test(e.message),
  );
  const bad = bytes.slice();
  bad[0] = 9; // size != nwords + nlabels
  assert.throws(
    () => read(bad, 'size.bin'),
    (e: Error) => e instanceof FormatError && /size 9 but nwords 2 \+ nlabels 1/.test(e.message),
  );
  const wrongType = dictBytes(['alpha'], [], null);
  wrongType[28 + 6 + 8] = 1; // a word typed as a label
  assert.throws(() => read(wrongType, 'type.bin'), /has type 1, expected 0/);
});

test('Dictionary: idAt finds a word inside a larger buffer without copying, like id', () => {
  const { parts } = read(dictBytes(['the', 'cat', 'über'], ['__label__a'], null), 'ids.bin');
  const d = new Dictionary(parts, { minn: 3, maxn: 3, bucket: 10 });
  const line = enc.encode('  the über cats');
  assert.equal(d.idAt(line, 2, 5, fnv1a32(line, 2, 5)), 0);
  assert.equal(d.idAt(line, 6, 11, fnv1a32(line, 6, 11)), 2);
  assert.equal(d.idAt(line, 12, 16, fnv1a32(line, 12, 16)), -1); // 'cats'
  assert.equal(d.idAt(line, 12, 15, fnv1a32(line, 12, 15)), 1); // 'cat'
});

test('Dictionary: subword rows are the word row, then n-gram buckets after nwords (none for </s>)', () => {
  const { parts } = read(dictBytes(['ab', '</s>'], [], null), 'sub.bin');
  const d = new Dictionary(parts, { minn: 2, maxn: 3, bucket: 1000 });
  const buckets: number[] = [];
  forEachSubword(wrapWord(enc.encode('ab')), 2, 3, 1000, (b) => buckets.push(b));
  assert.deepEqual(d.subwordRows(enc.encode('ab')), [0, ...buckets.map((b) => 2 + b)]);
  assert.deepEqual(d.subwordRows(enc.encode('</s>')), [1]);
  const unknown = d.subwordRows(enc.encode('zz'));
  assert.ok(unknown.length > 0 && unknown.every((r) => r >= 2));
  // bucket 0 = no n-gram rows at all
  const none = new Dictionary(parts, { minn: 2, maxn: 3, bucket: 0 });
  assert.deepEqual(none.subwordRows(enc.encode('ab')), [0]);
});
