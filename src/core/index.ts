/**
 * @module
 * Shared foundations: errors, binary file reading, half floats, top-k, seeded RNG,
 * `.npy` I/O and progress reporting.
 */
export * from './errors.js';
export * from './binary-reader.js';
export * from './write-fully.js';
export * from './half.js';
export * from './top-k.js';
export * from './rng.js';
export * from './npy.js';
export * from './progress.js';
export * from './lines.js';
export * from './label-prefix.js';
