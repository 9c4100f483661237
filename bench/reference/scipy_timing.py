#!/usr/bin/env python3
"""Time SciPy on the 46 gadre2024 curves (task error against loss:c4_val), for bench/fit-bench.ts.

Fits y = eps - exp(logK - gamma*x) with the paper's bounds, single-threaded, timed in CPU seconds:
  * scipy.optimize.curve_fit (trust-region reflective, a local method; start (0.5, 1, 1)),
  * scipy.optimize.differential_evolution on the MSE (the paper's global method; SciPy's default
    settings with polish, seed 0).
Prints one JSON object: fits per second of each, the settings, versions, and each method's worst
SSE relative to the reference optima when test/fixtures/reference-optima.json is present.

With --paper-de it instead times the paper's own procedure once over the 46 curves:
differential_evolution with popsize 60 and the paper's bounds (seed 0, polish), printing its wall
and CPU seconds; `make bench` compares the whole pipeline's wall time with it.

Usage (from the repository root): python3 bench/reference/scipy_timing.py [--paper-de]
"""
import sys

import csv
import json
import os
import time
from pathlib import Path

# One thread, like our benchmark (set before numpy loads its BLAS).
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import warnings  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
from scipy.optimize import OptimizeWarning, curve_fit, differential_evolution  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
X_COLUMN = "loss:c4_val"
LOWER = [0.0, 0.0, 0.0]
UPPER = [1.0, 20.0, 20.0]
P0 = [0.5, 1.0, 1.0]
MIN_SECONDS = 1.0


def model(x, eps, log_k, gamma):
    return eps - np.exp(log_k - gamma * x)


def mse(params, x, y):
    residual = y - model(x, *params)
    return float(np.mean(residual * residual))


def sse(params, x, y):
    residual = y - model(x, *params)
    return float(np.dot(residual, residual))


def load_curves():
    with open(ROOT / "studies" / "gadre2024" / "observations.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    tasks = [column for column in rows[0] if column.startswith("task:")]
    x = np.array([float(row[X_COLUMN]) for row in rows])
    return [(task, x, np.array([1.0 - float(row[task]) for row in rows])) for task in tasks]


def reference_sse():
    path = ROOT / "test" / "fixtures" / "reference-optima.json"
    if not path.exists():
        return {}
    with open(path) as handle:
        curves = json.load(handle)["curves"]
    return {c["task"]: c["sse"] for c in curves if c["study"] == "gadre2024" and c["x"] == X_COLUMN and c["rows"] == "all"}


def fit_curve_fit(x, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OptimizeWarning)
        try:
            params, _ = curve_fit(model, x, y, p0=P0, bounds=(LOWER, UPPER))
        except RuntimeError:  # did not converge
            return None
    return params


def fit_differential_evolution(x, y):
    return differential_evolution(mse, list(zip(LOWER, UPPER)), args=(x, y), seed=0, polish=True).x


def time_method(fit, curves, min_seconds):
    """Fits per second of this process's CPU time (the machine may be shared; the benchmark of our
    engine measures CPU time too, so the ratio compares like with like)."""
    results = {}
    fits = 0
    started = time.process_time()
    while True:
        for task, x, y in curves:
            results[task] = fit(x, y)
            fits += 1
        elapsed = time.process_time() - started
        if elapsed >= min_seconds:
            return fits / elapsed, results


def worst_ratio(results, curves, reference):
    worst = None
    failures = 0
    for task, x, y in curves:
        params = results[task]
        if params is None:
            failures += 1
            continue
        if task in reference:
            ratio = sse(params, x, y) / reference[task]
            worst = ratio if worst is None else max(worst, ratio)
    return worst, failures


def paper_de(curves):
    """The paper's fitting procedure, once per headline curve: wall and CPU seconds of the whole pass."""
    wall = time.perf_counter()
    cpu = time.process_time()
    for _task, x, y in curves:
        differential_evolution(mse, list(zip(LOWER, UPPER)), args=(x, y), popsize=60, seed=0, polish=True)
    return {"curves": len(curves), "paper_de_wall_seconds": time.perf_counter() - wall, "paper_de_cpu_seconds": time.process_time() - cpu, "popsize": 60, "scipy": scipy.__version__}


def main():
    curves = load_curves()
    if "--paper-de" in sys.argv[1:]:
        print(json.dumps(paper_de(curves), sort_keys=True))
        return
    reference = reference_sse()
    for task, x, y in curves[:3]:  # warm up
        fit_curve_fit(x, y)
    curve_fit_rate, curve_fit_results = time_method(fit_curve_fit, curves, MIN_SECONDS)
    de_rate, de_results = time_method(fit_differential_evolution, curves, 0.0)
    curve_fit_worst, curve_fit_failures = worst_ratio(curve_fit_results, curves, reference)
    de_worst, de_failures = worst_ratio(de_results, curves, reference)
    print(
        json.dumps(
            {
                "curves": len(curves),
                "scipy": scipy.__version__,
                "numpy": np.__version__,
                "curve_fit_fits_per_second": curve_fit_rate,
                "curve_fit_settings": {"method": "trf", "p0": P0, "bounds": [LOWER, UPPER]},
                "curve_fit_max_sse_ratio_vs_reference": curve_fit_worst,
                "curve_fit_failures": curve_fit_failures,
                "differential_evolution_fits_per_second": de_rate,
                "differential_evolution_settings": {"defaults": True, "polish": True, "seed": 0, "objective": "mse"},
                "differential_evolution_max_sse_ratio_vs_reference": de_worst,
                "differential_evolution_failures": de_failures,
            },
            sort_keys=True,
        )
    )


if __name__ == "__main__":
    main()
