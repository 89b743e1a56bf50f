/**
 * @module
 * `leanml/text`: neural text classifiers built from `leanml/nn` — a bag of embeddings (PAD,
 * true-length mean) and a GRU over packed variable-length batches — trained with Adam and
 * early stopping, saved as a directory with PyTorch-named weights, and `inspect` to open up
 * the gates on the examples a model gets wrong.
 */
export * from './settings.js';
export * from './labelled-lines.js';
export * from './vocabulary.js';
export * from './encoded-set.js';
export * from './text-net.js';
export * from './text-model.js';
export * from './train-text.js';
export * from './test-text.js';
export * from './inspect-errors.js';
export * from './inspect-report.js';
export * from './test-corpus.js';
