// FiLM against the PyTorch module in generate.py (proj = nn.Linear(6, 8); γ, β = chunk(2)),
// from test/fixtures/nn/film.safetensors (torch 1.13): output and gradients.
import { before, describe, it } from 'node:test';
import { join } from 'node:path';
import { expectClose, F32_TOL } from '../../test/helpers/expect-close.js';
import { FiLM } from './film.js';
import { toChannelsFirst, toChannelsLast } from './layout.js';
import { loadSafetensors, type StateDict } from './safetensors.js';
import { expectNoLeak, fromFixture, FIXTURES, torchGrads, useBackend, values } from './test-helpers.js';
import { tf } from './tf.js';

describe('FiLM', () => {
  let fx: StateDict;
  before(async () => {
    await useBackend('wasm');
    fx = loadSafetensors(join(FIXTURES, 'film.safetensors'));
  });

  it('output and gradients (weights, maps, context) match torch; NLC path agrees', () => {
    const film = new FiLM(6, 4).loadStateDict(fx, { strict: false });
    const x = fromFixture(fx['x']!) as tf.Tensor3D;
    const c = fromFixture(fx['context']!) as tf.Tensor2D;
    const up = fromFixture(fx['upstream']!);
    expectClose(values(film.forward(x, c)), fx['out']!.data as Float32Array, F32_TOL, 'out');
    expectClose(values(toChannelsFirst(film.forwardNlc(toChannelsLast(x), c))), fx['out']!.data as Float32Array, F32_TOL, 'out (NLC)');
    const { grads } = torchGrads(film, () => tf.sum(tf.mul(film.forward(x, c), up)) as tf.Scalar);
    for (const name of ['proj.weight', 'proj.bias']) expectClose(grads[name]!, fx[`grad.${name}`]!.data as Float32Array, F32_TOL, `grad ${name}`);
    const [gx, gc] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(film.forward(a as tf.Tensor3D, b as tf.Tensor2D), up)))([x, c]);
    expectClose(values(gx!), fx['grad.x']!.data as Float32Array, F32_TOL, 'grad x');
    expectClose(values(gc!), fx['grad.context']!.data as Float32Array, F32_TOL, 'grad context');
    expectNoLeak('FiLM.forward', () => film.forward(x, c));
    tf.dispose([x, c, up, gx!, gc!]);
    film.dispose();
  });
});
