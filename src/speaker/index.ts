/**
 * @module
 * `leanml/speaker`: find where one voice speaks in long recordings — log-mel frames, a conv1d
 * embedding net trained with a cosine triplet loss and hard-negative mining, a memory of the
 * target's embeddings, top-k-mean scoring, a calibrated threshold, time markers (JSON, RTTM,
 * CSV) and an HTML timeline report.
 */
export * from './config.js';
export * from './frames.js';
export * from './speech-gate.js';
export * from './augment.js';
export * from './embedding-net.js';
export * from './memory.js';
export * from './trainer.js';
export * from './threshold.js';
export * from './calibration.js';
export * from './file-threshold.js';
export * from './segments.js';
export * from './formats.js';
export * from './metrics.js';
export * from './power-mel.js';
export * from './speaker-model.js';
export * from './speaker-frames.js';
export * from './frame-sets.js';
export * from './train.js';
export * from './detect.js';
export * from './report.js';
