import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ShapeError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { initBackend } from '../nn/index.js';
import { expectClose } from '../../test/helpers/expect-close.js';
import { EmbeddingNet } from './embedding-net.js';
import { InferenceNet } from './inference-net.js';
import { loadSpeakerModel } from './speaker-model.js';
import { detectSpeaker } from './detect.js';

// the fused WASM kernel adds the bias inside the convolution's float32 sum, EmbeddingNet after it
const FUSED_TOL = { atol: 1e-5, rtol: 1e-5 };

describe('InferenceNet', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('embeds a block as EmbeddingNet.embedBlock does (even and odd starts), at the default shape', () => {
    const shape = { channels: 64, filters: 64, dim: 32 };
    const net = new EmbeddingNet(shape, 3);
    const fast = new InferenceNet(shape, net.stateDict());
    const rng = new Rng(5);
    const T = 400;
    const block = Float32Array.from({ length: T * 64 }, () => -40 + 15 * rng.normal());
    const starts = Int32Array.from([0, 4, 8, 100, 101, 255, 356]);
    const norm = { mean: -42, std: 14 };
    const want = net.embedBlock(block, T, 44, starts, norm);
    const got = fast.embedBlock(block, T, 44, starts, norm);
    expectClose(got, want, FUSED_TOL, 'embeddings');
    expectClose(fast.embed(block.subarray(100 * 64, 144 * 64), 1, 44, norm), want.subarray(3 * 32, 4 * 32), FUSED_TOL, 'one frame');
    net.dispose();
    fast.dispose();
  });

  it('refuses a state dict of another shape, naming the tensor', () => {
    const net = new EmbeddingNet({ channels: 8, filters: 4, dim: 3 }, 1);
    assert.throws(
      () => new InferenceNet({ channels: 8, filters: 5, dim: 3 }, net.stateDict()),
      (e: Error) => e instanceof ShapeError && /fc\.weight/.test(e.message),
    );
    net.dispose();
  });

  it('detects on the demo broadcast as the trainable nets do', async () => {
    const dir = 'data/speaker-demo/model';
    const fast = await loadSpeakerModel(dir);
    const slow = await loadSpeakerModel(dir, { trainable: true });
    assert.ok(fast.net instanceof InferenceNet && slow.net instanceof EmbeddingNet);
    const a = await detectSpeaker(fast, 'data/speaker-demo/broadcast.wav');
    const b = await detectSpeaker(slow, 'data/speaker-demo/broadcast.wav', { worker: false });
    expectClose(a.scores, b.scores, FUSED_TOL, 'column scores');
    assert.deepEqual(
      a.segments.map((s) => [s.start, s.end]),
      b.segments.map((s) => [s.start, s.end]),
    );
    fast.dispose();
    slow.dispose();
  });
});
