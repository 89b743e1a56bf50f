"""The original speaker-spotting method in PyTorch/torchaudio, as the reference for
bench/speaker-eval.ts (same data, same machine), plus the plain MFCC-mean cosine baseline.

Original method: log-mel (22050 Hz, n_fft 2048, hop 1024, 128 mels, dB) frames of 44 columns
(~2 s); Conv1d(128->32,k3) -> ReLU -> MaxPool1d(2) -> Conv1d(32->32,k3) -> ReLU -> global average
pool -> Linear(32->16, no bias), L2-normalised; cosine triplet loss max(0, 0.3 + a.n - a.p) with
anchor/positive from the target and negatives from the other speakers; once most triplets of a
batch have zero loss, negatives are mined from the whole pool of other speakers' frames (the
hardest violator per anchor). Memory = embeddings of all target training frames; a frame is
positive when the mean of its top-5 cosine scores exceeds 0.7. Frame scores are spread over the
columns they cover (overlap-add mean) and positive runs become segments.

MFCC baseline: 20 MFCCs per column, mean over each 2 s frame, cosine to the mean of the target's
frame vectors; its threshold is tuned on the test recording itself (best frame F1), i.e. the most
generous setting for the baseline.

Usage: /usr/bin/python3 bench/speaker_reference.py --target DIR --others DIR... --detect WAV...
       [--method original|mfcc] [--threshold 0.7] [--seed 0] [--steps 600] [--truth RTTM]
Prints one JSON object: train seconds, per-file detect seconds, duration and segments.
Versions: torch 1.13.1, torchaudio 0.13.1 (Debian bookworm).
"""
import argparse
import glob
import json
import os
import sys
import time

import torch
import torchaudio

SR = 22050
N_FFT = 2048
HOP = 1024
N_MELS = 128
FRAME = 44
HOP_COLS = 11
COL_SEC = HOP / SR


def load(path):
    x, sr = torchaudio.load(path)
    x = x.mean(0)
    if sr != SR:
        x = torchaudio.functional.resample(x, sr, SR)
    return x


MEL = torchaudio.transforms.MelSpectrogram(sample_rate=SR, n_fft=N_FFT, hop_length=HOP, n_mels=N_MELS)
TO_DB = torchaudio.transforms.AmplitudeToDB(stype="power")


def log_mel(x):
    return TO_DB(MEL(x))  # (128, T)


def frames(m, hop=HOP_COLS):
    T = m.shape[1]
    if T < FRAME:
        return torch.zeros(0, m.shape[0], FRAME), []
    starts = list(range(0, T - FRAME + 1, hop))
    return torch.stack([m[:, s:s + FRAME] for s in starts]), starts


def speaker_files(path):
    if os.path.isdir(path):
        return sorted(glob.glob(os.path.join(path, "**", "*.wav"), recursive=True))
    return [path]


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = torch.nn.Conv1d(N_MELS, 32, 3)
        self.c2 = torch.nn.Conv1d(32, 32, 3)
        self.fc = torch.nn.Linear(32, 16, bias=False)

    def forward(self, x):
        x = torch.relu(self.c1(x))
        x = torch.nn.functional.max_pool1d(x, 2)
        x = torch.relu(self.c2(x))
        x = x.mean(2)
        return torch.nn.functional.normalize(self.fc(x), dim=1)


def train(target, others, steps, seed, batch=64, margin=0.3):
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    mean, std = target.mean(), target.std()
    norm = lambda f: (f - mean) / std
    net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    mining = False
    for step in range(steps):
        a_i = torch.randint(len(target), (batch,), generator=g)
        p_i = torch.randint(len(target), (batch,), generator=g)
        if mining:
            with torch.no_grad():
                pool = torch.randint(len(others), (min(len(others), 512),), generator=g)
                ea = net(norm(target[a_i]))
                ep = net(norm(target[p_i]))
                en = net(norm(others[pool]))
                sim = ea @ en.T  # (B, P)
                ap = (ea * ep).sum(1, keepdim=True)
                viol = sim > ap - margin
                # hardest violator per anchor; random negative when none violates
                best = sim.masked_fill(~viol, -2).argmax(1)
                n_i = torch.where(viol.any(1), pool[best], torch.randint(len(others), (batch,), generator=g))
        else:
            n_i = torch.randint(len(others), (batch,), generator=g)
        ea, ep, en = net(norm(target[a_i])), net(norm(target[p_i])), net(norm(others[n_i]))
        losses = torch.relu(margin + (ea * en).sum(1) - (ea * ep).sum(1))
        if not mining and (losses == 0).float().mean() > 0.5:
            mining = True
        opt.zero_grad()
        losses.mean().backward()
        opt.step()
    net.eval()
    with torch.no_grad():
        memory = net(norm(target))
    return lambda f: net(norm(f)), memory


