"""Dockerfile instructions with line continuations, and ``ENV``/``ARG`` pairs."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

from oai_lint.lazyre import lazy_compile
from oai_lint.sources.text import split_lines


@dataclass(frozen=True)
class Instruction:
    """A Dockerfile instruction with its arguments (continuation lines joined)."""
    keyword: str  # upper case
    args: str  # continuation lines joined with a space
    line: int  # first line
    pairs: tuple[tuple[str, str, int], ...] = field(default=())  # ENV/ARG: (name, value, line)


# a word that may be a variable name: after the start, a space or a backslash, before "=", a space or the end
_WORD = lazy_compile(r"(?:^|(?<=[\s\\]))([^\s=\\]+)(?=[=\s]|$)")


def _pairs(keyword: str, args: str, lines: list[tuple[int, str]]) -> tuple[tuple[str, str, int], ...]:
    # the first line each word is on, found in one pass: searching every line again for every name was
    # quadratic (an ENV with 4,000 continuation lines took 15 s)
    first_line: dict[str, int] = {}
    for lineno, text in lines:
        for m in _WORD.finditer(text):
            first_line.setdefault(m.group(1), lineno)

    def line_of(name: str) -> int:
        return first_line.get(name, lines[0][0])

    out: list[tuple[str, str, int]] = []
    if keyword == "ARG":
        for token in args.split():
            if token.startswith("#"):
                break  # `ARG OPENAI_API_KEY # set with --build-arg`: the rest is a remark
            name, _, value = token.partition("=")
            out.append((name, value.strip("\"'"), line_of(name)))
        return tuple(out)
    # ENV key=value [key=value...]  or legacy ENV key value
    try:
        tokens = shlex.split(args, posix=True)
    except ValueError:
        tokens = args.split()
    if tokens and "=" not in tokens[0]:
        name = tokens[0]
        value = args.split(None, 1)[1].strip() if len(args.split(None, 1)) > 1 else ""
        return ((name, value.strip("\"'"), line_of(name)),)
    for token in tokens:
        if "=" in token:
            name, _, value = token.partition("=")
            out.append((name, value, line_of(name)))
    return tuple(out)


def parse(text: str) -> list[Instruction]:
    out: list[Instruction] = []
    buf: list[tuple[int, str]] = []
    for lineno, raw in enumerate(split_lines(text), start=1):
        line = raw.rstrip()
        if not buf and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if buf and line.lstrip().startswith("#"):
            continue
        cont = line.endswith("\\")
        buf.append((lineno, line[:-1] if cont else line))
        if cont:
            continue
        joined = " ".join(part.strip() for _, part in buf).strip()
        keyword, _, args = joined.partition(" ")
        kw = keyword.upper()
        pairs = _pairs(kw, args.strip(), buf) if kw in {"ENV", "ARG"} else ()
        out.append(Instruction(kw, args.strip(), buf[0][0], pairs))
        buf = []
    if buf:
        joined = " ".join(part.strip() for _, part in buf).strip()
        keyword, _, args = joined.partition(" ")
        out.append(Instruction(keyword.upper(), args.strip(), buf[0][0]))
    return out
