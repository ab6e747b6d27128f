"""The pipeline: discover -> read each file as a source -> run checks -> findings -> filter."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from oai_lint.checks import Check, Context, FactsPending, registry
from oai_lint.discover import (
    UNKNOWN_SIZE,
    Discovery,
    FileEntry,
    discover,
    examine,
    excluded,
    file_type,
    size_cap_note,
)
from oai_lint.findings import Finding, Hit, Note, fingerprint
from oai_lint.repotop import has as _has
from oai_lint.ruleset import RuleInfo, matches, rule_ids, rule_info, rule_scope
from oai_lint.sources import Source, kind_for
from oai_lint.sources.text import BinaryFile, decode

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from oai_lint import suppress
    from oai_lint.baseline import Baseline
    from oai_lint.repofacts import RepoFacts

# Rules the engine reports itself, from the suppression comments, after the checks have run.
META_RULES = ("OAI001", "OAI002")
# Kinds whose text is documentation: a directive there is a mention of the syntax, never reported unused.
_DOC_KINDS = frozenset({"markdown", "text"})
_COMMENT_MARKERS = ("#", "//", "/*", "<!--", "--", ";", "%")

PARALLEL_MIN_FILES = 400
_JS_KINDS = frozenset({"javascript", "typescript", "tsx"})
# oai_lint.sources.javascript.MINIFIED_MIN_SIZE / MINIFIED_AVG_LINE (a test checks they agree)
MINIFIED_MIN_SIZE = 50_000
MINIFIED_AVG_LINE = 500
ENTRIES_PER_MESSAGE = 48
PARALLEL_MIN_BYTES = 16_000_000
EXCLUDE_HINT = "Make it readable, or exclude it (--exclude, or exclude in the configuration)"
# O_NONBLOCK: a file replaced by a FIFO after discovery must not block the scan forever on open()
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(
    os, "O_BINARY", 0)


WARM_INDEX_BYTES = 64_000  # a git index of about 500 files or more

# what the workers of a large scan import anyway (checks, parsers for the common kinds)
_WARM_MODULES = (
    "oai_lint.checks.credentials", "oai_lint.checks.orgproject", "oai_lint.checks.retries",
    "oai_lint.checks.legacy", "oai_lint.repofacts", "oai_lint.sources.deps", "oai_lint.sources.notebook",
    "oai_lint.sources.settings", "oai_lint.sources.yamlsrc", "oai_lint.sources.python", "yaml", "tomllib",
)


def warm_up() -> None:
    """Import the modules a large scan needs (before its workers fork, so that each need not)."""
    import importlib

    for name in _WARM_MODULES:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def relax_gc() -> None:
    """Collect cyclic garbage less often during a scan: it allocates many short-lived objects (a result
    per file, syntax trees) and leaves few cycles, so the default thresholds spent about 6% of a large
    scan in the collector for nothing (the peak memory on the bench tree does not change)."""
    import gc

    gc.set_threshold(50_000, 20, 100)


class NotRegularFile(OSError):
    """The path no longer names a regular file (a directory, FIFO, socket or device took its place)."""


class Skipped(Exception):
    """A name git listed that is not a file to scan: a link, a FIFO, a directory, too large… (the
    message says why; empty when there is nothing to say, e.g. a file deleted but still in the index)."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.message, self.kind = message, kind


def read_file(path: str, limit: int, listed_in: str | None = None) -> bytes:
    """Up to ``limit`` bytes of a regular file. Never blocks on a FIFO or device.

    ``listed_in``: the name was listed (by git) in that directory and nobody looked at it yet: a
    symbolic link, a special file or a file above ``limit - 1`` bytes raises :class:`Skipped` with
    the note discovery gives for it (see ``discover.examine``), at the cost of no extra system call."""
    try:
        fd = os.open(path, _OPEN_FLAGS if listed_in is None else _OPEN_FLAGS | _NOFOLLOW)
    except OSError:
        if listed_in is None:
            raise
        size, message, kind = examine(path, False, listed_in, limit - 1)  # a link, gone, unreadable…
        if size is None:
            raise Skipped(message, kind) from None
        return read_file(path, limit)  # a regular file after all: read it (or say why it cannot be)
    try:
        st = os.fstat(fd)
    except OSError:
        os.close(fd)
        raise
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        if listed_in is not None:
            raise Skipped("" if stat.S_ISDIR(st.st_mode)
                          else f"not a regular file ({file_type(st.st_mode)}); skipped", "note")
        raise NotRegularFile(f"no longer a regular file ({file_type(st.st_mode)})")
    if listed_in is not None and st.st_size > limit - 1:
        os.close(fd)
        raise Skipped(size_cap_note(st.st_size, limit - 1), "note")
    try:
        # read what the size says (plus one byte to notice growth), not ``limit``: reading ``limit``
        # bytes reserves that much memory for every small file
        want = min(limit, st.st_size + 1)
        data = os.read(fd, want)
        if len(data) == want < limit or 0 < len(data) < min(want, st.st_size):
            # it grew, the size was not known (/proc and the like), or a short read: read to the end
            parts = [data]
            got = len(data)
            while got < limit:
                more = os.read(fd, min(limit - got, 1 << 20))
                if not more:
                    break
                parts.append(more)
                got += len(more)
            data = b"".join(parts)
        return data
    finally:
        os.close(fd)


