"""The documentation's pages, their commands and their documented output, for the doc test and for
scripts/update-docs.py, which runs the same commands and writes what they print back into the pages.

Pages: README.md, then every Markdown file under docs/ in path order (docs/man and generated reference
pages hold no commands). Commands are the contents of every ```sh block and every `$ ` line (with its
`\\` continuation lines) of ```console and unlabelled blocks, in the order they appear. All pages run
one after another in one scratch copy of the repository, so a page may use a file an earlier command of
the same page wrote.

Documented output:
  - in a ```console or unlabelled block, the lines after a `$ ` command up to the next `$ ` line are what
    that command prints (stdout and stderr together);
  - a block right after the comment `<!-- readme-test: output -->` is what the page's previous command
    prints.
A line `...` stands for any number of lines (an excerpt); an output that is only `...` is new, and
scripts/update-docs.py writes the whole output there (cut it to an excerpt by hand). Every other line must be what the build prints:
the text exactly (runs of spaces count as one), every number within one unit of its last printed digit.

Markers, an HTML comment on the line right before a block's fence (invisible on GitHub and in the site):
  <!-- readme-test: skip REASON -->   not run (installs, servers, benchmarks); its output is not checked
  <!-- readme-test: from TEXT -->     run from the first occurrence of TEXT (skips the install and build
                                      steps of a one-line "install, build, run")
  <!-- readme-test: exit N -->        the block's commands are expected to exit with N (an error shown)
  <!-- readme-test: output -->        this block is the previous command's output
  <!-- docs-include: PATH -->         this block is the file PATH of the repository, verbatim
"""
import difflib
import glob
import os
import re

from markdown_blocks import fenced_blocks

MARKER = re.compile(r"^<!--\s*(readme-test|docs-include):\s*(\S*)\s*(.*?)\s*-->\s*$")
PROMPT_LANGUAGES = {"", "console"}
SHELL_LANGUAGES = {"sh"}
ELLIPSIS = "..."
NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:,\d{3})*(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w])")


def pages(root):
    """Repository-relative paths of the pages whose commands run, in running order."""
    found = ["README.md"]
    for path in sorted(glob.glob(os.path.join(root, "docs", "**", "*.md"), recursive=True)):
        relative = os.path.relpath(path, root)
        if not relative.startswith(os.path.join("docs", "man") + os.sep):
            found.append(relative)
    return found


class Command:
    """A command of a page, where it is, and the page lines (start, end) that document its output."""

    def __init__(self, page, line, text, expected_exit=0):
        self.page, self.line, self.text, self.expected_exit = page, line, text, expected_exit
        self.output = None  # (start index, end index) of the documented output lines in the page


class Include:
    def __init__(self, page, line, path, start, end):
        self.page, self.line, self.path, self.start, self.end = page, line, path, start, end


def marker_of(lines, fence):
    if fence == 0:
        return None, None, None
    match = MARKER.match(lines[fence - 1])
    if not match:
        return None, None, None
    return match.group(1), match.group(2), match.group(3)


def parse(page, lines):
    """The commands and includes of a page's lines."""
    commands, includes = [], []
    for fence, language, start, body in fenced_blocks(lines):
        kind, word, rest = marker_of(lines, fence)
        end = start + len(body)
        if kind == "docs-include":
            includes.append(Include(page, fence + 1, word, start, end))
            continue
        if kind == "readme-test" and word == "skip":
            continue
        if kind == "readme-test" and word == "output":
            if not commands:
                raise ValueError(f"{page}:{fence + 1}: an output block with no command before it")
            commands[-1].output = (start, end)
            continue
        expected_exit = 0
        if kind == "readme-test" and word == "exit":
            expected_exit = int(rest)
        if language in SHELL_LANGUAGES:
            text = "\n".join(body)
            if kind == "readme-test" and word == "from":
                at = text.find(rest)
                if at < 0:
                    raise ValueError(f"{page}:{start}: readme-test marker: '{rest}' is not in the block")
                text = text[at:]
            commands.append(Command(page, start + 1, text, expected_exit))
        elif language in PROMPT_LANGUAGES:
            j = 0
            while j < len(body):
                if not body[j].startswith("$ "):
                    j += 1
                    continue
                first = j
                text = [body[j][2:]]
                while text[-1].endswith("\\") and j + 1 < len(body):
                    j += 1
                    text.append(body[j])
                command = Command(page, start + first + 1, "\n".join(text), expected_exit)
                j += 1
                out_start = j
                while j < len(body) and not body[j].startswith("$ "):
                    j += 1
                if j > out_start:
                    command.output = (start + out_start, start + j)
                commands.append(command)
    return commands, includes


# ---- comparing documented output with what the build prints


def skeleton(line):
    """The line's text with each number replaced by '#' and runs of spaces by one space."""
    return re.sub(r"\s+", " ", NUMBER.sub("#", line)).strip()


