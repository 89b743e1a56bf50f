/**
 * Models for the fasttext benchmarks, cached under bench/data/fasttext/ (git-ignored):
 * - `generatedModel(mb)`: a cc.en.300-shaped model (cbow, dim 300, minn = maxn = 5, equal numbers
 *   of words and buckets) of about `mb` megabytes, written straight in the .bin format (a
 *   generated model is far cheaper than training one; 7200 MB is cc.en.300's 2M + 2M rows).
 *   Word rows are topic centres plus noise so that neighbour search has structure to find.
 * - `trainedModel(mb)`: a skipgram model trained by the fastText CLI on real text shipped with
 *   Debian (manual pages, /usr/share/doc), its size set by the bucket count.
 * Generation runs at low priority so it does not hog a shared machine.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../src/core/rng.js';

export const DATA = join(import.meta.dirname, 'data', 'fasttext');
const DIM = 300;

const SYL = [
  'ka',
  'to',
  'ri',
  'men',
  'sa',
  'lo',
  'ver',
  'ni',
  'pra',
  'de',
  'qu',
  'ex',
  'an',
  'tion',
  'ing',
  'ly',
  'os',
  'ul',
  'br',
  'st',
  'ph',
  'ze',
  'wi',
  'ou',
  'ai',
  'ed',
  'er',
  'on',
  'ca',
  'mi',
];

/** Deterministic word-like strings (`i` gives a distinct word). */
export function pseudoWord(i: number, salt = 0): string {
  let s = '';
  let x = i * 7919 + salt * 104729 + 1;
  const n = 2 + (x % 3);
  for (let k = 0; k < n; k++) {
    s += SYL[x % SYL.length];
    x = Math.floor(x / SYL.length) + k * 31 + 17;
  }
  return `${s}${i.toString(36)}`;
}

function writeAll(fd: number, b: Uint8Array, pos: { at: number }): void {
  let done = 0;
  while (done < b.byteLength) done += writeSync(fd, b, done, b.byteLength - done, pos.at + done);
  pos.at += b.byteLength;
}

