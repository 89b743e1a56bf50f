/**
 * @module
 * `leanml fasttext ...`: read fastText .bin/.ftz models (and leanml vector stores): vectors,
 * neighbours, analogies, predict, n-grams, convert. Text output has the shape of the fastText
 * CLI's (`print-word-vectors`, `print-sentence-vectors`, `print-ngrams`, `nn`, `analogies`,
 * `predict-prob`) so scripts can switch; words are echoed as the raw bytes they came in.
 */
import { createReadStream, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { FormatError, UsageError } from '../core/errors.js';
// Only what every command needs is imported up front: predict's start-up is part of its
// throughput, so the progress bar (convert) and the converter load when used.
import { formatScore, formatVector } from '../fasttext/format-line.js';
import { DEFAULT_FASTTEXT } from '../fasttext/fasttext-defaults.js';
import { DEFAULT_IVF } from '../fasttext/ivf-search.js';
import { openFastText } from '../fasttext/open.js';
import { PredictStream } from '../fasttext/predict-stream.js';
import type { StoreDtype } from '../fasttext/store-format.js';
import { splitLines, splitWords } from '../fasttext/tokens.js';
import type { Neighbor, VectorModel } from '../fasttext/vector-model.js';
import { addGroup } from './group.js';
import { intArg, floatArg } from './options.js';

/** Byte-exact buffered output (words are echoed as raw bytes, as fastText does). */
class ByteWriter {
  private parts: Buffer[] = [];
  private size = 0;
  text(s: string): void {
    this.push(Buffer.from(s));
  }
  bytes(b: Uint8Array): void {
    this.push(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  }
  private push(b: Buffer): void {
    this.parts.push(b);
    this.size += b.length;
  }
  async flush(force = false): Promise<void> {
    if (!force && this.size < 1 << 20) return;
    const all = Buffer.concat(this.parts);
    this.parts = [];
    this.size = 0;
    if (!process.stdout.write(all)) await new Promise<void>((r) => process.stdout.once('drain', r));
  }
}

/** Writes to stdout, waiting when the pipe is full. */
async function writeOut(bytes: Uint8Array): Promise<void> {
  if (bytes.length > 0 && !process.stdout.write(bytes)) await new Promise<void>((r) => process.stdout.once('drain', r));
}

function readInput(path: string | undefined): Uint8Array {
  return new Uint8Array(readFileSync(path === undefined || path === '-' ? 0 : path));
}

interface Common {
  input?: string;
  loadAll?: boolean;
  nprobe?: number;
}

function withModel(path: string, opts: Common): VectorModel {
  return openFastText(path, { loadAll: opts.loadAll, nprobe: opts.nprobe });
}

function common(cmd: Command): Command {
  return cmd.option('-i, --input <file>', 'read queries from FILE instead of stdin').option('--load-all', 'read the whole model into memory first');
}

const BATCH = 256;

async function printNeighbors(results: Neighbor[][], w: ByteWriter): Promise<void> {
  for (const r of results) {
    for (const n of r) {
      w.bytes(n.bytes);
      w.text(` ${formatScore(n.score)}\n`);
    }
    await w.flush();
  }
}

export function registerFasttext(program: Command): void {
  const g = addGroup(program, 'fasttext', 'read fastText .bin/.ftz models and vector stores: vectors, neighbours, predict');

  g.command('info')
    .description('JSON: header fields and sizes of a model or store')
    .argument('<model>', '.bin, .ftz or vector store')
    .action((path: string) => {
      const m = openFastText(path);
      try {
        process.stdout.write(`${JSON.stringify(m.info(), null, 2)}\n`);
      } finally {
        m.close();
      }
    });

  common(g.command('vectors'))
    .description('word vectors of the words on stdin, as `fasttext print-word-vectors`')
    .argument('<model>', '.bin, .ftz or vector store')
    .action(async (path: string, opts: Common) => {
      const m = withModel(path, opts);
      const w = new ByteWriter();
      try {
        for (const word of splitWords(readInput(opts.input))) {
          w.bytes(word);
          w.text(` ${formatVector(m.wordVector(word))}\n`);
          await w.flush();
        }
        await w.flush(true);
      } finally {
        m.close();
      }
    });

  common(g.command('sentence-vectors'))
    .description('one vector per input line, as `fasttext print-sentence-vectors`')
    .argument('<model>', '.bin, .ftz or vector store')
    .action(async (path: string, opts: Common) => {
      const m = withModel(path, opts);
      const w = new ByteWriter();
      try {
        for (const { line, ended } of splitLines(readInput(opts.input))) {
          w.text(`${formatVector(m.sentenceVector(line, { eos: ended }))}\n`);
          await w.flush();
        }
        await w.flush(true);
      } finally {
        m.close();
      }
    });

  common(g.command('ngrams'))
    .description('character n-grams and their vectors for every word on stdin, as `fasttext print-ngrams` (which takes one word)')
    .argument('<model>', '.bin, .ftz or vector store')
    .option('--distinct', 'print each n-gram once, however many words share it')
    .action(async (path: string, opts: Common & { distinct?: boolean }) => {
      const m = withModel(path, opts);
      const w = new ByteWriter();
      const seen = new Set<string>();
      try {
        for (const word of splitWords(readInput(opts.input))) {
          for (const n of m.ngramVectors(word)) {
            if (opts.distinct) {
              const key = Buffer.from(n.bytes).toString('latin1');
              if (seen.has(key)) continue;
              seen.add(key);
            }
            w.bytes(n.bytes);
            w.text(` ${formatVector(n.vector)}\n`);
          }
          await w.flush();
        }
        await w.flush(true);
      } finally {
        m.close();
      }
    });

  common(g.command('nn'))
    .description('nearest neighbours of each word on stdin: k lines "word score" per query (`fasttext nn` without the prompts)')
    .argument('<model>', '.bin, .ftz or vector store')
    .option('-k, --k <n>', 'neighbours per query', intArg(1, 1_000_000), DEFAULT_FASTTEXT.nnK)
    .option('--nprobe <n>', `stores with an index: lists scanned per query (0 = exact search over every word)`, intArg(0, 1 << 20), DEFAULT_IVF.nprobe)
    .action(async (path: string, opts: Common & { k: number }) => {
      const m = withModel(path, opts);
      const w = new ByteWriter();
      try {
        const words = splitWords(readInput(opts.input));
        for (let i = 0; i < words.length; i += BATCH) await printNeighbors(m.nearestNeighborsBatch(words.slice(i, i + BATCH), opts.k), w);
        await w.flush(true);
      } finally {
        m.close();
      }
    });

  common(g.command('analogies'))
    .description('for each "A B C" on stdin, the k words closest to A - B + C (`fasttext analogies` without the prompts)')
    .argument('<model>', '.bin, .ftz or vector store')
    .option('-k, --k <n>', 'answers per query', intArg(1, 1_000_000), DEFAULT_FASTTEXT.analogiesK)
    .action(async (path: string, opts: Common & { k: number }) => {
      const m = withModel(path, opts);
      const w = new ByteWriter();
      try {
        const words = splitWords(readInput(opts.input));
        if (words.length % 3 !== 0)
          throw new FormatError(
            `${opts.input === undefined || opts.input === '-' ? '<stdin>' : opts.input}: ${words.length} words is not a whole number of A B C triplets`,
          );
        const triplets: [Uint8Array, Uint8Array, Uint8Array][] = [];
        for (let i = 0; i < words.length; i += 3) triplets.push([words[i]!, words[i + 1]!, words[i + 2]!]);
        for (let i = 0; i < triplets.length; i += BATCH) await printNeighbors(m.analogiesBatch(triplets.slice(i, i + BATCH), opts.k), w);
        await w.flush(true);
      } finally {
        m.close();
      }
    });

  common(g.command('predict'))
    .description('the k most probable labels of each line, as `fasttext predict-prob` (streams: output follows input line by line)')
    .argument('<model>', 'supervised .bin, .ftz or vector store')
    .option('-k, --k <n>', 'labels per line (-1: all)', intArg(-1, 1_000_000), DEFAULT_FASTTEXT.predictK)
    .option('-t, --threshold <p>', 'minimum probability', floatArg(0, 1), DEFAULT_FASTTEXT.threshold)
    .action(async (path: string, opts: Common & { k: number; threshold: number }) => {
      if (opts.k === 0) throw new UsageError('predict: --k must be 1 or higher, or -1 for all labels');
      const m = withModel(path, opts);
      // a reader that stops early (`| head`) ends the run quietly, as it does the C++ CLI
      process.stdout.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE') throw err;
        process.exit(0);
      });
      try {
        const stream = new PredictStream(m.linePredictor(), { k: opts.k, threshold: opts.threshold });
        const input = opts.input === undefined || opts.input === '-' ? process.stdin : createReadStream(opts.input, { highWaterMark: 1 << 16 });
        for await (const chunk of input) await writeOut(stream.push(chunk as Uint8Array));
        await writeOut(stream.end());
      } finally {
        m.close();
      }
    });

  g.command('convert')
    .description('write a compact vector store (normalised word matrix + n-gram matrix) usable wherever a model is')
    .argument('<model>', '.bin or .ftz')
    .requiredOption('-o, --out <store>', 'output path')
    .option('--dtype <type>', 'f32, f16 or int8 (per-row scale)', DEFAULT_FASTTEXT.dtype)
    .option('--index <kind>', 'ivf: add an inverted-file index (k-means lists) so that nn reads only the nearest lists; none', DEFAULT_FASTTEXT.index)
    .option('--lists <n>', 'index lists (default: about the square root of the number of words)', intArg(1, 1 << 20))
    .action(async (path: string, opts: { out: string; dtype: StoreDtype; index: 'ivf' | 'none'; lists?: number }) => {
      const [{ openBin }, { convertToStore }, { createProgress }] = await Promise.all([
        import('../fasttext/open.js'),
        import('../fasttext/convert.js'),
        import('../core/progress.js'),
      ]);
      const m = openBin(path);
      const bar = createProgress();
      let phase = '';
      try {
        const h = convertToStore(m, opts.out, {
          dtype: opts.dtype,
          index: opts.index,
          lists: opts.lists,
          onProgress: (done, total, what) => {
            if (phase !== what) {
              if (phase) bar.stop();
              bar.start(total, what === 'index' ? 'words indexed' : what);
              phase = what;
            }
            bar.update(done);
          },
        });
        bar.stop();
        process.stderr.write(`wrote ${opts.out}: ${h.nwords} words, ${h.ngramRows} n-gram rows, ${h.dtype}${h.index ? `, ${h.index.lists}-list index` : ''}\n`);
      } finally {
        m.close();
      }
    });
}
