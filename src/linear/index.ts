/**
 * @module
 * leanml/linear: sparse online linear classifiers (hinge-loss SGD = linear SVM, logistic
 * loss) over fastText, Vowpal Wabbit and libsvm text, with exact or hashed features.
 */
export { LinearModel, POSITIVE_LABELS, type LinearModelSettings, type Prediction } from './linear-model.js';
export { loadLinearModel, loadLinearModelSync, parseLinearModel, saveLinearModel, MODEL_MAGIC, MODEL_VERSION } from './model-file.js';
export { trainLinear, DEFAULT_TRAIN, type TrainOptions, type TrainSummary, type ProgressReport } from './train-linear.js';
export { evaluate, predictFile, type EvaluateOptions } from './evaluate.js';
export { DEFAULT_INSPECT_TOP, inspectModel, type InspectResult, type FeatureWeight } from './inspect-model.js';
export { type Metrics, rocAuc } from './metrics.js';
export { DEFAULT_FEATURES, type FeatureConfig } from './feature-encoder.js';
export { DEFAULT_LEARNER, type LearnerOptions, type Loss } from './sgd-learner.js';
export { detectFormat, INPUT_FORMATS, type InputFormat } from './detect-format.js';
export { murmur3 } from './murmur-hash.js';
