/**
 * @module
 * Training the embedding net with the cosine triplet loss `max(0, m + a·n − a·p)`.
 * `switch` mining (the published method): random triplets until most of a batch has zero
 * loss, then each anchor's negative is the hardest violator found in a pool drawn from all
 * negatives (outside the batch). `batch-all`: every (anchor, positive, negative) of the batch,
 * averaged over the triplets that still violate the margin (batch-hard, tried first, collapsed
 * to a constant embedding from a random start).
 * Legend: B = batch, D = embedding dim, L = columns per frame, C = mel bins.
 */
import { Rng } from '../core/rng.js';
import type { Progress } from '../core/progress.js';
import { silentProgress } from '../core/progress.js';
import { Adam, cosineTripletLoss, tf } from '../nn/index.js';
import { mixAt } from './augment.js';
import type { SpeakerConfig } from './config.js';
import type { EmbeddingNet } from './embedding-net.js';

/** Frames in power, (N, L, C), as training input. */
export interface FrameSet {
  data: Float32Array;
  count: number;
}

/** What training sees. */
export interface TrainingData {
  target: FrameSet;
  /** Other speakers' frames and non-speech frames. */
  negatives: FrameSet;
  /** Non-speech frames mixed into training frames when augmenting (unit mean power). */
  noise: FrameSet | null;
  /** Tonal music-like beds mixed (at 10-22 dB SNR) into a share `cfg.train.bedMix` of training frames, on top of `noise`. */
  beds?: FrameSet | null;
  frameSize: number;
  norm: { mean: number; std: number };
}

/** Per-step statistics. */
export interface TrainLog {
  steps: number;
  finalLoss: number;
  /** Step at which `switch` mining turned on (-1: never). */
  miningFrom: number;
  zeroLossShare: number;
}

/** Fills `out` (B, L, C) with normalised dB frames picked by `ids`, augmented with probability `pAug`. */
function gather(
  set: FrameSet,
  ids: Int32Array,
  size: number,
  norm: { mean: number; std: number },
  noise: FrameSet | null,
  pAug: number,
  rng: Rng,
  out: Float32Array,
  beds: FrameSet | null = null,
  pBed = 0,
): void {
  const tmp = new Float32Array(size);
  const tmp2 = new Float32Array(size);
  for (let b = 0; b < ids.length; b++) {
    const src = set.data.subarray(ids[b]! * size, (ids[b]! + 1) * size);
    let x = src;
    if (noise && rng.next() < pAug) {
      const n = rng.int(noise.count);
      mixAt(src, noise.data.subarray(n * size, (n + 1) * size), rng.uniform(3, 25), tmp);
      x = tmp;
    }
    if (beds && rng.next() < pBed) {
      // a bed under the whole frame, relative to the speech (not to speech + noise)
      const n = rng.int(beds.count);
      mixAt(src, beds.data.subarray(n * size, (n + 1) * size), rng.uniform(10, 22), tmp2);
      for (let i = 0; i < size; i++) tmp2[i]! += x[i]! - src[i]!;
      x = tmp2;
    }
    const o = b * size;
    for (let i = 0; i < size; i++) out[o + i] = (10 * Math.log10(x[i]! > 1e-10 ? x[i]! : 1e-10) - norm.mean) / norm.std;
  }
}

/**
 * Shifts every frame of `buf` (B, L, C) along the mel axis by a random ±[lo, hi] bins (edge
 * bins repeated), with probability `p` per frame. A shifted voice has its formants moved as
 * by a different vocal tract, so shifted target frames are impostors and shifted other
 * speakers are new speakers (vocal tract length perturbation on the mel axis).
 */
function melShift(buf: Float32Array, B: number, L: number, C: number, lo: number, hi: number, p: number, rng: Rng): void {
  const row = new Float32Array(C);
  for (let b = 0; b < B; b++) {
    if (rng.next() >= p) continue;
    const k = (rng.next() < 0.5 ? -1 : 1) * (lo + rng.int(hi - lo + 1));
    for (let l = 0; l < L; l++) {
      const o = (b * L + l) * C;
      row.set(buf.subarray(o, o + C));
      for (let c = 0; c < C; c++) buf[o + c] = row[Math.min(C - 1, Math.max(0, c + k))]!;
    }
  }
}

