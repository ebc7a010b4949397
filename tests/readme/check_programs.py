#!/usr/bin/env python3
"""Checks that every program README.md and the Markdown under docs/ tell the reader to run is there on a
Debian 12 machine once scripts/install-deps.sh has run.

The commands are those of every fenced ```sh, ```bash, ```shell block, and the `$ ` lines (with their `\\`
continuation lines) of ```console blocks and of unmarked ``` blocks, which is how README.md shows a
command with its output (scripts/update-docs.py runs those too). Blocks marked readme-test skip are
checked as well: they are not run by the doc test, but readers run them. The program of a command is
the first word of each stage (split at newlines, `;`, `&&`, `||`, `|`, `&`, and inside `$(...)`), after
assignments (`FOO=1 cmd`) and the wrappers sudo, env, time, nice, nohup, exec, command; shell keywords
and builtins are not programs. A program named by an expansion (`"$X"`, `$(...)`) cannot be checked and is
left out.

A program passes when the project builds it (a path under build/ or build-*/, a file of the repository
such as scripts/test.sh, or a path or name whose last part is an executable target of the build, as
~/pathways/bin/pathways after `cmake --install`), or when it comes from a Debian package (`dpkg -S`) that
scripts/install-deps.sh installs (its `packages=( ... )` list, --with-browser's additions included), that
one of those depends on (Depends and Pre-Depends, recursively, as installed here), or that every minimal
Debian has (`debootstrap --variant=minbase`: Priority required, or Essential). A program not installed on
this machine fails too: its package cannot be checked.

Errors are compiler-style, FILE:LINE: error: ..., and the exit status is 1.
Usage: check_programs.py [REPO_ROOT] [--docs FILE.md...]
  REPO_ROOT defaults to this script's ../..; --docs checks those Markdown files instead of README.md and docs/.
"""
import glob
import os
import re
import shutil
import subprocess
import sys

from markdown_blocks import fenced_blocks, prompt_commands

SHELL_LANGUAGES = {"sh", "bash", "shell"}
PROMPT_LANGUAGES = {"console", ""}  # only the `$ ` lines are commands

# Words after which the next word is a command again.
LEADING_KEYWORDS = {"if", "then", "else", "elif", "do", "while", "until", "!", "{", "(", "time", "nohup",
                    "exec", "command", "builtin"}
# Wrappers with options: the options (and the arguments of those listed) are skipped.
WRAPPERS = {"sudo": {"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U"}, "env": {"-u", "-C", "-S"},
            "nice": {"-n"}, "time": {"-f", "-o"}}
# Shell keywords and builtins: not programs (a command starting with one is not checked).
BUILTINS = {"cd", "export", "for", "done", "fi", "echo", "set", "source", ".", "[", "[[", "test", "read",
            "exit", "true", "false", "wait", "trap", "local", "mapfile", "readarray", "printf", "case",
            "esac", "in", "select", "function", "}", ")", "pwd", "unset", "shift", "return", "alias",
            "unalias", "ulimit", "umask", "declare", "typeset", "readonly", "eval", "break", "continue",
            "let", "type", "hash", "pushd", "popd", "dirs", "shopt", "getopts", "jobs", "fg", "bg",
            "disown", "kill", "history", ":", "((", "]]"}
ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?\+?=")