@dataclass
class Settings:
    """How a scan runs: the rules, paths, limits and filters, from the command line and configuration."""
    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    max_file_size: int = 5_000_000
    use_gitignore: bool = True
    force_exclude: bool = False
    jobs: int = 0  # 0: automatic
    require_reason: bool = False
    options: dict[str, object] = field(default_factory=dict)
    scope: str = "all"  # all | file | repository: run only the rules of that scope (see Rule.scope)
    baseline: Baseline | None = None  # findings in it are reported as baselined, not as findings
    # detect-secrets .secrets.baseline: absolute path -> SHA-1 of the strings audited as not secrets
    audited_not_secret: dict[str, frozenset[str]] = field(default_factory=dict)

    def enabled(self, rule_id: str) -> bool:
        if not matches(rule_id, self.select) or matches(rule_id, self.ignore):
            return False
        return self.scope == "all" or rule_scope(rule_id) == self.scope


@dataclass
class FileResult:
    """What the scan of one file found: findings, notes, and facts for the repository."""
    findings: list[Finding] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    scanned: bool = False
    facts: RepoFacts | None = None  # what the file tells of its repository (a scan that gathers facts)
    pending: bool = False  # checks that need the repository's facts have still to run on it


# The result of a file that was scanned and has nothing to report (shared: never modified).
CLEAN = FileResult(scanned=True)


@dataclass
class _Pending:
    """A file whose fact-dependent checks wait for the facts of the whole repository."""

    source: Source
    checks: list[Check]
    hits: list[Hit]
    result: FileResult


@dataclass
class ScanResult:
    """What a scan found: findings (and suppressed or baselined ones), notes and counts."""
    findings: list[Finding]
    notes: list[Note]
    files_scanned: int
    files_skipped_binary: int
    root: str
    suppressed: list[Finding] = field(default_factory=list)
    baselined: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class Plan:
    """What runs on one kind of file: its checks, and the prefilter in front of them."""

    checks: list[Check]
    triggers: tuple[bytes, ...] | None  # any of these in the bytes lets the checks run; None: always
    gated: tuple[tuple[bytes, tuple[bytes, ...]], ...] = ()  # (required, any of): both must occur

    def matches(self, data: bytes, seen: dict[bytes, bool] | None = None) -> bool:
        """Whether the checks can fire on ``data``. ``seen`` remembers which triggers were looked
        for and found, so that choosing the checks afterwards searches no byte string twice."""
        if self.triggers is None:
            return True
        if seen is None:
            seen = {}
        for t in self.triggers:
            found = seen[t] = t in data
            if found:
                return True
        return any(_has(data, req, seen) and any(_has(data, t, seen) for t in trs) for req, trs in self.gated)


