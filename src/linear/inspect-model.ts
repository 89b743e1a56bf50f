/**
 * @module
 * The strongest features of a model by name: per weight vector, the features with the
 * largest positive and negative weights (the weights prediction uses).
 */
import { TopK } from '../core/top-k.js';
import type { LinearModel } from './linear-model.js';

export interface FeatureWeight {
  feature: string;
  weight: number;
}

export interface InspectResult {
  /** The label each vector scores (binary: the positive label). */
  label: string;
  /** Largest weights first. */
  positive: FeatureWeight[];
  /** Most negative weights first. */
  negative: FeatureWeight[];
}

/** Features per direction `inspectModel` (and `leanml linear inspect`) lists by default. */
export const DEFAULT_INSPECT_TOP: number = 20;

/** The `top` strongest features for and against each label's vector. */
export function inspectModel(model: LinearModel, top = DEFAULT_INSPECT_TOP): InspectResult[] {
  const L = model.learner;
  const slots = model.encoder.slots;
  const out: InspectResult[] = [];
  for (let k = 0; k < L.vectors; k++) {
    const w = L.predictionWeights(k);
    const pos = new TopK(top);
    const neg = new TopK(top);
    for (let i = 0; i < slots; i++) {
      const v = w[i]!;
      if (v > 0) pos.push(i, v);
      else if (v < 0) neg.push(i, -v);
    }
    out.push({
      label: model.labels[L.vectors === 1 ? model.positive : k] ?? '',
      positive: pos.sorted().map((s) => ({ feature: model.encoder.slotName(s.id), weight: s.score })),
      negative: neg.sorted().map((s) => ({ feature: model.encoder.slotName(s.id), weight: -s.score })),
    });
  }
  return out;
}
