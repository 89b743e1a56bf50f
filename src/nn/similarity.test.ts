import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../core/rng.js';
import { expectClose } from '../../test/helpers/expect-close.js';
import { similarity, similarityMulSum } from './similarity.js';
import { expectNoLeak, useBackend, values } from './test-helpers.js';
import { tf } from './tf.js';

// Dot products of 64 terms summed in different orders (XNNPACK GEMM vs reduction).
const DOT_TOL = { atol: 1e-5, rtol: 1e-5 };

describe('similarity', () => {
  before(async () => {
    await useBackend('wasm');
  });

  it('matrix product = multiply-and-sum = float64 dot products, for one anchor and several', () => {
    const rng = new Rng(2);
    const n = 50;
    const d = 64;
    const ex = Float32Array.from({ length: n * d }, () => rng.normal());
    const an = Float32Array.from({ length: 3 * d }, () => rng.normal());
    const e = tf.tensor2d(ex, [n, d]);
    const a1 = tf.tensor1d(an.subarray(0, d));
    const a3 = tf.tensor2d(an, [3, d]);
    const ref = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < d; k++) ref[i * 3 + j]! += ex[i * d + k]! * an[j * d + k]!;
    const one = Float64Array.from({ length: n }, (_, i) => ref[i * 3]!);
    expectClose(values(similarity(e, a1)), one, DOT_TOL, 'matmul, one anchor');
    expectClose(values(similarityMulSum(e, a1)), one, DOT_TOL, 'mul-sum, one anchor');
    expectClose(values(similarity(e, a3)), ref, DOT_TOL, 'matmul, 3 anchors');
    expectClose(values(similarityMulSum(e, a3)), ref, DOT_TOL, 'mul-sum, 3 anchors');
    expectNoLeak('similarity', () => similarity(e, a3));
    assert.throws(() => similarity(e, tf.ones([5]) as tf.Tensor1D), /anchor must be \(D\) or \(M, D\) with D = 64/);
    tf.dispose([e, a1, a3]);
  });
});
