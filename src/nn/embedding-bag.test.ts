// EmbeddingBag against torch.nn.EmbeddingBag(20, 8, mode, padding_idx=0) from
// test/fixtures/nn/embedding_bag.safetensors (torch 1.13, generate.py): outputs and weight
// gradients for sum, mean, and unit-norm; padded vs unpadded vs one sample at a time.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { expectClose, F32_TOL } from '../../test/helpers/expect-close.js';
import { EmbeddingBag, padIds } from './embedding-bag.js';
import { loadSafetensors, type StateDict } from './safetensors.js';
import { expectNoLeak, fromFixture, FIXTURES, torchGrads, useBackend, values } from './test-helpers.js';
import { tf } from './tf.js';

describe('EmbeddingBag', () => {
  let fx: StateDict;
  before(async () => {
    await useBackend('wasm');
    fx = loadSafetensors(join(FIXTURES, 'embedding_bag.safetensors'));
  });

  for (const mode of ['sum', 'mean'] as const) {
    for (const unitNorm of [false, true]) {
      const key = `${mode}${unitNorm ? '.unit' : ''}`;
      it(`${key}: output and weight gradient match torch; the PAD row gets none`, () => {
        const bag = new EmbeddingBag(20, 8, { mode, paddingIdx: 0, unitNorm }).loadStateDict({ weight: fx['weight']! });
        const ids = fromFixture(fx['ids']!, 'int32') as tf.Tensor2D;
        const up = fromFixture(fx['upstream']!);
        const out = bag.forward(ids);
        expectClose(values(out), fx[`${key}.out`]!.data as Float32Array, F32_TOL, `${key} out`);
        const { grads } = torchGrads(bag, () => tf.sum(tf.mul(bag.forward(ids), up)) as tf.Scalar);
        expectClose(grads['weight']!, fx[`${key}.grad.weight`]!.data as Float32Array, F32_TOL, `${key} grad`);
        assert.deepEqual(Array.from(grads['weight']!.subarray(0, 8)), new Array(8).fill(0));
        tf.dispose([out, ids, up]);
        bag.dispose();
      });
    }
  }

  it('padded batch = unpadded (ids + offsets) = one sample at a time, without leaks', () => {
    const lists = [[3, 7, 7, 1], [5], [2, 4, 6, 8, 10, 12], [19, 18]];
    for (const mode of ['sum', 'mean'] as const) {
      const bag = new EmbeddingBag(20, 8, { mode, seed: 3 });
      const padded = values(bag.forward(padIds(lists)));
      const flat = Int32Array.from(lists.flat());
      const offsets = Int32Array.from(lists.map((_, i) => lists.slice(0, i).reduce((a, l) => a + l.length, 0)));
      const ragged = values(bag.forwardRagged(flat, offsets));
      const single = Float32Array.from(lists.flatMap((l) => Array.from(values(bag.forward(padIds([l]))))));
      expectClose(ragged, padded, F32_TOL, `${mode} ragged vs padded`);
      expectClose(single, padded, F32_TOL, `${mode} per-sample vs padded`);
      // Extra padding changes nothing.
      expectClose(values(bag.forward(padIds(lists, { length: 11 }))), padded, F32_TOL, `${mode} longer padding`);
      expectNoLeak('EmbeddingBag.forward', () => bag.forward(padIds(lists)));
      expectNoLeak('EmbeddingBag grads', () => {
        torchGrads(bag, () => tf.sum(bag.forward(padIds(lists))) as tf.Scalar);
      });
      bag.dispose();
    }
  });

  it('an all-PAD sample gives zeros (mean does not divide by zero); bad ids are rejected', () => {
    const bag = new EmbeddingBag(20, 8, { mode: 'mean', seed: 1 });
    const out = values(bag.forward(padIds([[0, 0], [4]])));
    assert.deepEqual(Array.from(out.subarray(0, 8)), new Array(8).fill(0));
    assert.throws(() => bag.forward(padIds([[25]])), /id 25 at position 0 is outside \[0, 20\)/);
    assert.throws(() => new EmbeddingBag(20, 8, { paddingIdx: 20 }), /paddingIdx 20 outside/);
    bag.dispose();
  });
});
