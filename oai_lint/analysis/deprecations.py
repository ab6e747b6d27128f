"""OpenAI's model and endpoint deprecations (``rules/model-deprecations.yaml``), looked up by id and date.

Pure: no dependency on the checks, and the data is loaded on first use only (this module is not imported at
start-up), from ``_deprecation_table.py``, which ``scripts/generate.py`` writes from the data file (a scan
never parses YAML). A byte prefilter comes first: a file that contains none of ``TRIGGERS`` names no
deprecated id (``tests/unit/test_deprecations.py`` checks that every id and family contains one).

    lookup("gpt-4-32k", date(2026, 12, 5))  -> status shut-down, shutdown 2025-06-06, replacement gpt-4o
    lookup("whisper-1", date(2026, 12, 5))  -> status announced, shutdown 2027-02-26
    lookup("gpt-4o", date(2026, 12, 5))     -> status not-listed

The data file is generated from the project's deprecation table by ``scripts/gen_model_table.py``.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from typing import Any, NamedTuple

from oai_lint.lazyre import lazy_compile

DATA_FILE = "model-deprecations.yaml"
SCHEMA_FILE = "model-deprecations.schema.json"

SHUT_DOWN = "shut-down"
ANNOUNCED = "announced"
NOT_LISTED = "not-listed"

# A file can name a deprecated id only if it contains one of these bytes. Every model id, family and
# fine-tuning base of the table contains one; the ids that are short words (`ada`, `o1`) are matched in
# quoted or assigned form only (a bare `o1` is in every other base64 blob).
_COMMON_TRIGGERS = (
    b"gpt-",
    b"davinci",
    b"curie",
    b"babbage",
    b"cushman",
    b"-001",
    b"o1-",
    b"o3-",
    b"o4-",
    b"dall-e",
    b"tts-1",
    b"whisper-1",
    b"sora-2",
    b"chatgpt-",
    b"codex-mini",
    b"computer-use",
    b"text-moderation",
    b"ada:ft-",
    b'"ada"',
    b"'ada'",
    b'"o1"',
    b"'o1'",
)
TRIGGERS = (*_COMMON_TRIGGERS, b": ada", b"=ada", b"= ada", b": o1", b"=o1", b"= o1")
# In Python and JS/TS code a model id is a string literal: the short words are only ever quoted there.
CODE_TRIGGERS = (*_COMMON_TRIGGERS, b"`ada`", b"`o1`")
# Endpoints and headers: a path or header value in code, config or a curl command.
ENDPOINT_TRIGGERS = (b"/v1/", b"OpenAI-Beta", b"openai-beta")

_SNAPSHOT = lazy_compile(r"^(.+)-(\d{4}-\d{2}-\d{2})$")
_FT_SNAPSHOT = lazy_compile(r"^(.+)-(\d{4}(?:-\d{2}-\d{2})?)$")


class Entry(NamedTuple):
    """One row of the page: an id (or family, or fine-tuning base) and one announcement."""
    id: str
    kind: str  # model, endpoint, header
    match: str  # exact, family, fine-tuned, legacy-fine-tuned (models); exact (endpoints, headers)
    base: str
    announced: datetime.date
    shutdown: datetime.date
    shutdown_is_earliest: bool
    replacement: str  # the page's text
    replacement_ids: tuple[str, ...]
    source: str  # the URL of the stored copy of the page, or a description of it
    third_party: bool
    ambiguous: bool
    name: str = ""

    def when(self) -> str:
        if self.shutdown_is_earliest:
            return f"at earliest {self.shutdown.isoformat()}"
        return self.shutdown.isoformat()


class Replacement(NamedTuple):
    """Where an entry's replacement leads on a date: the first id still live then (``id``), the ids passed
    through on the way (shut down in turn), or, when none is left, the page's text of the last one."""
    id: str | None
    via: tuple[str, ...]
    text: str


