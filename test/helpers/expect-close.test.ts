import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectClose } from './expect-close.js';

describe('expectClose', () => {
  it('passes within tolerance and reports the worst index otherwise', () => {
    expectClose([1, 2, 3], [1, 2 + 1e-6, 3], { atol: 1e-5 });
    assert.throws(() => expectClose([1, 2.1, 3.5], [1, 2, 3], { atol: 1e-5 }), /2 of 3 differ.*worst at index 2: got 3\.5, expected 3/);
    assert.throws(() => expectClose([1], [1, 2]), /length 1 but expected 2/);
  });

  it('treats NaN and infinities explicitly', () => {
    expectClose([NaN, Infinity, -Infinity], [NaN, Infinity, -Infinity]);
    assert.throws(() => expectClose([1], [NaN]));
    assert.throws(() => expectClose([NaN], [1]), /worst at index 0/);
    assert.throws(() => expectClose([Infinity], [-Infinity]));
  });
});
