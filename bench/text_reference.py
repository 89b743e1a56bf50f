"""The PyTorch 1.13 twin of leanml's text classifiers (src/text/text-net.ts), same parameter
names, so weights move between the two unchanged:
  bag: embedding = EmbeddingBag(V, D, mode='mean', padding_idx=0) over every row id of a line
       (optionally F.normalize) -> fc = Linear(D, C)
  gru: each token = EmbeddingBag mean of its rows -> pack_padded_sequence(enforce_sorted=False)
       -> gru = GRU(D, H, batch_first=True) -> last state -> fc = Linear(H, C)
Training as leanml's: soft-target softmax cross-entropy (a line's labels share probability 1),
Adam, length-bucketed batches, early stopping on the held-out loss keeping the best weights.

Usage: text_reference.py train DATA.safetensors --arch bag|gru [--dim 64] [--hidden 64]
         [--epochs 20] [--patience 2] [--batch-size 32] [--lr 0.01] [--seed 1] [--unit-norm]
         [--threads 1] [--out WEIGHTS.safetensors]
DATA holds the encoded sets (written by leanml: bench/text-eval.ts) as int32 tensors
'<split>.<field>' for split in train, valid, test. Prints one JSON object.
"""
import argparse
import json
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence

DTYPES = {'F32': np.float32, 'I32': np.int32, 'I64': np.int64, 'U8': np.uint8}
NAMES = {np.dtype('float32'): 'F32', np.dtype('int32'): 'I32', np.dtype('int64'): 'I64', np.dtype('uint8'): 'U8'}