class Lookup(NamedTuple):
    """The status of an id on a date, and the entry that gives it (None when not listed)."""
    id: str
    as_of: datetime.date
    status: str
    entry: Entry | None
    replacement: Replacement | None

    @property
    def shutdown(self) -> datetime.date | None:
        return self.entry.shutdown if self.entry else None

    @property
    def announced(self) -> datetime.date | None:
        return self.entry.announced if self.entry else None

    @property
    def source(self) -> str | None:
        return self.entry.source if self.entry else None

    @property
    def third_party(self) -> bool:
        return bool(self.entry and self.entry.third_party)

    def days_left(self) -> int | None:
        """Days from the date looked up to the shutdown (announced entries only)."""
        if self.status != ANNOUNCED or self.entry is None:
            return None
        return (self.entry.shutdown - self.as_of).days


class Table(NamedTuple):
    entries: tuple[Entry, ...]
    exact: dict[str, tuple[Entry, ...]]
    family: dict[str, tuple[Entry, ...]]
    fine_tuned: dict[str, tuple[Entry, ...]]
    legacy_fine_tuned: dict[str, tuple[Entry, ...]]
    left_out: tuple[dict[str, str], ...]


def today() -> datetime.date:
    return datetime.date.today()


def _entry(raw: dict[str, Any], sources: dict[str, str]) -> Entry:
    source = str(raw["source"])
    return Entry(
        id=str(raw["id"]),
        kind=str(raw["kind"]),
        match=str(raw.get("match", "exact")),
        base=str(raw.get("base", raw["id"])),
        announced=datetime.date.fromisoformat(str(raw["announced"])),
        shutdown=datetime.date.fromisoformat(str(raw["shutdown"])),
        shutdown_is_earliest=bool(raw.get("shutdown_is_earliest", False)),
        replacement=str(raw["replacement"]),
        replacement_ids=tuple(str(r) for r in raw.get("replacement_ids", ())),
        source=f"{source}: {sources[source]}" if source in sources else source,
        third_party=bool(raw.get("third_party", False)),
        ambiguous=bool(raw.get("ambiguous", False)),
        name=str(raw.get("name", "")),
    )


def _group(entries: Iterable[Entry]) -> dict[str, tuple[Entry, ...]]:
    out: dict[str, list[Entry]] = {}
    for e in entries:
        out.setdefault(e.base, []).append(e)
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def table() -> Table:
    from oai_lint.analysis._deprecation_table import DATA as data  # generated from DATA_FILE; loaded on first use

    sources = {str(k): str(v) for k, v in (data.get("sources") or {}).items()}
    entries = tuple(_entry(raw, sources) for raw in [*data["models"], *(data.get("endpoints") or ())])
    return Table(
        entries=entries,
        exact=_group(e for e in entries if e.match == "exact"),
        family=_group(e for e in entries if e.match == "family"),
        fine_tuned=_group(e for e in entries if e.match == "fine-tuned"),
        legacy_fine_tuned=_group(e for e in entries if e.match == "legacy-fine-tuned"),
        left_out=tuple({str(k): str(v) for k, v in x.items()} for x in data.get("left_out") or ()),
    )


def maybe_listed(ident: str) -> bool:
    """Whether ``entries_for(ident)`` can find anything, from the names alone (``_deprecation_names``, a
    small generated module): the table itself is loaded only for ids it may list."""
    from oai_lint.analysis import _deprecation_names as names  # generated; loaded on first use

    if ident in names.EXACT or ident in names.FAMILY:
        return True
    snap = _SNAPSHOT.match(ident)
    if snap and snap.group(1) in names.FAMILY:
        return True
    if ident.startswith("ft:"):
        base = ident[3:].split(":", 1)[0]
        stem = _FT_SNAPSHOT.match(base)
        return base in names.FINE_TUNED or bool(stem and stem.group(1) in names.FINE_TUNED)
    return ":ft-" in ident and ident.split(":", 1)[0] in names.LEGACY_FINE_TUNED


