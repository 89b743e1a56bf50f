import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../core/rng.js';
import { expectClose, F32_TOL } from '../../../test/helpers/expect-close.js';
import { expectNoLeak, useBackend, values } from '../test-helpers.js';
import { tf } from '../tf.js';

// Finite differences in float32 lose about half the digits: step 1e-2 on O(1) losses leaves
// errors around 1e-3 relative, so the check uses this looser tolerance (the exact comparisons
// against the cpu backend and the float64 formula use F32_TOL-scale tolerances).
const FD_TOL = { atol: 5e-3, rtol: 5e-3 };
// Sums of a few hundred float32 products in a different order (im2col + XNNPACK vs direct loops).
const SUM_TOL = { atol: 1e-4, rtol: 1e-4 };

function randn(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal());
}

/** dW by its definition, in float64 (the reference of the kernel). */
function convFilterGradRef(
  x: Float32Array,
  xs: number[],
  dy: Float32Array,
  ds: number[],
  k: [number, number],
  s: [number, number],
  d: [number, number],
  pad: [number, number],
): Float64Array {
  const [n, h, w, ci] = xs as [number, number, number, number];
  const [, oh, ow, co] = ds as [number, number, number, number];
  const out = new Float64Array(k[0] * k[1] * ci * co);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < oh; y++)
      for (let xo = 0; xo < ow; xo++)
        for (let i = 0; i < k[0]; i++)
          for (let j = 0; j < k[1]; j++) {
            const iy = y * s[0] + i * d[0] - pad[0];
            const ix = xo * s[1] + j * d[1] - pad[1];
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
            for (let c = 0; c < ci; c++)
              for (let o = 0; o < co; o++) {
                out[((i * k[1] + j) * ci + c) * co + o]! += x[((b * h + iy) * w + ix) * ci + c]! * dy[((b * oh + y) * ow + xo) * co + o]!;
              }
          }
  return out;
}

