/**
 * @module
 * The label prefix of labelled text lines (`__label__spam win a prize`): fastText's `-label`
 * default, and the default of every leanml reader of such lines (linear, text, fasttext).
 */
export const DEFAULT_LABEL_PREFIX: string = '__label__';
