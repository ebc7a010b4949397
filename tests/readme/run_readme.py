#!/usr/bin/env python3
"""Runs README.md's commands one after another, exactly as written, in a scratch copy of the repository.

Commands are the contents of every ```sh block and every `$ ` line (with its `\\` continuation lines) in
the other fenced blocks, in the order they appear. A block is marked by the HTML comment on the line
right before its fence (invisible on GitHub):
  <!-- readme-test: skip REASON -->    not run (installs, builds the suite, long benchmarks)
  <!-- readme-test: from TEXT -->      run from the first occurrence of TEXT (skips the install and build
                                       steps of a one-line "install, build, run")
The copy's `build` is a link to the build folder under test and HOME is a scratch folder, so commands
that install to ~ stay inside it. The first command that exits non-zero fails the test, with its output.

Usage: run_readme.py BUILD_DIR SOURCE_DIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

from markdown_blocks import fenced_blocks, prompt_commands

MARKER = re.compile(r"^<!--\s*readme-test:\s*(skip|from)\b\s*(.*?)\s*-->\s*$")


def commands_of(readme):
    """(line number, command) pairs in document order."""
    commands = []
    lines = readme.splitlines()
    for fence, language, start, body in fenced_blocks(lines):
        marker = MARKER.match(lines[fence - 1]) if fence > 0 else None
        if marker and marker.group(1) == "skip":
            continue
        if language == "sh":
            text = "\n".join(body)
            if marker and marker.group(1) == "from":
                at = text.find(marker.group(2))
                if at < 0:
                    sys.exit(f"README.md:{start}: readme-test marker: '{marker.group(2)}' is not in the block")
                text = text[at:]
            commands.append((start + 1, text))
        elif language == "":
            commands.extend(prompt_commands(body, start))
    return commands


def main():
    build_dir, source_dir = (os.path.abspath(p) for p in sys.argv[1:3])
    with open(os.path.join(source_dir, "README.md"), encoding="utf-8") as f:
        commands = commands_of(f.read())
    if not commands:
        sys.exit("README.md has no commands to run")
    scratch = tempfile.mkdtemp(prefix="pathways-readme-")
    try:
        repo = os.path.join(scratch, "repo")
        shutil.copytree(source_dir, repo, symlinks=True,
                        ignore=shutil.ignore_patterns(".git", "build*", "out", "damped-build", "fuzz-corpus"))
        os.symlink(build_dir, os.path.join(repo, "build"))
        home = os.path.join(scratch, "home")
        os.mkdir(home)
        environment = dict(os.environ, HOME=home)
        for line, command in commands:
            print(f"README.md:{line}: $ {command}", flush=True)
            result = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", command], cwd=repo, env=environment,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if result.returncode != 0:
                print(result.stdout)
                print(f"README.md:{line}: error: the command exited with {result.returncode}; expected 0")
                return 1
        print(f"{len(commands)} README commands ran in sequence")
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