def load_safetensors(path):
    with open(path, 'rb') as f:
        raw = f.read()
    n = struct.unpack('<Q', raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    meta = header.pop('__metadata__', {})
    out = {}
    for k, v in header.items():
        a, b = v['data_offsets']
        out[k] = np.frombuffer(raw[8 + n + a:8 + n + b], dtype=DTYPES[v['dtype']]).reshape(v['shape']).copy()
    return out, meta


def save_safetensors(path, tensors, metadata=None):
    header, blobs, off = {'__metadata__': metadata or {}}, [], 0
    for key in sorted(tensors):
        a = tensors[key]
        a = np.ascontiguousarray(a.detach().numpy() if isinstance(a, torch.Tensor) else a)
        b = a.astype(a.dtype.newbyteorder('<')).tobytes()
        header[key] = {'dtype': NAMES[a.dtype], 'shape': list(a.shape), 'data_offsets': [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, sort_keys=True, separators=(',', ':'))
    h += ' ' * ((8 - (8 + len(h)) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h.encode() + b''.join(blobs))


class TextNet(nn.Module):
    def __init__(self, vocab, labels, arch, dim, hidden, unit_norm=False):
        super().__init__()
        self.arch, self.unit_norm = arch, unit_norm
        self.embedding = nn.EmbeddingBag(vocab, dim, mode='mean', padding_idx=0)
        self.gru = nn.GRU(dim, hidden, batch_first=True) if arch == 'gru' else None
        self.fc = nn.Linear(dim if arch == 'bag' else hidden, labels)

    def forward(self, ids, lengths=None):
        if self.arch == 'bag':  # ids (B, L)
            v = self.embedding(ids)
            return self.fc(F.normalize(v, dim=-1) if self.unit_norm else v)
        b, t, s = ids.shape  # (B, T, S)
        emb = self.embedding(ids.reshape(b * t, s)).reshape(b, t, -1)
        packed = pack_padded_sequence(emb, lengths, batch_first=True, enforce_sorted=False)
        _, h = self.gru(packed)  # h (1, B, H), back in the caller's order
        return self.fc(h[0])


class EncodedSet:
    def __init__(self, d, split):
        g = lambda f: d[f'{split}.{f}'].astype(np.int64)
        self.tok, self.idoff, self.ids, self.laboff, self.labels = g('tokenOffsets'), g('idOffsets'), g('ids'), g('labelOffsets'), g('labels')
        self.size = len(self.tok) - 1

    def ntok(self, i):
        return self.tok[i + 1] - self.tok[i]

    def bag(self, rows):
        spans = [(self.idoff[self.tok[r]], self.idoff[self.tok[r + 1]]) for r in rows]
        L = max(1, max(b - a for a, b in spans))
        out = np.zeros((len(rows), L), dtype=np.int64)
        for i, (a, b) in enumerate(spans):
            out[i, :b - a] = self.ids[a:b]
        return torch.from_numpy(out), None

    def seq(self, rows):
        lengths = [self.ntok(r) for r in rows]
        T = max(lengths)
        S = max(1, max(self.idoff[k + 1] - self.idoff[k] for r in rows for k in range(self.tok[r], self.tok[r + 1])))
        out = np.zeros((len(rows), T, S), dtype=np.int64)
        for i, r in enumerate(rows):
            for t, k in enumerate(range(self.tok[r], self.tok[r + 1])):
                a, b = self.idoff[k], self.idoff[k + 1]
                out[i, t, :b - a] = self.ids[a:b]
        return torch.from_numpy(out), torch.tensor(lengths, dtype=torch.int64)

    def targets(self, rows, c):
        out = np.zeros((len(rows), c), dtype=np.float32)
        for i, r in enumerate(rows):
            a, b = self.laboff[r], self.laboff[r + 1]
            out[i, self.labels[a:b]] = 1.0 / (b - a)
        return torch.from_numpy(out)

    def batches(self, size, rng):
        order = rng.permutation(self.size)
        out = []
        for p in range(0, len(order), size * 50):
            part = sorted(order[p:p + size * 50], key=self.ntok)
            out += [part[i:i + size] for i in range(0, len(part), size)]
        return [out[i] for i in rng.permutation(len(out))]


def inputs(net, data, rows):
    return data.bag(rows) if net.arch == 'bag' else data.seq(rows)


def probabilities(net, data, batch=256):
    net.eval()
    outs = []
    with torch.no_grad():
        for a in range(0, data.size, batch):
            rows = list(range(a, min(a + batch, data.size)))
            x, lengths = inputs(net, data, rows)
            outs.append(F.softmax(net(x, lengths), dim=1))
    net.train()
    return torch.cat(outs).numpy()


def loss_accuracy(net, data, c):
    p = probabilities(net, data)
    loss, correct = 0.0, 0
    for i in range(data.size):
        gold = data.labels[data.laboff[i]:data.laboff[i + 1]]
        loss -= np.mean(np.log(np.maximum(p[i, gold], 1e-30)))
        correct += int(np.argmax(p[i]) in gold)
    return loss / data.size, correct / data.size


def train(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    d, meta = load_safetensors(args.data)
    vocab, c = int(meta['vocabSize']), int(meta['numLabels'])
    tr, va, te = EncodedSet(d, 'train'), EncodedSet(d, 'valid'), EncodedSet(d, 'test')
    net = TextNet(vocab, c, args.arch, args.dim, args.hidden, args.unit_norm)
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    rng = np.random.default_rng(args.seed)
    best, stale, history = None, 0, []
    t0 = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        e0 = time.perf_counter()
        total = 0.0
        for rows in tr.batches(args.batch_size, rng):
            x, lengths = inputs(net, tr, rows)
            y = tr.targets(rows, c)
            opt.zero_grad()
            loss = -(y * F.log_softmax(net(x, lengths), dim=1)).sum(1).mean()
            loss.backward()
            opt.step()
            total += loss.item() * len(rows)
        seconds = time.perf_counter() - e0
        vl, vacc = loss_accuracy(net, va, c) if va.size else (None, None)
        history.append({'epoch': epoch, 'trainLoss': total / tr.size, 'validationLoss': vl, 'validationAccuracy': vacc, 'seconds': seconds})
        if vl is None:
            continue
        if best is None or vl < best[0]:
            best, stale = (vl, {k: v.clone() for k, v in net.state_dict().items()}, epoch, vacc), 0
        else:
            stale += 1
            if args.patience and stale >= args.patience:
                break
    if best:
        net.load_state_dict(best[1])
    _, test_acc = loss_accuracy(net, te, c) if te.size else (None, None)
    if args.out:
        save_safetensors(args.out, {k: v for k, v in net.state_dict().items()}, {'format': 'pt', 'torch': torch.__version__})
    print(json.dumps({'tool': f'PyTorch {torch.__version__}', 'arch': args.arch, 'testAccuracy': test_acc, 'validationAccuracy': best[3] if best else None,
                      'bestEpoch': best[2] if best else len(history), 'epochs': len(history), 'secondsPerEpoch': sum(h['seconds'] for h in history) / len(history),
                      'seconds': time.perf_counter() - t0, 'threads': torch.get_num_threads()}))


if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('command', choices=['train'])
    p.add_argument('data')
    p.add_argument('--arch', default='bag', choices=['bag', 'gru'])
    p.add_argument('--dim', type=int, default=64)
    p.add_argument('--hidden', type=int, default=64)
    p.add_argument('--epochs', type=int, default=20)
    p.add_argument('--patience', type=int, default=2)
    p.add_argument('--batch-size', type=int, default=32)
    p.add_argument('--lr', type=float, default=0.01)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--unit-norm', action='store_true')
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--out')
    train(p.parse_args(sys.argv[1:]))