def top5(emb, memory, k=5):
    sim = emb @ memory.T
    return sim.topk(min(k, memory.shape[0]), dim=1).values.mean(1)


def to_segments(scores, starts, T, thr):
    acc = torch.zeros(T)
    cnt = torch.zeros(T)
    for s, v in zip(starts, scores.tolist()):
        acc[s:s + FRAME] += v
        cnt[s:s + FRAME] += 1
    col = torch.where(cnt > 0, acc / cnt.clamp(min=1), torch.zeros(T))
    pos = (col > thr).tolist()
    segs, c = [], 0
    while c < T:
        if not pos[c]:
            c += 1
            continue
        a = c
        while c < T and pos[c]:
            c += 1
        segs.append({"start": a * COL_SEC, "end": c * COL_SEC, "score": float(col[a:c].mean())})
    return segs


MFCC = torchaudio.transforms.MFCC(sample_rate=SR, n_mfcc=20, melkwargs={"n_fft": N_FFT, "hop_length": HOP, "n_mels": N_MELS})


def mfcc_frames(x, hop=HOP_COLS):
    m = MFCC(x)
    f, starts = frames(m, hop)
    return f.mean(2), starts, m.shape[1]


def rttm_target(path):
    out = []
    for line in open(path):
        f = line.split()
        if f and f[0] == "SPEAKER" and f[7] == "target":
            out.append((float(f[3]), float(f[3]) + float(f[4])))
    return out


def f1_at(segs, truth, duration, step=0.01):
    n = int(duration / step) + 1
    d = torch.zeros(n, dtype=torch.bool)
    t = torch.zeros(n, dtype=torch.bool)
    for s in segs:
        d[int(s["start"] / step + 0.5):int(s["end"] / step + 0.5)] = True
    for a, b in truth:
        t[int(a / step + 0.5):int(b / step + 0.5)] = True
    tp = (d & t).sum().item()
    p = tp / max(1, d.sum().item())
    r = tp / max(1, t.sum().item())
    return 2 * p * r / max(1e-9, p + r)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", required=True)
    ap.add_argument("--others", nargs="+", required=True)
    ap.add_argument("--detect", nargs="+", required=True)
    ap.add_argument("--truth", nargs="*", default=[])
    ap.add_argument("--method", default="original", choices=["original", "mfcc"])
    ap.add_argument("--threshold", type=float, default=0.7)
    ap.add_argument("--steps", type=int, default=600)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    t0 = time.perf_counter()
    if args.method == "original":
        tf = [frames(log_mel(load(p)))[0] for p in speaker_files(args.target)]
        of = [frames(log_mel(load(p)))[0] for d in args.others for p in speaker_files(d)]
        embed, memory = train(torch.cat(tf), torch.cat(of), args.steps, args.seed)
    else:
        memory = torch.nn.functional.normalize(torch.cat([mfcc_frames(load(p))[0] for p in speaker_files(args.target)]).mean(0, keepdim=True), dim=1)
    train_s = time.perf_counter() - t0

    results = []
    for i, path in enumerate(args.detect):
        t0 = time.perf_counter()
        x = load(path)
        with torch.no_grad():
            if args.method == "original":
                m = log_mel(x)
                f, starts = frames(m)
                scores = top5(embed(f), memory)
                T = m.shape[1]
            else:
                f, starts, T = mfcc_frames(x)
                scores = torch.nn.functional.normalize(f, dim=1) @ memory[0]
        thr = args.threshold
        segs = to_segments(scores, starts, T, thr)
        seconds = time.perf_counter() - t0
        duration = x.shape[0] / SR
        if args.method == "mfcc" and i < len(args.truth):
            truth = rttm_target(args.truth[i])
            best = max(((f1_at(to_segments(scores, starts, T, c), truth, duration), c) for c in torch.linspace(float(scores.min()), float(scores.max()), 60).tolist()))
            thr = best[1]
            segs = to_segments(scores, starts, T, thr)
        results.append({"file": path, "seconds": seconds, "duration": duration, "threshold": thr, "segments": segs})
    json.dump({"method": args.method, "torch": torch.__version__, "torchaudio": torchaudio.__version__, "threads": torch.get_num_threads(),
               "trainSeconds": train_s, "results": results}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
