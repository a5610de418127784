"""The original notebook's algorithm in numpy: the reference `scratchnet-bench train` compares with.

One hidden ReLU layer, full-batch gradient descent, early-stopping bookkeeping on the validation
loss, exactly as the seed notebooks describe it:

    z1 = X @ W1 + b1;  a1 = relu(z1);  z2 = a1 @ W2 + b2
    classification: a2 = softmax(z2), loss = -sum(y * log(a2)) / m, dz2 = (a2 - y) / m
    regression:     a2 = z2,          loss = sum((y - a2)**2) / (2m), dz2 = (a2 - y) / m
    dW2 = a1.T @ dz2;  db2 = sum(dz2);  dz1 = (dz2 @ W2.T) * (z1 > 0)
    dW1 = X.T @ dz1;   db1 = sum(dz1);  W -= lr * dW;  b -= lr * db

An epoch is one training step on the 3000 training rows plus the forward pass and loss on the 1000
validation rows (and keeping the best weights when the validation loss improves). Data is
synthetic with the real shapes: one-hot inputs for the genre and minutes networks, a normalised
age for the listening-time network, random labels.

Usage: python3 reference.py [--epochs N] [--seed S]   (prints one JSON object)
"""

import argparse
import json
import time

import numpy as np

NETWORKS = [
    # name, inputs, hidden, outputs, task, learning rate
    ("genre", 10, 16, 10, "classification", 0.05),
    ("minutes", 16, 12, 1, "regression", 0.05),
    ("listening-time", 1, 10, 3, "classification", 0.1),
]
TRAIN_ROWS = 3000
VALIDATION_ROWS = 1000


def one_hot(indices, width):
    out = np.zeros((indices.size, width))
    out[np.arange(indices.size), indices] = 1.0
    return out


def inputs(rng, rows, width):
    if width == 1:
        return rng.uniform(-1.7, 1.7, size=(rows, 1))  # a z-scored age
    if width == 16:  # country (10) + platform (6), one-hot each
        return np.hstack([one_hot(rng.integers(0, 10, rows), 10), one_hot(rng.integers(0, 6, rows), 6)])
    return one_hot(rng.integers(0, width, rows), width)


def targets(rng, rows, width, task):
    if task == "regression":
        return rng.uniform(0.0, 1.0, size=(rows, 1))
    return one_hot(rng.integers(0, width, rows), width)


def forward(x, w1, b1, w2, b2, task):
    z1 = x @ w1 + b1
    a1 = np.maximum(z1, 0.0)
    z2 = a1 @ w2 + b2
    if task == "classification":
        e = np.exp(z2 - z2.max(axis=1, keepdims=True))
        a2 = e / e.sum(axis=1, keepdims=True)
    else:
        a2 = z2
    return z1, a1, a2


def loss(a2, y, task):
    m = y.shape[0]
    if task == "classification":
        return -np.sum(y * np.log(np.clip(a2, 1e-12, 1.0))) / m
    return np.sum((y - a2) ** 2) / (2 * m)


def time_network(name, n_in, n_hidden, n_out, task, lr, epochs, seed):
    rng = np.random.default_rng(seed)
    x, y = inputs(rng, TRAIN_ROWS, n_in), targets(rng, TRAIN_ROWS, n_out, task)
    xv, yv = inputs(rng, VALIDATION_ROWS, n_in), targets(rng, VALIDATION_ROWS, n_out, task)
    w1 = rng.standard_normal((n_in, n_hidden)) / np.sqrt(n_in)
    b1 = np.zeros((1, n_hidden))
    w2 = rng.standard_normal((n_hidden, n_out)) / np.sqrt(n_hidden)
    b2 = np.zeros((1, n_out))
    best = np.inf
    best_weights = None
    m = x.shape[0]
    times = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        z1, a1, a2 = forward(x, w1, b1, w2, b2, task)
        loss(a2, y, task)
        dz2 = (a2 - y) / m
        dw2 = a1.T @ dz2
        db2 = dz2.sum(axis=0, keepdims=True)
        dz1 = (dz2 @ w2.T) * (z1 > 0)
        dw1 = x.T @ dz1
        db1 = dz1.sum(axis=0, keepdims=True)
        w1 -= lr * dw1
        b1 -= lr * db1
        w2 -= lr * dw2
        b2 -= lr * db2
        _, _, av = forward(xv, w1, b1, w2, b2, task)
        validation_loss = loss(av, yv, task)
        if validation_loss < best:
            best = validation_loss
            best_weights = (w1.copy(), b1.copy(), w2.copy(), b2.copy())
        times.append(time.perf_counter() - t0)
    assert best_weights is not None and np.isfinite(best)
    warm = times[min(5, len(times) - 1):]
    return {
        "network": name,
        "msPerEpoch": float(np.median(warm) * 1000),
        "epochs": len(warm),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    results = [time_network(*net, epochs=args.epochs, seed=args.seed) for net in NETWORKS]
    print(json.dumps({"numpy": np.__version__, "results": results}))


if __name__ == "__main__":
    main()
