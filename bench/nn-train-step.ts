/**
 * Benchmark `nn-train-step`: one training step (forward + backward + Adam) of the speaker net
 * Conv1d(128→32, k3) → ReLU → MaxPool1d(2) → Conv1d(32→32, k3) → ReLU → global average pool →
 * Linear(32→16, no bias) → L2 norm, cosine triplet loss, on a batch of 192 frames of (128, 44).
 * Ours: leanml/nn on the WASM backend (with leanml's training kernels). Reference: the same
 * code on the tfjs `cpu` backend, same process; and PyTorch on the same machine when installed.
 * Usage: npm run bench -- nn-train-step [--steps N] [--cpu-steps N]
 */
import { spawnSync } from 'node:child_process';
import { Rng } from '../src/core/rng.js';
import {
  Adam,
  backendInfo,
  Conv1d,
  cosineTripletLoss,
  globalAvgPool1d,
  initBackend,
  l2Normalize,
  Linear,
  MaxPool1d,
  Module,
  tf,
  toChannelsLast,
} from '../src/nn/index.js';
import { havePython, type BenchResult } from './result.js';

const BATCH = 192;
const MELS = 128;
const FRAMES = 44;

class SpeakerNet extends Module {
  readonly conv1 = this.addModule('conv1', new Conv1d(MELS, 32, 3, { seed: 1 }));
  readonly pool = new MaxPool1d(2);
  readonly conv2 = this.addModule('conv2', new Conv1d(32, 32, 3, { seed: 2 }));
  readonly fc = this.addModule('fc', new Linear(32, 16, { bias: false, seed: 3 }));
  forwardNlc(x: tf.Tensor3D): tf.Tensor2D {
    const h = this.pool.forwardNlc(tf.relu(this.conv1.forwardNlc(x)));
    return l2Normalize(this.fc.forward(globalAvgPool1d(tf.relu(this.conv2.forwardNlc(h)), { layout: 'nlc' }))) as tf.Tensor2D;
  }
}

function argInt(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}

/** Milliseconds per step (median of `steps` after one warm-up step, or of the steps alone when `warmup` is false). */
async function timeSteps(
  backend: 'wasm' | 'cpu',
  frames: Float32Array,
  steps: number,
  warmup: boolean,
): Promise<{ msPerStep: number; loss: number; backend: ReturnType<typeof backendInfo> }> {
  const log = console.log;
  const warn = console.warn;
  console.log = console.warn = () => {}; // tfjs prints a banner when the cpu backend starts
  try {
    await initBackend({ backend });
  } finally {
    console.log = log;
    console.warn = warn;
  }
  const net = new SpeakerNet();
  const opt = new Adam(net.trainableVariables(), { lr: 1e-3 });
  // The API takes PyTorch's (N, C, L); the net runs channels-last, converted once per batch.
  const x = toChannelsLast(tf.tensor3d(frames, [BATCH, MELS, FRAMES]));
  const step = () =>
    opt.minimize(() => {
      const [a, p, n] = tf.split(net.forwardNlc(x), 3) as tf.Tensor2D[];
      return cosineTripletLoss(a!, p!, n!, { margin: 0.3 });
    });
  if (warmup) step();
  const times: number[] = [];
  let loss = 0;
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    loss = step();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const info = backendInfo();
  opt.dispose();
  net.dispose();
  x.dispose();
  return { msPerStep: times[Math.floor(times.length / 2)]!, loss, backend: info };
}

const TORCH_SCRIPT = `
import sys, time, torch, torch.nn as nn, torch.nn.functional as F
B, steps = int(sys.argv[1]), int(sys.argv[2])
torch.manual_seed(0)
net = nn.ModuleDict(dict(conv1=nn.Conv1d(128, 32, 3), conv2=nn.Conv1d(32, 32, 3), fc=nn.Linear(32, 16, bias=False)))
def fwd(x):
    h = F.max_pool1d(F.relu(net['conv1'](x)), 2)
    return F.normalize(net['fc'](F.relu(net['conv2'](h)).mean(2)), dim=-1)
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
x = torch.randn(B, 128, 44)
def step():
    opt.zero_grad()
    a, p, n = fwd(x).chunk(3)
    loss = F.relu(0.3 + (a * n).sum(1) - (a * p).sum(1)).mean()
    loss.backward()
    opt.step()
step()
ts = []
for _ in range(steps):
    t0 = time.perf_counter(); step(); ts.append((time.perf_counter() - t0) * 1000)
ts.sort()
print(ts[len(ts) // 2], torch.get_num_threads(), torch.__version__)
`;

export async function run(args: string[]): Promise<BenchResult> {
  const steps = argInt(args, '--steps', 9);
  const cpuSteps = argInt(args, '--cpu-steps', 1);
  const rng = new Rng(7);
  const frames = Float32Array.from({ length: BATCH * MELS * FRAMES }, () => rng.normal());
  const ours = await timeSteps('wasm', frames, steps, true);
  // The cpu backend needs over a minute per step here: one step, no warm-up (it has no compile step to amortise).
  const cpu = await timeSteps('cpu', frames, cpuSteps, false);
  const ratio = cpu.msPerStep / ours.msPerStep;
  let pytorch: Record<string, unknown> | null = null;
  if (havePython('torch')) {
    const r = spawnSync('/usr/bin/python3', ['-c', TORCH_SCRIPT, String(BATCH), String(steps)], { encoding: 'utf8' });
    if (r.status === 0) {
      const [ms, threads, version] = r.stdout.trim().split(/\s+/);
      pytorch = { tool: `PyTorch ${version} (CPU, ${threads} thread(s))`, msPerStep: Number(ms), ratio: Number(ms) / ours.msPerStep };
    } else {
      pytorch = { tool: 'PyTorch', error: r.stderr.trim().split('\n').pop() };
    }
  }
  return {
    name: 'nn-train-step',
    ours: {
      tool: `leanml/nn on tfjs ${tf.version_core} ${ours.backend.name}`,
      backend: ours.backend,
      batch: BATCH,
      msPerStep: ours.msPerStep,
      steps,
      loss: ours.loss,
    },
    reference: { tool: `tfjs ${tf.version_core} cpu backend (same code, same process)`, msPerStep: cpu.msPerStep, steps: cpuSteps, pytorch },
    ratio,
    note: pytorch
      ? `vs PyTorch: ratio ${(pytorch['ratio'] as number | undefined)?.toFixed(2)} (> 1 = leanml faster)`
      : 'PyTorch not installed: no PyTorch comparison',
  };
}
