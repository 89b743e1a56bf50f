// Vocabulary: row layout (PAD, </s>, words by count, buckets), hashed buckets for unknown
// tokens, fastText-style character n-grams, and the vocab.txt round trip.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fnv1a32 } from '../fasttext/hash.js';
import { DEFAULT_TEXT_SETTINGS } from './settings.js';
import { Vocabulary } from './vocabulary.js';

const base = { ...DEFAULT_TEXT_SETTINGS.vocab, minCount: 2, buckets: 100 };

describe('Vocabulary', () => {
  it('keeps tokens seen minCount times, most frequent first, after PAD and </s>', () => {
    const v = Vocabulary.build(
      [
        ['b', 'a', 'b'],
        ['a', 'b', 'c'],
      ],
      base,
    );
    assert.deepEqual(v.words, ['</s>', 'b', 'a']);
    assert.equal(v.wordId('b'), 2);
    assert.equal(v.wordId('a'), 3);
    assert.equal(v.wordId('c'), -1);
    assert.equal(v.size, 1 + 3 + 100);
  });

  it('sends an unknown token to the bucket of its FNV-1a hash', () => {
    const v = Vocabulary.build([['x', 'x']], base);
    const ids = v.tokenIds('zebra');
    assert.deepEqual(Array.from(ids), [1 + 2 + (fnv1a32(new TextEncoder().encode('zebra')) % 100)]);
    assert.deepEqual(Array.from(v.tokenIds('x')), [2]);
  });

  it('adds the character n-grams of <token> (minn..maxn), without the bare < and >', () => {
    const v = Vocabulary.build([['ab', 'ab']], { ...base, minn: 1, maxn: 2 });
    const ids = Array.from(v.tokenIds('ab'));
    // own row + n-grams of "<ab>": a, b (length 1, the brackets skipped), <a, ab, b> (length 2)
    assert.equal(ids[0], 2);
    const h = (s: string): number => 1 + 2 + (fnv1a32(new TextEncoder().encode(s)) % 100);
    assert.deepEqual(ids.slice(1), ['<a', 'a', 'ab', 'b', 'b>'].map(h));
    // an unknown token reads only its n-grams
    assert.equal(v.tokenIds('zz').length, 5);
  });

  it('round-trips through vocab.txt and rejects a broken file with its line', () => {
    const v = Vocabulary.build([['é', 'é', 'q', 'q', 'q']], base);
    const back = Vocabulary.parse(v.serialize(), base, 'vocab.txt');
    assert.deepEqual(back.words, v.words);
    assert.deepEqual(Array.from(back.counts), Array.from(v.counts));
    assert.throws(() => Vocabulary.parse('</s>\t0\nbad line\n', base, 'vocab.txt'), /vocab\.txt:2: expected 'word<TAB>count'/);
  });
});
