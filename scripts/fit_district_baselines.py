#!/usr/bin/env python3
"""Fit a district profile's race and FRL achievement offsets to published proficiency rates.

    pathways population scenarios/districts/denver-2018.json --cells --format csv > cells.csv
    python3 scripts/fit_district_baselines.py scenarios/districts/denver-2018.json cells.csv

Standard library only. It mirrors how pathways turns a profile's baseline into proficiency: each
cell's level is the sum of the offsets of its terms, re-centred on the district; the between-cell
variance v leaves a within-cell SD of sqrt(max(0.1, 1 - v)); the cut score is solved so the
district share proficient matches `proficient`; a subgroup's share is the student-weighted mean of
Phi((level - cut) / within). It then finds race:black, race:hispanic and frl:yes offsets (the
others held at the profile's values) that minimise the squared distance, in percentage points, to
TARGETS below, and prints the offsets and the rates they give. Copy the offsets into the profile.
"""
import csv
import json
import math
import sys
from statistics import NormalDist

PHI = NormalDist().cdf
FREE = ["race:black", "race:hispanic", "frl:yes"]
# (subgroup, or (reference, focal) for a gap) -> (target in points, weight). Sources: the profile's
# "source" strings (CMAS 2019 rates for Denver; gaps of about 40 points).
TARGETS = {
    "academic.achievement.ela": {"race:white": (72.5, 1), "race:black": (27.5, 2), "race:hispanic": (27.5, 1),
                                 ("race:white", "race:black"): (40, 1), ("race:white", "race:hispanic"): (40, 1),
                                 ("frl:no", "frl:yes"): (40, 0.3)},
    "academic.achievement.math": {("race:white", "race:black"): (40, 1), ("race:white", "race:hispanic"): (40, 1),
                                  ("frl:no", "frl:yes"): (40, 0.3)},
    "academic.achievement.science": {("race:white", "race:black"): (40, 1), ("race:white", "race:hispanic"): (40, 1),
                                     ("frl:no", "frl:yes"): (40, 0.3)},
}
REPORTED = ["all", "race:white", "race:black", "race:hispanic", "frl:yes", "frl:no", "ell:ell", "ell:exited", "sped:yes"]


def read_cells(path):
    """Cells merged over schools: offsets depend only on a cell's terms."""
    merged = {}
    for row in csv.DictReader(open(path, newline="")):
        terms = frozenset({"race:" + row["race"], "ell:" + row["ell"], "frl:" + row["frl"], "sped:" + row["sped"],
                           "grade:" + row["grade_band"]})
        merged[terms] = merged.get(terms, 0.0) + float(row["students"])
    return list(merged.items())


def rates(cells, offsets, proficient):
    total = sum(n for _, n in cells)
    levels = [sum(v for term, v in offsets.items() if term in terms) for terms, _ in cells]
    mean = sum(x * n for x, (_, n) in zip(levels, cells)) / total
    levels = [x - mean for x in levels]
    within = math.sqrt(max(0.1, 1.0 - sum(n * x * x for x, (_, n) in zip(levels, cells)) / total))
    low, high = -10.0, 10.0
    for _ in range(64):
        cut = (low + high) / 2
        above = sum(n * PHI((x - cut) / within) for x, (_, n) in zip(levels, cells)) / total
        low, high = (cut, high) if above > proficient else (low, cut)

    def share(group):
        pairs = [(x, n) for x, (terms, n) in zip(levels, cells) if group == "all" or group in terms]
        return 100 * sum(n * PHI((x - cut) / within) for x, n in pairs) / sum(n for _, n in pairs)
    return share


def loss(cells, base, proficient, targets, x):
    share = rates(cells, dict(base, **dict(zip(FREE, x))), proficient)
    total = 0.0
    for key, (target, weight) in targets.items():
        got = share(key[0]) - share(key[1]) if isinstance(key, tuple) else share(key)
        total += weight * (got - target) ** 2
    return total


def nelder_mead(f, x0, step=0.1, iterations=300):
    points = [list(x0)] + [[v + (step if j == i else 0.0) for j, v in enumerate(x0)] for i in range(len(x0))]
    values = [f(p) for p in points]
    for _ in range(iterations):
        order = sorted(range(len(points)), key=values.__getitem__)
        points, values = [points[i] for i in order], [values[i] for i in order]
        centre = [sum(p[j] for p in points[:-1]) / len(x0) for j in range(len(x0))]
        toward = lambda t: [c + t * (c - w) for c, w in zip(centre, points[-1])]
        reflected = toward(1.0)
        fr = f(reflected)
        if fr < values[0]:
            expanded = toward(2.0)
            fe = f(expanded)
            points[-1], values[-1] = (expanded, fe) if fe < fr else (reflected, fr)
        elif fr < values[-2]:
            points[-1], values[-1] = reflected, fr
        else:
            contracted = toward(-0.5)
            fc = f(contracted)
            if fc < values[-1]:
                points[-1], values[-1] = contracted, fc
            else:
                points = [points[0]] + [[b + 0.5 * (v - b) for b, v in zip(points[0], p)] for p in points[1:]]
                values = [values[0]] + [f(p) for p in points[1:]]
    best = min(range(len(points)), key=values.__getitem__)
    return points[best]


def main(profile_path, cells_path):
    profile = json.load(open(profile_path))
    cells = read_cells(cells_path)
    for node, targets in TARGETS.items():
        baseline = profile["baseline"][node]
        base, proficient = baseline["offsets"], baseline["proficient"]
        x = nelder_mead(lambda x: loss(cells, base, proficient, targets, x), [base[k] for k in FREE])
        fitted = {k: round(v, 2) for k, v in zip(FREE, x)}
        share = rates(cells, dict(base, **fitted), proficient)
        print(node, fitted)
        print("   ", ", ".join(f"{g} {share(g):.1f}%" for g in REPORTED))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
