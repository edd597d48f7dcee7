#!/usr/bin/env python3
"""List the ``` fenced blocks of the book that look like Kubernetes API objects.

Usage: extract.py BOOK.txt [--all] [--print START]

Without options it prints one line per fenced block that mentions `kind` or
`apiVersion` (YAML or JSON spelling): the fence line range, the kinds found
and the first `name`.  `--all` lists every fenced block.  `--print START`
dumps the block whose opening fence is on line START, with line numbers.
It also reports lines outside fences that look like a stray manifest start
(a bare `apiVersion:`/`kind:` line or a JSON `"kind"` key), which is how
blocks split across pages or printed without fences were found.
"""
import re
import sys


def fenced_blocks(lines):
    """Yield (open_line, close_line, body_lines) with 1-based fence line numbers."""
    start = None
    for number, line in enumerate(lines, 1):
        if line.startswith("```"):
            if start is None:
                start = number
            else:
                yield start, number, lines[start:number - 1]
                start = None


KIND = re.compile(r'^\s*"?kind"?\s*:\s*"?([A-Za-z]+)')
API = re.compile(r'"?apiVersion"?\s*:')
NAME = re.compile(r'^\s*"?name"?\s*:\s*"?([^",\s]+)')


def describe(body):
    kinds = [m.group(1) for m in map(KIND.match, body) if m]
    names = [m.group(1) for m in map(NAME.match, body) if m]
    has_api = any(API.search(line) for line in body)
    return kinds, names[:1], has_api


def main(argv):
    path = argv[1]
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    if "--print" in argv:
        start = int(argv[argv.index("--print") + 1])
        for open_line, close_line, _ in fenced_blocks(lines):
            if open_line == start:
                for number in range(open_line, close_line + 1):
                    print(f"{number:5d} {lines[number - 1]}")
        return
    show_all = "--all" in argv
    inside = set()
    for open_line, close_line, body in fenced_blocks(lines):
        inside.update(range(open_line, close_line + 1))
        kinds, names, has_api = describe(body)
        if show_all or kinds or has_api:
            print(f"L{open_line}-{close_line}\tkinds={','.join(kinds) or '-'}\tname={''.join(names) or '-'}")
    for number, line in enumerate(lines, 1):
        if number not in inside and (KIND.match(line) or API.search(line)):
            print(f"unfenced L{number}: {line.strip()[:80]}")


if __name__ == "__main__":
    main(sys.argv)