/**
 * One column (C mel bins) with its spectral envelope scaled along the mel axis by `factor`
 * and its fine structure kept: the envelope is a 5-bin moving average (edges repeated), the
 * fine structure what remains, and the result is the envelope read at c / factor plus the old
 * fine structure. A voice with the same pitch and its formants moved, as by a longer
 * (factor < 1) or shorter (> 1) vocal tract. `out` may not be `col`.
 */
export function warpEnvelope(col: Float32Array, factor: number, out: Float32Array): void {
  const C = col.length;
  const env = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    let s = 0;
    for (let k = -2; k <= 2; k++) s += col[Math.min(C - 1, Math.max(0, c + k))]!;
    env[c] = s / 5;
  }
  for (let c = 0; c < C; c++) {
    const x = Math.min(C - 1, c / factor);
    const i = Math.floor(x);
    const w = x - i;
    out[c] = env[i]! * (1 - w) + env[Math.min(C - 1, i + 1)]! * w + col[c]! - env[c]!;
  }
}

/**
 * Impostors a whole-frame shift does not make (that moves the harmonics with the formants):
 * frames `from`..`to` of `buf` (B, L, C) get their envelope scaled by a random factor in
 * [0.75, 0.92] or [1.08, 1.25] per frame (`warpEnvelope`, every column).
 */
function envelopeWarp(buf: Float32Array, from: number, to: number, L: number, C: number, rng: Rng): void {
  const col = new Float32Array(C);
  for (let b = from; b < to; b++) {
    const f = rng.next() < 0.5 ? rng.uniform(0.75, 0.92) : rng.uniform(1.08, 1.25);
    for (let l = 0; l < L; l++) {
      const o = (b * L + l) * C;
      col.set(buf.subarray(o, o + C));
      warpEnvelope(col, f, buf.subarray(o, o + C));
    }
  }
}

function randomIds(rng: Rng, n: number, count: number): Int32Array {
  return Int32Array.from({ length: count }, () => rng.int(n));
}