def numbers_agree(documented, actual):
    """None when every number of `documented` is the matching number of `actual` within one unit of its
    last printed digit; else a message naming the first that is not."""
    want, got = NUMBER.findall(documented), NUMBER.findall(actual)
    for w, g in zip(want, got):
        if w == g:
            continue
        try:
            wv, gv = float(w.replace(",", "")), float(g.replace(",", ""))
        except ValueError:
            return f"{w} (the build prints {g})"
        mantissa = w.replace(",", "").lstrip("+-").split("e")[0].split("E")[0]
        exponent = int(re.split("[eE]", w)[1]) if re.search("[eE]", w) else 0
        decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
        unit = 10.0 ** (exponent - decimals)
        if abs(wv - gv) > unit * 1.000001:
            return f"{w} (the build prints {g})"
    return None


def align(documented, actual, lines_match):
    """Matches documented lines (with `...` lines standing for any lines) to actual lines: a list giving,
    for each documented line, the index of the actual line it matches (None for `...`), or None when
    they cannot be matched."""
    n, m = len(documented), len(actual)
    memo = {}

    def solve(i, j):
        key = (i, j)
        if key in memo:
            return memo[key]
        if i == n:
            result = [] if j == m else None
        elif documented[i].strip() == ELLIPSIS:
            result = None
            for k in range(j, m + 1):
                rest = solve(i + 1, k)
                if rest is not None:
                    result = [None] + rest
                    break
        elif j < m and lines_match(documented[i], actual[j]):
            rest = solve(i + 1, j + 1)
            result = None if rest is None else [j] + rest
        else:
            result = None
        memo[key] = result
        return result

    import sys
    sys.setrecursionlimit(max(10000, 4 * (n + m) + 100))
    return solve(0, 0)


def check_output(documented, actual):
    """None when the documented lines are what the build printed; else an error message."""
    documented = [line.rstrip() for line in documented]
    actual = [line.rstrip() for line in actual]
    if [line.strip() for line in documented] == [ELLIPSIS]:
        return (0, "the output is only `...`: it has not been generated; run scripts/update-docs.py BUILD_DIR")
    if align(documented, actual, lambda d, a: skeleton(d) == skeleton(a) and numbers_agree(d, a) is None) is not None:
        return None
    # Name the first line that differs: align on the text alone, then look at the numbers.
    matched = align(documented, actual, lambda d, a: skeleton(d) == skeleton(a))
    if matched is not None:
        for i, j in enumerate(matched):
            if j is not None:
                problem = numbers_agree(documented[i], actual[j])
                if problem:
                    return (i, f"the number {problem}:\n    documented: {documented[i]}\n    printed:    {actual[j]}")
    diff = "\n".join(difflib.unified_diff([d for d in documented if d.strip() != ELLIPSIS], actual,
                                          "documented", "printed", lineterm="", n=1))
    return (0, "the text differs from what the build prints (excerpts shown without their ... lines):\n" +
            "\n".join(diff.splitlines()[:60]))


def updated_output(documented, actual):
    """The documented lines rewritten from the actual ones: every matched line becomes the printed line,
    `...` lines stay. When the text no longer matches, the whole output (or, for an excerpt, as many of
    its first lines as the excerpt had, then `...`)."""
    documented = [line.rstrip() for line in documented]
    actual = [line.rstrip() for line in actual]
    if [line.strip() for line in documented] == [ELLIPSIS]:
        return actual, True  # a new output: generate it whole (then cut it to an excerpt by hand)
    matched = align(documented, actual, lambda d, a: skeleton(d) == skeleton(a))
    if matched is not None:
        return [documented[i] if j is None else actual[j] for i, j in enumerate(matched)], True
    if not any(line.strip() == ELLIPSIS for line in documented) or len(actual) <= len(documented):
        return actual, False
    return actual[:len(documented) - 1] + [ELLIPSIS], False


# ---- links between pages

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")


def slug(heading):
    """The anchor GitHub (and mkdocs' toc) gives a heading."""
    text = re.sub(r"[`*_]", "", heading).strip().lower()
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors_of(lines):
    found, inside = set(), False
    for line in lines:
        if line.lstrip().startswith("```"):
            inside = not inside
            continue
        match = None if inside else HEADING.match(line)
        if match:
            found.add(slug(match.group(1)))
    return found


def link_problems(root, page, lines):
    """(line, message) for each relative link of the page whose file or heading does not exist."""
    problems, inside = [], False
    for number, line in enumerate(lines, 1):
        if line.lstrip().startswith("```"):
            inside = not inside
            continue
        if inside:
            continue
        for target in LINK.findall(re.sub(r"`[^`]*`", "", line)):
            if re.match(r"^[a-z]+:", target):
                continue
            path, _, anchor = target.partition("#")
            file = os.path.normpath(os.path.join(root, os.path.dirname(page), path)) if path else os.path.join(root, page)
            if not os.path.exists(file):
                problems.append((number, f"link to {target}: no file {os.path.relpath(file, root)}"))
                continue
            if anchor and file.endswith(".md"):
                with open(file, encoding="utf-8") as f:
                    if anchor not in anchors_of(f.read().split("\n")):
                        problems.append((number, f"link to {target}: no heading with anchor #{anchor}"))
    return problems