/** The path of a generated cc.en.300-shaped model of about `mb` MB, created if missing. */
export function generatedModel(mb: number): string {
  mkdirSync(DATA, { recursive: true });
  const path = join(DATA, `generated-${mb}mb.bin`);
  if (existsSync(path)) return path;
  try {
    setPriority(10);
  } catch {
    /* not allowed: run at normal priority */
  }
  // input (W + B) rows + output W rows, each DIM floats: 3 W rows with W = B
  const W = Math.max(1000, Math.floor((mb * 1e6) / (3 * DIM * 4)));
  const B = W;
  process.stderr.write(`fasttext bench: generating ${path} (${W} words + ${B} buckets x ${DIM})\n`);
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  const pos = { at: 0 };
  try {
    const head = new DataView(new ArrayBuffer(8 + 48 + 8));
    head.setInt32(0, 793712314, true);
    head.setInt32(4, 12, true);
    // dim ws epoch minCount neg wordNgrams loss(ns=2) model(cbow=1) bucket minn maxn lrUpdateRate, t
    [DIM, 5, 5, 5, 10, 1, 2, 1, B, 5, 5, 100].forEach((v, i) => head.setInt32(8 + 4 * i, v, true));
    head.setFloat64(56, 1e-5, true);
    writeAll(fd, new Uint8Array(head.buffer), pos);
    const dh = new DataView(new ArrayBuffer(28));
    dh.setInt32(0, W, true);
    dh.setInt32(4, W, true);
    dh.setInt32(8, 0, true);
    dh.setBigInt64(12, BigInt(W) * 1000n, true);
    dh.setBigInt64(20, -1n, true);
    writeAll(fd, new Uint8Array(dh.buffer), pos);
    const enc = new TextEncoder();
    const parts: Uint8Array[] = [];
    let size = 0;
    for (let i = 0; i < W; i++) {
      const w = enc.encode(pseudoWord(i));
      const e = new Uint8Array(w.length + 10);
      e.set(w);
      new DataView(e.buffer).setBigInt64(w.length + 1, BigInt(W - i + 5), true);
      parts.push(e);
      size += e.length;
      if (size > 1 << 22) {
        writeAll(fd, Buffer.concat(parts), pos);
        parts.length = 0;
        size = 0;
      }
    }
    writeAll(fd, Buffer.concat(parts), pos);
    writeAll(fd, new Uint8Array([0]), pos); // quant_input = false
    const mh = new DataView(new ArrayBuffer(16));
    mh.setBigInt64(0, BigInt(W + B), true);
    mh.setBigInt64(8, BigInt(DIM), true);
    writeAll(fd, new Uint8Array(mh.buffer), pos);
    const rng = new Rng(5);
    const TOPICS = 2000;
    const centres = new Float32Array(TOPICS * DIM);
    for (let i = 0; i < centres.length; i++) centres[i] = rng.normal() * 0.3;
    const CH = 4096;
    const buf = new Float32Array(CH * DIM);
    for (let r0 = 0; r0 < W + B; r0 += CH) {
      const n = Math.min(CH, W + B - r0);
      for (let r = 0; r < n; r++) {
        const row = r0 + r;
        const o = r * DIM;
        if (row < W) {
          const c = (row * 2654435761) % TOPICS;
          for (let j = 0; j < DIM; j++) buf[o + j] = centres[c * DIM + j]! + (rng.next() - 0.5) * 0.3;
        } else {
          for (let j = 0; j < DIM; j++) buf[o + j] = (rng.next() - 0.5) * 0.1;
        }
      }
      writeAll(fd, new Uint8Array(buf.buffer, 0, n * DIM * 4), pos);
    }
    writeAll(fd, new Uint8Array([0]), pos); // qout = false
    mh.setBigInt64(0, BigInt(W), true);
    writeAll(fd, new Uint8Array(mh.buffer), pos);
    const zeros = new Uint8Array(CH * DIM * 4);
    for (let r0 = 0; r0 < W; r0 += CH) writeAll(fd, zeros.subarray(0, Math.min(CH, W - r0) * DIM * 4), pos);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return path;
}

/** A model trained with the fastText CLI on Debian's manual pages and docs, about `mb` MB. */
export function trainedModel(mb: number): string {
  mkdirSync(DATA, { recursive: true });
  const out = join(DATA, `trained-${mb}mb`);
  if (existsSync(`${out}.bin`)) return `${out}.bin`;
  const corpus = join(DATA, 'debian-docs.txt');
  if (!existsSync(corpus)) {
    process.stderr.write(`fasttext bench: building ${corpus} from /usr/share/man and /usr/share/doc\n`);
    const script = `find /usr/share/man/man[1-8] /usr/share/doc -name '*.gz' ! -name 'gcloud*' | sort | xargs zcat 2>/dev/null | grep -av '^[.'"'"']' | tr 'A-Z' 'a-z' | sed -E 's/([.,;:()"!?])/ \\1 /g; s/[[:space:]]+/ /g' | head -c 60000000 > '${corpus}'`;
    spawnSync('nice', ['-n', '10', 'sh', '-c', script], { stdio: 'inherit' });
  }
  const dim = 100;
  const bucket = Math.max(10000, Math.floor((mb * 1e6) / (dim * 4)));
  process.stderr.write(`fasttext bench: training ${out}.bin (skipgram, dim ${dim}, bucket ${bucket}, 1 epoch, 2 threads)\n`);
  const r = spawnSync(
    'nice',
    [
      '-n',
      '10',
      'fasttext',
      'skipgram',
      '-input',
      corpus,
      '-output',
      out,
      '-dim',
      String(dim),
      '-bucket',
      String(bucket),
      '-minCount',
      '5',
      '-epoch',
      '1',
      '-thread',
      '2',
      '-seed',
      '1',
      '-verbose',
      '2',
    ],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error('fasttext training failed');
  spawnSync('rm', ['-f', `${out}.vec`]);
  process.stderr.write(`fasttext bench: ${out}.bin is ${statSync(`${out}.bin`).size} bytes\n`);
  return `${out}.bin`;
}

/** Parses `--name value` style options. */
export function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1]! : fallback;
}

/** Compiles the CLI to dist/ once (tsx would add its compile time to every timed run) and returns its path. */
export function builtCli(): string {
  const root = join(import.meta.dirname, '..');
  const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
  return join(root, 'dist', 'cli', 'main.js');
}