class Scanner:
    """Runs the enabled checks over sources. One per process."""

    def __init__(self, settings: Settings, context: Context, gather: str | None = None) -> None:
        """``gather``: the repository top whose facts this scanner gathers from the files it reads (a scan
        of the whole repository); the checks that need them wait for :meth:`finish_pending`."""
        self.settings = settings
        self.context = context
        self.gather = gather
        self._gather_prefix = gather.rstrip(os.sep) + os.sep if gather is not None else ""
        self._pending: dict[int, _Pending] = {}
        self.checks: list[Check] = [
            c for c in registry() if any(settings.enabled(rid) for rid in c.rule_ids)
        ]
        self.report_unused = settings.enabled("OAI001")
        self.report_unreasoned = settings.require_reason and settings.enabled("OAI002")
        self._every_rule_enabled = all(settings.enabled(r) for r in rule_ids() if r not in META_RULES)
        self._plans: dict[str, Plan] = {}

    def plan(self, kind: str, text_level: bool = False) -> Plan:
        """The checks that read a kind of file, and the byte strings without which none of them can fire.
        ``text_level``: only the checks that read no syntax tree (for a minified bundle, which is never
        parsed)."""
        key = kind if not text_level else kind + ":text"
        cached = self._plans.get(key)
        if cached is None:
            checks = [c for c in self.checks if (c.kinds is None or kind in c.kinds)
                      and (c.text_level or not text_level)]
            plain = {t for c in checks if not c.requires for t in c.triggers}
            if (self.report_unused or self.report_unreasoned) and kind not in _DOC_KINDS:
                plain.add(b"oai-lint")  # suppression comments, for the meta rules
            # a trigger that contains another is redundant: "NEXT_PUBLIC_" once "PUBLIC_" is there
            triggers = tuple(sorted(t for t in plain if not any(o != t and o in t for o in plain)))
            gated: dict[bytes, set[bytes]] = {}
            for c in checks:
                if c.requires:
                    gated.setdefault(c.requires, set()).update(c.triggers)
            always = any(not c.triggers for c in checks)
            cached = self._plans[key] = Plan(
                checks, None if always else triggers,
                tuple((req, tuple(sorted(trs))) for req, trs in sorted(gated.items())),
            )
        return cached

    def wanted(self, source: Source, data: bytes | None = None,
               seen: dict[bytes, bool] | None = None, plan: Plan | None = None) -> list[Check]:
        """The checks whose triggers occur in the file (in its bytes when given, with the triggers the
        prefilter already looked for in ``seen``)."""
        if data is not None:
            memo = {} if seen is None else seen
            return [
                c for c in (plan or self.plan(source.kind)).checks
                if (not c.triggers or any(_has(data, t, memo) for t in c.triggers))
                and (not c.requires or _has(data, c.requires, memo))
            ]
        text = source.text
        return [
            c for c in (plan or self.plan(source.kind)).checks
            if (not c.str_triggers or any(t in text for t in c.str_triggers))
            and (not c.requires or c.requires.decode() in text)
        ]

    def scan_file(self, entry: FileEntry, index: int = -1) -> FileResult:
        """Scan one file. With ``index`` (its place in the scan), a scanner that gathers facts keeps a
        file whose checks need them for :meth:`finish_pending` and marks its result ``pending``."""
        try:
            return self._scan_file(entry, index)
        except MemoryError:
            return FileResult(notes=[Note(
                entry.relpath, "not enough memory to check this file; not scanned. Exclude it, or lower "
                "max-file-size", "error",
            )])

    def _scan_file(self, entry: FileEntry, index: int) -> FileResult:
        result = FileResult()
        name = entry.relpath.rsplit("/", 1)[-1]
        kind = kind_for(name)
        plan = self.plan(kind)
        if not plan.checks and not self._may_gather(name, kind):
            # no rule of this run reads this kind of file (`--scope repository`, `--select`): it is not
            # read, only looked at for what the name is (a link, a FIFO…), as a read would
            if entry.size == UNKNOWN_SIZE:
                size, message, note_kind = examine(entry.abspath, False, entry.scan_root,
                                                   self.settings.max_file_size)
                if message:
                    result.notes.append(Note(entry.relpath, message, note_kind))
                if size is None:
                    return result
            result.scanned = True
            return result
        try:
            # UNKNOWN_SIZE: discovery left it to this read to look at what the name is
            data = read_file(entry.abspath, self.settings.max_file_size + 1,
                             entry.scan_root if entry.size == UNKNOWN_SIZE else None)
        except Skipped as skip:
            if skip.message:
                result.notes.append(Note(entry.relpath, skip.message, skip.kind))
            return result
        except (FileNotFoundError, NotADirectoryError):
            result.notes.append(Note(entry.relpath, "file disappeared before it could be read; skipped"))
            return result
        except NotRegularFile as exc:
            result.notes.append(Note(entry.relpath, f"{exc}; skipped"))
            return result
        except OSError as exc:
            result.notes.append(Note(
                entry.relpath, f"cannot read ({exc.strerror or exc}); not scanned. {EXCLUDE_HINT}", "error",
            ))
            return result
        if len(data) > self.settings.max_file_size:
            result.notes.append(Note(entry.relpath, "skipped: grew above the size cap while being read"))
            return result
        result.scanned = True
        # Prefilter on bytes: most files contain none of the triggers of the checks that read their kind,
        # and are never decoded or parsed.
        seen: dict[bytes, bool] = {}
        # UTF-16 (a NUL in the first bytes, or a byte order mark) can only be searched once decoded
        wide = data.find(b"\0", 0, 8192) != -1 or data.startswith((b"\xff\xfe", b"\xfe\xff"))
        decoded: tuple[str, str | None] | None = None
        if kind in _JS_KINDS and not wide and len(data) > MINIFIED_MIN_SIZE \
                and len(data) > MINIFIED_AVG_LINE * (data.count(b"\n") + 1):
            # perhaps a minified bundle, which is never parsed: only the text-level checks can fire
            from oai_lint.sources.javascript import MINIFIED_NOTE, looks_minified

            try:
                decoded = decode(data)
            except BinaryFile:
                result.notes.append(Note(entry.relpath, "binary content; skipped"))
                return result
            if looks_minified(decoded[0]):
                result.notes.append(Note(entry.relpath, MINIFIED_NOTE))
                plan = self.plan(kind, text_level=True)
        run = plan.triggers is None or wide or plan.matches(data, seen)
        gather = self.gather is not None and self._gathers(entry.abspath, name, kind, data, seen)
        if not (run or gather):
            return result
        try:
            text, note = decoded or decode(data)
        except BinaryFile:
            result.notes.append(Note(entry.relpath, "binary content; skipped"))
            return result
        source = Source(entry.relpath, text, kind, entry.abspath)
        if gather:
            from oai_lint.repofacts import gather as gather_facts

            assert self.gather is not None
            result.facts = gather_facts(self.gather, source, data)
        if not run:
            return result  # decoded for the facts only: a scan of this file alone says nothing of it
        if note:
            result.notes.append(Note(entry.relpath, note))
        # the checks by the bytes, except for UTF-16 (whose bytes hold no trigger as ASCII)
        checks = self.wanted(source, plan=plan) if wide else self.wanted(source, data, seen, plan)
        return self.scan_source(source, result, index, checks)

    def _may_gather(self, name: str, kind: str) -> bool:
        """Whether the file may tell something of the repository this scanner gathers facts for."""
        if self.gather is None:
            return False
        from oai_lint.repotop import candidate_name

        return candidate_name(name, kind)

    def _gathers(self, abspath: str, name: str, kind: str, data: bytes, seen: dict[bytes, bool]) -> bool:
        from oai_lint.repotop import candidate_data, candidate_name

        # the files repofacts.compute() reads for the top when the scan listed it: every listed file
        # below it (a nested git repository's too, when a walk listed them)
        return candidate_name(name, kind) and candidate_data(kind, data, seen) \
            and abspath.startswith(self._gather_prefix)

    def scan_source(self, source: Source, result: FileResult | None = None, index: int = -1,
                    checks: list[Check] | None = None) -> FileResult:
        result = result or FileResult(scanned=True)
        if checks is None:
            checks = self.wanted(source)
        later: list[Check] = []
        hits = self._run(source, checks, result, later if index >= 0 else None)
        if later:  # they need the repository's facts, still being gathered: they run again later
            self._pending[index] = _Pending(source, later, hits, result)
            result.pending = True
            return result
        return self._finish(source, hits, result)

    def finish_pending(self) -> dict[int, FileResult]:
        """Run the checks that waited for the repository's facts (now in the context) on the files this
        scanner kept; their final results by index."""
        out: dict[int, FileResult] = {}
        for index, p in sorted(self._pending.items()):
            p.result.pending = False
            p.result.facts = None
            out[index] = self._finish(p.source, p.hits + self._run(p.source, p.checks, p.result), p.result)
        self._pending.clear()
        return out

    @property
    def pending(self) -> list[int]:
        return sorted(self._pending)

    def _run(self, source: Source, checks: list[Check], result: FileResult,
             later: list[Check] | None = None) -> list[Hit]:
        """The hits of the checks on the source. ``later`` collects the checks that asked for facts the
        scan is still gathering (their hits are dropped: they run again with the facts)."""
        hits: list[Hit] = []
        for chk in checks:
            try:
                found = [h for h in chk.func(source, self.context) if self.settings.enabled(h.rule_id)]
            except FactsPending:
                if later is None:  # pragma: no cover - the scan sets Context.later only when it can wait
                    raise
                later.append(chk)
                continue
            except RecursionError:
                result.notes.append(Note(source.path, f"{chk.name}: input too deeply nested; check skipped"))
                continue
            except Exception as exc:  # a bug in one check must not end the scan of every other file
                from oai_lint.keys import redact_text

                result.notes.append(Note(source.path, (
                    f"internal error in {chk.name} ({type(exc).__name__}: {redact_text(str(exc))[:200]}); "
                    "the check was skipped for this file. Please report this as a bug"
                ), "error"))
                continue
            hits.extend(found)
        return hits

    def _finish(self, source: Source, hits: list[Hit], result: FileResult) -> FileResult:
        # lines as LineIndex numbers them (str.splitlines also breaks at \f, \x85, U+2028…, and a form feed
        # then moved every suppression below it to the wrong line)
        sups: dict[int, list[suppress.Suppression]] = {}
        if "oai-lint" in source.text or "pragma" in source.text:
            from oai_lint import suppress

            sups = suppress.parse_numbered(suppress.directive_lines(source.index))
        if hits:
            result.findings.extend(self.materialize(source, hits, result, sups))
        if (self.report_unused or self.report_unreasoned) and "oai-lint" in source.text:
            meta = list(self.meta_hits(source, sups))
            if meta:
                result.findings.extend(self.materialize(source, meta, result, {}))
        given = {n.message for n in result.notes}
        result.notes.extend(Note(source.path, n) for n in dict.fromkeys(source.notes) if n not in given)
        return result

    # -- suppression comments: unused (OAI001) and without a reason (OAI002) ---------------------------
    def meta_hits(self, source: Source, sups: dict[int, list[suppress.Suppression]]) -> Iterator[Hit]:
        unique = {id(s): s for group in sups.values() for s in group if not s.secret_pragma}
        comment_lines: dict[int, list[str]] | None = None  # line -> comments on it, built once per file
        if unique and source.kind in {"python", "javascript", "typescript", "tsx"}:
            comments = source.comments
            if comments is not None:
                comment_lines = {}
                for n, c in comments:
                    comment_lines.setdefault(n, []).append(c)
        for sup in sorted(unique.values(), key=lambda s: s.line):
            found = self._directive(source, sup.line, comment_lines)
            if found is None:
                continue
            column, directive = found
            end = column + len(directive)
            if self.report_unreasoned and not sup.reason:
                yield Hit("OAI002", sup.line, column, sup.line, end, params={"directive": directive},
                          key=directive)
            if self.report_unused and not sup.used:
                unknown = [i for i in sup.ids if not any(r.startswith(i) for r in rule_ids())]
                if unknown or self._all_named_enabled(sup.ids):
                    detail = f" (no rule has the id {unknown[0]})" if unknown else ""
                    yield Hit("OAI001", sup.line, column, sup.line, end,
                              params={"directive": directive, "detail": detail}, key=directive)

    def _all_named_enabled(self, ids: tuple[str, ...]) -> bool:
        """Whether every rule a suppression names runs now (else it may be needed by another run)."""
        if not ids:
            return self._every_rule_enabled
        return all(self.settings.enabled(r) for i in ids for r in rule_ids() if r.startswith(i))

    def _directive(self, source: Source, line: int,
                   comment_lines: dict[int, list[str]] | None) -> tuple[int, str] | None:
        """Column and text of the directive on ``line`` when it is in a comment (not a mention of the
        syntax in documentation or inside a string literal)."""
        if source.kind in _DOC_KINDS:
            return None
        from oai_lint import suppress

        text = source.line_text(line)
        found = suppress.directive_at(text)
        if found is None:
            return None
        if comment_lines is not None:  # searching every comment for each directive was quadratic
            in_comment = any(suppress.directive_at(c) for c in comment_lines.get(line, ()))
            return found if in_comment else None
        before = text[: found[0] - 1]
        if any(m in before for m in _COMMENT_MARKERS) or before.strip().upper() == "REM":
            return found
        return None

    def materialize(self, source: Source, hits: Iterable[Hit], result: FileResult,
                    sups: dict[int, list[suppress.Suppression]]) -> list[Finding]:
        audited = self.settings.audited_not_secret.get(os.path.normcase(os.path.abspath(source.abspath)))
        ignored_here = [
            rid for pattern, rids in self.settings.per_file_ignores.items()
            if excluded(source.path, [pattern]) for rid in rids
        ]
        out: list[Finding] = []
        occurrences: dict[tuple[str, str, str], int] = {}
        for hit in sorted(set(hits), key=lambda h: (h.line, h.column, h.rule_id, h.key)):
            if ignored_here and matches(hit.rule_id, ignored_here):
                continue
            rule: RuleInfo = rule_info(hit.rule_id)
            severity = self.settings.severity.get(hit.rule_id) or hit.severity or rule.severity
            context_line = _context(source.line_text(hit.line), hit)
            occ_key = (hit.rule_id, hit.key, " ".join(context_line.split()))
            occurrences[occ_key] = occ = occurrences.get(occ_key, 0) + 1
            suppression = None
            if hit.rule_id not in META_RULES:  # the meta rules report suppressions: none can hide them
                suppression = next((s for s in sups.get(hit.line, []) if s.covers(hit.rule_id)), None)
            finding = Finding(
                path=source.path,
                line=hit.line,
                column=hit.column,
                rule_id=hit.rule_id,
                severity=severity,
                message=rule.render_message(hit.params),
                end_line=hit.end_line or hit.line,
                end_column=hit.end_column or hit.column,
                title=rule.title,
                fix=rule.fix,
                doc_url=rule.doc_url,
                fingerprint=fingerprint(hit.rule_id, source.path, hit.key, context_line, occ),
                suppressed=suppression is not None,
                suppression_reason=suppression.reason if suppression else "",
                content_fingerprint=fingerprint(hit.rule_id, "", hit.key, context_line, occ),
            )
            if suppression is not None:
                suppression.used = True
            if audited and hit.rule_id.startswith("OAI1") and _audited(source, hit, audited):
                continue  # detect-secrets' baseline says a person audited this string: not a secret
            out.append(finding)
        return out


