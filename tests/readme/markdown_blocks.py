"""The fenced code blocks of a Markdown file and the `$ ` commands of session blocks, for the README tests
(doc_pages.py and scripts/update-docs.py run the commands, check_programs.py checks that every program they name is installed)."""
import re

FENCE = re.compile(r"^\s*```\s*([\w+-]*)[^`]*$")


def fenced_blocks(lines):
    """(index of the opening fence, language in lower case, index of the first body line, body lines) of
    each fenced block of `lines`, in order."""
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if not fence:
            i += 1
            continue
        start = i + 1
        end = start
        while end < len(lines) and not lines[end].lstrip().startswith("```"):
            end += 1
        yield i, fence.group(1).lower(), start, lines[start:end]
        i = end + 1


def prompt_commands(body, start):
    """(1-based line number, command) of each `$ ` line of a session block whose body starts at index
    `start`, with its backslash-continued lines joined by newlines; output lines are skipped."""
    commands = []
    j = 0
    while j < len(body):
        if body[j].startswith("$ "):
            first = j
            command = [body[j][2:]]
            while command[-1].endswith("\\") and j + 1 < len(body):
                j += 1
                command.append(body[j])
            commands.append((start + first + 1, "\n".join(command)))
        j += 1
    return commands
