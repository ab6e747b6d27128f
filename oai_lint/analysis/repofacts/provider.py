"""The organization/project family's repository facts, as the engine sees them before any of their code is
imported (``PROVIDER``): the rules they serve, and which files can contribute to them (decided on the
name and the bytes, for every file of a scan: this module imports nothing heavy). The facts themselves
are gathered by ``oai_lint.analysis.repofacts.facts``."""

from __future__ import annotations

from oai_lint.analysis.vocab import MINIFIED_NAME
from oai_lint.repository import FactsProvider
from oai_lint.sources.text import has

# the rules whose findings depend on the facts of the whole repository
RULES = ("OAI201", "OAI205", "OAI206", "OAI207")
# a file that can tell something about its repository holds one of these
TRIGGERS = (b"OPENAI", b"openai", b"OpenAI", b"langchain", b"litellm", b"llama")


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


def minified_start(data: bytes) -> bool:
    """Build output (minified bundles) reads no env vars at run time and pins nothing of its own: the
    bundler inlined them. Recognised by very long lines at the start of the file."""
    head = data[:8192]
    return len(head) == 8192 and head.count(b"\n") < 4


PROVIDER = FactsProvider(
    name="repofacts", rules=RULES, triggers=TRIGGERS, candidate_name=candidate_name,
    candidate_data=candidate_data, implementation="oai_lint.analysis.repofacts.facts",
)
