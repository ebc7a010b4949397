#!/usr/bin/env python3
"""The JSON Schemas in scenarios/ and `pathways validate` agree on which files are valid.

Every shipped scenario, district profile and model, and every file of the test corpora, is judged
by an independent validator (python3-jsonschema) against the schema for its kind, and by
`pathways validate`. They must agree, except on the files listed in CANNOT_JUDGE: problems a schema
cannot see (other files, the model's node ids, the plugins' parameters, JSON a parser accepts but
pathways refuses). Each of those must really be one the schema passes and pathways refuses, so the
list cannot go stale. Exit 77 (skipped) when the jsonschema module is missing.

Usage: check_schemas.py PATHWAYS_BINARY SOURCE_ROOT
"""
import glob
import json
import os
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    print("skipped: python3-jsonschema is not installed (scripts/install-deps.sh installs it)")
    sys.exit(77)

CANNOT_JUDGE = {
    "03-duplicate-key.json": "duplicate keys: Python's parser keeps the last value, pathways refuses the file",
    "14-unknown-plugin.json": "effect models are the installed plugins",
    "16-unknown-parameter.json": "parameters are declared by each plugin",
    "17-parameter-out-of-range.json": "parameter ranges are declared by each plugin",
    "21-district-missing.json": "the district file must exist",
    "23-wave-after-horizon.json": "a wave's year is compared with /horizon",
    "24-wave-selects-nothing.json": "waves are checked against the schools CSV",
    "49-school-id-typo.json": "school ids are checked against the schools CSV",
    "25-wave-count-too-big.json": "waves are checked against the schools CSV",
    "34-unknown-model.json": "a model id names a model compiled into the binary",
    "27-unknown-outcome.json": "outcomes are the model's node ids",
    "29-bad-variant-patch.json": "variants are merge patches; the schema judges the base, pathways each variant merged in",
    "30-ramp-order.json": "years_to_90 is compared with years_to_half",
    "36-unknown-reference-group.json": "a gap's subgroups must be listed in /report/subgroups",
    "18-unknown-condition.json": "condition names are the model's condition nodes",
    "19-condition-out-of-range.json": "a condition's range depends on its role in the model",
    "45-gate-year-not-before-wave.json": "a gate's year is compared with its wave's start",
    "46-gate-subgroup-not-reached.json": "a gate measures the reached schools' students (pl:yes)",
    "47-gate-outcome-not-reported.json": "a gate's outcome must be listed in /report/outcomes",
}


def kind_of(document):
    if isinstance(document, dict):
        for key, kind in (("pathways_model", "model"), ("pathways_district", "district")):
            if key in document:
                return kind
    return "scenario"


def schema_verdict(path, validators):
    """(valid, reason) by the schema; a file Python cannot parse is invalid."""
    try:
        with open(path, encoding="utf-8") as f:
            document = json.load(f)
    except (ValueError, UnicodeDecodeError) as error:
        return False, f"not JSON: {error}"
    errors = sorted(validators[kind_of(document)].iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        return False, f"{errors[0].json_path}: {errors[0].message[:200]}"
    return True, ""


def main():
    binary, root = sys.argv[1], sys.argv[2]
    validators = {}
    for kind in ("scenario", "district", "model"):
        with open(os.path.join(root, "scenarios", f"{kind}.schema.json"), encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        validators[kind] = jsonschema.Draft202012Validator(schema)

    shipped = [os.path.join(root, "scenarios", name + ".json")
               for name in ("denver-pilot-2015", "denver-scale-up", "national-baseline", "rand-2015-check", "rand-2017-check",
                            "tutoring-scale-up")]
    files = (shipped + sorted(glob.glob(os.path.join(root, "scenarios", "districts", "*.json")))
             + sorted(glob.glob(os.path.join(root, "scenarios", "models", "*.json")))
             + sorted(glob.glob(os.path.join(root, "tests", "data", "malformed", "*.json")))
             + sorted(glob.glob(os.path.join(root, "tests", "data", "malformed", "districts", "*.json")))
             + sorted(glob.glob(os.path.join(root, "tests", "data", "models", "*.json"))))
    failures = []
    for path in files:
        name = os.path.basename(path)
        schema_valid, reason = schema_verdict(path, validators)
        run = subprocess.run([binary, "validate", path], capture_output=True, text=True)
        pathways_valid = run.returncode == 0
        if run.returncode not in (0, 2):
            failures.append(f"{name}: pathways validate exited {run.returncode}: {run.stderr.strip()[:300]}")
        elif name in CANNOT_JUDGE:
            if not (schema_valid and not pathways_valid):
                failures.append(f"{name}: listed as beyond the schema ({CANNOT_JUDGE[name]}), but the schema says "
                                f"{'valid' if schema_valid else 'invalid'} and pathways says "
                                f"{'valid' if pathways_valid else 'invalid'}; remove it from CANNOT_JUDGE")
        elif schema_valid != pathways_valid:
            failures.append(f"{name}: the schema says {'valid' if schema_valid else 'invalid (' + reason + ')'}, "
                            f"pathways validate says {'valid' if pathways_valid else 'invalid: ' + run.stderr.strip()[:300]}")
    for failure in failures:
        print(failure)
    print(f"{len(files)} files, {len(failures)} disagreements")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
