// The speaker net of the published method, built from nn's layers with PyTorch's weights
// (test/fixtures/nn/speaker_net.safetensors, torch 1.13, generate.py): forward, triplet loss,
// gradients of every parameter, and three Adam steps, on wasm.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { expectClose, F32_TOL } from '../../test/helpers/expect-close.js';
import { Adam } from './adam.js';
import { Conv1d } from './conv1d.js';
import { cosineTripletLoss } from './cosine-triplet-loss.js';
import { globalAvgPool1d } from './global-avg-pool1d.js';
import { l2Normalize } from './l2-normalize.js';
import { toChannelsLast } from './layout.js';
import { Linear } from './linear.js';
import { MaxPool1d } from './max-pool1d.js';
import { Module } from './module.js';
import { loadSafetensors, type StateDict } from './safetensors.js';
import { expectNoLeak, FIXTURES, useBackend, values } from './test-helpers.js';
import { tf } from './tf.js';

// Gradients are sums over 6·42 positions of products of O(1) values; float32 reassociation
// (XNNPACK vs MKL-DNN order) leaves ~1e-5 relative differences, so 1e-4 absolute.
const GRAD_TOL = { atol: 1e-4, rtol: 1e-4 };
// Three Adam steps divide by sqrt(v) ≈ |g|: tiny gradients amplify float32 noise in the update.
const ADAM_TOL = { atol: 2e-4, rtol: 1e-4 };

class SpeakerNet extends Module {
  readonly conv1 = this.addModule('conv1', new Conv1d(128, 32, 3));
  readonly pool = new MaxPool1d(2);
  readonly conv2 = this.addModule('conv2', new Conv1d(32, 32, 3));
  readonly fc = this.addModule('fc', new Linear(32, 16, { bias: false }));
  forward(x: tf.Tensor3D): tf.Tensor2D {
    return tf.tidy(() => {
      const h = this.pool.forwardNlc(tf.relu(this.conv1.forwardNlc(toChannelsLast(x))));
      const g = globalAvgPool1d(tf.relu(this.conv2.forwardNlc(h)), { layout: 'nlc' });
      return l2Normalize(this.fc.forward(g)) as tf.Tensor2D;
    });
  }
}

function triplet(e: tf.Tensor2D): tf.Tensor {
  const [a, p, n] = tf.split(e, 3) as tf.Tensor2D[];
  return cosineTripletLoss(a!, p!, n!, { margin: 0.3 });
}

