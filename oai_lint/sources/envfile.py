"""``.env`` files (``KEY=value``, ``export KEY=value``, quotes, comments) and shell ``export`` lines."""

from __future__ import annotations

import re
from typing import NamedTuple

from oai_lint.lazyre import lazy_compile
from oai_lint.sources.text import split_lines

_LINE = lazy_compile(
    r"^(?P<indent>[ \t]*)(?P<export>export[ \t]+)?(?P<name>[A-Za-z_][A-Za-z0-9_.]*)"
    r"[ \t]*(?P<op>=|:[ \t])[ \t]*(?P<rest>.*)$"
)


class EnvEntry(NamedTuple):
    """A NAME=value line of a .env file."""
    name: str
    value: str
    line: int
    column: int  # of the name
    value_column: int
    quoted: bool
    exported: bool


def _unquote(rest: str) -> tuple[str, bool]:
    if rest[:1] in {'"', "'"}:
        quote = rest[0]
        end = 1
        while end < len(rest):
            if rest[end] == "\\" and quote == '"':
                end += 2
                continue
            if rest[end] == quote:
                return rest[1:end], True
            end += 1
        return rest[1:], True
    value = re.split(r"[ \t]+#", rest, maxsplit=1)[0]
    return value.strip(), False


def parse(text: str, exports_only: bool = False) -> list[EnvEntry]:
    entries = []
    for lineno, raw in enumerate(split_lines(text), start=1):
        stripped = raw.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        m = _LINE.match(raw)
        if not m:
            continue
        if m.group("op") != "=" and exports_only:
            continue
        if exports_only and not m.group("export"):
            continue
        value, quoted = _unquote(m.group("rest"))
        entries.append(
            EnvEntry(
                name=m.group("name"),
                value=value,
                line=lineno,
                column=m.start("name") + 1,
                value_column=m.start("rest") + 1 + (1 if quoted else 0),
                quoted=quoted,
                exported=bool(m.group("export")),
            )
        )
    return entries
