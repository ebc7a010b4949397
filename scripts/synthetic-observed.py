#!/usr/bin/env python3
"""Writes a SYNTHETIC observed-data CSV from a central pathways run, for trying `pathways monitor` and
`pathways calibrate --observed` where no real outcomes are at hand, and for checking that calibration
recovers known inputs.

    pathways run scenarios/tutoring-scale-up.json --draws 0 --quiet --force --out /tmp/truth \\
        --set-file scenarios/observed/tutoring-2024-2026-truth.json
    python3 scripts/synthetic-observed.py /tmp/truth/projection.csv OUT.csv \\
        --scenario scenarios/tutoring-scale-up.json --truth scenarios/observed/tutoring-2024-2026-truth.json \\
        --years 2024-2026 --year-shock-sd 0.02

Each cell is the central run's level (the truth file's inputs, every other input at its central value)
plus seeded noise, in one of two ways:

* correlated (the default): the sampling error of each group's mean comes from the students it holds,
  so groups that share students ("all", "pl:yes", "frl:yes") have correlated errors, and every group of
  a year and outcome moves by one year shock (--year-shock-sd), and each group keeps a persistent shock
  across years (--persistent-sd). The students are spread over the combinations of the groups'
  dimensions as if the dimensions were independent. The se written is the sampling error, 1/sqrt(n):
  the shocks are for `calibrate --year-shock-sd/--persistent-sd` to model.
* independent (--independent-sd SD): independent normal noise per cell with se sqrt(1/n + SD^2), as the
  first shipped example was made.
"""

import argparse
import csv
import itertools
import math
import random

OUTCOMES_OF_MODEL = {
    "dps-personalized-learning": ["academic.achievement.math", "academic.achievement.ela"],
    "high-dosage-tutoring": ["achievement.math", "achievement.reading"],
}


def read_levels(projection_csv):
    levels = {}
    with open(projection_csv, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["metric"] != "level" or row.get("course", "with_cut_risk") != "with_cut_risk":
                continue
            if row.get("variant", "base") != "base":
                continue
            levels[(row["subgroup"], int(row["year"]), row["outcome"])] = (float(row["mean"]), float(row["n_students"]))
    return levels


def dimension_of(subgroup):
    return subgroup.split(":", 1)[0] if subgroup != "all" else None


def combinations(subgroups, sizes, total):
    """The combinations of the observed dimensions' values (with 'other' where a dimension's observed
    groups do not cover everyone), each with its expected number of students under independence."""
    values = {}
    for group in subgroups:
        dim = dimension_of(group)
        if dim:
            values.setdefault(dim, []).append(group)
    shares = {}
    for dim, groups in values.items():
        shares[dim] = {g: sizes[g] / total for g in groups}
        rest = 1.0 - sum(shares[dim].values())
        if rest > 1e-9:
            shares[dim][dim + ":<other>"] = rest
    dims = sorted(shares)
    out = []
    for combo in itertools.product(*(sorted(shares[d].items()) for d in dims)):
        n = total * math.prod(share for _, share in combo)
        out.append(({group for group, _ in combo}, n))
    return out


def group_sums(combos, draws, subgroups):
    """For each group, the sum over its combinations of the combination's draw."""
    return {g: sum(x for (members, _), x in zip(combos, draws) if g == "all" or g in members) for g in subgroups}


def correlated_noise(levels, subgroups, outcomes, years, args, rng):
    noise = {}
    for outcome in outcomes:
        persistent_draws = None
        for year in years:
            sizes = {g: levels[(g, year, outcome)][1] for g in subgroups}
            total = sizes.get("all") or max(sizes.values())
            combos = combinations(subgroups, sizes, total)
            # Sums of n unit normals per combination: a group's sum has variance n_g, two groups'
            # covariance the students they share.
            sampling = group_sums(combos, [rng.gauss(0.0, math.sqrt(n)) for _, n in combos], subgroups)
            if persistent_draws is None:
                persistent_draws = [rng.gauss(0.0, 1.0) for _ in combos]
            persistent = group_sums(combos, [z * math.sqrt(n) for z, (_, n) in zip(persistent_draws, combos)], subgroups)
            shock = rng.gauss(0.0, args.year_shock_sd)
            for g in subgroups:
                n = sizes[g]
                error = sampling[g] / n + shock + args.persistent_sd * persistent[g] / math.sqrt(n)
                noise[(g, year, outcome)] = (error, 1.0 / math.sqrt(n))
    return noise


def independent_noise(levels, subgroups, outcomes, years, args, rng):
    noise = {}
    for subgroup in subgroups:
        for outcome in outcomes:
            for year in years:
                n = int(round(levels[(subgroup, year, outcome)][1]))
                se = math.sqrt(1.0 / n + args.independent_sd**2)
                noise[(subgroup, year, outcome)] = (rng.gauss(0.0, se), se)
    return noise


def header(args):
    if args.independent_sd is not None:
        how = f"independent normal noise with each cell's se, sqrt(1/n + {args.independent_sd}^2)"
    else:
        how = (
            f"noise from the students each group holds (groups that share students share it; se 1/sqrt(n)), "
            f"a year shock of SD {args.year_shock_sd} shared by every group of a year and outcome, and a "
            f"persistent group shock of SD {args.persistent_sd}"
        )
    return (
        "# SYNTHETIC DATA - not real outcomes of any district or school.\n"
        f"# Generated by scripts/synthetic-observed.py (seed {args.seed}) from a central run of {args.scenario}\n"
        f"# with the known inputs of {args.truth}, plus seeded {how}.\n"
    )


def parse_years(text):
    first, _, last = text.partition("-")
    return list(range(int(first), int(last or first) + 1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("projection_csv")
    parser.add_argument("out_csv")
    parser.add_argument("--scenario", required=True, help="the scenario the central run ran (named in the header)")
    parser.add_argument("--truth", required=True, help="the parameter file of known inputs it ran with (named in the header)")
    parser.add_argument("--years", default="2017-2019", help="first-last calendar year observed")
    parser.add_argument(
        "--subgroups", default="all,pl:yes,pl:no,race:black,race:hispanic,race:white,frl:yes,ell:ell",
        help="groups observed, separated by commas")
    parser.add_argument("--outcomes", default=None, help="outcomes observed (default: the model's math and reading)")
    parser.add_argument("--year-shock-sd", type=float, default=0.02)
    parser.add_argument("--persistent-sd", type=float, default=0.0)
    parser.add_argument("--independent-sd", type=float, default=None,
                        help="independent noise per cell instead, with se sqrt(1/n + SD^2)")
    parser.add_argument("--seed", type=int, default=2019)
    args = parser.parse_args()

    levels = read_levels(args.projection_csv)
    subgroups = args.subgroups.split(",")
    years = parse_years(args.years)
    outcomes = args.outcomes.split(",") if args.outcomes else next(
        names for names in OUTCOMES_OF_MODEL.values() if (subgroups[0], years[0], names[0]) in levels)
    rng = random.Random(args.seed)
    make = independent_noise if args.independent_sd is not None else correlated_noise
    noise = make(levels, subgroups, outcomes, years, args, rng)
    with open(args.out_csv, "w", newline="", encoding="utf-8") as f:
        f.write(header(args))
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["subgroup", "year", "outcome", "mean", "n", "se"])
        for subgroup in subgroups:
            for outcome in outcomes:
                for year in years:
                    level, students = levels[(subgroup, year, outcome)]
                    error, se = noise[(subgroup, year, outcome)]
                    writer.writerow([subgroup, year, outcome, f"{level + error:.4f}", int(round(students)), f"{se:.4f}"])


if __name__ == "__main__":
    main()
