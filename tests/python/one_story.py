#!/usr/bin/env python3
"""One plan, one story: runs the Denver scale-up once with every variant and reads the headline (all
students, final year, with the cut risk and if sustained), the base plan's total cost and the best plan
from each surface a strategist reads — the terminal summary, report.html, the explorer's JSON API and
the Python module — and fails where any two disagree.

The terminal and the report print rounded numbers; they must be the data's numbers rounded as printed.
The API and the Python module hand over the numbers themselves; they must equal projection.json's.

Usage (from the source root, PYTHONPATH naming the module's build folder):
    one_story.py PATHWAYS_CLI WORK_DIR
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "serve"))
from serve_process import served  # noqa: E402

import pathways  # noqa: E402

SCENARIO = "scenarios/denver-scale-up.json"
COURSES = ("with_cut_risk", "sustained")


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def signed(value, decimals=3):
    """A number as the terminal and the report print it: '+0.009', '-0.004' (the report's minus is U+2212)."""
    text = f"{value:+.{decimals}f}"
    return "0.000" if float(text) == 0 else text


def unminus(text):
    return text.replace("\u2212", "-")


class story:
    """What one surface says: the base plan's headline per course, its total cost, the best plan."""

    def __init__(self, surface, headline, total_cost, best):
        self.surface, self.headline, self.total_cost, self.best = surface, headline, total_cost, best

    def __repr__(self):
        return f"{self.surface}: headline {self.headline}, base total cost {self.total_cost}, best plan {self.best}"


def final_rows(rows):
    final = max(r["year"] for r in rows)
    return [r for r in rows if r["year"] == final and r["subgroup"] == "all"]


def data_story(surface, runs, outcome, plans):
    """The story in the numbers themselves: `runs` maps variant -> its rows (projection.json's shape)."""
    base = final_rows(runs["base"])
    headline = {c: next(r["mean"] for r in base if r["metric"] == "effect" and r["course"] == c
                        and r["outcome"] == outcome) for c in COURSES}
    cost = next(r["mean"] for r in base if r["metric"] == "cost_total" and r["course"] == "with_cut_risk")
    means = {}
    for name in plans:
        means[name] = next(r["mean"] for r in final_rows(runs[name]) if r["metric"] == "effect"
                           and r["course"] == "with_cut_risk" and r["outcome"] == outcome)
    best = max(plans, key=lambda name: (means[name], -plans.index(name)))  # a tie goes to the earlier run
    return story(surface, headline, cost, best)


def terminal_story(stdout):
    lines = stdout.splitlines()
    all_line = next(line for line in lines if line.startswith("  all "))
    # "  all   +0.009 [-0.004, +0.037]  0.14     +0.013 [0.14]": with the cut risk, then if sustained.
    with_cut, sustained = re.match(r"\s+all\s+(\S+) \[[^\]]*\]\s+\S+\s+(\S+) \[", all_line).groups()
    best = re.search(r"^Best plan for all students: ([^;]+);", stdout, re.M).group(1)
    cost = re.search(r"^  base\s+(\S+) \[", stdout[stdout.index("Costs in "):], re.M).group(1)
    return story("terminal", {"with_cut_risk": with_cut, "sustained": sustained}, cost, best)


def report_story(path):
    text = html.unescape(re.sub(r"<[^>]+>", " ", open(path, encoding="utf-8").read()))
    text = unminus(re.sub(r"\s+", " ", text))
    lead = re.search(r"of \d+ plans, (\S+) does best on .*? by \d{4}, ([+-]?[\d.]+) SD", text)
    base_row = re.search(r" base the plan as the scenario writes it ([+-]?[\d.]+) \[[^\]]*\] USD ([\d.]+) million",
                         text)
    if not lead or not base_row:
        fail("report.html has no decision lead or no row for the base plan")
    return story("report", {"with_cut_risk": base_row.group(1)}, base_row.group(2), lead.group(1)), lead.group(2)


def api_runs(cli, variants):
    """Every variant as the explorer runs it (POST /api/run with the scenario's draws), and its headline."""
    runs = {}
    with served(cli, [SCENARIO]) as server:
        with urllib.request.urlopen(f"{server.url}api/graph", timeout=60) as answer:
            headline = json.load(answer)["headline"]
        for name in variants:
            request = urllib.request.Request(f"{server.url}api/run?variant={name}", method="POST",
                                             data=open(SCENARIO, "rb").read(),
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=300) as answer:
                runs[name] = json.load(answer)["runs"][0]["rows"]
    return runs, headline


def python_runs():
    table = pathways.load(SCENARIO).run(all_variants=True).table()
    runs = {}
    columns = ("year", "subgroup", "outcome", "metric", "course", "mean")
    for i in range(len(table["mean"])):
        row = {c: table[c][i] for c in columns}
        row["year"] = int(row["year"])
        row["mean"] = float(row["mean"])
        runs.setdefault(table["variant"][i], []).append(row)
    return runs


def main():
    cli, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    out = os.path.join(work, "run")
    terminal = subprocess.run([cli, "run", SCENARIO, "--all-variants", "--report", "--out", out],
                              capture_output=True, text=True)
    if terminal.returncode != 0:
        fail("pathways run failed: " + terminal.stderr)

    with open(SCENARIO) as f:
        scenario = json.load(f)
    variants = ["base", *scenario.get("variants", {})]
    plans = [v for v in variants if v == "base" or scenario["variants"][v].get("kind", "plan") == "plan"]
    with open(os.path.join(out, "projection.json")) as f:
        files = {run["variant"]: run["rows"] for run in json.load(f)["runs"]}
    # The headline outcome is the model's (its node with the role "headline"), as the explorer reads it.
    headline_outcome = re.search(r"^Headline: (\S+),", terminal.stdout, re.M).group(1)
    explorer_runs, explorer_headline = api_runs(cli, variants)
    if explorer_headline != headline_outcome:
        fail(f"the explorer's headline outcome is {explorer_headline}, the terminal's {headline_outcome}")
    truth = data_story("projection.json", files, headline_outcome, plans)
    print(truth)

    said = [terminal_story(terminal.stdout)]
    report, best_mean = report_story(os.path.join(out, "report.html"))
    said.append(report)
    for s in said:
        print(s)
        for course, text in s.headline.items():
            if text != signed(truth.headline[course]):
                fail(f"{s.surface} says {text} for all students {course}; the data say {truth.headline[course]!r}")
        if s.best != truth.best:
            fail(f"{s.surface} names {s.best} the best plan; the data name {truth.best}")
    best_value = next(r["mean"] for r in final_rows(files[truth.best]) if r["metric"] == "effect"
                      and r["course"] == "with_cut_risk" and r["outcome"] == headline_outcome)
    if best_mean != signed(best_value):
        fail(f"the report's lead gives {truth.best} {best_mean}; the data {best_value!r}")
    if said[0].total_cost != f"{truth.total_cost / 1e6:.3g}M" or report.total_cost != f"{truth.total_cost / 1e6:.2f}":
        fail(f"the base plan's cost: terminal {said[0].total_cost}, report {report.total_cost} million, data "
             f"{truth.total_cost!r}")

    for name, runs in (("explorer API", explorer_runs), ("Python module", python_runs())):
        other = data_story(name, runs, headline_outcome, plans)
        print(other)
        if (other.headline, other.total_cost, other.best) != (truth.headline, truth.total_cost, truth.best):
            fail(f"{name} tells another story than projection.json")
    print("one story: terminal, report.html, the explorer API and Python agree with projection.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
