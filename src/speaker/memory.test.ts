import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ShapeError } from '../core/errors.js';
import { EmbeddingMemory } from './memory.js';

describe('EmbeddingMemory', () => {
  const s = Math.SQRT1_2;
  const mem = new EmbeddingMemory(Float32Array.of(1, 0, 0, 1, s, s), 2);
  it('scores by the mean of the top-k cosines', () => {
    const out = mem.score(Float32Array.of(1, 0, 0, -1), 2);
    assert.ok(Math.abs(out[0]! - (1 + s) / 2) < 1e-6);
    assert.ok(Math.abs(out[1]! - (0 + -s) / 2) < 1e-6);
  });
  it('k larger than the memory uses all of it; skipSelf drops an exact match once', () => {
    assert.ok(Math.abs(mem.score(Float32Array.of(1, 0), 10)[0]! - (1 + 0 + s) / 3) < 1e-6);
    assert.ok(Math.abs(mem.score(Float32Array.of(1, 0), 1, { skipSelf: true })[0]! - s) < 1e-6);
  });
  it('rejects ragged shapes', () => {
    assert.throws(() => new EmbeddingMemory(new Float32Array(5), 2), ShapeError);
    assert.throws(() => mem.score(new Float32Array(3), 1), ShapeError);
  });
});
