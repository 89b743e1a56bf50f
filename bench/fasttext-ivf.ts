/**
 * Benchmark `fasttext-ivf`: the inverted-file index of a compact store, two ways.
 * - Local: `leanml fasttext nn STORE` on N in-vocabulary words (k = 10), exact search
 *   (`--nprobe 0`, every row scanned) against the index (`--nprobe P`), whole CLI processes
 *   alternated A B A B (GNU time: wall, peak RSS); recall@10 of the index against exact.
 * - By range requests: the store served by `leanml serve --files` (real HTTP on localhost), opened
 *   with the page reader (`openRemoteStore`), 10 neighbour queries (5 known words, 5 unknown):
 *   bytes fetched against the file's size, requests, recall@10 against the local exact answers.
 * The store is an int8 store converted with `--index ivf` (give it with --store, or --model to
 * convert one; --size-mb generates a cc.en.300-shaped model of that size first).
 *   npm run bench -- fasttext-ivf [--store PATH | --model PATH | --size-mb 7200] [--queries 1000] [--nprobe 16] [--repeats 2]
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type BenchResult, timeCommand } from './result.js';
import { builtCli, DATA, generatedModel, option } from './fasttext-models.js';
import { openBin, openStore } from '../src/fasttext/open.js';
import { convertToStore } from '../src/fasttext/convert.js';
import { openRemoteStore } from '../src/fasttext/web.js';
import { createServer } from '../src/server/create-server.js';
import { ModelRegistry } from '../src/server/model-registry.js';
import { Rng } from '../src/core/rng.js';

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)]!;
}

/** Per query, the neighbour words of `nn` output (k lines per query). */
function parse(out: string, k: number): string[][] {
  const lines = out.split('\n').filter((l) => l.trim() !== '');
  const res: string[][] = [];
  for (let i = 0; i < lines.length; i += k) res.push(lines.slice(i, i + k).map((l) => l.slice(0, l.lastIndexOf(' '))));
  return res;
}

function recall(ref: string[][], got: string[][]): number {
  let hits = 0,
    total = 0;
  ref.forEach((r, i) => {
    const s = new Set(got[i] ?? []);
    for (const w of r) if (s.has(w)) hits++;
    total += r.length;
  });
  return total ? hits / total : 1;
}

export async function run(args: string[]): Promise<BenchResult> {
  const nq = Number(option(args, 'queries', '1000'));
  const nprobe = Number(option(args, 'nprobe', '16'));
  const repeats = Number(option(args, 'repeats', '2'));
  let store = option(args, 'store', '');
  if (!store) {
    const model = option(args, 'model', '') || generatedModel(Number(option(args, 'size-mb', '7200')));
    store = join(DATA, `${basename(model).replace(/\.(bin|ftz)$/, '')}.ivf.int8`);
    if (!existsSync(store)) {
      const bin = openBin(model);
      convertToStore(bin, store, { dtype: 'int8', index: 'ivf' });
      bin.close();
    }
  }
  const local = openStore(store);
  if (!local.indexInfo) throw new Error(`${store} has no index: convert it with --index ivf`);
  const rng = new Rng(11);
  const words = Array.from({ length: nq }, () => local.word(rng.int(local.nwords)));
  const input = `${words.join('\n')}\n`;
  const cli = builtCli();
  const runs: Record<string, { seconds: number[]; rss: number[]; out: string }> = {
    exact: { seconds: [], rss: [], out: '' },
    index: { seconds: [], rss: [], out: '' },
  };
  for (let r = 0; r < repeats; r++) {
    for (const [name, p] of [
      ['exact', 0],
      ['index', nprobe],
    ] as const) {
      const t = timeCommand(process.execPath, [cli, 'fasttext', 'nn', store, '--nprobe', String(p)], { input });
      if (t.status !== 0) throw new Error(`nn --nprobe ${p} failed: ${t.stderr}`);
      runs[name]!.seconds.push(t.seconds);
      runs[name]!.rss.push(t.peakRssMiB);
      runs[name]!.out = t.stdout;
    }
  }
  const exact = parse(runs.exact!.out, 10),
    viaIndex = parse(runs.index!.out, 10);

  // by range requests over real HTTP
  const app = await createServer(new ModelRegistry(), { logLevel: 'silent', files: dirname(store) });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const webQueries = [...words.slice(0, 5), 'leanness', 'kamenlozing', 'prastorium', 'verdiqually', 'brostation'];
  local.nprobe = 0;
  const webRef = local.nearestNeighborsBatch(webQueries, 10).map((r) => r.map((n) => n.word));
  const t0 = performance.now();
  const remote = await openRemoteStore(`${base}/files/${basename(store)}`, { nprobe });
  const openBytes = remote.stats.bytesFetched;
  const webGot: string[][] = [];
  for (const w of webQueries) webGot.push((await remote.nearestNeighbors(w, 10)).map((n) => n.word));
  const webSeconds = (performance.now() - t0) / 1000;
  const { bytesFetched, requests, size } = remote.stats;
  remote.close();
  await app.close();
  local.close();

  const exactS = median(runs.exact!.seconds),
    indexS = median(runs.index!.seconds);
  return {
    name: 'fasttext-ivf',
    ours: {
      store,
      storeBytes: statSync(store).size,
      words: exact.length,
      index: local.indexInfo,
      nprobe,
      queries: nq,
      indexSeconds: runs.index!.seconds,
      indexPeakRssMiB: median(runs.index!.rss),
      recallAt10VsExact: recall(exact, viaIndex),
      web: {
        queries: webQueries.length,
        openBytes,
        bytesFetched,
        requests,
        fractionOfStore: bytesFetched / size,
        seconds: webSeconds,
        recallAt10VsExact: recall(webRef, webGot),
        recallKnownWords: recall(webRef.slice(0, 5), webGot.slice(0, 5)),
        recallUnknownWords: recall(webRef.slice(5), webGot.slice(5)),
      },
    },
    reference: {
      tool: 'leanml fasttext nn --nprobe 0 (exact search, same store, same run)',
      seconds: runs.exact!.seconds,
      peakRssMiB: median(runs.exact!.rss),
    },
    ratio: exactS / indexS,
    note: `CLI process wall time for ${nq} queries, median of ${repeats}, exact and index runs alternated`,
  };
}