/** Trains `net` in place. */
export function trainEmbedding(net: EmbeddingNet, data: TrainingData, cfg: SpeakerConfig, progress: Progress = silentProgress): TrainLog {
  const { steps, batch: B, lr, margin, mining, seed } = cfg.train;
  const { frameColumns: L, nMels: C } = cfg.audio;
  const size = data.frameSize;
  const rng = new Rng(seed + 17);
  const opt = new Adam(net.trainableVariables(), { lr });
  const pAug = data.noise ? 0.6 : 0;
  const beds = data.beds ?? null;
  const pBed = beds ? cfg.train.bedMix : 0;
  const bufA = new Float32Array(B * size);
  const bufP = new Float32Array(B * size);
  const bufN = new Float32Array(B * size);
  const poolSize = Math.min(data.negatives.count, 512);
  const bufPool = new Float32Array(poolSize * size);
  let miningFrom = -1;
  let lastLoss = 0;
  let zeroShare = 0;
  // weight averaging over the last `averageLast` share of the steps (Polyak): one step's
  // weights depend on its last few batches; their running mean varies less between seeds
  const avgFrom = cfg.train.averageLast > 0 ? Math.floor(steps * (1 - cfg.train.averageLast)) : steps;
  const vars = net.trainableVariables();
  const avg = vars.map((v) => new Float64Array(v.size));
  let nAvg = 0;
  progress.start(steps, 'training');
  try {
    for (let step = 0; step < steps; step++) {
      gather(data.target, randomIds(rng, data.target.count, B), size, data.norm, data.noise, pAug, rng, bufA, beds, pBed);
      if (mining === 'batch-all') {
        gather(data.negatives, randomIds(rng, data.negatives.count, B), size, data.norm, data.noise, pAug, rng, bufN, beds, pBed);
        if (cfg.train.impostors) {
          // a quarter of the negatives: the target itself, formants moved (impostors); the rest
          // of the other speakers' frames moved a little (more speakers than the data has)
          const q = B >> 2;
          const imp = new Float32Array(q * size);
          gather(data.target, randomIds(rng, data.target.count, q), size, data.norm, data.noise, pAug, rng, imp);
          const nEnv = Math.round(q * (cfg.train.envelopeImpostors ?? 0));
          envelopeWarp(imp, 0, nEnv, L, C, rng);
          if (nEnv < q) melShift(imp.subarray(nEnv * L * C), q - nEnv, L, C, 3, 10, 1, rng);
          melShift(bufN, B, L, C, 1, 4, 0.5, rng);
          bufN.set(imp, (B - q) * size);
        }
        lastLoss = opt.minimize(() => {
          const ea = net.forward(tf.tensor3d(bufA, [B, L, C]));
          const en = net.forward(tf.tensor3d(bufN, [B, L, C]));
          // every (anchor, positive, negative) of the batch; the mean is over the triplets
          // that still violate the margin, so easy ones do not dilute the gradient
          const stt = tf.matMul(ea, ea, false, true); // (B, B): a·p
          const stn = tf.matMul(ea, en, false, true); // (B, B): a·n
          const all = tf.relu(tf.add(tf.sub(tf.expandDims(stn, 1), tf.expandDims(stt, 2)), margin)); // (B, P, N)
          const offDiag = tf.expandDims(tf.sub(1, tf.eye(B)), 2);
          const losses = tf.mul(all, offDiag);
          const active = tf.sum(tf.sign(losses)); // sign has a (zero) gradient; a comparison has none
          return tf.div(tf.sum(losses), tf.maximum(active, 1)) as tf.Scalar;
        });
      } else {
        gather(data.target, randomIds(rng, data.target.count, B), size, data.norm, data.noise, pAug, rng, bufP);
        let negIds = randomIds(rng, data.negatives.count, B);
        if (miningFrom >= 0) negIds = hardestNegatives(net, data, bufA, bufP, negIds, poolSize, bufPool, cfg, rng);
        gather(data.negatives, negIds, size, data.norm, data.noise, pAug, rng, bufN);
        let zero = 0;
        lastLoss = opt.minimize(() => {
          const a = net.forward(tf.tensor3d(bufA, [B, L, C]));
          const p = net.forward(tf.tensor3d(bufP, [B, L, C]));
          const n = net.forward(tf.tensor3d(bufN, [B, L, C]));
          const per = cosineTripletLoss(a, p, n, { margin, reduction: 'none' });
          zero = tf.tidy(() => tf.mean(tf.cast(tf.equal(per, 0), 'float32')).dataSync()[0]!);
          return tf.mean(per) as tf.Scalar;
        });
        zeroShare = zero;
        if (miningFrom < 0 && zero > 0.5) miningFrom = step;
      }
      if (step >= avgFrom) {
        vars.forEach((v, i) => {
          const w = v.dataSync();
          const a = avg[i]!;
          for (let j = 0; j < a.length; j++) a[j]! += w[j]!;
        });
        nAvg++;
      }
      progress.update(step + 1);
    }
    if (nAvg > 1)
      vars.forEach((v, i) =>
        v.assign(
          tf.tensor(
            Float32Array.from(avg[i]!, (x) => x / nAvg),
            v.shape,
          ),
        ),
      );
  } finally {
    progress.stop();
    opt.dispose();
  }
  return { steps, finalLoss: lastLoss, miningFrom, zeroLossShare: zeroShare };
}

/** For each anchor, the pool negative with the highest a·n among those violating the margin (else the random one). */
function hardestNegatives(
  net: EmbeddingNet,
  data: TrainingData,
  bufA: Float32Array,
  bufP: Float32Array,
  fallback: Int32Array,
  poolSize: number,
  bufPool: Float32Array,
  cfg: SpeakerConfig,
  rng: Rng,
): Int32Array {
  const { frameColumns: L, nMels: C } = cfg.audio;
  const B = fallback.length;
  const poolIds = randomIds(rng, data.negatives.count, poolSize);
  gather(data.negatives, poolIds, data.frameSize, data.norm, null, 0, rng, bufPool);
  const [sim, ap] = tf.tidy(() => {
    const a = net.forward(tf.tensor3d(bufA, [B, L, C]));
    const p = net.forward(tf.tensor3d(bufP, [B, L, C]));
    const pool = net.forward(tf.tensor3d(bufPool, [poolSize, L, C]));
    return [tf.matMul(a, pool, false, true).dataSync() as Float32Array, tf.sum(tf.mul(a, p), 1).dataSync() as Float32Array];
  });
  const out = fallback.slice();
  for (let b = 0; b < B; b++) {
    let best = -1;
    let bestS = -Infinity;
    for (let j = 0; j < poolSize; j++) {
      const s = sim[b * poolSize + j]!;
      if (s > ap[b]! - cfg.train.margin && s > bestS) {
        bestS = s;
        best = j;
      }
    }
    if (best >= 0) out[b] = poolIds[best]!;
  }
  return out;
}
