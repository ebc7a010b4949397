#!/usr/bin/env python3
"""Write the synthetic schools CSVs of the shipped district profiles.

    python3 scripts/make_district_schools.py

writes scenarios/districts/denver-2018-schools.csv and national-baseline-schools.csv. Standard library
only; every random number comes from random.Random(seed).random(), so a rerun reproduces both files byte
for byte.

The schools are synthetic [A]: real school-level data are not used. Each district is built so that its
enrollment-weighted totals match the profile (published Denver figures for Denver; US-average shares for the
national district) while schools differ the way an urban district does:
  * a latent "neighbourhood" score per school drives segregation: high-score schools are whiter and
    lower-FRL, low-score schools mostly Hispanic (or Black) and high-FRL;
  * race shares are fitted to the district totals by iterative proportional fitting (rows = schools,
    columns = races), then rounded to thousandths that sum to exactly 1;
  * ELL and exited-ELL follow the school's race mix (ELL is concentrated among Hispanic and Asian
    students), FRL follows race mix and neighbourhood, SPED is near-uniform; each is scaled to the
    district total;
  * Denver only: SPF colour by rank of a noisy FRL-based score (realistic mix, blue/green schools have
    lower FRL); academic_optimism (z) higher in green/blue schools and value_feasibility_gap (SD) lower,
    both centred on 0 (Denver 2016–2017 Early Impact Report: green SPF goes with higher optimism and a smaller gap); PL schools get
    +0.5 optimism and -0.3 gap (Early Impact Report: PL schools score high on academic optimism). Tags: 6 schools
    `pl-pilot;pl-planning` (the 2015 pilots) and 9 more `pl-planning` (the 2016 cohort of 15, Early Impact Report).
    Five other schools start at level 1.2 (earlier blended-learning practice) via start_level.
  * National: start_level is left blank. Its schools' starting levels differ through the profile's
    `between_school_sd` and `starting_level_spread` (pathways spreads them when it loads the profile;
    `pathways population` shows the result), so the numbers and their sources stay in the profile.
"""
import math
import random
from pathlib import Path

RACES = ["hispanic", "black", "white", "asian", "multiracial", "american_indian", "pacific_islander"]
# Race -> segregation loading on the neighbourhood score (positive = more common in high-score areas).
RACE_LOADING = {"hispanic": -0.9, "black": -0.4, "white": 1.3, "asian": 0.3, "multiracial": 0.5,
                "american_indian": -0.3, "pacific_islander": 0.0}
# Black students are clustered in a few neighbourhoods (north-east Denver) beyond the common score.
RACE_NOISE = {r: 0.8 if r == "black" else 0.35 for r in RACES}
# Relative ELL and exited-ELL rates by race (same pattern as the profiles' seed_table).
ELL_RATE = {"hispanic": 0.58, "black": 0.12, "white": 0.04, "asian": 0.35, "multiracial": 0.06,
            "american_indian": 0.10, "pacific_islander": 0.15}
EXITED_RATE = {"hispanic": 0.15, "black": 0.04, "white": 0.02, "asian": 0.10, "multiracial": 0.03,
               "american_indian": 0.04, "pacific_islander": 0.05}
LEVEL_PREFIX = {"elementary": "e", "k8": "k", "middle": "m", "high": "h"}
LEVEL_NAME = {"elementary": "Elementary", "k8": "K-8", "middle": "Middle", "high": "High"}
SPF_ORDER = ["blue", "green", "yellow", "orange", "red"]

