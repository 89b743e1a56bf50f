/**
 * @module
 * `Module`: the PyTorch-like container every `nn` layer and block extends. Parameters are
 * `tf.Variable`s kept in whatever layout is fastest for TensorFlow.js, each with the PyTorch
 * name and layout it maps to, so `stateDict()` / `loadStateDict()` / `save()` / `load()`
 * exchange weights with PyTorch's `state_dict` unchanged.
 */
import type { Rng } from '../core/rng.js';
import { ShapeError, UsageError } from '../core/errors.js';
import { loadSafetensors, saveSafetensors, type NamedTensor, type StateDict } from './safetensors.js';
import { tf } from './tf.js';

/** A parameter: its variable and how the stored layout maps to PyTorch's. */
export interface Parameter {
  variable: tf.Variable;
  /** PyTorch's shape. */
  torchShape: number[];
  /** Permutation taking the PyTorch layout to the stored one (self-inverse ones only), or none. */
  perm?: number[];
}

/** Common options of layers that create their own initial weights. */
export interface InitOptions {
  /** Seed of the initialisation (PyTorch's default uniform bounds, leanml's RNG). Default 0. */
  seed?: number;
  /** Whether the parameters are trainable. Default true. */
  trainable?: boolean;
}

/** Uniform(-bound, bound) values, as PyTorch's default init draws them (kaiming_uniform with a=√5 gives bound 1/√fanIn). */
export function uniformInit(count: number, bound: number, rng: Rng): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = rng.uniform(-bound, bound);
  return out;
}

function permuteShape(shape: number[], perm?: number[]): number[] {
  return perm ? perm.map((p) => shape[p]!) : shape.slice();
}

/** Base class of layers and blocks: named parameters, child modules, state dicts. */
export abstract class Module {
  private readonly ownParams = new Map<string, Parameter>();
  private readonly children = new Map<string, Module>();
  private disposed = false;

  /** Creates a parameter named as in PyTorch from PyTorch-layout values. */
  protected addParameter(name: string, torchShape: number[], torchValues: Float32Array, opts: { perm?: number[]; trainable?: boolean } = {}): tf.Variable {
    const variable = tf.tidy(() => {
      const t = tf.tensor(torchValues, torchShape, 'float32');
      return tf.variable(opts.perm ? tf.transpose(t, opts.perm) : t, opts.trainable ?? true);
    });
    this.ownParams.set(name, { variable, torchShape: torchShape.slice(), perm: opts.perm });
    return variable;
  }

  /** Registers a child module under `name` (its parameters become `name.param`). */
  protected addModule<M extends Module>(name: string, m: M): M {
    this.children.set(name, m);
    return m;
  }

  /** Every parameter with its full PyTorch name, in registration order. */
  namedParameters(prefix = ''): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    for (const [n, p] of this.ownParams) out.push([prefix + n, p]);
    for (const [n, c] of this.children) out.push(...c.namedParameters(`${prefix}${n}.`));
    return out;
  }

  /** The trainable variables (for an optimizer or `tf.variableGrads`). */
  trainableVariables(): tf.Variable[] {
    return this.namedParameters()
      .map(([, p]) => p.variable)
      .filter((v) => v.trainable);
  }

  /** The weights in PyTorch names and layouts. */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [name, p] of this.namedParameters()) {
      const data = tf.tidy(() => (p.perm ? tf.transpose(p.variable, p.perm) : p.variable).dataSync() as Float32Array);
      out[name] = { data: Float32Array.from(data), shape: p.torchShape.slice() };
    }
    return out;
  }

  /**
   * Loads weights in PyTorch names and layouts (e.g. `model.state_dict()` saved from PyTorch).
   * With `strict` (default) every parameter must be present and no extra key may be; `prefix`
   * selects a sub-module's entries of a larger dict.
   */
  loadStateDict(sd: StateDict, opts: { strict?: boolean; prefix?: string } = {}): this {
    const strict = opts.strict ?? true;
    const prefix = opts.prefix ?? '';
    const params = this.namedParameters(prefix);
    const known = new Set(params.map(([n]) => n));
    if (strict) {
      const extra = Object.keys(sd).filter((k) => k.startsWith(prefix) && !known.has(k));
      const missing = params.map(([n]) => n).filter((n) => !(n in sd));
      if (extra.length || missing.length) {
        throw new UsageError(
          `loadStateDict: ${missing.length ? `missing ${missing.join(', ')}` : ''}${missing.length && extra.length ? '; ' : ''}${extra.length ? `unexpected ${extra.join(', ')}` : ''}`,
        );
      }
    }
    for (const [name, p] of params) {
      const t: NamedTensor | undefined = sd[name];
      if (!t) continue;
      if (t.shape.length !== p.torchShape.length || t.shape.some((d, i) => d !== p.torchShape[i])) {
        throw new ShapeError(`loadStateDict: '${name}' has shape (${t.shape.join(', ')}) but the module expects (${p.torchShape.join(', ')})`);
      }
      tf.tidy(() => {
        const v = tf.tensor(Float32Array.from(t.data as ArrayLike<number>), t.shape, 'float32');
        p.variable.assign(p.perm ? tf.transpose(v, p.perm) : v);
      });
    }
    return this;
  }

  /** Saves `stateDict()` as `.safetensors` (loadable with `safetensors.torch.load_file`). */
  save(path: string, metadata?: Record<string, string>): void {
    saveSafetensors(path, this.stateDict(), { format: 'pt', ...metadata });
  }

  /** Loads weights from a `.safetensors` file written by PyTorch or by `save`. */
  load(path: string, opts: { strict?: boolean; prefix?: string } = {}): this {
    return this.loadStateDict(loadSafetensors(path), opts);
  }

  /** Frees the parameters' memory. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const p of this.ownParams.values()) p.variable.dispose();
    for (const c of this.children.values()) c.dispose();
  }
}

/** The stored shape of a parameter given its PyTorch shape and permutation. */
export function storedShape(p: Parameter): number[] {
  return permuteShape(p.torchShape, p.perm);
}
