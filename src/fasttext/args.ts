/**
 * @module
 * The training arguments stored at the start of every fastText model (after magic and
 * version), and the enums they use.
 */
import type { BinaryCursor } from '../core/binary-reader.js';
import { FormatError } from '../core/errors.js';

/** `loss_name` of the C++ (`enum class loss_name : int`). */
export type LossName = 'hs' | 'ns' | 'softmax' | 'ova';
/** `model_name` of the C++. */
export type ModelName = 'cbow' | 'skipgram' | 'supervised';

const LOSSES: Record<number, LossName> = { 1: 'hs', 2: 'ns', 3: 'softmax', 4: 'ova' };
const MODELS: Record<number, ModelName> = { 1: 'cbow', 2: 'skipgram', 3: 'supervised' };

/** The arguments a model was trained with, as `Args::save` writes them. */
export interface FastTextArgs {
  dim: number;
  ws: number;
  epoch: number;
  minCount: number;
  neg: number;
  wordNgrams: number;
  loss: LossName;
  model: ModelName;
  bucket: number;
  minn: number;
  maxn: number;
  lrUpdateRate: number;
  t: number;
}

/** Largest dimension accepted; fastText models in the wild use <= 1000. */
export const MAX_DIM = 1 << 16;

/** Reads `Args::load` (12 int32 + 1 double) and refuses values no model can have. */
export function readArgs(cur: BinaryCursor, version: number): FastTextArgs {
  const path = cur.file.path;
  const at = cur.offset;
  const dim = cur.i32('dim');
  const ws = cur.i32('ws');
  const epoch = cur.i32('epoch');
  const minCount = cur.i32('minCount');
  const neg = cur.i32('neg');
  const wordNgrams = cur.i32('wordNgrams');
  const lossId = cur.i32('loss');
  const modelId = cur.i32('model');
  const bucket = cur.i32('bucket');
  const minn = cur.i32('minn');
  let maxn = cur.i32('maxn');
  const lrUpdateRate = cur.i32('lrUpdateRate');
  const t = cur.f64('t');
  const loss = LOSSES[lossId];
  const model = MODELS[modelId];
  if (!loss) throw new FormatError(`${path}: unknown loss ${lossId} in the arguments at byte ${at + 24} (expected 1..4)`);
  if (!model) throw new FormatError(`${path}: unknown model ${modelId} in the arguments at byte ${at + 28} (expected 1..3)`);
  if (dim <= 0 || dim > MAX_DIM) throw new FormatError(`${path}: dim ${dim} at byte ${at} is not in [1, ${MAX_DIM}]`);
  if (bucket < 0) throw new FormatError(`${path}: bucket ${bucket} at byte ${at + 32} is negative`);
  if (minn < 0 || maxn < 0 || maxn > 1024) throw new FormatError(`${path}: n-gram lengths minn ${minn}, maxn ${maxn} at byte ${at + 36} are invalid`);
  if (wordNgrams < 0 || wordNgrams > 1024) throw new FormatError(`${path}: wordNgrams ${wordNgrams} at byte ${at + 20} is invalid`);
  // Version 11 supervised models predate character n-grams (FastText::loadModel does the same).
  if (version === 11 && model === 'supervised') maxn = 0;
  return { dim, ws, epoch, minCount, neg, wordNgrams, loss, model, bucket, minn, maxn, lrUpdateRate, t };
}
