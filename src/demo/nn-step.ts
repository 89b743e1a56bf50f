/**
 * @module
 * Demo step for `nn`: the conv1d autoencoder of the notes on a (1, 128, 44) frame — stage
 * shapes, then a few Adam steps on the WASM backend.
 */
import { Rng } from '../core/rng.js';
import type { tf as TF } from '../nn/index.js';
import type { DemoStep } from './index.js';

export const nnStep: DemoStep = {
  name: 'nn',
  title: 'nn: conv1d autoencoder with max-pool indices, trained on TensorFlow.js (WASM)',
  async run(log) {
    // imported here, not above: TensorFlow.js is optional, and the other steps run without it
    const { Adam, ConvAutoencoder, initBackend, tf } = await import('../nn/index.js');
    const backend = await initBackend();
    const rng = new Rng(3);
    const x = tf.tensor3d(
      Float32Array.from({ length: 128 * 44 }, () => rng.normal()),
      [1, 128, 44],
    );
    const ae = new ConvAutoencoder({ seed: 1 });
    const stages = ae.stages(x);
    log(
      `   backend ${backend}; stages: ${Object.entries(stages)
        .map(([k, v]) => `${k} (${v.shape.join(', ')})`)
        .join(', ')}`,
    );
    tf.dispose(Object.values(stages));
    const opt = new Adam(ae.trainableVariables(), { lr: 1e-2 });
    const loss = () => tf.losses.meanSquaredError(x, ae.forward(x)) as TF.Scalar;
    const first = opt.minimize(loss);
    let last = first;
    for (let i = 0; i < 19; i++) last = opt.minimize(loss);
    log(`   20 Adam steps: reconstruction MSE ${first.toFixed(4)} → ${last.toFixed(4)}`);
    opt.dispose();
    ae.dispose();
    x.dispose();
  },
};
