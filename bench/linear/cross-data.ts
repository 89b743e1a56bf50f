/**
 * Generated cross-feature classification data for the `linear-cross` and `linear-drift`
 * benchmarks: 10 categorical fields (Zipf-distributed values) plus 14 pairwise crosses of
 * them (adjacent and next-but-one fields), ~24 active features per example, a hidden linear
 * model over fields and crosses, and label noise. Written as fastText lines with the crosses
 * spelled out (`a12_b3`), so every tool reads the same features, and as Vowpal Wabbit lines
 * (`|a 12 |b 3 ...`) whose crosses leanml builds on the fly with `--interactions`.
 *
 * With `drift`, the hidden weights rotate over the stream: w(t) = cos(θ) w0 + sin(θ) w1,
 * θ growing linearly from 0 to π/2 over the examples.
 */
import { createWriteStream } from 'node:fs';
import { Rng } from '../../src/core/rng.js';

export const FIELDS = 'abcdefghij'.split('');
/** Distinct values per field. */
const CARD = [20, 30, 40, 60, 80, 120, 160, 200, 300, 400];
/** Crossed field pairs. */
export const CROSSES: [number, number][] = [
  ...Array.from({ length: 9 }, (_, i) => [i, i + 1] as [number, number]),
  ...Array.from({ length: 5 }, (_, i) => [i, i + 2] as [number, number]),
];
/** The same crosses as `--interactions` (namespace first characters). */
export const INTERACTIONS = CROSSES.map(([a, b]) => `${FIELDS[a]}${FIELDS[b]}`);

export interface CrossDataOptions {
  n: number;
  seed: number;
  noise: number;
  drift: boolean;
  /** Also write the fastText file's tokens as Vowpal Wabbit lines in one namespace (`1 |f a12 b3 ... a12_b3 ...`) here. */
  flatVwPath?: string;
}

/** Writes `n` examples to `fasttextPath` and `vwPath`; returns the number of distinct features seen. */
export async function writeCrossData(fasttextPath: string, vwPath: string | null, o: CrossDataOptions): Promise<{ distinct: number; bayesAccuracy: number }> {
  // every possible feature gets an index: fields first, then each cross's value grid
  const offsets: number[] = [];
  let total = 0;
  for (const c of CARD) {
    offsets.push(total);
    total += c;
  }
  for (const [a, b] of CROSSES) {
    offsets.push(total);
    total += CARD[a]! * CARD[b]!;
  }
  // hidden weights: w0 (and w1 for drift) ~ N(0, 1) for fields, N(0, 0.6^2) for crosses
  const wrng = new Rng(1234);
  const w0 = new Float64Array(total);
  const w1 = new Float64Array(total);
  for (let i = 0; i < total; i++) {
    const scale = i < offsets[FIELDS.length]! ? 1 : 0.6;
    w0[i] = wrng.normal() * scale;
    w1[i] = wrng.normal() * scale;
  }
  const seen = new Uint8Array(total);
  const rng = new Rng(o.seed);
  const ft = createWriteStream(fasttextPath);
  const vw = vwPath ? createWriteStream(vwPath) : null;
  const flat = o.flatVwPath ? createWriteStream(o.flatVwPath) : null;
  let ftBuf: string[] = [];
  let vwBuf: string[] = [];
  let flatBuf: string[] = [];
  let cleanCorrect = 0;
  const flush = async (): Promise<void> => {
    const okFt = ft.write(ftBuf.join(''));
    const okVw = vw ? vw.write(vwBuf.join('')) : true;
    const okFlat = flat ? flat.write(flatBuf.join('')) : true;
    ftBuf = [];
    vwBuf = [];
    flatBuf = [];
    // listen to all before waiting: one may drain while we wait for another
    await Promise.all([
      okFt ? null : new Promise<void>((r) => ft.once('drain', () => r())),
      okVw ? null : new Promise<void>((r) => vw!.once('drain', () => r())),
      okFlat ? null : new Promise<void>((r) => flat!.once('drain', () => r())),
    ]);
  };
  const vals = new Int32Array(FIELDS.length);
  const ids = new Int32Array(FIELDS.length + CROSSES.length);
  for (let t = 0; t < o.n; t++) {
    const theta = o.drift ? (Math.PI / 2) * (t / o.n) : 0;
    const c0 = Math.cos(theta);
    const c1 = Math.sin(theta);
    let line = `__label__`;
    let rest = '';
    for (let f = 0; f < FIELDS.length; f++) {
      // skewed (Zipf-like) values: small ones are frequent
      const u = rng.next();
      vals[f] = Math.floor(CARD[f]! * u * u);
      ids[f] = offsets[f]! + vals[f]!;
      rest += ` ${FIELDS[f]}${vals[f]}`;
    }
    for (let c = 0; c < CROSSES.length; c++) {
      const [a, b] = CROSSES[c]!;
      ids[FIELDS.length + c] = offsets[FIELDS.length + c]! + vals[a]! * CARD[b]! + vals[b]!;
      rest += ` ${FIELDS[a]}${vals[a]}_${FIELDS[b]}${vals[b]}`;
    }
    let score = 0;
    for (const id of ids) {
      score += c0 * w0[id]! + c1 * w1[id]!;
      seen[id] = 1;
    }
    const clean = score > 0 ? 1 : -1;
    const y = rng.next() < o.noise ? -clean : clean;
    if (y === clean) cleanCorrect++;
    line += `${y}${rest}\n`;
    ftBuf.push(line);
    if (flat) flatBuf.push(`${y} |f${rest}\n`);
    if (vw) {
      let v = `${y}`;
      for (let f = 0; f < FIELDS.length; f++) v += ` |${FIELDS[f]} ${vals[f]}`;
      vwBuf.push(`${v}\n`);
    }
    if (ftBuf.length >= 10_000) await flush();
  }
  await flush();
  await new Promise<void>((r) => ft.end(r));
  if (vw) await new Promise<void>((r) => vw.end(r));
  if (flat) await new Promise<void>((r) => flat.end(r));
  let distinct = 0;
  for (let i = 0; i < total; i++) distinct += seen[i]!;
  return { distinct, bayesAccuracy: cleanCorrect / o.n };
}
