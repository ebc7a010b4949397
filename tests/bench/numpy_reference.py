#!/usr/bin/env python3
"""The `linear` effect model as a researcher would write it in NumPy, for the benchmark.

Reads a case written by `pathways_bench --export DIR SCENARIO` (case.json and .npy arrays: cells,
node baselines, parents and edge weights in topological order, the plan's per-year levels of the
driven nodes per school, subgroup members, business-as-usual trends) and propagates it:
vectorised over cells, one node at a time in topological order, year by year, then student-weighted
subgroup means, for the scenario and for business as usual.

  numpy_reference.py DIR --check        central run; compares with the engine's subgroup means
                                        (engine_levels.npy) and exits 1 when any differs by > 1e-9
  numpy_reference.py DIR --draws N      times N Monte Carlo draws (edge weights and school dose
                                        multipliers sampled per draw); prints seconds_per_draw

The draws sample what varies per cell (edge weights, school doses) but reuse the central plan
levels per school and year: the ramp is per school, a negligible share of the work. The engine
also computes shares proficient (a normal CDF per cell); NumPy alone has no vectorised normal CDF,
so this reference computes the mean levels only.
"""
import json
import sys
import time
from pathlib import Path

import numpy as np


def load(folder):
    folder = Path(folder)
    case = json.loads((folder / "case.json").read_text())
    arrays = {name: np.load(folder / f"{name}.npy") for name in (
        "students", "school", "initial", "levels_scenario", "levels_bau", "view_mask", "members",
        "group_students", "outcome_trend")}
    return case, arrays


def aggregation_weights(arrays):
    """[year, group, cell]: a member's students over the group's head count (0 for an empty group)."""
    totals = arrays["group_students"][:, :, None]
    safe = np.where(totals > 0.0, totals, 1.0)
    return np.where(totals > 0.0, arrays["members"] * arrays["students"] / safe, 0.0)


def run(case, arrays, weights, levels, school_dose, agg):
    """One run (scenario or business as usual): subgroup means [year, group, outcome]."""
    initial = arrays["initial"]
    school = arrays["school"]
    driven = case["driven"]
    dose = school_dose[school]
    factors = [arrays["view_mask"][i] * dose if view["dose"] else arrays["view_mask"][i]
               for i, view in enumerate(case["views"])]
    outcomes = case["outcomes"]
    scale = case["scale"]
    current = initial.copy()
    years = case["years"]
    means = np.empty((years, agg.shape[1], len(outcomes)))
    for year in range(years):
        current[driven] = levels[year][school].T
        for node in case["evaluated"]:
            n = node["node"]
            if node["composes"]:
                total = np.zeros(initial.shape[1])
                for parent in node["parents"]:
                    p, view = parent["node"], parent["view"]
                    change = current[p] - initial[p]
                    total += initial[p] + (factors[view] * change if view >= 0 else change)
                current[n] = total / len(node["parents"]) if node["parents"] else 0.0
                continue
            change = np.zeros(initial.shape[1])
            for parent in node["parents"]:
                p, view = parent["node"], parent["view"]
                delta = current[p] - initial[p]
                change += weights[parent["edge"]] * (factors[view] * delta if view >= 0 else delta)
            # An achievement node gains the change each year on last year's level (still in current[n]).
            base = current[n] if node["accumulates"] else initial[n]
            current[n] = base + scale * change
        values = current[outcomes] + arrays["outcome_trend"] * (year + 1)
        means[year] = agg[year] @ values.T
    return means


def sample_prior(prior, rng):
    kind, a, b = prior["kind"], prior["a"], prior["b"]
    if kind == "fixed":
        return a
    if kind == "normal":
        return rng.normal(a, b)
    if kind == "truncated_normal":
        while True:
            value = rng.normal(a, b)
            if prior["lower"] <= value <= prior["upper"]:
                return value
    if kind == "lognormal":
        return rng.lognormal(a, b)
    if kind == "uniform":
        return rng.uniform(prior["lower"], prior["upper"])
    if kind == "beta":
        return prior["lower"] + (prior["upper"] - prior["lower"]) * rng.beta(a, b)
    raise ValueError(f"unknown prior kind {kind}")


def check(folder):
    case, arrays = load(folder)
    agg = aggregation_weights(arrays)
    weights = np.array([edge["weight"] for edge in case["edges"]])
    doses = np.ones(case["schools"])
    mine = np.stack([run(case, arrays, weights, arrays["levels_scenario"], doses, agg),
                     run(case, arrays, weights, arrays["levels_bau"], doses, agg)])
    engine = np.load(Path(folder) / "engine_levels.npy")
    if mine.shape != engine.shape:
        print(f"shape {mine.shape} differs from the engine's {engine.shape}")
        return 1
    worst = float(np.max(np.abs(mine - engine))) if mine.size else 0.0
    moved = float(np.max(np.abs(mine[0] - mine[1]))) if mine.size else 0.0
    print(f"{case['scenario']}: {mine.size} subgroup means, largest difference from the engine {worst:.3g} "
          f"(scenario vs business as usual differ by up to {moved:.3g})")
    return 0 if worst <= 1e-9 and moved > 0.0 else 1


def blas():
    """The BLAS numpy runs on and its kernel, where threadpoolctl (python3-threadpoolctl) can tell."""
    try:
        import threadpoolctl
    except ImportError:
        return "BLAS unknown: threadpoolctl not installed"
    found = [f"{pool['internal_api']} {pool['version']} {pool.get('architecture') or ''}, {pool['num_threads']} thread(s)"
             for pool in threadpoolctl.threadpool_info()]
    return "; ".join(found) or "reference BLAS"


def time_draws(folder, draws, seed):
    case, arrays = load(folder)
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    agg = aggregation_weights(arrays)
    checksum = 0.0
    for _ in range(draws):
        weights = np.array([sample_prior(edge["prior"], rng) for edge in case["edges"]])
        doses = rng.normal(1.0, case["school_dose_sd"], case["schools"])
        scenario = run(case, arrays, weights, arrays["levels_scenario"], doses, agg)
        business_as_usual = run(case, arrays, weights, arrays["levels_bau"], doses, agg)
        checksum += float(np.sum(scenario - business_as_usual))
    elapsed = time.perf_counter() - start
    print(f"numpy {np.__version__} ({blas()}), {draws} draws, checksum {checksum:.6g}")
    print(f"seconds_per_draw {elapsed / draws:.6g}")
    return 0


def main(argv):
    if len(argv) == 3 and argv[2] == "--check":
        return check(argv[1])
    if len(argv) in (4, 6) and argv[2] == "--draws":
        seed = int(argv[5]) if len(argv) == 6 and argv[4] == "--seed" else 1
        return time_draws(argv[1], int(argv[3]), seed)
    print(__doc__.strip().splitlines()[0])
    print("usage: numpy_reference.py DIR --check | DIR --draws N [--seed S]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
