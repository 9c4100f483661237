#!/usr/bin/env python3
"""Reference optima of y = eps - k*exp(-gamma*x) from SciPy's differential_evolution.

For every reference curve (task error y = 1 - accuracy against a validation loss x, read from the
committed study records) this runs scipy.optimize.differential_evolution on the mean squared error
over (eps, ln k, gamma) with the paper's bounds, from several seeds with polishing, and keeps the
best. The result, test/fixtures/reference-optima.json, is what test/fit/exponential.test.ts and
bench/fit-bench.ts hold our exact fit engine (pipeline/fit/exponential.ts) against.

Usage (from the repository root; needs numpy and scipy, e.g. Debian python3-scipy):
    python3 bench/reference/scipy_reference.py [--out test/fixtures/reference-optima.json] [--jobs 2]
"""

import argparse
import csv
import json
import multiprocessing
import platform
import sys
import time
from pathlib import Path

import numpy as np
import scipy
from scipy.optimize import differential_evolution

ROOT = Path(__file__).resolve().parents[2]
BOUNDS = [(0.0, 1.0), (0.0, 20.0), (0.0, 20.0)]  # eps, ln k, gamma: the paper's
SEEDS = [0, 1, 2, 3, 4]
SETTINGS = {
    "strategy": "best1bin",
    "popsize": 30,
    "maxiter": 5000,
    "tol": 1e-12,
    "atol": 0.0,
    "mutation": [0.5, 1.0],
    "recombination": 0.7,
    "polish": True,
    "init": "latinhypercube",
    "updating": "immediate",
}

# (study, x column, which rows, validation sets); tasks are every task:* column.
GADRE_X = [
    "loss:c4_val",  # the paper's x
    "loss:openlm_val",
    "loss:paloma_c4_en",
    "loss:paloma_100_pl",
    "loss:paloma_refinedweb",
    "loss:paloma_ptb",
    "loss:paloma_redpajama",
    "loss:de_en",
]
CURVE_SETS = [("gadre2024", x, "all") for x in GADRE_X] + [
    ("bhagia2024", "loss:c4_en", "final"),
    ("bhagia2024", "loss:c4_en", "all"),
]


def read_rows(study):
    with open(ROOT / "studies" / study / "observations.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def curves():
    cache = {}
    for study, x_column, which in CURVE_SETS:
        rows = cache.setdefault(study, read_rows(study))
        if which == "final":
            rows = [row for row in rows if row["final"] == "true"]
        tasks = [column for column in rows[0] if column.startswith("task:")]
        for task in tasks:
            x = np.array([float(row[x_column]) for row in rows])
            y = np.array([1.0 - float(row[task]) for row in rows])
            yield {"study": study, "x": x_column, "rows": which, "task": task}, x, y


def sse(params, x, y):
    eps, log_k, gamma = params
    residual = y - (eps - np.exp(log_k - gamma * x))
    return float(np.dot(residual, residual))


def mse(params, x, y):
    eps, log_k, gamma = params
    residual = y - (eps - np.exp(log_k - gamma * x))
    return float(np.mean(residual * residual))


def fit(job):
    meta, x, y = job
    best = None
    for seed in SEEDS:
        settings = dict(SETTINGS)
        settings["mutation"] = tuple(settings["mutation"])
        result = differential_evolution(mse, BOUNDS, args=(x, y), seed=seed, **settings)
        params = [float(v) for v in result.x]
        value = sse(params, x, y)
        if best is None or value < best[0]:
            best = (value, params, seed)
    value, (eps, log_k, gamma), seed = best
    return {**meta, "n": int(len(x)), "epsilon": eps, "logK": log_k, "gamma": gamma, "sse": value, "bestSeed": seed}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "test" / "fixtures" / "reference-optima.json"))
    parser.add_argument("--jobs", type=int, default=max(1, multiprocessing.cpu_count()))
    args = parser.parse_args()
    jobs = list(curves())
    started = time.time()
    with multiprocessing.Pool(args.jobs) as pool:
        results = pool.map(fit, jobs, chunksize=1)
    results.sort(key=lambda r: (r["study"], r["x"], r["rows"], r["task"]))
    document = {
        "description": "Best of several SciPy differential_evolution runs (polished) minimising the mean squared error of "
        "y = epsilon - exp(logK - gamma*x), y = 1 - accuracy, per curve; sse = sum of squared residuals at those parameters.",
        "generator": {
            "command": "python3 bench/reference/scipy_reference.py",
            "script": "bench/reference/scipy_reference.py",
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "objective": "mean squared error over (epsilon, logK, gamma)",
            "bounds": {"epsilon": list(BOUNDS[0]), "logK": list(BOUNDS[1]), "gamma": list(BOUNDS[2])},
            "settings": SETTINGS,
            "seeds": SEEDS,
        },
        "curves": results,
    }
    with open(args.out, "w") as handle:
        json.dump(document, handle, indent=2, sort_keys=True)
        handle.write("\n")
    print(f"wrote {len(results)} curves to {args.out} in {time.time() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
