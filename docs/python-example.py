#!/usr/bin/env python3
"""A worked example of the pathways Python module: project the Denver scale-up, read the summary
table, then do an uncertainty analysis of one's own from the draws.

Run it from the repository root once the module is built (docs/how-to/use-from-python.md):

    PYTHONPATH=build/python /usr/bin/python3 docs/python-example.py
"""
import numpy as np

import pathways


def correlation(x, y):
    """Pearson's r of x and y; 0 when either is constant (no variation, so nothing to correlate)."""
    if len(x) < 2 or np.std(x) == 0 or np.std(y) == 0:
        return 0.0
    return float(np.corrcoef(x, y)[0, 1])


def screen(inputs, effect):
    """How strongly each sampled input moves `effect` across draws: a list of (|r|, label, input), one
    or two entries for every input column (the `draw` column aside), strongest first.

    An input with no value in some draws (program:cut_year is empty, NaN here, in a draw where the
    district does not cut the program) gets two entries, so that the strongest input is not dropped
    for its NaNs: whether the draw has a value at all ("cut or not", 1 or 0), and the value among the
    draws that have one ("cut year, among cut draws")."""
    screened = []
    for name in inputs.keys():
        if name == "draw":
            continue
        values = np.asarray(inputs[name], dtype=float)
        present = ~np.isnan(values)
        if present.all():
            screened.append((abs(correlation(values, effect)), name, name))
            continue
        screened.append((abs(correlation(present.astype(float), effect)), f"{name} (has a value or not)", name))
        screened.append((abs(correlation(values[present], effect[present])), f"{name} (among draws with one)", name))
    return sorted(screened, reverse=True)


def main():
    scenario = pathways.load("scenarios/denver-scale-up.json")
    print(scenario, "variants:", ", ".join(scenario.variants))

    # The same run as `pathways run scenarios/denver-scale-up.json --draws 64 --seed 1`.
    results = scenario.run(draws=64, seed=1)

    # The summary table has projection.csv's columns (a pandas DataFrame when pandas is installed).
    table = results.table()
    final = max(table["year"])
    print(f"\nFinal-year ({final}) effect on math, with the district's cut risk:")
    for i in range(len(table["mean"])):
        if (table["year"][i] == final and table["outcome"][i] == "academic.achievement.math"
                and table["metric"][i] == "effect" and table["course"][i] == "with_cut_risk"):
            shown = "suppressed" if table["suppressed"][i] else f"{table['mean'][i]:+.3f} SD"
            print(f"  {table['subgroup'][i]:<22} {shown}")

    # Every draw of one row: a question the summary does not answer, e.g. how likely an effect of at
    # least 0.005 SD is, or the interval one's own analysis prefers.
    effect = results.draws("academic.achievement.math", "all", "effect")
    print(f"\nDistrict-wide math effect: mean {effect.mean():+.3f} SD, "
          f"P(effect >= 0.005 SD) = {np.mean(effect >= 0.005):.2f}, "
          f"80% interval {np.percentile(effect, 10):+.3f} .. {np.percentile(effect, 90):+.3f}")

    # What each draw sampled, beside the draw's result: which input moves the effect most? Every input
    # is screened, the program's cut year too (whether the draw cuts it, and when among those that do).
    inputs = results.inputs()
    screened = screen(inputs, effect)
    print(f"\nInputs most correlated with the district-wide math effect across draws "
          f"({len(inputs.keys()) - 1} inputs screened):")
    for r, label, _ in screened[:3]:
        print(f"  {label:<60} |r| = {r:.2f}")

    # A results folder as `pathways run --out` writes it, manifest included: `pathways rerun` repeats it.
    written = results.write("out/python-example", force=True)
    print("\nWrote out/python-example:", " ".join(written))

    # Errors are raised as pathways.InputError, with the CLI's compiler-style message and each finding.
    try:
        scenario.run(draws=8, set={"no_such_parameter": 1.0})
    except pathways.InputError as error:
        print("\nA bad setting is refused:", error.diagnostics[0].message)


if __name__ == "__main__":
    main()
