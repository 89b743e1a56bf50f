import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TopK, topK } from './top-k.js';

describe('topK', () => {
  it('equals a full stable sort, for any input and k', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 })), fc.nat(12), (xs, k) => {
        const expected = xs
          .map((score, id) => ({ id, score }))
          .sort((a, b) => b.score - a.score || a.id - b.id)
          .slice(0, k);
        assert.deepEqual(topK(xs, k), expected);
      }),
    );
  });

  it('ignores NaN and reports its threshold', () => {
    const t = new TopK(2);
    assert.equal(t.threshold, -Infinity);
    t.push(0, NaN);
    t.push(1, 3);
    t.push(2, 1);
    t.push(3, 2);
    assert.equal(t.threshold, 2);
    assert.deepEqual(t.sorted(), [
      { id: 1, score: 3 },
      { id: 3, score: 2 },
    ]);
  });
});