describe('layers: the speaker net against PyTorch', () => {
  let fx: StateDict;
  before(async () => {
    await useBackend('wasm');
    fx = loadSafetensors(join(FIXTURES, 'speaker_net.safetensors'));
  });

  it('forward, loss and gradients match torch', () => {
    const net = new SpeakerNet().loadStateDict(fx, { strict: false });
    assert.deepEqual(
      net.namedParameters().map(([n]) => n),
      ['conv1.weight', 'conv1.bias', 'conv2.weight', 'conv2.bias', 'fc.weight'],
    );
    const x = tf.tensor3d(fx['x']!.data as Float32Array, fx['x']!.shape as [number, number, number]);
    const vars = net.trainableVariables();
    const names = net.namedParameters().map(([n]) => n);
    const { value, grads } = tf.variableGrads(() => triplet(net.forward(x)) as tf.Scalar, vars);
    const e = net.forward(x);
    expectClose(values(e), fx['embeddings']!.data as Float32Array, F32_TOL, 'embeddings');
    expectClose(values(value), fx['loss']!.data as Float32Array, F32_TOL, 'loss');
    // Gradients come in the stored layout; compare in PyTorch's by loading them as a state dict.
    const gradNet = new SpeakerNet();
    const gsd: StateDict = {};
    for (const [i, v] of vars.entries()) gsd[names[i]!] = { data: values(grads[v.name]!), shape: [] };
    for (const [name, p] of gradNet.namedParameters()) {
      p.variable.assign(tf.tensor(gsd[name]!.data, p.variable.shape));
      expectClose(gradNet.stateDict()[name]!.data, fx[`grad.${name}`]!.data as Float32Array, GRAD_TOL, `grad ${name}`);
    }
    tf.dispose([value, e, x, ...Object.values(grads)]);
    gradNet.dispose();
    net.dispose();
  });

  it('three Adam steps (lr 1e-2) land where torch.optim.Adam does, without leaking', () => {
    const net = new SpeakerNet().loadStateDict(fx, { strict: false });
    const x = tf.tensor3d(fx['x']!.data as Float32Array, fx['x']!.shape as [number, number, number]);
    const opt = new Adam(net.trainableVariables(), { lr: 1e-2 });
    opt.minimize(() => triplet(net.forward(x)));
    expectNoLeak('Adam step', () => {
      opt.minimize(() => triplet(net.forward(x)));
      opt.minimize(() => triplet(net.forward(x)));
    });
    const sd = net.stateDict();
    for (const name of Object.keys(sd)) {
      // Where torch's gradient is at float32 noise level (dead ReLU units: |g| < 1e-6), Adam's
      // first step is lr·sign(noise) in either library; those elements are not comparable.
      const g = fx[`grad.${name}`]!.data as Float32Array;
      const keep = (a: ArrayLike<number>) => Float32Array.from(Array.from(a).filter((_, i) => Math.abs(g[i]!) >= 1e-6));
      expectClose(keep(sd[name]!.data), keep(fx[`adam3.${name}`]!.data as Float32Array), ADAM_TOL, `adam3 ${name}`);
    }
    opt.dispose();
    net.dispose();
    x.dispose();
  });

  it('Adam matches torch.optim.Adam step for step (betas, eps, weight decay)', () => {
    const ad = loadSafetensors(join(FIXTURES, 'adam.safetensors'));
    const p = tf.variable(tf.tensor(ad['p0']!.data as Float32Array, [5, 4]));
    const opt = new Adam([p], { lr: 0.05, betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.1 });
    for (let step = 1; step <= 3; step++) {
      const g = tf.tensor(ad[`grad${step}`]!.data as Float32Array, [5, 4]);
      opt.step([g]);
      g.dispose();
      expectClose(values(p), ad[`p${step}`]!.data as Float32Array, F32_TOL, `step ${step}`);
    }
    assert.equal(opt.steps, 3);
    opt.dispose();
    p.dispose();
  });

  it('l2Normalize of an all-zero row has a finite gradient, as torch.nn.functional.normalize', () => {
    // torch: F.normalize(x, dim=1, eps=1e-12) with x = [[0,0,0],[3,4,0]], loss = sum(y * w),
    // w = [[1,2,3],[1,2,3]] gives x.grad = [[1e12, 2e12, 3e12], [-0.064, 0.048, 0.6]]
    // (the clamped norm passes no gradient; sqrt's 0/0 made it NaN before)
    const x = tf.tensor2d([
      [0, 0, 0],
      [3, 4, 0],
    ]);
    const w = tf.tensor2d([
      [1, 2, 3],
      [1, 2, 3],
    ]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(l2Normalize(v, { axis: 1 }), w)))(x);
    const got = values(g);
    expectClose(got.subarray(0, 3), Float32Array.of(1e12, 2e12, 3e12), { atol: 0, rtol: 1e-6 });
    expectClose(got.subarray(3), Float32Array.of(-0.064, 0.048, 0.6), { atol: 1e-6 });
    tf.dispose([x, w, g]);
  });

  it('stateDict round-trips PyTorch layouts and rejects wrong shapes and names', () => {
    const net = new SpeakerNet().loadStateDict(fx, { strict: false });
    const sd = net.stateDict();
    assert.deepEqual(sd['conv1.weight']!.shape, [32, 128, 3]);
    assert.deepEqual(sd['fc.weight']!.shape, [16, 32]);
    expectClose(sd['conv1.weight']!.data, fx['conv1.weight']!.data as Float32Array, { atol: 0 });
    assert.throws(
      () => new SpeakerNet().loadStateDict({ ...sd, 'fc.weight': { data: new Float32Array(32), shape: [32] } }),
      /'fc.weight' has shape \(32\) but the module expects \(16, 32\)/,
    );
    assert.throws(() => new SpeakerNet().loadStateDict({ ...sd, extra: sd['fc.weight']! }), /unexpected extra/);
    const { 'conv2.bias': _drop, ...partial } = sd;
    assert.throws(() => new SpeakerNet().loadStateDict(partial), /missing conv2.bias/);
    net.dispose();
  });
});
