#!/usr/bin/env python3
"""One-off rewrite of the text fields of scenarios/models/dps-personalized-learning.json so that they cite
studies by their short form in scenarios/references.json. Keeps the one-node-or-edge-per-line layout:
only the encoded text values on each line are replaced; numbers and structure are untouched."""
import json
import re
import sys

PATH = "scenarios/models/dps-personalized-learning.json"
DPS0 = "Denver Public Schools 2017, Early Impact Report"
DPS2 = "Denver Public Schools 2017, Driver Model"
TR = "Trickett 2018, Learnings from Implementing PL in DPS"

EDGE_SOURCES = [  # (prefix of the old source, new source)
    ("DOMAIN.md §1.1 suggested encoding", f"A primary driver's level is the mean of its secondary drivers, the grouping of the Driver Model ({DPS2}); equal weights are an assumption"),
    ("DOMAIN.md §1.5 and §7: ramp-rate multiplier", f"Accountability and a central office at odds with PL slow teachers' take-up of it ({TR}; qualitative); the ramp-rate multiplier 0.5 (misaligned) ... 1.0 (aligned) is an assumption, and the weight is the misaligned floor"),
    ("DOMAIN.md §1.5: Z3 -> D8", f"Community and family involvement supports PL ({TR}; qualitative); 0.1 (0-0.2) is an assumption"),
    ("DOMAIN.md §1.5 and §7: -0.2 per SD of the T3-T4 gap", f"A smaller gap between how much teachers value student agency and how feasible they find it goes with higher school ratings ({DPS0}; correlational); -0.2 per SD of gap on driver ramp speed (-0.4..0) is an assumption"),
    ("DOMAIN.md §1.5: F1-F4 -> D1-D10 gate", f"Foundational practices come first: 'if a foundational practice is missing ... plan to improve' ({DPS2}; qualitative); their gate on the driver ramp rate and the weight 0.25 (an equal share of the four practices) are assumptions"),
    ("DOMAIN.md §1.5: D1, D2, D3, D4, D9, D10 -> O1", f"Theory of the Driver Model: these drivers build student agency ({DPS2}; no quantitative source); 0.15 (0.05-0.3), and which agency sub-element each driver moves (read from the driver definitions), are assumptions"),
    ("DOMAIN.md §1.5 (theory, seeds 000/002", f"Theory ({DPS2}; {DPS0}; no quantitative source): the drivers build 21st-century skills; 0.1 (0-0.2), the value used for drivers -> engagement, is an assumption"),
    ("DOMAIN.md §1.5: D5-D8 -> O2e/O2c", "Theory, no quantitative source: strategic use of space, technology, time and community engages students; 0.1 (0-0.2) is an assumption"),
    ("DOMAIN.md §1.2-1.5: emotional engagement", f"Emotional engagement is 'relationships, joy, and support' ({DPS0}); that relationships and culture raise it is theory, and 0.1 (0-0.2) is an assumption"),
    ("DOMAIN.md §1.2, §1.5 (theory): collaboration", f"Theory: collaboration and competency work keep students on task (behavioral engagement is 'paying attention', {DPS0}); a small 0.05 (0-0.1) is an assumption because behavioral engagement is already highest at baseline"),
    ("DOMAIN.md §1.5: O1 -> O2c, SE", "Theory, no quantitative source: agency as a whole moves cognitive engagement and self-efficacy by 0.2 (0.1-0.3), split equally over its three sub-elements (0.2/3); an assumption"),
    ("DOMAIN.md §1.5 and §5; Hoy, Tarter", "Academic optimism predicts achievement after controlling for SES, prior achievement and urbanicity (Hoy, Tarter & Woolfolk Hoy 2006, Academic Optimism); its standardized beta was not retrieved, so the school-level 0.2 (0.1-0.35) is an assumption"),
    ("DOMAIN.md §1.2/§1.4: growth", "Definition: growth is the mean change across the three tested subjects; equal weights are an assumption"),
    ("DOMAIN.md §1.4: acceleration", "Definition: acceleration is growth beyond typical annual growth for the grade (Hill, Bloom, Black & Lipsey 2008, Empirical Benchmarks; recalled)"),
    ("DOMAIN.md §1.5: O4 gaps -> G1", "Definition: the opportunity-gap goal follows the subgroup gaps in achievement, an equal-weight mean of subject achievement (the weights are an assumption)"),
    ("DOMAIN.md §1.2/§1.4: G2 college", "Definition: the college and career index is an equal-weight mean of achievement (3 subjects) and 21st-century skills (3); the weights are an assumption"),
    ("DOMAIN.md §1.2/§1.4: G3 whole-child", "Definition: the whole-child index is an equal-weight mean of engagement (3), self-efficacy and agency (3); the weights are an assumption"),
]

