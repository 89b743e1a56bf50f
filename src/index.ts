/**
 * @module
 * leanml: lean, practical machine learning for Node.js. Import a module by its subpath
 * (`leanml/linear`, `leanml/fasttext`, `leanml/audio`, `leanml/nn`, `leanml/speaker`);
 * this entry re-exports the foundation.
 */
export * from './core/index.js';
export { VERSION } from './version.js';
