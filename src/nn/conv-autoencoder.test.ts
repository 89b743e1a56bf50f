// The conv1d autoencoder against the PyTorch module in generate.py (Conv1d(128,16,3) →
// MaxPool1d(2, return_indices) → Conv1d(16,16,3); ConvTranspose1d(16,16,3) → MaxUnpool1d(2) →
// ConvTranspose1d(16,128,3)), test/fixtures/nn/autoencoder.safetensors (torch 1.13): every
// stage's shape and values, the pool indices, and the gradients of an MSE reconstruction loss.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { expectClose } from '../../test/helpers/expect-close.js';
import { Adam } from './adam.js';
import { ConvAutoencoder } from './conv-autoencoder.js';
import { maxPool1dWithIndices, maxUnpool1d } from './max-pool1d.js';
import { loadSafetensors, type StateDict } from './safetensors.js';
import { expectNoLeak, fromFixture, FIXTURES, torchGrads, useBackend, values } from './test-helpers.js';
import { tf } from './tf.js';

// Sums over 128·3 products per output, accumulated in different orders.
const FWD_TOL = { atol: 2e-5, rtol: 1e-5 };
// Weight gradients sum ~40 positions × 128 channels of products through two conv stages.
const GRAD_TOL = { atol: 2e-5, rtol: 1e-4 };

describe('ConvAutoencoder', () => {
  let fx: StateDict;
  before(async () => {
    await useBackend('wasm');
    fx = loadSafetensors(join(FIXTURES, 'autoencoder.safetensors'));
  });

  it('stage shapes and values, indices and gradients match torch', () => {
    const ae = new ConvAutoencoder().loadStateDict(fx, { strict: false });
    const x = fromFixture(fx['x']!) as tf.Tensor3D;
    const s = ae.stages(x);
    const shapes = { c1: [1, 16, 42], m1: [1, 16, 21], indices: [1, 16, 21], c2: [1, 16, 19], d1: [1, 16, 21], u1: [1, 16, 42], d2: [1, 128, 44] };
    for (const [k, shape] of Object.entries(shapes)) {
      const t = s[k as keyof typeof s];
      assert.deepEqual(t.shape, shape, `${k} shape`);
      if (k === 'indices') assert.deepEqual(Array.from(t.dataSync()), Array.from(fx['out.indices']!.data), 'indices');
      else expectClose(values(t), fx[`out.${k}`]!.data as Float32Array, FWD_TOL, k);
    }
    const { grads } = torchGrads(ae, () => tf.losses.meanSquaredError(x, ae.forward(x)) as tf.Scalar);
    for (const name of Object.keys(grads)) expectClose(grads[name]!, fx[`grad.${name}`]!.data as Float32Array, GRAD_TOL, `grad ${name}`);
    assert.equal(Object.keys(grads).length, 8);
    tf.dispose([x, ...Object.values(s)]);
    ae.dispose();
  });

  it('trains end to end: the reconstruction loss falls, no tensors leak', () => {
    const ae = new ConvAutoencoder({ seed: 1 });
    const x = fromFixture(fx['x']!) as tf.Tensor3D;
    const opt = new Adam(ae.trainableVariables(), { lr: 1e-2 });
    const loss = () => tf.losses.meanSquaredError(x, ae.forward(x)) as tf.Scalar;
    const first = opt.minimize(loss);
    let last = first;
    expectNoLeak('autoencoder training steps', () => {
      for (let i = 0; i < 20; i++) last = opt.minimize(loss);
    });
    assert.ok(last < 0.9 * first, `loss ${first} → ${last} should fall`);
    opt.dispose();
    ae.dispose();
    x.dispose();
  });

  it('max-unpool puts each value back at its index; gradients reach only the argmax', () => {
    const x = tf.tensor3d([1, 5, 3, 3, -2, -7], [1, 6, 1]);
    const { values: v, indices } = maxPool1dWithIndices(x, 2);
    assert.deepEqual(Array.from(v.dataSync()), [5, 3, -2]);
    assert.deepEqual(Array.from(indices.dataSync()), [1, 2, 4]); // first maximum on ties, as PyTorch
    assert.deepEqual(
      Array.from(maxUnpool1d(v, indices, 2).dataSync(), (u) => u + 0),
      [0, 5, 3, 0, -2, 0],
    ); // + 0: -0 from 0 · -2
    const g = tf.grad((a: tf.Tensor) => tf.sum(maxPool1dWithIndices(a as tf.Tensor3D, 2).values))(x);
    assert.deepEqual(Array.from(g.dataSync()), [0, 1, 1, 0, 1, 0]);
    tf.dispose([x, v, indices, g]);
  });
});
