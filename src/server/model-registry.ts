/**
 * @module
 * The named models a server holds. Names come from the command line and appear in URLs, so
 * they are restricted to a safe alphabet; lookups go through a `Map` (no prototype keys) and
 * never touch the file system, so a request cannot name anything that was not loaded.
 */
import { NotFoundError, UsageError } from '../core/errors.js';
import type { ModelInfo, ModelKind, ModelKinds } from './model-types.js';

/** What a model name may look like: a letter or digit, then letters, digits, `_`, `-` (at most 64). */
export const MODEL_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$';
const NAME_RE = new RegExp(MODEL_NAME_PATTERN);

interface Entry<K extends ModelKind> {
  kind: K;
  name: string;
  model: ModelKinds[K];
}

/** Named models of each kind. */
export class ModelRegistry {
  private readonly entries = new Map<string, Entry<ModelKind>>();

  /** Adds a model; throws `UsageError` for a bad or duplicate name. */
  add<K extends ModelKind>(kind: K, name: string, model: ModelKinds[K]): this {
    if (!NAME_RE.test(name))
      throw new UsageError(`model name '${name}' is not allowed: use letters, digits, '_' and '-' (at most 64, starting with a letter or digit)`);
    const key = `${kind}/${name}`;
    if (this.entries.has(key)) throw new UsageError(`two ${kind} models are named '${name}'`);
    this.entries.set(key, { kind, name, model });
    return this;
  }

  /** The model `name` of `kind`; throws `NotFoundError` naming the models that exist. */
  get<K extends ModelKind>(kind: K, name: string): ModelKinds[K] {
    const entry = this.entries.get(`${kind}/${name}`);
    if (!entry) {
      const names = this.names(kind);
      const have = names.length > 0 ? `loaded ${kind} models: ${names.join(', ')}` : `no ${kind} models are loaded`;
      throw new NotFoundError(`no ${kind} model named '${truncate(name)}' (${have})`);
    }
    return entry.model as ModelKinds[K];
  }

  /** Names of the models of one kind, in load order. */
  names(kind: ModelKind): string[] {
    return [...this.entries.values()].filter((e) => e.kind === kind).map((e) => e.name);
  }

  /** Number of models held. */
  get size(): number {
    return this.entries.size;
  }

  /** What `GET /models` reports. */
  describe(): ModelInfo[] {
    return [...this.entries.values()].map((e): ModelInfo => {
      if (e.kind === 'vectors') {
        const m = e.model as ModelKinds['vectors'];
        return { name: e.name, kind: e.kind, dim: m.dim, supervised: m.isSupervised };
      }
      if (e.kind === 'linear') return { name: e.name, kind: e.kind, labels: [...(e.model as ModelKinds['linear']).labels] };
      return { name: e.name, kind: e.kind };
    });
  }

  /** Closes every model (errors are collected, not thrown half-way). */
  async closeAll(): Promise<void> {
    const failures: unknown[] = [];
    for (const e of this.entries.values()) {
      try {
        await e.model.close?.();
      } catch (err) {
        failures.push(err);
      }
    }
    if (failures.length > 0) throw new AggregateError(failures, `closing ${failures.length} model(s) failed`);
  }
}

/** Echoes at most 80 characters of a client-supplied name back in a message. */
function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}