def _audited(source: Source, hit: Hit, hashes: frozenset[str]) -> bool:
    """Whether a string on the finding's lines is one detect-secrets' baseline marks as audited and not
    a secret (it stores the SHA-1 of the string its plugin matched, which may be a key, a quoted value
    or a token, so each of those is tried)."""
    from oai_lint.secrets_baseline import candidate_hashes

    text = "\n".join(source.line_text(n) for n in range(max(hit.line, 1), max(hit.end_line, hit.line) + 1))
    return not hashes.isdisjoint(candidate_hashes(text))


MAX_CONTEXT = 4096


def _context(line: str, hit: Hit) -> str:
    """The text a fingerprint hashes: the hit's line, or on a very long line (a minified bundle, a data
    blob) the hit with up to 200 characters either side; hashing a 50 MB line cost 500 MB of memory."""
    if len(line) <= MAX_CONTEXT:
        return line
    end = hit.end_column if hit.end_line in (0, hit.line) and hit.end_column > hit.column else hit.column
    return line[max(0, hit.column - 201) : end + 199]


# -- process pool plumbing -----------------------------------------------------------------------------
def _jobs(settings: Settings, files: list[FileEntry]) -> int:
    if settings.jobs > 0:
        return settings.jobs
    if len(files) < PARALLEL_MIN_FILES:
        total = 0
        for f in files:
            if f.size == UNKNOWN_SIZE:
                with contextlib.suppress(OSError):
                    total += os.stat(f.abspath).st_size
            else:
                total += f.size
        if total < PARALLEL_MIN_BYTES:
            return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _chunks(files: list[FileEntry], start: int, jobs: int) -> list[range]:
    """Index ranges of ``files[start:]`` for the workers: roughly equal bytes where the sizes are known,
    else equal numbers of files, smaller towards the end so that the workers finish together."""
    chunks: list[range] = []
    n = len(files)
    known = all(f.size != UNKNOWN_SIZE for f in files[start:])
    if known:
        target = max(1, sum(f.size for f in files[start:]) // (jobs * 16))
        first = acc = start
        acc = 0
        for i in range(start, n):
            acc += files[i].size
            if acc >= target or i + 1 - first >= 2000:
                chunks.append(range(first, i + 1))
                first, acc = i + 1, 0
        if first < n:
            chunks.append(range(first, n))
        return chunks
    i = start
    while i < n:
        size = max(16, min(1000, (n - i) // (jobs * 6)))
        chunks.append(range(i, min(n, i + size)))
        i += size
    return chunks


def _sparse(chunk: range, results: list[FileResult]) -> dict[int, FileResult]:
    """The results worth sending back: most files are scanned and clean (the parent fills those in)."""
    return {i: r for i, r in zip(chunk, results, strict=True)
            if r.findings or r.notes or not r.scanned or r.pending or r.facts is not None}


def _worker_main(orders: Connection, answers: Connection, settings: Settings, context: Context,
                 files: list[FileEntry], gather: str | None, inherited: Iterable[Connection] = ()) -> None:
    """A worker: scans the chunks the parent sends; then, given the repository's facts, finishes the
    files whose checks waited for them. ``inherited``: the parent's pipe ends, copied by fork, to close."""
    for conn in inherited:
        with contextlib.suppress(OSError):
            conn.close()
    scanner = Scanner(settings, context, gather)
    relax_gc()
    try:
        while True:
            msg = orders.recv()
            if msg is None:
                return
            if msg[0] == "chunk":  # files this worker knows (it was forked with them)
                chunk: range = msg[1]
                answers.send(("chunk", chunk, _sparse(chunk, [scanner.scan_file(files[i], i) for i in chunk])))
            elif msg[0] == "entries":  # files listed after the worker started
                chunk, entries = msg[1], msg[2]
                out = [scanner.scan_file(e, i) for i, e in zip(chunk, entries, strict=True)]
                answers.send(("chunk", chunk, _sparse(chunk, out)))
            else:  # ("facts", {key: facts})
                context.facts.update(msg[1])
                answers.send(("pending", scanner.finish_pending()))
    except (EOFError, KeyboardInterrupt, BrokenPipeError):
        return


class _Workers:
    """Worker processes that each scan chunk after chunk, sent by this process as they finish; a worker
    that dies does not end the run (what it held is scanned again here)."""

    def __init__(self, jobs: int, scanner: Scanner, files: list[FileEntry]) -> None:
        import multiprocessing

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        mp: Any = multiprocessing.get_context(method)
        self.scanner, self.files = scanner, list(files)
        self.forked = len(files)  # the workers know files[:forked]; later ones are sent to them
        self.jobs = jobs
        self.results: list[FileResult | None] = [None] * len(files)
        self.todo = _chunks(self.files, 0, jobs)
        self.todo.reverse()  # popped from the end: in order
        self.conns: list[Connection | None] = []  # answers from each worker
        self.orders: list[Connection] = []  # to each worker (pipes, not sockets: no socket is ever opened)
        self.procs: list[BaseProcess] = []
        self.held: list[list[range]] = []  # chunks sent to each worker and not yet returned
        self.pending: list[list[int]] = []  # files each worker keeps for the second pass
        self.lost = 0
        for _ in range(jobs):
            orders_in, orders_out = mp.Pipe(duplex=False)
            answers_in, answers_out = mp.Pipe(duplex=False)
            # a forked worker inherits this process's ends of its own pipes and of the earlier workers'
            # pipes: it closes them, or it never sees the end of a pipe when this process dies (killed
            # by a CI timeout, say) and waits for ever, blocked on a write or a read
            inherited = [*(c for c in self.conns if c is not None), *self.orders, answers_in, orders_out] \
                if method == "fork" else []
            proc = mp.Process(target=_worker_main, daemon=True, args=(
                orders_in, answers_out, scanner.settings, scanner.context, self.files, scanner.gather,
                inherited))
            proc.start()
            orders_in.close()
            answers_out.close()
            self.conns.append(answers_in)
            self.orders.append(orders_out)
            self.procs.append(proc)
            self.held.append([])
            self.pending.append([])
        self._feed()

    def _feed(self) -> None:
        for w in range(len(self.conns)):
            while len(self.held[w]) < 2 and self.todo and self.conns[w] is not None:
                # one being scanned, one waiting: the worker never idles on the pipe
                if not self._send_chunk(w):
                    break

    def extend(self, files: list[FileEntry]) -> None:
        """More files to scan (listed after the workers started)."""
        start = len(self.files)
        self.files.extend(files)
        self.results.extend([None] * len(files))
        # sent through the pipe, each to a worker that holds nothing else (see _send_chunk)
        chunks = [range(i, min(c.stop, i + ENTRIES_PER_MESSAGE))
                  for c in _chunks(self.files, start, self.jobs) for i in c[::ENTRIES_PER_MESSAGE]]
        self.todo = [*reversed(chunks), *self.todo]
        self._feed()

    def _send_chunk(self, w: int) -> bool:
        """Send the next chunk to worker ``w``; False when nothing was sent."""
        if not self.todo or self.conns[w] is None:
            return False
        entries = self.todo[-1].stop > self.forked
        if entries and self.held[w]:
            # An 'entries' message (file names) can be larger than the pipe holds (long paths; 16 KB
            # pipes on macOS): this process then waits until the worker reads it, while a worker busy
            # with an earlier chunk may wait for this process to read its answer, a deadlock. Such a
            # message goes only to a worker that holds nothing (it is waiting for orders).
            return False
        chunk = self.todo.pop()
        try:
            if not entries:
                self.orders[w].send(("chunk", chunk))
            else:
                self.orders[w].send(("entries", chunk, self.files[chunk.start:chunk.stop]))
        except OSError:  # the worker is gone; its chunks are redone when its pipe reports the end
            self.todo.append(chunk)
            return False
        self.held[w].append(chunk)
        return True

    def _dead(self, w: int) -> None:
        """A worker died (killed for lack of memory, a crash in native code): scan here what it held."""
        conn = self.conns[w]
        if conn is not None:
            conn.close()
            self.orders[w].close()
        redo = [i for chunk in self.held[w] for i in chunk] + self.pending[w]
        self.held[w], self.pending[w] = [], []
        self.conns[w] = None
        self.lost += len(redo)
        for i in sorted(redo):
            self.results[i] = self.scanner.scan_file(self.files[i], i)

    def _alive(self) -> list[int]:
        return [w for w, c in enumerate(self.conns) if c is not None]

    def _wait(self, workers: list[int]) -> list[tuple[int, Any]]:
        """(worker, message) for each of the workers that answered; message None when it died."""
        from multiprocessing.connection import wait

        conns = {id(c): (w, c) for w in workers if (c := self.conns[w]) is not None}
        out: list[tuple[int, Any]] = []
        for ready in wait([c for _, c in conns.values()]):
            w, conn = conns[id(ready)]
            try:
                out.append((w, conn.recv()))
            except (EOFError, OSError):
                out.append((w, None))
        return out

    def first_pass(self) -> None:
        while busy := [w for w in self._alive() if self.held[w]]:
            for w, msg in self._wait(busy):
                if msg is None:
                    self._dead(w)
                    continue
                _, chunk, out = msg
                self.held[w].remove(chunk)
                self._send_chunk(w)
                # most files were scanned and had nothing to say: one shared result stands for them
                self.results[chunk.start:chunk.stop] = [CLEAN] * len(chunk)
                for i, r in out.items():
                    if r.pending:
                        self.pending[w].append(i)
                    self.results[i] = r
        while self.todo:  # every worker died: the rest is scanned here
            for i in self.todo.pop():
                self.results[i] = self.scanner.scan_file(self.files[i], i)

    def second_pass(self, facts: dict[str, RepoFacts]) -> None:
        asked = []
        for w in self._alive():
            if not self.pending[w]:
                continue
            try:
                self.orders[w].send(("facts", facts))
                asked.append(w)
            except OSError:
                self._dead(w)
        while asked:
            for w, msg in self._wait(asked):
                asked.remove(w)
                if msg is None:
                    self._dead(w)  # kept in this process's scanner, finished with its own pending files
                    continue
                self.pending[w] = []
                for i, r in msg[1].items():
                    self.results[i] = r

    def close(self) -> None:
        for w, conn in enumerate(self.conns):
            if conn is not None:
                with contextlib.suppress(OSError):
                    self.orders[w].send(None)
                self.orders[w].close()
                conn.close()
        for proc in self.procs:
            proc.join(timeout=5)
            if proc.is_alive():  # pragma: no cover - a worker stuck in native code
                proc.kill()


def _merge_facts(files: list[FileEntry], results: list[FileResult | None], top: str) -> RepoFacts:
    """The facts of the repository from what each file told, in path order (as one pass over the
    files in that order would have found them)."""
    from oai_lint.repofacts import RepoFacts

    facts = RepoFacts(root=top)
    for i in sorted(range(len(files)), key=lambda i: files[i].abspath):
        r = results[i]
        if r is not None and r.facts is not None:
            facts.merge(r.facts)
            r.facts = None
    return facts


def _scanner(files: list[FileEntry], settings: Settings, context: Context, whole_root: bool) -> Scanner:
    """The scanner for a scan. One of a whole repository (``whole_root``) gathers the repository-level
    facts while it reads the files, and the few checks that need them wait (on the files that kept
    them) until every file has been read. Otherwise the facts of the repositories the files belong to
    are computed here, up front (see ``oai_lint.repofacts``), before workers fork."""
    from oai_lint.checks import prime

    probe = Scanner(settings, context)
    needs_facts = [c for c in probe.checks if c.prime is not None] and context.enabled(
        "OAI201", "OAI205", "OAI206", "OAI207")
    if not needs_facts:
        return probe
    gather: str | None = None
    # files of kinds some fact-dependent check reads (never Markdown, for one)
    others = [f.abspath for f in files
              if any(c.prime is not None for c in probe.plan(kind_for(f.relpath.rsplit("/", 1)[-1])).checks)
              ] if not (whole_root and context.in_git and os.path.exists(os.path.join(context.root, ".git"))) \
        else []  # git listed the files of the repository at the root, none of another
    if whole_root:
        from oai_lint.repotop import repo_root

        top = os.path.abspath(context.root)
        # the facts of the root's own repository (a git top, or a directory outside git); a scan of a
        # subdirectory of a work tree gathers none: the facts of that work tree are computed
        gather = top if repo_root(context, os.path.join(top, "_")) == top else None
        in_root: dict[str, bool] = {}  # by directory
        rest = []
        for p in others:
            d = os.path.dirname(p)
            here = in_root.get(d)
            if here is None:
                here = in_root[d] = repo_root(context, p) == gather
            if not here:
                rest.append(p)
        others = rest
    if others:
        prime(context, probe.checks, others)  # facts of other repositories
    if gather is not None:
        # gathered while the files are read: a check that asks for them before runs again after
        context.later = frozenset({f"repofacts:{gather}"})
    return Scanner(settings, context, gather)


def _serial(files: list[FileEntry], scanner: Scanner) -> list[FileResult]:
    results = [scanner.scan_file(f, i) for i, f in enumerate(files)]
    if scanner.gather is not None and scanner.pending:  # else no check waits for the facts
        key = f"repofacts:{scanner.gather}"
        scanner.context.facts[key] = _merge_facts(files, list(results), scanner.gather)
        for i, r in scanner.finish_pending().items():
            results[i] = r
    return results


def _parallel(pool: _Workers) -> list[FileResult]:
    scanner = pool.scanner
    try:
        pool.first_pass()
        if scanner.gather is not None and (any(pool.pending) or scanner.pending):
            key = f"repofacts:{scanner.gather}"
            scanner.context.facts[key] = _merge_facts(pool.files, pool.results, scanner.gather)
            pool.second_pass({key: scanner.context.facts[key]})
            for i, r in scanner.finish_pending().items():
                pool.results[i] = r
    finally:
        pool.close()
    results = [r if r is not None else FileResult() for r in pool.results]
    if pool.lost:
        first = next(i for i, r in enumerate(pool.results) if r is not None)
        if results[first] is CLEAN:
            results[first] = FileResult(scanned=True)
        results[first].notes.append(Note(pool.files[first].relpath, (
            f"a worker process died (killed for lack of memory?); the {pool.lost} files it held were "
            "scanned again in the main process")))
    return results


def scan_files(files: list[FileEntry], settings: Settings, context: Context) -> list[FileResult]:
    """Scan the files, each once (``context.listing``: they are the whole repository at the root)."""
    scanner = _scanner(files, settings, context, bool(context.listing))
    jobs = _jobs(settings, files)
    if jobs <= 1 or len(files) < 2:
        return _serial(files, scanner)
    return _parallel(_Workers(jobs, scanner, files))


def scan(paths: list[str], settings: Settings, root: str | None = None) -> ScanResult:
    root = os.path.abspath(root or os.getcwd())
    paths = paths or ["."]
    whole_root = any(os.path.abspath(p) == root for p in paths)

    def context(in_git: bool, listing: tuple[str, ...]) -> Context:
        return Context(root=root, options=dict(settings.options), in_git=in_git,
                       rules=frozenset(r for r in rule_ids() if settings.enabled(r)),
                       exclude=tuple(settings.exclude), max_file_size=settings.max_file_size,
                       use_gitignore=settings.use_gitignore, listing=listing)

    early: list[_Workers] = []

    def on_tracked(so_far: Discovery) -> None:
        """A large repository scanned whole from its top: the workers start on the files git tracks
        while git still walks the work tree for untracked ones."""
        if not (len(paths) == 1 and whole_root and os.path.exists(os.path.join(root, ".git"))):
            return
        files = list(so_far.files)
        if settings.jobs == 1 or (settings.jobs == 0 and len(files) < PARALLEL_MIN_FILES):
            return
        jobs = _jobs(settings, files)
        if jobs > 1:
            early.append(_Workers(jobs, _scanner(files, settings, context(True, ()), True), files))

    def while_git_lists(directory: str) -> None:
        """While git lists a large repository that is about to be scanned by worker processes, import
        what they will need: imported once here, before they fork, rather than once in each."""
        if not (len(paths) == 1 and whole_root and directory == root) or settings.jobs == 1:
            return
        try:  # the index of a repository with a few hundred files or more
            if os.path.getsize(os.path.join(root, ".git", "index")) < WARM_INDEX_BYTES:
                return
        except OSError:
            return
        warm_up()

    try:
        found: Discovery = discover(
            paths, root, settings.exclude, settings.max_file_size, settings.use_gitignore,
            settings.force_exclude, defer_stat=True, on_tracked=on_tracked, while_git_lists=while_git_lists,
        )
    except BaseException:
        for pool in early:
            pool.close()
        raise
    if early:
        pool = early[0]
        known = {f.abspath for f in pool.files}
        pool.extend([f for f in found.files if f.abspath not in known])
        results = _parallel(pool)
    else:
        listing = tuple(f.abspath for f in found.files) if whole_root else ()
        results = scan_files(found.files, settings, context(found.in_git, listing))
    findings: list[Finding] = []
    suppressed: list[Finding] = []
    notes = list(found.notes)
    scanned = 0
    for r in results:
        scanned += r.scanned
        notes.extend(r.notes)
        for f in r.findings:
            (suppressed if f.suppressed else findings).append(f)
    findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule_id))
    notes.sort()
    baselined: list[Finding] = []
    if settings.baseline is not None:
        findings, baselined = settings.baseline.split(findings, root)
    return ScanResult(findings, notes, scanned, found.skipped_binary, root, suppressed, baselined)
