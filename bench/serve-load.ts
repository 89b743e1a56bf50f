/**
 * serve-load: `leanml serve` under sustained load on loopback, generated with autocannon.
 * Scenarios (64 connections each, `--duration` seconds, default 30): word-vector lookups
 * (GET, in- and out-of-vocabulary words), nearest neighbours (POST, k = 10) and linear predict
 * (POST). For each: requests/s, p50/p99 latency, errors and non-2xx (must be 0), and the
 * server's RSS sampled every second (start, end, max, growth). Then a fault test: the word
 * lookup load again while a second client bursts malformed and oversized requests; the good
 * requests must still all succeed and every bad one must get a 4xx.
 *
 * Baseline (no standard reference tool exists): the same model calls behind a bare `node:http`
 * server with no validation, limits, logging or error mapping, measured in the same run,
 * alternating with ours. ratio = ours req/s / baseline req/s (geometric mean over scenarios),
 * so < 1 is the price of the framework and the safety checks.
 *
 * Each measured run follows a short unmeasured warm-up of the same load.
 *
 * Usage: npm run bench -- serve-load [--duration S] [--vectors MODEL] [--connections N]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { LABEL_PREFIX, openFastText } from '../src/fasttext/index.js';
import { loadLinearModel, saveLinearModel, trainLinear } from '../src/linear/index.js';
import type { BenchResult } from './result.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'src/cli/main.ts');
const SELF = fileURLToPath(import.meta.url);
const DEFAULT_VECTORS = join(ROOT, 'data/fasttext/manpages.bin'); // the bundled model

interface Scenario {
  name: string;
  requests: autocannon.Request[];
}

function option(args: string[], name: string, def: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : def;
}

/** Starts a server process and resolves with its base URL once it prints "listening on URL". */
async function startProcess(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      if (err.length < 100_000) err += String(d); // keep draining the pipe (request logs) after that
      const m = /listening on (http:\/\/[0-9.]+:\d+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${err.slice(0, 2000)}`)));
  });
  return { child, url };
}

async function stopProcess(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  return exited;
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  let total = m ? Number(m[1]) / 1024 : NaN;
  // a server with --workers N: its processes are children of the first
  let children: string[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  } catch {
    // gone, or no children file
  }
  for (const c of children) {
    try {
      total += rssMiB(Number(c));
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

/** A few seconds of the same load, unmeasured, so JIT compilation and heap growth are behind us. */
async function warmUp(url: string, s: Scenario, seconds: number, connections: number): Promise<void> {
  await autocannon({ url, connections, duration: Math.max(1, Math.min(5, Math.round(seconds / 6))), requests: s.requests });
}

async function load(url: string, s: Scenario, seconds: number, connections: number, pid?: number) {
  const samples: number[] = [];
  const timer = pid ? setInterval(() => samples.push(rssMiB(pid)), 1000) : undefined;
  if (pid) samples.push(rssMiB(pid));
  const r = await autocannon({ url, connections, duration: seconds, requests: s.requests });
  if (timer) clearInterval(timer);
  if (pid) samples.push(rssMiB(pid));
  const q = Math.max(1, Math.floor(samples.length / 4));
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const out: Record<string, unknown> = {
    reqPerSec: Math.round(r.requests.average),
    requests: r.requests.total,
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
  };
  if (pid) {
    Object.assign(out, {
      rssStartMiB: round1(samples[0]!),
      rssEndMiB: round1(samples.at(-1)!),
      rssMaxMiB: round1(Math.max(...samples)),
      rssGrowthMiB: round1(median(samples.slice(-q)) - median(samples.slice(0, q))),
      rssSamples: samples.length,
    });
  }
  return out;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Words to query: the fixture lists (in vocabulary) plus made-up ones (out of vocabulary, via n-grams). */
function queryWords(): string[] {
  const fx = (p: string) =>
    readFileSync(join(ROOT, 'test/fixtures/fasttext', p), 'utf8')
      .split('\n')
      .filter((w) => w.length > 0 && !w.includes('\uFFFD'));
  return [
    ...fx('words.txt'),
    ...fx('nnwords.txt'),
    'directory',
    'file',
    'option',
    'command',
    'user',
    'process',
    'leanness',
    'serverless',
    'overfitting',
    'zyxwv',
  ];
}

function rotating(words: string[], make: (w: string) => autocannon.Request): autocannon.Request[] {
  let i = 0;
  return [{ setupRequest: (req: autocannon.Request) => ({ ...req, ...make(words[i++ % words.length]!) }) } as autocannon.Request];
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/** A small spam classifier, trained in a few milliseconds; returns the model file in `dir`. */
async function spamModel(dir: string): Promise<string> {
  const train = join(dir, 'spam.txt');
  const rows: string[] = [];
  for (let i = 0; i < 200; i++)
    rows.push(`${LABEL_PREFIX}spam win free prize offer click ${i % 13}`, `${LABEL_PREFIX}ham meeting report friday lunch notes ${i % 11}`);
  writeFileSync(train, `${rows.join('\n')}\n`);
  const linearPath = join(dir, 'spam.lnr');
  saveLinearModel((await trainLinear(train, { passes: 2 })).model, linearPath);
  return linearPath;
}

/** The request mix: word vectors and neighbours of model `m`, predictions of the linear model `spam`. */
function scenarioMix(): Scenario[] {
  const words = queryWords();
  const texts = ['win a free prize now', 'notes from the friday meeting', 'click here for a free offer', 'lunch is moved to noon'];
  return [
    { name: 'wordVector', requests: rotating(words, (w) => ({ method: 'GET', path: `/v1/vectors/m/word?w=${encodeURIComponent(w)}` })) },
    {
      name: 'nearestNeighbors',
      requests: rotating(words, (w) => ({ method: 'POST', path: '/v1/vectors/m/nn', headers: JSON_HEADERS, body: JSON.stringify({ words: [w], k: 10 }) })),
    },
    {
      name: 'linearPredict',
      requests: rotating(texts, (t) => ({ method: 'POST', path: '/v1/linear/spam/predict', headers: JSON_HEADERS, body: JSON.stringify({ texts: [t] }) })),
    },
  ];
}

export async function run(args: string[]): Promise<BenchResult> {
  if (args.includes('--workers-compare')) return workersCompare(args);
  const seconds = Number(option(args, '--duration', '30'));
  const connections = Number(option(args, '--connections', '64'));
  const vectors = option(args, '--vectors', DEFAULT_VECTORS);
  const tmp = mkdtempSync(join(tmpdir(), 'leanml-serve-load-'));
  try {
    const linearPath = await spamModel(tmp);
    const vm = openFastText(vectors);
    const vocab = vm.nwords;
    vm.close();
    const scenarios = scenarioMix();

    const ours = await startProcess([
      MAIN,
      'serve',
      '--port',
      '0',
      '--workers',
      option(args, '--workers', '1'),
      '--vectors',
      `m=${vectors}`,
      '--linear',
      `spam=${linearPath}`,
    ]);
    const base = await startProcess([SELF, '--baseline-server', vectors, linearPath]);
    const results: Record<string, { ours: Record<string, unknown>; baseline: Record<string, unknown> }> = {};
    let fault: Record<string, unknown> = {};
    let oursExit: number | null = null;
    try {
      for (const s of scenarios) {
        process.stderr.write(`serve-load: ${s.name}: leanml serve ${seconds} s, then baseline ${seconds} s\n`);
        await warmUp(ours.url, s, seconds, connections);
        const o = await load(ours.url, s, seconds, connections, ours.child.pid);
        await warmUp(base.url, s, seconds, connections);
        const b = await load(base.url, s, seconds, connections);
        results[s.name] = { ours: o, baseline: b };
      }
      process.stderr.write(`serve-load: fault test ${seconds} s\n`);
      fault = await faultTest(ours.url, scenarios[0]!, seconds, connections, ours.child.pid!);
    } finally {
      oursExit = await stopProcess(ours.child);
      await stopProcess(base.child);
    }

    const ratios = Object.values(results).map((r) => (r.ours.reqPerSec as number) / (r.baseline.reqPerSec as number));
    const ratio = Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length);
    const oursFig: Record<string, unknown> = {
      connections,
      seconds,
      vectorsModel: vectors.replace(ROOT, ''),
      vocabulary: vocab,
      cpus: (await import('node:os')).cpus().length,
      shutdownExitCode: oursExit,
    };
    const refFig: { tool: string } & Record<string, unknown> = { tool: 'bare node:http server, same model calls (no validation, limits, logging)' };
    for (const [name, r] of Object.entries(results)) {
      oursFig[name] = r.ours;
      refFig[name] = r.baseline;
    }
    oursFig.fault = fault;
    return {
      name: 'serve-load',
      ours: oursFig,
      reference: refFig,
      ratio: Math.round(ratio * 1000) / 1000,
      note: 'No standard reference tool serves these models; the baseline is the same calls on bare node:http. ratio = geometric mean of ours/baseline req/s (<1: the cost of fastify, schema validation, limits and request logging). Load generator and server share the 2-core machine.',
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * `--workers-compare`: the same scenario mix against `serve --workers 2` and `--workers 1`
 * (alternating, each after a warm-up), then with `--soak S` the fault test for S seconds at
 * 64 connections against `--workers 2`, RSS of all its processes sampled every second.
 * ratio = geometric mean of req/s with 2 workers over 1.
 */
async function workersCompare(args: string[]): Promise<BenchResult> {
  const seconds = Number(option(args, '--duration', '20'));
  const connections = Number(option(args, '--connections', '64'));
  const soak = Number(option(args, '--soak', '0'));
  const vectors = option(args, '--vectors', DEFAULT_VECTORS);
  const tmp = mkdtempSync(join(tmpdir(), 'leanml-serve-load-'));
  try {
    const linearPath = await spamModel(tmp);
    const scenarios = scenarioMix();
    const serveArgs = (n: number) => [
      MAIN,
      'serve',
      '--port',
      '0',
      '--workers',
      String(n),
      '--log-level',
      'warn',
      '--vectors',
      `m=${vectors}`,
      '--linear',
      `spam=${linearPath}`,
    ];
    const figs: Record<string, Record<string, Record<string, unknown>>> = { two: {}, one: {} };
    for (const [key, n] of [
      ['two', 2],
      ['one', 1],
    ] as const) {
      const srv = await startProcess(serveArgs(n));
      try {
        for (const s of scenarios) {
          process.stderr.write(`serve-load: ${s.name}: serve --workers ${n}, ${seconds} s\n`);
          await warmUp(srv.url, s, seconds, connections);
          figs[key]![s.name] = await load(srv.url, s, seconds, connections, srv.child.pid);
        }
      } finally {
        figs[key]!.shutdownExitCode = { code: await stopProcess(srv.child) };
      }
    }
    let soakFig: Record<string, unknown> | null = null;
    if (soak > 0) {
      const srv = await startProcess(serveArgs(2));
      try {
        process.stderr.write(`serve-load: soak ${soak} s at ${connections} connections with the fault burst, serve --workers 2\n`);
        const samples: { t: number; rssMiB: number }[] = [];
        const t0 = Date.now();
        const timer = setInterval(() => samples.push({ t: Math.round((Date.now() - t0) / 1000), rssMiB: round1(rssMiB(srv.child.pid!)) }), 10_000);
        const f = await faultTest(srv.url, scenarios[0]!, soak, connections, srv.child.pid!);
        clearInterval(timer);
        soakFig = { seconds: soak, connections, ...f, rssEvery10s: samples };
      } finally {
        await stopProcess(srv.child);
      }
    }
    const ratios = scenarios.map((s) => (figs.two![s.name]!.reqPerSec as number) / (figs.one![s.name]!.reqPerSec as number));
    const ratio = Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length);
    return {
      name: 'serve-load',
      ours: { mode: 'workers-compare', workers: 2, connections, seconds, cpus: (await import('node:os')).cpus().length, ...figs.two, soak: soakFig },
      reference: { tool: 'leanml serve --workers 1 (one process), same run', ...figs.one },
      ratio: Math.round(ratio * 1000) / 1000,
      note: 'ratio = geometric mean over the scenarios of req/s with --workers 2 over --workers 1. The load generator runs on the same 2-core machine, so two server processes compete with it for the cores.',
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Good load plus a concurrent burst of bad requests; reports both sides. */
async function faultTest(url: string, good: Scenario, seconds: number, connections: number, pid: number) {
  const big = JSON.stringify({ words: ['x'.repeat(2 << 20)] }); // over the 1 MiB body limit
  const badUtf8 = Buffer.concat([Buffer.from('{"words": ["'), Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from('"]}')]);
  const bad: autocannon.Request[] = [
    { method: 'POST', path: '/v1/vectors/m/nn', headers: JSON_HEADERS, body: '{"words": ["king"' },
    { method: 'POST', path: '/v1/vectors/m/nn', headers: JSON_HEADERS, body: big },
    { method: 'POST', path: '/v1/vectors/m/nn', headers: JSON_HEADERS, body: badUtf8 },
    { method: 'POST', path: '/v1/vectors/m/nn', headers: JSON_HEADERS, body: '{"words": ["king"], "k": 1000000000}' },
    { method: 'POST', path: '/v1/vectors/m/nn', headers: JSON_HEADERS, body: '{"words": "king"}' },
    { method: 'POST', path: '/v1/vectors/nosuch/nn', headers: JSON_HEADERS, body: '{"words": ["king"]}' },
    { method: 'GET', path: '/v1/vectors/..%2F..%2Fetc%2Fpasswd/word?w=x' },
    { method: 'GET', path: '/v1/vectors/m/word?w=%FF%FE' },
    { method: 'POST', path: '/v1/linear/spam/predict', headers: { 'content-type': 'text/plain' }, body: 'free money' },
  ];
  const [g, b] = await Promise.all([load(url, good, seconds, connections, pid), autocannon({ url, connections: 8, duration: seconds, requests: bad })]);
  const badStatuses: Record<string, number> = {};
  for (const [code, v] of Object.entries(b.statusCodeStats ?? {})) badStatuses[code] = v.count ?? 0;
  return {
    good: g,
    bad: { requests: b.requests.total, '4xx': b['4xx'], '5xx': b['5xx'], '2xx': b['2xx'], connectionErrors: b.errors, statuses: badStatuses },
    goodErrorRate: ((g.errors as number) + (g.non2xx as number)) / Math.max(1, g.requests as number),
  };
}

/** The naive baseline: the same model calls on bare node:http, no checks of any kind. */
async function baselineServer(vectorsPath: string, linearPath: string): Promise<void> {
  const vm = openFastText(vectorsPath, { loadAll: true }); // as the server does for files this size
  const lm = await loadLinearModel(linearPath);
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      let body: unknown;
      if (u.pathname === '/v1/vectors/m/word') body = { word: u.searchParams.get('w'), vector: Array.from(vm.wordVector(u.searchParams.get('w') ?? '')) };
      else if (u.pathname === '/v1/vectors/m/nn') {
        const q = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { words: string[]; k: number };
        body = { results: q.words.map((w) => ({ word: w, neighbors: vm.nearestNeighbors(w, q.k) })) };
      } else if (u.pathname === '/v1/linear/spam/predict') {
        const q = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { texts: string[] };
        body = { predictions: q.texts.map((t) => lm.predictText(t)) };
      }
      const text = JSON.stringify(body ?? { error: 'not found' });
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(text);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const a = server.address() as { port: number };
    process.stderr.write(`baseline: listening on http://127.0.0.1:${a.port}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url && process.argv[2] === '--baseline-server') {
  await baselineServer(process.argv[3]!, process.argv[4]!);
}
