#!/usr/bin/env python3
"""A worked example of the pathways Python module: project the Denver scale-up, read the summary
table, then do an uncertainty analysis of one's own from the draws.

Run it from the repository root once the module is built (docs/how-to/use-from-python.md):

    PYTHONPATH=build/python /usr/bin/python3 docs/python-example.py
"""
import numpy as np

import pathways

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

# What each draw sampled, beside the draw's result: which input moves the effect most?
inputs = results.inputs()
correlations = []
for name in inputs.keys():
    if name == "draw" or np.std(inputs[name]) == 0:
        continue
    correlations.append((abs(np.corrcoef(inputs[name], effect)[0, 1]), name))
print("\nInputs most correlated with the district-wide math effect across draws:")
for r, name in sorted(correlations, reverse=True)[:3]:
    print(f"  {name:<60} |r| = {r:.2f}")

# Errors are raised as pathways.InputError, with the CLI's compiler-style message and each finding.
try:
    scenario.run(draws=8, set={"no_such_parameter": 1.0})
except pathways.InputError as error:
    print("\nA bad setting is refused:", error.diagnostics[0].message)