def shell_blocks(path):
    """(line number, text) of each piece of shell in the Markdown file at path, lines kept in text."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    pieces = []
    for _, language, start, body in fenced_blocks(lines):
        if language in SHELL_LANGUAGES:
            pieces.append((start + 1, "\n".join(body)))
        elif language in PROMPT_LANGUAGES:
            pieces.extend(prompt_commands(body, start))
    return pieces


class Lexer:
    """Splits shell text into simple commands: lists of (word, line, literal), literal False for a word with
    a `$` expansion in it (its text is then only the word as written).

    Enough of the shell for documentation: quotes, backslashes and line continuations, comments,
    operators, redirections (their targets are not words), here-documents (skipped), and `$(...)` and
    backticks, whose contents are commands of their own.
    """

    def __init__(self, text, line):
        self.text, self.pos, self.line = text, 0, line
        self.commands = []

    def peek(self, ahead=0):
        at = self.pos + ahead
        return self.text[at] if at < len(self.text) else ""

    def advance(self, n=1):
        for _ in range(n):
            if self.peek() == "\n":
                self.line += 1
            self.pos += 1

    def substitution(self, closing):
        """Reads up to the matching closing ')' or '`' (the opening one already read); lexes the inside."""
        depth, quote, start, line = 0, None, self.pos, self.line
        while self.pos < len(self.text):
            c = self.peek()
            if quote:
                if c == "\\" and quote == '"':
                    self.advance()
                elif c == quote:
                    quote = None
            elif c == "\\":
                self.advance()
            elif c in "'\"":
                quote = c
            elif closing == ")" and c == "(":
                depth += 1
            elif c == closing:
                if depth == 0:
                    inner = Lexer(self.text[start:self.pos], line)
                    inner.run()
                    self.commands.extend(inner.commands)
                    self.advance()
                    return
                depth -= 1
            self.advance()

    def run(self):
        command, word, literal, word_line = [], None, True, self.line
        redirect_target = False
        heredocs = []

        def end_word():
            nonlocal word, literal, redirect_target
            if word is not None:
                if redirect_target:
                    redirect_target = False
                else:
                    command.append((word, word_line, literal))
            word, literal = None, True

        def end_command():
            end_word()
            if command:
                self.commands.append(list(command))
            command.clear()

        def add(text):
            nonlocal word, word_line
            if word is None:
                word, word_line = "", self.line
            word += text

        while self.pos < len(self.text):
            c = self.peek()
            if c == "\\":
                if self.peek(1) == "\n":
                    self.advance(2)
                    continue
                add(self.peek(1))
                self.advance(2)
            elif c == "'":
                add("")
                self.advance()
                while self.pos < len(self.text) and self.peek() != "'":
                    add(self.peek())
                    self.advance()
                self.advance()
            elif c == '"':
                add("")
                self.advance()
                while self.pos < len(self.text) and self.peek() != '"':
                    if self.peek() == "\\" and self.peek(1) in '"\\$`\n':
                        self.advance()
                        add(self.peek())
                        self.advance()
                    elif self.peek() == "$" and self.peek(1) == "(":
                        self.advance(2)
                        literal = False
                        self.substitution(")")
                    elif self.peek() == "`":
                        self.advance()
                        literal = False
                        self.substitution("`")
                    else:
                        if self.peek() == "$":
                            literal = False
                        add(self.peek())
                        self.advance()
                self.advance()
            elif c == "$" and self.peek(1) == "(":
                add("")
                literal = False
                self.advance(2)
                self.substitution(")")
            elif c == "`":
                add("")
                literal = False
                self.advance()
                self.substitution("`")
            elif c == "#" and word is None:
                while self.pos < len(self.text) and self.peek() != "\n":
                    self.advance()
            elif c == "\n":
                end_command()
                self.advance()
                for delimiter in heredocs:  # a here-document's lines are text, not commands
                    while self.pos < len(self.text):
                        end = self.text.find("\n", self.pos)
                        end = len(self.text) if end < 0 else end
                        body_line = self.text[self.pos:end]
                        self.advance(end - self.pos + 1)
                        if body_line.strip() == delimiter:
                            break
                heredocs.clear()
            elif c in " \t":
                end_word()
                self.advance()
            elif c in "<>" or (c == "&" and self.peek(1) == ">"):
                if word is not None and literal and word.isdigit():
                    word = None  # a file descriptor: 2>&1
                end_word()
                operator = ""
                while self.peek() in "<>&|-" and self.peek():
                    operator += self.peek()
                    self.advance()
                if operator.startswith("<<") and not operator.startswith("<<<"):
                    while self.peek() in " \t":
                        self.advance()
                    delimiter = ""
                    while self.peek() and self.peek() not in " \t\n;&|<>":
                        if self.peek() not in "'\"\\":
                            delimiter += self.peek()
                        self.advance()
                    heredocs.append(delimiter)
                    continue
                if operator.endswith("&") and (self.peek().isdigit() or self.peek() == "-"):
                    self.advance()  # >&2, <&-
                    continue
                redirect_target = True
            elif c in ";&|":
                end_command()
                while self.peek() in ";&|" and self.peek():
                    self.advance()
            elif c == "(" and word is not None and word.endswith("="):
                while self.pos < len(self.text) and self.peek() != ")":  # an array assignment: a=(x y)
                    add(self.peek())
                    self.advance()
                add(")")
                self.advance()
            elif c in "()":
                end_command()
                self.advance()
            else:
                if c == "$":
                    literal = False
                add(c)
                self.advance()
        end_command()
        return self.commands


def program_of(command):
    """(program, line) of a simple command, or None when it runs no program (a builtin, a keyword)."""
    i = 0
    while i < len(command):
        word, line, literal = command[i]
        if ASSIGNMENT.match(word) or word in LEADING_KEYWORDS - {"time"}:
            i += 1
            continue
        if not literal:
            return None  # a variable or substitution: cannot be checked
            i += 1
            continue
        if word in WRAPPERS:
            i += 1
            while i < len(command) and command[i][2]:
                option = command[i][0]
                if word == "env" and ASSIGNMENT.match(option):
                    i += 1
                elif option.startswith("-") and option != "-":
                    i += 2 if option in WRAPPERS[word] else 1
                else:
                    break
            continue
        if word in BUILTINS:
            return None
        return word, line
    return None


def install_deps_packages(script):
    """The packages of scripts/install-deps.sh: its `packages=( ... )` and `packages+=( ... )` arrays."""
    packages, inside = [], False
    with open(script, encoding="utf-8") as f:
        for line in f:
            code = re.sub(r"(^|\s)#.*", "", line)  # comments may hold parentheses
            if not inside:
                opening = re.match(r"^\s*packages\+?=\((.*)$", code)
                if not opening:
                    continue
                code, inside = opening.group(1), True
            words, closed, _ = code.partition(")")
            packages.extend(words.split())
            inside = not closed
    return packages


class Dpkg:
    """What dpkg knows of the packages installed here."""

    def __init__(self):
        fields = ["Package", "Status", "Priority", "Essential", "Provides", "Depends", "Pre-Depends"]
        out = subprocess.run(["dpkg-query", "-W", "-f=" + "\\t".join("${%s}" % f for f in fields) + "\\n"],
                             check=True, capture_output=True, text=True).stdout
        self.packages = {}
        self.providers = {}
        for row in out.splitlines():
            values = dict(zip(fields, row.split("\t")))
            if not values.get("Status", "").endswith(" installed"):
                continue
            name = values["Package"]
            self.packages[name] = values
            for provided in self.names(values["Provides"]):
                self.providers.setdefault(provided[0], []).append(name)

    @staticmethod
    def names(relation):
        """[[name, alternative, ...], ...] of a Depends-style field, versions and architectures dropped."""
        groups = []
        for group in relation.split(","):
            names = [re.sub(r"\(.*?\)|\[.*?\]|<.*?>", "", alt).strip().split(":")[0] for alt in group.split("|")]
            names = [n for n in names if n]
            if names:
                groups.append(names)
        return groups

    def installed(self, name):
        """The installed package that name is (or the first that provides it), else None."""
        if name in self.packages:
            return name
        return (self.providers.get(name) or [None])[0]

    def closure(self, roots):
        """The installed packages among roots and everything they depend on."""
        seen, pending = set(), list(roots)
        while pending:
            package = self.installed(pending.pop())
            if package is None or package in seen:
                continue
            seen.add(package)
            values = self.packages[package]
            for group in self.names(values["Depends"] + "," + values["Pre-Depends"]):
                found = next((self.installed(n) for n in group if self.installed(n)), None)
                if found:
                    pending.append(found)
        return seen

    def in_minbase(self, package):
        values = self.packages.get(package, {})
        return values.get("Priority") == "required" or values.get("Essential") == "yes"

    @staticmethod
    def owner(program):
        """(path, package) of the Debian package that installs program, else (path found or None, None)."""
        candidates = []
        found = shutil.which(program) if "/" not in program else (program if os.access(program, os.X_OK) else None)
        if found:
            candidates += [found, os.path.realpath(found)]
        name = os.path.basename(program)
        if "/" not in program or os.path.dirname(program) in ("/usr/bin", "/bin", "/usr/sbin", "/sbin"):
            candidates += [os.path.join(d, name) for d in ("/usr/bin", "/bin", "/usr/sbin", "/sbin")]
        tried = []
        for path in candidates:
            for variant in (path, re.sub(r"^/usr/", "/", path), re.sub(r"^/(s?bin)/", r"/usr/\1/", path)):
                if variant in tried or not os.path.exists(variant):
                    continue
                tried.append(variant)
                out = subprocess.run(["dpkg", "-S", variant], capture_output=True, text=True)
                for row in out.stdout.splitlines():
                    owners, _, owned = row.partition(": ")
                    if owned == variant and not owners.startswith("diversion "):
                        return variant, owners.split(",")[0].strip().split(":")[0]
        return found, None


def built_targets(root):
    """Names of the executables the build produces (literal add_executable targets)."""
    targets = set()
    for cmake in glob.glob(os.path.join(root, "**", "CMakeLists.txt"), recursive=True):
        if re.match(r"build", os.path.relpath(cmake, root)):
            continue
        with open(cmake, encoding="utf-8") as f:
            targets.update(re.findall(r"add_executable\(\s*([A-Za-z0-9_.+-]+)", f.read()))
    return targets


def built_by_project(program, root, targets):
    first = program.split("/", 1)[0]
    if "/" in program and (first == "build" or first.startswith("build-")):
        return True
    if not program.startswith("/") and not program.startswith("~") and os.path.exists(os.path.join(root, program)):
        return True
    return os.path.basename(program) in targets


def main():
    args = sys.argv[1:]
    docs = None
    if "--docs" in args:
        at = args.index("--docs")
        docs, args = args[at + 1:], args[:at]
        if not docs:
            sys.exit("check_programs.py: --docs needs at least one Markdown file")
    root = os.path.abspath(args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    if docs is None:
        docs = [os.path.join(root, "README.md")]
        docs += sorted(glob.glob(os.path.join(root, "docs", "**", "*.md"), recursive=True))

    install_deps = os.path.join(root, "scripts", "install-deps.sh")
    listed = install_deps_packages(install_deps)
    dpkg = Dpkg()
    provided = dpkg.closure(listed)
    targets = built_targets(root)

    checked, errors, owners = 0, [], {}
    for doc in docs:
        shown = os.path.relpath(os.path.abspath(doc), root)
        shown = doc if shown.startswith("..") else shown
        for first_line, text in shell_blocks(doc):
            for command in Lexer(text, first_line).run():
                found = program_of(command)
                if found is None:
                    continue
                program, line = found
                checked += 1
                if built_by_project(program, root, targets):
                    continue
                if program not in owners:
                    owners[program] = Dpkg.owner(os.path.expanduser(program))
                path, package = owners[program]
                where = f"{shown}:{line}: error: '{program}'"
                if path is None:
                    errors.append(f"{where} is neither built by pathways nor installed on this machine (so no "
                                  f"Debian package to check); add the package that provides it to "
                                  f"scripts/install-deps.sh")
                elif package is None:
                    errors.append(f"{where} is neither built by pathways nor from a Debian package ({path} belongs "
                                  f"to none); add the package that provides it to scripts/install-deps.sh")
                elif package not in provided and not dpkg.in_minbase(package):
                    errors.append(f"{where} is neither built by pathways nor installed by scripts/install-deps.sh "
                                  f"(found in Debian package {package}); add {package} to scripts/install-deps.sh")
    for error in errors:
        print(error)
    files = f"{len(docs)} file" + ("s" if len(docs) != 1 else "")
    if errors:
        print(f"checked {checked} commands in {files}: {len(errors)} not provided")
        return 1
    print(f"checked {checked} commands in {files}: all provided")
    return 0


if __name__ == "__main__":
    sys.exit(main())
