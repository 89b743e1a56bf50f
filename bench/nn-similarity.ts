/**
 * Benchmark `nn-similarity`: scores of N examples against one anchor as one matrix product
 * (`similarity`) versus elementwise multiply and sum (`similarityMulSum`); the notes report the
 * product ~40% faster. Both are leanml functions on the same tensors in the same process; the
 * same two routes are timed in PyTorch when installed.
 * Usage: npm run bench -- nn-similarity [--n N] [--dim D] [--repeats N]
 */
import { spawnSync } from 'node:child_process';
import { Rng } from '../src/core/rng.js';
import { initBackend, similarity, similarityMulSum, tf } from '../src/nn/index.js';
import { havePython, type BenchResult } from './result.js';

function argInt(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}

const TORCH_SCRIPT = `
import sys, time, torch
n, d, repeats = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
torch.manual_seed(0)
e, a = torch.randn(n, d), torch.randn(d)
def med(f):
    f(); ts = []
    for _ in range(repeats):
        t0 = time.perf_counter(); f(); ts.append((time.perf_counter() - t0) * 1000)
    ts.sort(); return ts[len(ts) // 2]
print(med(lambda: e @ a), med(lambda: (e * a).sum(1)), torch.__version__)
`;

export async function run(args: string[]): Promise<BenchResult> {
  const n = argInt(args, '--n', 100_000);
  const dim = argInt(args, '--dim', 16);
  const repeats = argInt(args, '--repeats', 21);
  await initBackend();
  const rng = new Rng(5);
  const examples = tf.tensor2d(
    Float32Array.from({ length: n * dim }, () => rng.normal()),
    [n, dim],
  );
  const anchor = tf.tensor1d(Float32Array.from({ length: dim }, () => rng.normal()));
  const time = (f: () => tf.Tensor) => {
    const r = f();
    r.dataSync();
    r.dispose();
    return () => {
      const t0 = performance.now();
      const o = f();
      o.dataSync();
      o.dispose();
      return performance.now() - t0;
    };
  };
  const mm = time(() => similarity(examples, anchor));
  const ms = time(() => similarityMulSum(examples, anchor));
  // Alternate the two routes so load on the shared machine hits both alike.
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < repeats; i++) {
    a.push(mm());
    b.push(ms());
  }
  const med = (x: number[]) => x.sort((p, q) => p - q)[Math.floor(x.length / 2)]!;
  const matmulMs = med(a);
  const mulSumMs = med(b);
  tf.dispose([examples, anchor]);
  let pytorch: Record<string, unknown> | null = null;
  if (havePython('torch')) {
    const r = spawnSync('/usr/bin/python3', ['-c', TORCH_SCRIPT, String(n), String(dim), String(repeats)], { encoding: 'utf8' });
    if (r.status === 0) {
      const [p, q, v] = r.stdout.trim().split(/\s+/);
      pytorch = { tool: `PyTorch ${v}`, matmulMs: Number(p), mulSumMs: Number(q), speedup: Number(q) / Number(p) };
    }
  }
  return {
    name: 'nn-similarity',
    ours: { tool: `leanml similarity (matrix product, ${tf.getBackend()})`, n, dim, ms: matmulMs },
    reference: { tool: 'leanml similarityMulSum (multiply and sum, same process)', ms: mulSumMs, pytorch },
    ratio: mulSumMs / matmulMs,
    note: `ratio = multiply-sum / matrix-product time; time saved by the product: ${(100 * (1 - matmulMs / mulSumMs)).toFixed(0)}% (the notes report ~40%)`,
  };
}
