"""Inline suppressions: ``oai-lint: ignore[OAI101] reason`` on the line or alone on the line above,
in any comment syntax, and detect-secrets' ``pragma: allowlist secret`` / ``allowlist nextline secret``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oai_lint.lazyre import lazy_compile

if TYPE_CHECKING:
    from oai_lint.sources.text import LineIndex

_DIRECTIVE = lazy_compile(
    r"oai-lint:\s*(?:ignore|disable)(?:\[(?P<ids>[A-Za-z0-9_,\s]*)\])?(?P<reason>[^\n]*)", re.I
)
_ALLOW_SAME = lazy_compile(r"pragma:\s*(?:allowlist|whitelist)\s+secret", re.I)
_ALLOW_NEXT = lazy_compile(r"pragma:\s*allowlist\s+nextline\s+secret", re.I)
_OPENERS = {"#", "//", "/*", "<!--", "--", ";", "*", "{/*", "'", "%", "REM", "rem", ""}
# the reason ends with its comment: after ``*/`` or ``-->`` comes code (a key assignment after an inline
# ignore comment in a block comment, say), never part of the reason
_CLOSER = lazy_compile(r"\*/|-->|\*\}")
_REASON_STRIP = lazy_compile(r"^[\s:\-—–]*|(?:\*/|-->|\*\}|\s)*$")
# The credentials family (OAI1xx): the rules that detect-secrets' pragmas and its audited baseline cover.
SECRET_RULES_PREFIX = "OAI1"


def secret_rule(rule_id: str) -> bool:
    """Whether a rule reports secrets (what ``pragma: allowlist secret`` and detect-secrets' audit cover)."""
    return rule_id.startswith(SECRET_RULES_PREFIX)


@dataclass
class Suppression:
    """An inline suppression comment: the rules it names, its reason, and whether it was used."""
    line: int  # the line the directive is written on
    target: int  # the line it applies to
    ids: tuple[str, ...]  # empty: every rule
    reason: str
    secret_pragma: bool = False
    used: bool = False

    def covers(self, rule_id: str) -> bool:
        if self.secret_pragma:
            return secret_rule(rule_id)
        return not self.ids or any(rule_id.startswith(i) for i in self.ids)


_DIRECTIVE_TEXT = lazy_compile(r"oai-lint:\s*(?:ignore|disable)(?:\[[^\]\n]*\])?", re.I)


def directive_at(text: str) -> tuple[int, str] | None:
    """The 1-based column and text (``oai-lint: ignore[OAI101]``, without the reason) of the directive
    on a line, if there is one."""
    m = _DIRECTIVE_TEXT.search(text)
    return (m.start() + 1, m.group(0)) if m else None


def parse(lines: list[str]) -> dict[int, list[Suppression]]:
    """Suppressions by the line they apply to."""
    return parse_numbered(enumerate(lines, start=1))


def parse_numbered(lines: Iterable[tuple[int, str]]) -> dict[int, list[Suppression]]:
    """Like ``parse``, from (line number, text) pairs: only the lines that can hold a directive."""
    out: dict[int, list[Suppression]] = {}
    for n, text in lines:
        if "oai-lint" not in text and "pragma" not in text:
            continue
        m = _DIRECTIVE.search(text)
        if m:
            ids = tuple(i.strip().upper() for i in (m.group("ids") or "").split(",") if i.strip())
            reason = _REASON_STRIP.sub("", _CLOSER.split(m.group("reason") or "", 1)[0])
            # alone on its line (only a comment opener before it): it applies to the next line
            target = n + 1 if text[: m.start()].strip() in _OPENERS else n
            s = Suppression(n, target, ids, reason)
            out.setdefault(target, []).append(s)
            if target != n:
                out.setdefault(n, []).append(s)  # a suppression on its own line also covers itself
            continue
        if _ALLOW_NEXT.search(text):
            s = Suppression(n, n + 1, (), "pragma: allowlist nextline secret", secret_pragma=True)
            out.setdefault(n + 1, []).append(s)
        elif _ALLOW_SAME.search(text):
            s = Suppression(n, n, (), "pragma: allowlist secret", secret_pragma=True)
            out.setdefault(n, []).append(s)
    return out


_WORDS = lazy_compile("oai-lint|pragma")


def directive_lines(index: LineIndex) -> Iterator[tuple[int, str]]:
    """(number, text) of each line that mentions ``oai-lint`` or ``pragma``, found without splitting the
    file into lines (a file of millions of lines is not copied line by line to find one comment)."""
    last = 0
    for m in _WORDS.finditer(index.text):
        n = index.position(m.start())[0]
        if n != last:
            last = n
            yield n, index.line_text(n)
