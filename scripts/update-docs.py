#!/usr/bin/env python3
"""Regenerates everything in the documentation that the build produces, or checks that it still is.

  scripts/update-docs.py BUILD_DIR            rewrite the docs from the build: the reference pages and man
                                              pages generated from `pathways --help` and the JSON Schemas
                                              (scripts/gen_reference.py), every `<!-- docs-include: PATH -->`
                                              block, and every documented output of every command
  scripts/update-docs.py BUILD_DIR --check    change nothing; fail (exit 1) where a page differs from what
                                              the build produces, or a command fails: the doc test

  --pages FILE.md...   only these pages' commands and includes (no reference pages)
  --no-run             leave commands alone (reference pages and includes only)

Every command of README.md and docs/**/*.md runs once, in order, in a scratch copy of the repository
whose `build` is a link to BUILD_DIR and whose HOME is a scratch folder (see tests/readme/doc_pages.py for
what a command and a documented output are, the `...` excerpt line, the number tolerance and the
`<!-- readme-test: ... -->` markers). Run it after changing what a command prints, then read the diff.
Errors are compiler-style, PAGE:LINE: error: ..., one per problem.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "readme"))
sys.path.insert(0, HERE)

import doc_pages  # noqa: E402
import gen_reference  # noqa: E402


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")


def write_lines(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


class Run:
    def __init__(self, root, check):
        self.root, self.check = root, check
        self.errors, self.changed = [], []

    def error(self, page, line, message):
        self.errors.append(f"{page}:{line}: error: {message}")


def do_reference(run, build_dir):
    generated = gen_reference.generate(build_dir, run.root)
    for problem in generated.pop("__problems__", []):
        run.errors.append(problem)
    for relative, text in sorted(generated.items()):
        path = os.path.join(run.root, relative)
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if old == text:
            continue
        if run.check:
            run.error(relative, 1, "differs from what scripts/gen_reference.py generates from the build; run "
                      "scripts/update-docs.py BUILD_DIR" if old is not None else "is missing; run scripts/update-docs.py BUILD_DIR")
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            run.changed.append(relative)
    if not run.check:
        # Man pages of commands that no longer exist.
        for path in sorted(os.listdir(os.path.join(run.root, "docs", "man"))):
            relative = os.path.join("docs", "man", path)
            if relative not in generated:
                os.remove(os.path.join(run.root, relative))
                run.changed.append(relative + " (removed)")


def do_includes(run, page, lines, includes):
    for include in reversed(includes):
        source = os.path.join(run.root, include.path)
        if not os.path.isfile(source):
            run.error(page, include.line, f"docs-include: no file {include.path}")
            continue
        want = open(source, encoding="utf-8").read().rstrip("\n").split("\n")
        if lines[include.start:include.end] == want:
            continue
        if run.check:
            run.error(page, include.line + 1, f"the block is not {include.path} as it is now; run scripts/update-docs.py BUILD_DIR")
        else:
            lines[include.start:include.end] = want
    return lines


def run_commands(run, build_dir, page_list, parsed):
    scratch = tempfile.mkdtemp(prefix="pathways-docs-")
    try:
        repo = os.path.join(scratch, "repo")
        skipped = shutil.ignore_patterns(".git", "build*", "out", "damped-build", "my-model*", "fuzz-corpus", "site")
        # Only at the top: docs/how-to/build-and-test.md is a page, not a build folder.
        shutil.copytree(run.root, repo, symlinks=True,
                        ignore=lambda folder, names: skipped(folder, names) if folder == run.root else set())
        os.symlink(build_dir, os.path.join(repo, "build"))
        home = os.path.join(scratch, "home")
        os.mkdir(home)
        environment = dict(os.environ, HOME=home, COLUMNS="100")
        outputs = {}
        count = 0
        for page in page_list:
            for command in parsed[page][0]:
                print(f"{page}:{command.line}: $ {command.text}", flush=True)
                result = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", command.text], cwd=repo,
                                        env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                text = result.stdout.decode("utf-8", errors="replace")
                # Paths as a reader's checkout shows them, wherever this one and its build folder lie.
                text = text.replace(build_dir, "build").replace(repo + "/", "").replace(repo, ".").replace(home, "~")
                count += 1
                if result.returncode != command.expected_exit:
                    print(text)
                    run.error(page, command.line, f"the command exited with {result.returncode}; expected "
                              f"{command.expected_exit}")
                    if run.check:
                        return count  # later commands may need this one's files
                    continue
                if command.output is not None:
                    outputs[(page, command.line)] = text.rstrip("\n").split("\n") if text.strip() else []
        return count, outputs
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("build_dir")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--pages", nargs="+")
    parser.add_argument("--no-run", action="store_true")
    parser.add_argument("--root", default=ROOT)
    args = parser.parse_args()
    build_dir = os.path.abspath(args.build_dir)
    run = Run(os.path.abspath(args.root), args.check)

    if not args.pages:
        do_reference(run, build_dir)
    page_list = args.pages or doc_pages.pages(run.root)
    page_list = [os.path.relpath(os.path.abspath(p), run.root) if os.path.isabs(p) or os.path.exists(p) else p
                 for p in page_list]
    parsed, texts = {}, {}
    for page in page_list:
        lines = read_lines(os.path.join(run.root, page))
        try:
            parsed[page] = doc_pages.parse(page, lines)
        except ValueError as problem:
            run.errors.append(f"{problem}")
            parsed[page] = ([], [])
        texts[page] = lines

    for page in page_list:
        for line, message in doc_pages.link_problems(run.root, page, texts[page]):
            run.error(page, line, message)

    outputs = {}
    if not args.no_run:
        result = run_commands(run, build_dir, page_list, parsed)
        count, outputs = result if isinstance(result, tuple) else (result, {})
        print(f"{count} commands of {len(page_list)} pages ran")

    for page in page_list:
        lines = texts[page]
        commands, includes = parsed[page]
        # Rewrite from the bottom up so that earlier line indices stay valid.
        edits = []
        for command in commands:
            key = (page, command.line)
            if command.output is None or key not in outputs:
                continue
            start, end = command.output
            documented, actual = lines[start:end], outputs[key]
            if run.check:
                problem = doc_pages.check_output(documented, actual)
                if problem:
                    offset, message = problem
                    run.error(page, start + offset + 1, f"output of `{command.text.splitlines()[0]}` "
                              f"(line {command.line}): {message}")
            else:
                new, kept = doc_pages.updated_output(documented, actual)
                if not kept:
                    print(f"{page}:{start + 1}: note: the output's text changed; rewritten from the top, "
                          "review the excerpt")
                edits.append((start, end, new))
        for start, end, new in sorted(edits, reverse=True):
            lines[start:end] = new
        lines = do_includes(run, page, lines, includes)
        if not run.check and lines != read_lines(os.path.join(run.root, page)):
            write_lines(os.path.join(run.root, page), lines)
            run.changed.append(page)

    for problem in run.errors:
        print(problem)
    if run.check:
        if run.errors:
            print(f"{len(run.errors)} problems; scripts/update-docs.py BUILD_DIR regenerates what the build produces")
            return 1
        print("the docs are what the build produces")
        return 0
    for page in run.changed:
        print(f"updated {page}")
    return 1 if run.errors else 0


if __name__ == "__main__":
    sys.exit(main())
