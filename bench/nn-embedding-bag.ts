/**
 * Benchmark `nn-embedding-bag`: mean embedding bags over a padded batch in one call versus one
 * sample at a time (the notes report batched ~40% faster), forward and forward + backward.
 * Ours: `EmbeddingBag.forward` on the padded batch; reference: the same layer called per sample
 * (same process, same weights). PyTorch's nn.EmbeddingBag is timed the same two ways when
 * installed, to show the claim on its home ground.
 * Usage: npm run bench -- nn-embedding-bag [--bags N] [--repeats N]
 */
import { spawnSync } from 'node:child_process';
import { Rng } from '../src/core/rng.js';
import { EmbeddingBag, initBackend, padIds, tf } from '../src/nn/index.js';
import { havePython, type BenchResult } from './result.js';

const VOCAB = 20_000;
const DIM = 64;

function argInt(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}

function median(fn: () => void, repeats: number): number {
  fn();
  const ts: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)]!;
}

const TORCH_SCRIPT = `
import sys, time, random, torch, torch.nn as nn
bags, repeats = int(sys.argv[1]), int(sys.argv[2])
random.seed(0); torch.manual_seed(0)
lists = [[random.randrange(1, ${VOCAB}) for _ in range(random.randint(1, 64))] for _ in range(bags)]
T = max(map(len, lists))
padded = torch.tensor([l + [0] * (T - len(l)) for l in lists])
singles = [torch.tensor([l]) for l in lists]
bag = nn.EmbeddingBag(${VOCAB}, ${DIM}, mode='mean', padding_idx=0)
def med(f):
    f(); ts = []
    for _ in range(repeats):
        t0 = time.perf_counter(); f(); ts.append((time.perf_counter() - t0) * 1000)
    ts.sort(); return ts[len(ts) // 2]
with torch.no_grad():
    b = med(lambda: bag(padded)); s = med(lambda: torch.cat([bag(x) for x in singles]))
def train_b(): bag.zero_grad(); bag(padded).sum().backward()
def train_s(): bag.zero_grad(); torch.cat([bag(x) for x in singles]).sum().backward()
print(b, s, med(train_b), med(train_s), torch.__version__)
`;

export async function run(args: string[]): Promise<BenchResult> {
  const bags = argInt(args, '--bags', 256);
  const repeats = argInt(args, '--repeats', 7);
  await initBackend();
  const rng = new Rng(11);
  const lists = Array.from({ length: bags }, () => Array.from({ length: 1 + rng.int(64) }, () => 1 + rng.int(VOCAB - 1)));
  const bag = new EmbeddingBag(VOCAB, DIM, { mode: 'mean', paddingIdx: 0, seed: 1 });
  const batch = padIds(lists);
  const singles = lists.map((l) => padIds([l]));
  const perSample = () => tf.tidy(() => tf.concat(singles.map((s) => bag.forward(s)))).dataSync();
  const batchedSync = () => {
    const o = bag.forward(batch);
    o.dataSync();
    o.dispose();
  };
  const fwdBatched = median(batchedSync, repeats);
  const fwdSingle = median(() => void perSample(), repeats);
  const vars = bag.trainableVariables();
  const trainBatched = median(() => {
    const { value, grads } = tf.variableGrads(() => tf.sum(bag.forward(batch)) as tf.Scalar, vars);
    Object.values(grads)[0]!.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  }, repeats);
  const trainSingle = median(
    () => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.concat(singles.map((s) => bag.forward(s)))) as tf.Scalar, vars);
      Object.values(grads)[0]!.dataSync();
      tf.dispose([value, ...Object.values(grads)]);
    },
    Math.max(3, Math.floor(repeats / 2)),
  );
  bag.dispose();
  let pytorch: Record<string, unknown> | null = null;
  if (havePython('torch')) {
    const r = spawnSync('/usr/bin/python3', ['-c', TORCH_SCRIPT, String(bags), String(repeats)], { encoding: 'utf8' });
    if (r.status === 0) {
      const [b, s, tb, ts, v] = r.stdout.trim().split(/\s+/);
      pytorch = {
        tool: `PyTorch ${v} nn.EmbeddingBag (same sizes)`,
        forwardBatchedMs: Number(b),
        forwardPerSampleMs: Number(s),
        forwardSpeedup: Number(s) / Number(b),
        trainBatchedMs: Number(tb),
        trainPerSampleMs: Number(ts),
        trainSpeedup: Number(ts) / Number(tb),
      };
    }
  }
  return {
    name: 'nn-embedding-bag',
    ours: { tool: `leanml EmbeddingBag, padded batch (${tf.getBackend()})`, bags, vocab: VOCAB, dim: DIM, forwardMs: fwdBatched, trainMs: trainBatched },
    reference: {
      tool: 'leanml EmbeddingBag, one sample at a time (same process)',
      forwardMs: fwdSingle,
      trainMs: trainSingle,
      trainSpeedup: trainSingle / trainBatched,
      pytorch,
    },
    ratio: fwdSingle / fwdBatched,
    note: `ratio = per-sample / batched forward time; time saved by batching: forward ${(100 * (1 - fwdBatched / fwdSingle)).toFixed(0)}%, forward+backward ${(100 * (1 - trainBatched / trainSingle)).toFixed(0)}% (the notes report ~40%)`,
  };
}