describe('wasm kernels', () => {
  before(async () => {
    await useBackend('wasm');
  });

  const cases: {
    name: string;
    x: [number, number, number, number];
    f: [number, number, number, number];
    strides: [number, number];
    pad: 'valid' | 'same';
    dil: [number, number];
  }[] = [
    { name: 'conv1d-like k3', x: [4, 1, 11, 5], f: [1, 3, 5, 6], strides: [1, 1], pad: 'valid', dil: [1, 1] },
    { name: '2d same stride 2', x: [2, 7, 6, 3], f: [3, 2, 3, 4], strides: [2, 2], pad: 'same', dil: [1, 1] },
    { name: '2d valid stride (2, 1)', x: [3, 9, 8, 2], f: [2, 3, 2, 5], strides: [2, 1], pad: 'valid', dil: [1, 1] },
  ];

  for (const c of cases) {
    it(`Conv2DBackpropFilter matches the cpu backend and the definition (${c.name})`, async () => {
      const rng = new Rng(3);
      const xv = randn(
        rng,
        c.x.reduce((a, b) => a * b),
      );
      const wv = randn(
        rng,
        c.f.reduce((a, b) => a * b),
      );
      const run = () =>
        tf.tidy(() => {
          const x = tf.tensor4d(xv, c.x);
          const w = tf.tensor4d(wv, c.f);
          const y = tf.conv2d(x, w, c.strides, c.pad, 'NHWC', c.dil);
          const dy = tf.sin(y); // a non-constant upstream gradient
          const g = tf.grad((ww: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, ww as tf.Tensor4D, c.strides, c.pad, 'NHWC', c.dil), dy)))(w);
          return { g: values(g), dy: values(dy), dyShape: dy.shape };
        });
      await useBackend('wasm');
      const before = tf.memory().numTensors;
      const ours = run();
      assert.equal(tf.memory().numTensors, before, 'wasm kernel leaked tensors');
      await useBackend('cpu');
      const ref = run();
      await useBackend('wasm');
      expectClose(ours.g, ref.g, SUM_TOL, 'dW vs cpu');
      const info = tf.backend_util.computeConv2DInfo(c.x, c.f, c.strides, c.dil, c.pad);
      const def = convFilterGradRef(xv, c.x, ours.dy, ours.dyShape, [c.f[0], c.f[1]], c.strides, c.dil, [info.padInfo.top, info.padInfo.left]);
      expectClose(ours.g, def, SUM_TOL, 'dW vs definition');
    });
  }

  it('Conv2DBackpropFilter passes a finite-difference gradient check', () => {
    const rng = new Rng(5);
    const x = tf.tensor4d(randn(rng, 2 * 1 * 9 * 3), [2, 1, 9, 3]);
    const w0 = randn(rng, 1 * 3 * 3 * 2);
    const loss = (w: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, w as tf.Tensor4D, 1, 'valid')));
    const g = tf.tidy(() => values(tf.grad(loss)(tf.tensor4d(w0, [1, 3, 3, 2]))));
    const eps = 1e-2;
    const fd = new Float32Array(w0.length);
    for (let i = 0; i < w0.length; i++) {
      const plus = Float32Array.from(w0);
      const minus = Float32Array.from(w0);
      plus[i]! += eps;
      minus[i]! -= eps;
      fd[i] = tf.tidy(() => (loss(tf.tensor4d(plus, [1, 3, 3, 2])).dataSync()[0]! - loss(tf.tensor4d(minus, [1, 3, 3, 2])).dataSync()[0]!) / (2 * eps));
    }
    expectClose(g, fd, { atol: FD_TOL.atol * 20, rtol: FD_TOL.rtol }, 'dW vs finite differences');
    x.dispose();
  });

  it('UnsortedSegmentSum (gather gradient) matches the cpu backend and a direct sum, ids out of range dropped', async () => {
    const rng = new Rng(9);
    const table = randn(rng, 7 * 4);
    const ids = Int32Array.from([0, 3, 3, 6, 1, 0, 3]);
    const up = randn(rng, ids.length * 4);
    const run = () =>
      tf.tidy(() =>
        values(
          tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor1d(ids, 'int32')), tf.tensor2d(up, [ids.length, 4]))))(tf.tensor2d(table, [7, 4])),
        ),
      );
    await useBackend('wasm');
    const ours = run();
    await useBackend('cpu');
    const ref = run();
    await useBackend('wasm');
    expectClose(ours, ref, F32_TOL, 'gather grad vs cpu');
    const direct = new Float32Array(7 * 4);
    ids.forEach((id, s) => {
      for (let j = 0; j < 4; j++) direct[id * 4 + j]! += up[s * 4 + j]!;
    });
    expectClose(ours, direct, F32_TOL, 'gather grad vs direct sum');
    const seg = tf.unsortedSegmentSum(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]), tf.tensor1d([1, -1, 5], 'int32'), 2);
    assert.deepEqual(Array.from(seg.dataSync()), [0, 0, 1, 2]);
    seg.dispose();
    expectNoLeak('unsortedSegmentSum', () => tf.tidy(() => tf.unsortedSegmentSum(tf.tensor2d([1, 2], [1, 2]), tf.tensor1d([0], 'int32'), 3)));
  });

  it('GatherV2 row-copy fast path equals the cpu backend; other axes fall back; bad ids throw', async () => {
    const rng = new Rng(4);
    const table = randn(rng, 9 * 5);
    const ids = Int32Array.from([8, 0, 3, 3, 1, 8]);
    const run = () =>
      tf.tidy(() => {
        const t = tf.tensor2d(table, [9, 5]);
        return [
          values(tf.gather(t, tf.tensor2d(ids, [2, 3], 'int32'))),
          values(tf.gather(t, tf.tensor1d([4, 0], 'int32'), 1)),
          values(tf.gather(tf.cast(t, 'int32'), tf.tensor1d(ids, 'int32'))),
        ];
      });
    await useBackend('wasm');
    const ours = run();
    await useBackend('cpu');
    const ref = run();
    await useBackend('wasm');
    ours.forEach((o, i) => expectClose(o, ref[i]!, { atol: 0 }, `gather case ${i}`));
    const before = tf.memory().numTensors;
    assert.throws(() => tf.tidy(() => tf.gather(tf.tensor2d(table, [9, 5]), tf.tensor1d([2, 9], 'int32'))), /index 9 at position 1 is not in \[0, 9\)/);
    assert.equal(tf.memory().numTensors, before);
  });

  it('Conv2DBackpropInput (stride-1 fast path and strided fallback) and MaxPoolGrad equal the cpu backend', async () => {
    const rng = new Rng(8);
    const xv = randn(rng, 2 * 5 * 9 * 3);
    const wv = randn(rng, 3 * 2 * 3 * 4);
    const cases: [number | [number, number], 'valid' | 'same'][] = [
      [1, 'valid'],
      [1, 'same'],
      [[2, 1], 'same'],
    ];
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(xv, [2, 5, 9, 3]);
        const w = tf.tensor4d(wv, [3, 2, 3, 4]);
        const out: Float32Array[] = [];
        for (const [strides, pad] of cases) {
          const up = tf.sin(tf.conv2d(x, w, strides, pad));
          out.push(values(tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, w, strides, pad), up)))(x)));
        }
        for (const [k, st, pad] of [
          [[1, 2], [1, 2], 'valid'],
          [[2, 3], [1, 2], 'same'],
          [[3, 3], [2, 2], 'valid'],
        ] as const) {
          const up = tf.cos(tf.maxPool(x, k as [number, number], st as [number, number], pad));
          out.push(values(tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, k as [number, number], st as [number, number], pad), up)))(x)));
        }
        return out;
      });
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const ours = run();
    assert.equal(tf.memory().numTensors, before, 'kernels leaked tensors');
    await useBackend('cpu');
    const ref = run();
    await useBackend('wasm');
    ours.forEach((o, i) => expectClose(o, ref[i]!, SUM_TOL, `case ${i}`));
  });
});
