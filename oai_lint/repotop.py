"""Which repository a file belongs to, and which files can say something about it (cheap: used for every
file of a scan, so it imports nothing heavy). The facts themselves are in ``oai_lint.repofacts``."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from oai_lint.lazyre import lazy_compile

if TYPE_CHECKING:
    from oai_lint.checks import Context

# the rules whose findings depend on the facts of the whole repository
FACT_RULES = ("OAI201", "OAI205", "OAI206", "OAI207")
# a file that can tell something about its repository holds one of these
TRIGGERS = (b"OPENAI", b"openai", b"OpenAI", b"langchain", b"litellm", b"llama")

# -- where the repository is --------------------------------------------------------------------------
_top_cache: dict[str, str | None] = {}


def _git_top(directory: str) -> str | None:
    if directory in _top_cache:
        return _top_cache[directory]
    found: str | None = None
    d = directory
    chain = []
    while True:
        if d in _top_cache:
            found = _top_cache[d]
            break
        chain.append(d)
        if os.path.exists(os.path.join(d, ".git")):
            found = d
            break
        parent = os.path.dirname(d)
        if parent == d:
            break
        d = parent
    for c in chain:
        _top_cache[c] = found
    return found


def repo_root(ctx: Context, abspath: str) -> str:
    """The git work tree holding ``abspath``; outside git, the scan root (a file outside both stands
    alone: its own repository)."""
    abspath = os.path.abspath(abspath)
    top = _git_top(os.path.dirname(abspath))
    if top is not None:
        return top
    root = os.path.abspath(ctx.root)
    return root if abspath.startswith(root.rstrip(os.sep) + os.sep) else abspath


def facts_key(top: str) -> str:
    """The name of a repository's facts in ``Context.facts``."""
    return f"repofacts:{top}"


def candidate_name(name: str, kind: str) -> bool:
    """Whether a file of this name and kind can hold facts at all: Markdown, JSON other than
    package.json and minified bundles never do (they are never decoded for the facts)."""
    lower = name.lower()
    return not (kind == "markdown" or (kind == "json" and lower != "package.json") or (
        kind == "javascript" and bool(MINIFIED_NAME.search(lower))))


def candidate_data(kind: str, data: bytes, seen: dict[bytes, bool] | None = None) -> bool:
    """Whether the bytes of a candidate file can hold facts (one of the trigger strings occurs).
    ``seen``: what a scan's prefilter already knows of the triggers in these bytes (and learns here)."""
    memo: dict[bytes, bool] = {} if seen is None else seen
    return any(has(data, t, memo) for t in TRIGGERS) and not (kind == "javascript" and minified_start(data))


def has(data: bytes, needle: bytes, seen: dict[bytes, bool]) -> bool:
    """``needle in data``, searched once per file: ``seen`` remembers the answers."""
    found = seen.get(needle)
    if found is None:
        found = seen[needle] = needle in data
    return found


MINIFIED_NAME = lazy_compile(r"[.-]min\.(?:js|mjs|cjs)$|\.bundle\.js$|\.chunk\.js$")


def minified_start(data: bytes) -> bool:
    """Build output (minified bundles) reads no env vars at run time and pins nothing of its own: the
    bundler inlined them. Recognised by very long lines at the start of the file."""
    head = data[:8192]
    return len(head) == 8192 and head.count(b"\n") < 4