DISTRICTS = {
    "denver-2018": {
        "seed": 2018, "prefix": "den", "enrollment": 93356,
        # 207 schools (DPS Facts & Figures 2018-19); the level split is [A].
        "levels": {"elementary": (100, 380), "k8": (20, 560), "middle": (40, 470), "high": (47, 540)},
        "race": {"hispanic": 0.54, "white": 0.25, "black": 0.135, "asian": 0.03, "multiracial": 0.035,
                 "american_indian": 0.007, "pacific_islander": 0.003},
        "ell": 0.363, "exited": 0.10, "frl": 0.65, "sped": 0.11, "segregation": 1.0,
        "spf_mix": {"blue": 0.08, "green": 0.32, "yellow": 0.33, "orange": 0.15, "red": 0.12},
        "pilots": {"elementary": 3, "k8": 1, "middle": 2}, "planning": {"elementary": 4, "k8": 1, "middle": 2, "high": 2},
        "early_blended": 5,
    },
    "national-baseline": {
        "seed": 2019, "prefix": "nat", "enrollment": 25000,
        "levels": {"elementary": (22, 450), "k8": (3, 600), "middle": (8, 650), "high": (7, 1150)},
        "race": {"white": 0.471, "hispanic": 0.27, "black": 0.15, "asian": 0.05, "multiracial": 0.045,
                 "american_indian": 0.01, "pacific_islander": 0.004},
        "ell": 0.10, "exited": 0.05, "frl": 0.52, "sped": 0.14, "segregation": 0.7,
        "spf_mix": None, "pilots": {}, "planning": {}, "early_blended": 0,
    },
}


def normal(rng):
    """Standard normal by Box-Muller from rng.random(), which is stable across Python versions."""
    u1 = 1.0 - rng.random()
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * rng.random())


def weighted_mean(values, weights):
    return sum(v * w for v, w in zip(values, weights)) / sum(weights)


def calibrate(make, weights, target):
    """Bisection on a shift c so that the weighted mean of make(c) equals target (make is increasing in c)."""
    lo, hi = -20.0, 20.0
    for _ in range(100):
        mid = (lo + hi) / 2
        if weighted_mean(make(mid), weights) < target:
            lo = mid
        else:
            hi = mid
    return make((lo + hi) / 2)


def enrollments(rng, spec):
    sizes = []
    for level, (count, mean) in spec["levels"].items():
        sizes += [(level, max(120.0, mean * math.exp(0.35 * normal(rng) - 0.06))) for _ in range(count)]
    scale = spec["enrollment"] / sum(s for _, s in sizes)
    counts = [round(s * scale) for _, s in sizes]
    # Hand the rounding residual to the largest schools so the total is exact.
    order = sorted(range(len(counts)), key=lambda i: -counts[i])
    residual = spec["enrollment"] - sum(counts)
    for k in range(abs(residual)):
        counts[order[k % len(order)]] += 1 if residual > 0 else -1
    return [level for level, _ in sizes], counts


def race_shares(rng, scores, enrol, spec):
    """IPF of a school x race matrix: rows sum to 1, enrollment-weighted columns hit the district shares."""
    rows = [{r: spec["race"][r] * math.exp(spec["segregation"] * RACE_LOADING[r] * z
                                             + RACE_NOISE[r] * normal(rng))
             for r in RACES} for z in scores]
    for _ in range(200):
        for r in RACES:
            col = sum(row[r] * n for row, n in zip(rows, enrol)) / sum(enrol)
            for row in rows:
                row[r] *= spec["race"][r] / col
        for row in rows:
            total = sum(row.values())
            for r in RACES:
                row[r] /= total
    return [thousandths(row) for row in rows]


def thousandths(row):
    """Round shares to multiples of 0.001 that sum to exactly 1 (largest remainder)."""
    raw = {r: row[r] * 1000 for r in RACES}
    ints = {r: math.floor(v) for r, v in raw.items()}
    for r in sorted(RACES, key=lambda r: -(raw[r] - ints[r]))[:1000 - sum(ints.values())]:
        ints[r] += 1
    return {r: ints[r] / 1000 for r in RACES}


def expected(row, rates):
    return sum(row[r] * rates[r] for r in RACES)


