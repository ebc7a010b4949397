#!/usr/bin/env python3
"""No source file of the generic layers names a node of a shipped model.

The engine, the report, the command line and the effect-model plugins must work for any theory of
change; what they need to know about a model's nodes comes from the model file's attributes (kind,
roles, subject). This check fails when a node id of MODEL appears in a source file under FOLDERS,
outside the few places listed in ALLOWED, each with its reason.

Usage: check_no_model_ids.py SOURCE_ROOT MODEL_FILE
"""
import json
import os
import re
import sys

FOLDERS = ("core/engine", "core/report", "core/serve", "cli", "plugins")
SOURCE_SUFFIXES = (".cpp", ".hpp", ".h", ".in", ".txt", ".cmake", ".js", ".html")

# (file, node id): why that file may name the id.
ALLOWED = {
    ("cli/sensitivity_command.cpp", "academic.achievement.math"):
        "help examples run the shipped Denver scenario and name one of its outcomes, as a user would type it",
}


def node_ids(model_file):
    with open(model_file, encoding="utf-8") as f:
        return [node["id"] for node in json.load(f)["nodes"]]


def source_files(root):
    for folder in FOLDERS:
        for directory, _, names in os.walk(os.path.join(root, folder)):
            for name in sorted(names):
                if name.endswith(SOURCE_SUFFIXES):
                    yield os.path.join(directory, name)


def main():
    root, model_file = sys.argv[1], sys.argv[2]
    ids = node_ids(model_file)
    # An id counts only as a whole word: "learner_paths" must not match "learner_paths_total".
    pattern = re.compile(r"(?<![A-Za-z0-9_.])(" + "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
                         + r")(?![A-Za-z0-9_]|\.[A-Za-z0-9_])")
    found = []
    for path in source_files(root):
        relative = os.path.relpath(path, root)
        with open(path, encoding="utf-8", errors="replace") as f:
            for number, line in enumerate(f, 1):
                for match in pattern.finditer(line):
                    if (relative, match.group(1)) in ALLOWED:
                        continue
                    found.append(f"{relative}:{number}:{match.start() + 1}: names node '{match.group(1)}' of "
                                 f"{os.path.basename(model_file)}; expected a role or attribute from the model file")
    for line in found:
        print(line)
    print(f"{len(ids)} node ids, {len(found)} found in {', '.join(FOLDERS)}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
