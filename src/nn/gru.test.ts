// GRU against torch.nn.GRU(5, 7, batch_first=True) with pack_padded_sequence
// (enforce_sorted=False) from test/fixtures/nn/gru.safetensors (torch 1.13, generate.py):
// padded outputs, final states, gradients of weights and input, and the gates of sequence 0.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { expectClose, F32_TOL } from '../../test/helpers/expect-close.js';
import { GRU } from './gru.js';
import { packBatch, permuteRows, unpackRows } from './packed-batch.js';
import { loadSafetensors, type StateDict } from './safetensors.js';
import { expectNoLeak, fromFixture, FIXTURES, torchGrads, useBackend, values } from './test-helpers.js';
import { tf } from './tf.js';

// Gradients through 6 recurrent steps accumulate float32 rounding of both libraries.
const GRAD_TOL = { atol: 2e-5, rtol: 1e-4 };

describe('GRU', () => {
  let fx: StateDict;
  let gru: GRU;
  const lengths = [6, 3, 5, 1];
  before(async () => {
    await useBackend('wasm');
    fx = loadSafetensors(join(FIXTURES, 'gru.safetensors'));
    gru = new GRU(5, 7).loadStateDict(fx, { strict: false });
  });

  it('packed outputs and last valid states match torch (pack_padded_sequence)', () => {
    assert.deepEqual(Array.from(fx['lengths']!.data), lengths);
    const x = fromFixture(fx['x']!) as tf.Tensor3D;
    const { output, hN } = gru.forward(x, { lengths });
    assert.deepEqual(output.shape, [4, 6, 7]);
    expectClose(values(output), fx['out']!.data as Float32Array, F32_TOL, 'output');
    expectClose(values(hN), fx['h_n']!.data as Float32Array, F32_TOL, 'h_n');
    tf.dispose([x, output, hN]);
  });

  it('gradients of the weights and the input match torch', () => {
    const x = tf.variable(fromFixture(fx['x']!), true);
    const upOut = fromFixture(fx['upstream.out']!);
    const upH = fromFixture(fx['upstream.h']!);
    const loss = () =>
      tf.tidy(() => {
        const { output, hN } = gru.forward(x as unknown as tf.Tensor3D, { lengths });
        return tf.add(tf.sum(tf.mul(output, upOut)), tf.sum(tf.mul(hN, upH))) as tf.Scalar;
      });
    const { grads } = torchGrads(gru, loss);
    for (const name of ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0'])
      expectClose(grads[name]!, fx[`grad.${name}`]!.data as Float32Array, GRAD_TOL, `grad ${name}`);
    const gx = tf.grad(() => loss())(x);
    expectClose(values(gx), fx['grad.x']!.data as Float32Array, GRAD_TOL, 'grad x');
    tf.dispose([x, upOut, upH, gx]);
  });

  it('packed batch = one sequence at a time; padded steps change nothing', () => {
    const x = fromFixture(fx['x']!) as tf.Tensor3D;
    const batch = gru.forward(x, { lengths });
    const out = values(batch.output);
    const hN = values(batch.hN);
    const [, T, I] = x.shape;
    lengths.forEach((len, b) => {
      const xs = tf.slice(x, [b, 0, 0], [1, len, I]);
      const one = gru.forward(xs);
      expectClose(values(one.hN), hN.subarray(b * 7, (b + 1) * 7), F32_TOL, `h_n of sequence ${b}`);
      expectClose(values(one.output), out.subarray(b * T * 7, b * T * 7 + len * 7), F32_TOL, `outputs of sequence ${b}`);
      assert.ok(
        out.subarray(b * T * 7 + len * 7, (b + 1) * T * 7).every((v) => v === 0),
        `padded outputs of sequence ${b} are zero`,
      );
      // Garbage in the padded steps must not leak into the result.
      const noisy = tf.concat([xs, tf.fill([1, T - len, I], 1e3)], 1) as tf.Tensor3D;
      const n = gru.forward(noisy, { lengths: [len] });
      expectClose(values(n.hN), hN.subarray(b * 7, (b + 1) * 7), F32_TOL, `h_n of noisy-padded sequence ${b}`);
      tf.dispose([xs, one.output, one.hN, noisy, n.output, n.hN]);
    });
    expectNoLeak('GRU.forward', () => gru.forward(x, { lengths }));
    tf.dispose([x, batch.output, batch.hN]);
  });

  it('inspect returns PyTorch-equation gates per step and unit, and the same states as forward', () => {
    const x = fromFixture(fx['x']!) as tf.Tensor3D;
    const g = gru.inspect(x, { lengths });
    assert.deepEqual(g.shape, [4, 6, 7]);
    const seq0 = (a: Float32Array) => a.subarray(0, 6 * 7);
    expectClose(seq0(g.reset), fx['gates.r']!.data as Float32Array, F32_TOL, 'reset gate');
    expectClose(seq0(g.update), fx['gates.z']!.data as Float32Array, F32_TOL, 'update gate');
    expectClose(seq0(g.candidate), fx['gates.n']!.data as Float32Array, F32_TOL, 'candidate');
    expectClose(g.hidden, fx['out']!.data as Float32Array, F32_TOL, 'hidden = packed outputs');
    expectNoLeak('GRU.inspect', () => {
      gru.inspect(x, { lengths });
    });
    x.dispose();
  });

  it('packBatch sorts by length, labels follow, unpackRows restores the order', () => {
    const x = tf.tensor3d(
      Float32Array.from({ length: 4 * 3 }, (_, i) => i),
      [4, 3, 1],
    );
    const p = packBatch(x, [1, 3, 2, 3]);
    assert.deepEqual(Array.from(p.sortedIndices), [1, 3, 2, 0]);
    assert.deepEqual(Array.from(p.lengths), [3, 3, 2, 1]);
    assert.deepEqual(Array.from(p.batchSizes), [4, 3, 2]);
    assert.deepEqual(permuteRows(['a', 'b', 'c', 'd'], p.sortedIndices), ['b', 'd', 'c', 'a']);
    const back = unpackRows(p.data, p);
    assert.deepEqual(Array.from(back.dataSync()), Array.from(x.dataSync()));
    assert.throws(() => packBatch(x, [1, 0, 2, 3]), /lengths\[1\] = 0 must be an integer in \[1, 3\]/);
    tf.dispose([x, p.data, back]);
  });
});
