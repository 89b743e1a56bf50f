/**
 * @module
 * Reads fastText `.bin` / `.ftz` models and leanml's compact vector store without the C++
 * binary: word and sentence vectors, nearest neighbours, analogies, predict, n-grams.
 */
export { openFastText, openBin, openStore, type OpenOptions } from './open.js';
export { VectorModel, LABEL_PREFIX, type Neighbor, type Prediction, type NgramVector } from './vector-model.js';
export { BinModel } from './bin-model.js';
export { DEFAULT_FASTTEXT } from './fasttext-defaults.js';
export type { FastTextArgs, LossName, ModelName } from './args.js';
export { fnv1a32 } from './hash.js';
export { formatG } from './format-float.js';
export { readModel, FASTTEXT_MAGIC, FASTTEXT_VERSION } from './read-model.js';
export { StoreModel, type StoreOpenOptions } from './store-model.js';
export { DEFAULT_IVF } from './ivf-search.js';
export { MemorySource, type ByteSource } from '../core/byte-source.js';
export { RemoteStore, type RemoteStoreOptions } from './remote-store.js';
export { syncToAsync, type AsyncByteSource } from '../core/async-source.js';
export { HttpRangeSource, type HttpRangeOptions } from '../core/http-range-source.js';
export { convertToStore, type ConvertOptions } from './convert.js';
export type { StoreDtype, StoreHeader } from './store-format.js';
export { formatVector, formatScore } from './format-line.js';
export { splitWords, splitLines } from './tokens.js';
export { PredictStream, type PredictStreamOptions } from './predict-stream.js';
export { LinePredictor, type LinePredictorLike } from './line-predictor.js';
export { expf } from './expf.js';
