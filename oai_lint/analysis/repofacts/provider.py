"""The repository facts of the organization/project family (and of OAI402), as the engine sees them before
any of their code is imported (``PROVIDER``): the rules they serve, and which files can contribute to them
(decided on the name and the bytes, for every file of a scan: this module imports nothing heavy). The facts themselves
are gathered by ``oai_lint.analysis.repofacts.facts``. Also the parts of the facts a narrow question can be
asked of alone (``oai_lint.analysis.repofacts.questions``), each with the byte strings a file that
contributes to it holds: the gatherers in ``reads`` are gated on these same strings, so a search for them
finds every file that can change the answer."""

from __future__ import annotations

from collections.abc import Iterable

from oai_lint.analysis.vocab import MINIFIED_NAME
from oai_lint.repository import FactsProvider, Part, Search
from oai_lint.sources import PY_EXT
from oai_lint.sources.text import has

# the rules whose findings depend on the facts of the whole repository
RULES = ("OAI201", "OAI205", "OAI206", "OAI207", "OAI210", "OAI211", "OAI307", "OAI402")
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


# -- the parts of the facts a question can be asked of alone, and the files that can contribute to each --
# ``reads`` gathers the pydantic settings fields of files that hold this (their env names may be spelled
# otherwise: ``env_prefix="OPENAI_"`` and a field ``organization``); any other name it records is written
# out in the file, as the file's bytes hold it
READS_SETTINGS_MARKER = b"BaseSettings"
# Python code that imports a wrapper names it (JavaScript imports of langchain too)
PY_WRAPPER_MODULES = ("langchain", "litellm", "llama_index")
# the legacy (pre-1.0) module-level API in code starts with one of these
V0_CODE_MARKERS = ("openai.ChatCompletion.", "openai.Completion.", "openai.Embedding.", "openai.Edit.",
                   "openai.Moderation.", "openai.Image.", "openai.api_base", "openai.api_type",
                   "openai.api_key_path", "openai.error.")
# dependency files name wrappers and pin openai in any case
DEPENDENCY_FILES = frozenset({"package.json", "pyproject.toml", "pipfile", "setup.py", "setup.cfg",
                              "environment.yml", "environment.yaml", "poetry.lock", "uv.lock"})
DEP_MARKERS = (b"langchain", b"litellm", b"llama", b"openai")
# every dependency file (a requirements file's name holds "requirements"), and more
_DEP_PATHSPECS = (*(f":(glob,icase)**/{n}" for n in sorted(DEPENDENCY_FILES)), ":(glob,icase)**/*requirements*")
RETRIES_MARKER = b"max_retries"
_PY_PATHSPECS = tuple(f":(icase)*{ext}" for ext in sorted({*PY_EXT, ".ipynb"}))  # the python and notebook kinds


def is_dependency_file(lower_name: str, kind: str) -> bool:
    return kind == "requirements" or lower_name in DEPENDENCY_FILES


def reads_part(names: Iterable[str]) -> Part:
    """Which of the env names some file reads (``RepoFacts.reads``): settled once each is read."""
    wanted = tuple(sorted(set(names)))
    return Part("reads:" + " ".join(wanted), (Search((*(n.encode() for n in wanted), READS_SETTINGS_MARKER)),),
                "gather_reads", lambda facts: all(n in facts.reads for n in wanted))


# the wrappers and legacy SDK the repository uses (``RepoFacts.wrappers``)
WRAPPERS_PART = Part("wrappers", (
    Search(tuple(m.encode() for m in (*PY_WRAPPER_MODULES, *V0_CODE_MARKERS))),
    Search(DEP_MARKERS, ignore_case=True, pathspecs=_DEP_PATHSPECS),
), "gather_wrappers")
# the clients built with max_retries=0 (``RepoFacts.retries_off``)
RETRIES_PART = Part("retries-off", (Search((RETRIES_MARKER,), pathspecs=_PY_PATHSPECS),), "gather_retries")


PROVIDER = FactsProvider(
    name="repofacts", rules=RULES, triggers=TRIGGERS, candidate_name=candidate_name,
    candidate_data=candidate_data, implementation="oai_lint.analysis.repofacts.facts",
)