def entries_for(ident: str) -> tuple[Entry, ...]:
    """Every entry that names ``ident``: the id itself, its family, or the base it was fine-tuned on."""
    t = table()
    found = list(t.exact.get(ident, ()))
    found += t.family.get(ident, ())
    snap = _SNAPSHOT.match(ident)
    if snap:
        found += t.family.get(snap.group(1), ())
    if ident.startswith("ft:"):
        base = ident[3:].split(":", 1)[0]
        hits = t.fine_tuned.get(base)
        stem = _FT_SNAPSHOT.match(base)
        if hits is None and stem:
            hits = t.fine_tuned.get(stem.group(1))
        found += hits or ()
    elif ":ft-" in ident:
        found += t.legacy_fine_tuned.get(ident.split(":", 1)[0], ())
    return tuple(found)


def _status(ident: str, as_of: datetime.date) -> tuple[str, Entry | None]:
    known = [e for e in entries_for(ident) if e.announced <= as_of]
    gone = [e for e in known if e.shutdown <= as_of and not e.shutdown_is_earliest]
    if gone:
        return SHUT_DOWN, min(gone, key=lambda e: (e.shutdown, e.announced))
    if known:
        return ANNOUNCED, min(known, key=lambda e: (e.shutdown_is_earliest, e.shutdown, e.announced))
    return NOT_LISTED, None


def replacement(entry: Entry, as_of: datetime.date) -> Replacement:
    """The entry's replacement followed, option by option in the page's order, to the first id that is still
    live on ``as_of`` (announced ids count as live until their shutdown date)."""

    def walk(e: Entry, seen: frozenset[str], via: tuple[str, ...]) -> Replacement:
        last = Replacement(None, via, e.replacement)
        for rid in e.replacement_ids:
            if rid in seen:
                continue
            status, nxt = _status(rid, as_of)
            if status != SHUT_DOWN or nxt is None:
                return Replacement(rid, via, e.replacement)
            found = walk(nxt, seen | {rid}, (*via, rid))
            if found.id is not None:
                return found
            last = found
        return last

    return walk(entry, frozenset({entry.id}), ())


def lookup(ident: str, as_of: datetime.date | None = None) -> Lookup:
    """The status of a model id, endpoint path or beta header on ``as_of`` (default: today): shut down
    (the earliest past shutdown of the entries that name it), announced but live (the nearest shutdown),
    or not listed."""
    day = as_of or today()
    status, entry = _status(ident, day)
    repl = replacement(entry, day) if entry is not None else None
    return Lookup(ident, day, status, entry, repl)


def as_of(options: dict[str, Any]) -> datetime.date:
    """The scan's date: the ``as-of`` option (``--as-of`` or the configuration key), else today."""
    value = options.get("as-of")
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value:
        return datetime.date.fromisoformat(value)
    return today()


def replacement_phrase(found: Lookup) -> str:
    """``; the recommended replacement is X`` (followed to a live id), or the page's own words when the
    page names no id, or nothing."""
    repl = found.replacement
    if repl is None:
        return ""
    if repl.id is not None:
        phrase = f"; the recommended replacement is {repl.id}"
        if repl.via:
            gone = ", ".join(repl.via)
            phrase += f" (the page's earlier replacement {gone} {'is' if len(repl.via) == 1 else 'are'} shut down too)"
        return phrase
    text = repl.text.strip()
    if not text:
        return ""
    if text.startswith("---"):  # the page's table shows no replacement, perhaps with a remark
        remark = text[3:].strip().strip("()").removeprefix("none stated").strip(" ;")
        return "; the deprecations page names no replacement" + (f" ({remark})" if remark else "")
    return f"; the deprecations page says: {text}"


def caveat(found: Lookup) -> str:
    if not found.third_party:
        return ""
    return (" (this announcement is known from translated copies of the deprecations page only: check the "
            "date on https://platform.openai.com/docs/deprecations)")