TEXT_SUBSTITUTIONS = [  # applied in order to every description and source
    ("Primary driver (seed 002); its level is the mean of its secondary drivers (DOMAIN.md §1.1).", f"Primary driver ({DPS2}); its level is the mean of its secondary drivers."),
    ("(Name garbled in seed 002; resolved from the Imaginarium Driver Model page, DOMAIN.md §1.1; LEAP codes garbled in the seed.)", "(Name from the Imaginarium's Driver Model web page; the LEAP alignment codes are garbled in the document.)"),
    ("LEAP codes blank in the seed.", "LEAP codes blank in the Driver Model."),
    ("(seed 002, 2017 revision)", f"({DPS2}, 2017 revision)"),
    ("(2017 Driver Model, seed 002)", f"({DPS2})"),
    ("(outcomes model, seed 000)", f"(outcomes model, {DPS0})"),
    ("(seed 000 baseline variable)", f"(a baseline variable in {DPS0})"),
    ("(seed 000 'Achievement', split by subject)", f"('Achievement' in {DPS0}, split by subject)"),
    ("math about 33% (DOMAIN.md §4)", "math about 33% (Denver Gazette 2025, CMAS results; quoted second-hand)"),
    ("(seed 000 'Growth')", f"('Growth' in {DPS0})"),
    ("(seed 000 'Acceleration'; typical growth: Hill et al. 2008, DOMAIN.md §3.1)", f"('Acceleration' in {DPS0}; typical growth: Hill, Bloom, Black & Lipsey 2008, Empirical Benchmarks)"),
    ("(seed 000; Denver Plan 2020)", f"({DPS0}; Denver Plan 2020)"),
    ("the gap itself is the subgroup difference (DOMAIN.md §1.4 G1).", "the gap itself is the subgroup difference."),
    ("roughly flat with grade (DOMAIN.md §5).", "roughly flat with grade (Wang & Eccles 2012, Social Support and Engagement)."),
    ("(seed 000; Gallup 2015; Wang & Eccles 2012)", f"({DPS0}; Gallup 2015, Gallup Student Poll; Wang & Eccles 2012, Social Support and Engagement)"),
    ("(seed 000; DOMAIN.md §5)", f"({DPS0}; Gallup 2015, Gallup Student Poll)"),
    ("The Imaginarium was closed after 5 years, spring 2019 (DOMAIN.md §1.5, §6).", "The Imaginarium was closed after 5 years, in spring 2019 (Denver Post 2019, Imaginarium closure and gaps)."),
    ("(seed 000)", f"({DPS0})"),
    ("(seed 001)", f"({TR})"),
    ("(seed 002)", f"({DPS2})"),
    ("(Denver Public Schools, Imaginarium 2017, 2016-2017 Personalized Learning Early Impact Report)", f"({DPS0})"),
    ("almost all are modelling defaults [A] from DOMAIN.md §1.5 with the ranges given there.", "almost all are modelling defaults (evidence A: assumptions, not research findings), each with a plausible range."),
    ("(Talsma et al. 2018, beta .205)", "(Talsma et al. 2018, Self-efficacy and Performance: beta .205)"),
    ("Talsma et al. 2018: self-efficacy", "Talsma et al. 2018, Self-efficacy and Performance: self-efficacy"),
    ("Talsma, Schüz, Schwarzer & Norris 2018 meta-analytic cross-lagged model:", "Talsma et al. 2018, Self-efficacy and Performance (meta-analytic cross-lagged model):"),
    ("(Hoy, Tarter & Woolfolk Hoy 2006)", "(Hoy, Tarter & Woolfolk Hoy 2006, Academic Optimism)"),
    ("Wong, Liem, Chan & Datu 2024 (meta-analysis:", "Wong, Liem, Chan & Datu 2024, Engagement Meta-analysis (correlations:"),
    ("Pane et al. 2017 (RAND RR-2042)", "Pane et al. 2017, Informing Progress (RAND RR-2042)"),
    (" [A].", " (an assumption)."),
]

FORBIDDEN = re.compile(r"DOMAIN|seed 00|§|\[(S|S2|R|A)[\],]")


def rewrite_text(text):
    for old, new in TEXT_SUBSTITUTIONS:
        text = text.replace(old, new)
    return text


def new_edge_source(source):
    for prefix, new in EDGE_SOURCES:
        if source.startswith(prefix):
            return new
    return rewrite_text(source)


def encoded(text):
    return json.dumps(text, ensure_ascii=False)


def rewrite_line(line):
    """Rewrites a node or edge line, or the model's own "description" line; leaves any other line alone."""
    body = line.strip().rstrip(",")
    if body.startswith('"description"'):
        body = "{" + body + "}"
    if not body.startswith("{") or not body.endswith("}"):
        return line
    obj = json.loads(body)
    for key in ("description", "source"):
        if key not in obj:
            continue
        old = obj[key]
        new = new_edge_source(old) if key == "source" else rewrite_text(old)
        assert line.count(encoded(old)) == 1, line
        line = line.replace(encoded(old), encoded(new))
    return line


def main():
    with open(PATH, encoding="utf-8") as f:
        text = "\n".join(rewrite_line(line) for line in f.read().split("\n"))
    json.loads(text)
    with open(PATH, "w", encoding="utf-8") as f:
        f.write(text)
    left = [m.group(0) for m in FORBIDDEN.finditer(text)]
    if left:
        print("internal citations or bracket tags left:", left, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
