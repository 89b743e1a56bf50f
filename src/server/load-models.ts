/**
 * @module
 * Loads the models named on the command line (`--vectors NAME=PATH`, `--linear NAME=PATH`,
 * `--speaker NAME=DIR`) into a `ModelRegistry`, adapting each library model to the small
 * interface the server uses.
 */
import { existsSync, statSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { openFastText, type VectorModel } from '../fasttext/index.js';
import { loadLinearModel } from '../linear/index.js';
import { ModelRegistry } from './model-registry.js';
import type { ModelKind, ModelKinds, VectorsModel } from './model-types.js';

/** One `--KIND NAME=PATH` argument. */
export interface ModelSpec {
  kind: ModelKind;
  name: string;
  path: string;
}

/** How each kind of model is loaded from a path. */
export type ModelLoaders = { [K in ModelKind]: (path: string) => Promise<ModelKinds[K]> };

/** Parses `NAME=PATH` (the path may itself contain `=`). */
export function parseModelSpec(kind: ModelKind, arg: string): ModelSpec {
  const eq = arg.indexOf('=');
  if (eq <= 0 || eq === arg.length - 1) throw new UsageError(`--${kind} expects NAME=PATH, got '${arg}'`);
  return { kind, name: arg.slice(0, eq), path: arg.slice(eq + 1) };
}

/** A fastText model (`.bin`, `.ftz`, compact store) seen through the server's interface. */
export function vectorsModelOf(m: VectorModel): VectorsModel {
  return {
    dim: m.dim,
    isSupervised: m.isSupervised,
    wordVector: (w) => m.wordVector(w),
    inVocabulary: (w) => m.has(w),
    sentenceVector: (t) => m.sentenceVector(t),
    nearestNeighbors: (w, k) => m.nearestNeighbors(w, k),
    nearestNeighborsBatch: (ws, k) => m.nearestNeighborsBatch(ws, k),
    analogies: (a, b, c, k) => m.analogies(a, b, c, k),
    analogiesBatch: (qs, k) => m.analogiesBatch(qs, k),
    predict: (t, k, threshold) => m.predict(t, k, threshold),
    close: () => m.close(),
  };
}

/**
 * Model files up to this size are read into memory at start: a server answers many lookups,
 * and reading rows from disk on demand costs ~40x per out-of-vocabulary word vector (measured
 * on the fixture model). Larger files (e.g. a 7 GB `cc.en.300.bin`) stay on disk.
 */
export const LOAD_ALL_MAX_BYTES = 2 ** 31;

/** The loaders of the library's models. */
export const DEFAULT_LOADERS: ModelLoaders = {
  vectors: async (path) => vectorsModelOf(openFastText(path, { loadAll: statSync(path).size <= LOAD_ALL_MAX_BYTES })),
  linear: (path) => loadLinearModel(path),
  // imported on demand: the speaker pipeline brings TensorFlow.js, which servers of text models need not load
  speaker: async (dir) => {
    const { detectSpeaker, loadSpeakerModel } = await import('../speaker/index.js');
    const model = await loadSpeakerModel(dir);
    return {
      detect: async (path, opts) => {
        const r = await detectSpeaker(model, path, { threshold: opts.threshold });
        return { duration: r.duration, threshold: r.threshold, segments: r.segments };
      },
      close: () => model.dispose(),
    };
  },
};

/**
 * Loads every spec into a new registry (names are checked first, so a typo fails before any
 * large file is read). If one fails, those already open are closed and the error is rethrown.
 */
export async function loadModels(specs: ModelSpec[], opts: { loaders?: ModelLoaders; log?: (line: string) => void } = {}): Promise<ModelRegistry> {
  const loaders = opts.loaders ?? DEFAULT_LOADERS;
  const check = new ModelRegistry();
  for (const s of specs) {
    check.add(s.kind, s.name, {} as never);
    if (!existsSync(s.path)) throw new UsageError(`--${s.kind} ${s.name}=${s.path}: no such file or directory`);
  }
  const registry = new ModelRegistry();
  try {
    for (const s of specs) {
      const t0 = performance.now();
      const model = await loaders[s.kind](s.path);
      registry.add(s.kind, s.name, model as never);
      opts.log?.(`serve: loaded ${s.kind} model '${s.name}' from ${s.path} (${Math.round(performance.now() - t0)} ms)`);
    }
  } catch (err) {
    await registry.closeAll().catch(() => {});
    throw err;
  }
  return registry;
}
