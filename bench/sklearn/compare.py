#!/usr/bin/python3
"""scikit-learn's MLPClassifier on the split indices digitlab wrote (bench/sklearn/run.js).

Usage: /usr/bin/python3 bench/sklearn/compare.py splits.json  -> JSON rows on stdout.
Reads the same digits CSV as digitlab (64 pixels 0-16 and a label per row), fits the default
MLPClassifier (random_state = split seed) on each split for each activation, and times fit().
"""
import gzip
import json
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier


def main(path):
    with open(path) as f:
        spec = json.load(f)
    opener = gzip.open if spec["data"].endswith(".gz") else open
    with opener(spec["data"], "rt") as f:
        rows = np.loadtxt(f, delimiter=",")
    X, y = rows[:, :64], rows[:, 64].astype(int)
    warnings.simplefilter("ignore", ConvergenceWarning)
    s0 = spec["splits"][0]
    MLPClassifier(random_state=0, max_iter=5).fit(X[s0["train"]], y[s0["train"]])  # warm-up
    out = []
    for activation in spec["activations"]:
        for s in spec["splits"]:
            model = MLPClassifier(activation=activation, random_state=s["seed"])
            t = time.perf_counter()
            model.fit(X[s["train"]], y[s["train"]])
            dt = time.perf_counter() - t
            out.append({
                "activation": activation,
                "seed": s["seed"],
                "accuracy": float(model.score(X[s["test"]], y[s["test"]])),
                "fitSeconds": dt,
                "nIter": int(model.n_iter_),
            })
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
