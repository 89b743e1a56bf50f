import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Rng } from '../core/rng.js';
import { initBackend } from '../nn/index.js';
import { expectClose } from '../../test/helpers/expect-close.js';
import { EmbeddingNet } from './embedding-net.js';
import { cutFrames } from './frames.js';

// one pass over a block vs frame by frame: float32 sums in a different order
const BLOCK_TOL = { atol: 1e-5, rtol: 1e-4 };

describe('EmbeddingNet', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('gives unit-length embeddings of the configured size', () => {
    const net = new EmbeddingNet({ channels: 8, filters: 4, dim: 3 }, 1);
    const rng = new Rng(1);
    const x = Float32Array.from({ length: 5 * 20 * 8 }, () => rng.normal());
    const e = net.embed(x, 5, 20, { mean: 0, std: 1 });
    assert.equal(e.length, 15);
    for (let i = 0; i < 5; i++) assert.ok(Math.abs(Math.hypot(e[3 * i]!, e[3 * i + 1]!, e[3 * i + 2]!) - 1) < 1e-5);
    net.dispose();
  });

  it('embedBlock (one pass over the block) equals embedding each cut frame, for even and odd starts', () => {
    const C = 16,
      T = 97,
      L = 44;
    const net = new EmbeddingNet({ channels: C, filters: 6, dim: 4 }, 3);
    const rng = new Rng(2);
    const spec = Float32Array.from({ length: C * T }, () => rng.normal() * 10 - 40); // (C, T)
    const tc = new Float32Array(T * C); // (T, C)
    for (let c = 0; c < C; c++) for (let t = 0; t < T; t++) tc[t * C + c] = spec[c * T + t]!;
    const starts = Int32Array.from([0, 1, 2, 7, 10, 31, 52, 53]);
    const norm = { mean: -40, std: 10 };
    const frames = cutFrames(spec, C, T, L, starts);
    const expected = net.embed(frames.data, frames.count, L, norm);
    const actual = net.embedBlock(tc, T, L, starts, norm);
    expectClose(actual, expected, BLOCK_TOL, 'embedBlock vs embed');
    net.dispose();
  });
});