def build(name, spec):
    rng = random.Random(spec["seed"])
    levels, enrol = enrollments(rng, spec)
    scores = [normal(rng) for _ in levels]
    races = race_shares(rng, scores, enrol, spec)
    poverty = [row["hispanic"] + row["black"] + row["american_indian"] + row["pacific_islander"] for row in races]
    noise = [[normal(rng) for _ in levels] for _ in range(7)]
    frl = calibrate(lambda c: [1 / (1 + math.exp(-(c + 3.0 * p - 0.4 * z + 0.3 * e)))
                               for p, z, e in zip(poverty, scores, noise[0])], enrol, spec["frl"])
    high_factor = [0.7 if lv == "high" else 1.0 for lv in levels]
    ell = calibrate(lambda c: [min(0.85, math.exp(c) * expected(row, ELL_RATE) * h * math.exp(0.2 * e))
                               for row, h, e in zip(races, high_factor, noise[1])], enrol, spec["ell"])
    exited = calibrate(lambda c: [min(0.95 - a, math.exp(c) * expected(row, EXITED_RATE) * math.exp(0.2 * e))
                                  for row, a, e in zip(races, ell, noise[2])], enrol, spec["exited"])
    sped = calibrate(lambda c: [min(0.35, math.exp(c + 0.25 * e)) for e in noise[3]], enrol, spec["sped"])

    ids = [f"{spec['prefix']}-{LEVEL_PREFIX[lv]}{levels[:i + 1].count(lv):03d}" for i, lv in enumerate(levels)]
    tags = [""] * len(levels)
    start = [""] * len(levels)
    for wanted, tag in ((spec["pilots"], "pl-pilot;pl-planning"), (spec["planning"], "pl-planning")):
        for level, count in wanted.items():
            free = [i for i, lv in enumerate(levels) if lv == level and not tags[i]]
            for i in rng.sample(free, count):
                tags[i] = tag
    for i in rng.sample([i for i in range(len(levels)) if not tags[i]], spec["early_blended"]):
        start[i] = "1.2"

    spf, optimism, gap = [""] * len(levels), [""] * len(levels), [""] * len(levels)
    if spec["spf_mix"]:
        perf = [-2.0 * f + 0.5 * e for f, e in zip(frl, noise[4])]
        rank = sorted(range(len(levels)), key=lambda i: -perf[i])
        cut, k = 0.0, 0
        for colour in SPF_ORDER:
            cut += spec["spf_mix"][colour] * len(levels)
            while k < len(rank) and k < round(cut):
                spf[rank[k]] = colour
                k += 1
        quality = {"blue": 1.0, "green": 0.5, "yellow": 0.0, "orange": -0.5, "red": -1.0}
        pl = [0.5 if t else 0.0 for t in tags]
        raw_opt = [0.6 * quality[s] + 0.6 * e + p for s, e, p in zip(spf, noise[5], pl)]
        raw_gap = [-0.4 * quality[s] + 0.6 * e - 0.6 * p for s, e, p in zip(spf, noise[6], pl)]
        for raw, out in ((raw_opt, optimism), (raw_gap, gap)):
            centre = weighted_mean(raw, enrol)
            for i, v in enumerate(raw):
                out[i] = f"{v - centre:.2f}"

    header = (["school_id", "name", "level", "enrollment"] + [f"share_{r}" for r in RACES]
              + ["share_ell", "share_exited_ell", "share_frl", "share_sped", "spf", "tags", "start_level",
                 "academic_optimism", "value_feasibility_gap"])
    lines = [",".join(header)]
    order = sorted(range(len(levels)), key=lambda i: ids[i])
    for i in order:
        number = ids[i].split("-")[1][1:]
        cells = [ids[i], f"Synthetic {LEVEL_NAME[levels[i]]} {number}", levels[i], str(enrol[i])]
        cells += [f"{races[i][r]:.3f}" for r in RACES]
        cells += [f"{v:.3f}" for v in (ell[i], exited[i], frl[i], sped[i])]
        cells += [spf[i], tags[i], start[i], optimism[i], gap[i]]
        lines.append(",".join(cells))
    out = Path(__file__).resolve().parent.parent / "scenarios" / "districts" / f"{name}-schools.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="ascii")


if __name__ == "__main__":
    for district, profile in DISTRICTS.items():
        build(district, profile)
