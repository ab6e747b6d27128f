"""The scanner: reads a file once, lets the prefilter decide whether any check can fire, decodes and
parses only then, runs the checks (keeping those that wait for the repository's facts for later), and
turns their hits into findings."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property

from oai_lint.analysis.names import is_test_file
from oai_lint.analysis.vocab import JS_KINDS, MINIFIED_AVG_LINE, MINIFIED_MIN_SIZE, MINIFIED_NOTE, looks_minified
from oai_lint.checks import Check, Context, FactsPending, registry
from oai_lint.discover import UNKNOWN_SIZE, FileEntry, examine
from oai_lint.engine.finalize import materialize
from oai_lint.engine.plan import Plan, Planner
from oai_lint.engine.reading import EXCLUDE_HINT, NotRegularFile, Skipped, read_file
from oai_lint.engine.results import FileResult
from oai_lint.engine.settings import Settings
from oai_lint.findings import Hit, Note
from oai_lint.report.own import own_format
from oai_lint.repository import FactsProvider, provider
from oai_lint.sources import Source, kind_for
from oai_lint.sources.text import BinaryFile, decode
from oai_lint.suppress import Suppression, directive_lines, parse_numbered
from oai_lint.suppress.meta import MetaRules

PATH_KIND = "path"  # the kind of the source a check of a file's path reads (no file is of this kind)
# the first byte of a file that may be a JSON document (an oai-lint report or baseline)
_JSON_START = frozenset((b"{", b"[", b" ", b"\n", b"\r", b"\t", b"\xef"))
WRITTEN_NOTE = "the report or baseline of this run of oai-lint; not scanned"
OWN_NOTE = "oai-lint's own {} file; checked for keys only"


@dataclass
class _Pending:
    """A file whose fact-dependent checks wait for the facts of the whole repository."""

    source: Source
    checks: list[Check]
    hits: list[Hit]
    result: FileResult
    test: bool  # the file is test code


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
        # the checks that read a file's path (kind "path"): a key as a file or directory name
        self.path_checks = [c for c in self.checks if c.kinds is not None and PATH_KIND in c.kinds]
        self.meta = MetaRules(settings.enabled, settings.require_reason, settings.test_policy.reports)
        self.planner = Planner(self.checks, self.meta.trigger,
                               lambda c: any(settings.enabled_in(r, True) for r in c.rule_ids), self._asked)

    @cached_property
    def providers(self) -> list[FactsProvider]:
        """The repository facts this scan needs: the providers its checks name, for the rules it reports."""
        names = dict.fromkeys(c.facts for c in self.checks if c.facts)
        return [p for p in map(provider, names) if self.context.enabled(*p.rules)]

    def _asked(self, kind: str) -> tuple[bytes, ...]:
        """The byte strings a scan that gathers the repository's facts asks a file of this kind about (the
        providers' triggers; none where no provider reads the kind, e.g. Markdown)."""
        if self.gather is None:
            return ()
        return tuple(t for p in self.providers if p.candidate_name("", kind) for t in p.triggers)

    def needs_facts(self) -> bool:
        """Whether a check of this scan needs the repository-level facts (for a rule the scan reports)."""
        return bool(self.providers)

    def plan(self, kind: str, text_level: bool = False, test: bool = False) -> Plan:
        return self.planner.plan(kind, text_level, test)

    def wanted(self, source: Source, data: bytes | None = None,
               seen: dict[bytes, bool] | None = None, plan: Plan | None = None) -> list[Check]:
        return self.planner.wanted(source, data, seen, plan)

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
        if self.settings.written and entry.abspath in self.settings.written:
            result.notes.append(Note(entry.relpath, WRITTEN_NOTE))
            return result
        test = is_test_file(entry.relpath)
        if self.path_checks:
            self._scan_path(entry, result, test)
        name = entry.relpath.rsplit("/", 1)[-1]
        kind = kind_for(name)
        plan = self.planner.plan(kind, False, test)
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
            data = entry.content if entry.content is not None else read_file(
                entry.abspath, self.settings.max_file_size + 1, entry.scan_root if entry.size == UNKNOWN_SIZE else None,
                follow=entry.explicit)
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
        own = None
        if data[:1] in _JSON_START:  # (a byte test first: every file passes here)
            own = own_format(data)
            if own is not None:
                # oai-lint's own baseline or report: its messages are not code; a full key in it still is
                result.notes.append(Note(entry.relpath, OWN_NOTE.format(own)))
                plan = self.plan(kind, text_level=True, test=test)
        # Prefilter on bytes: most files contain none of the triggers of the checks that read their kind,
        # and are never decoded or parsed.
        seen: dict[bytes, bool] = {}
        # UTF-16 (a NUL in the first bytes, or a byte order mark) can only be searched once decoded
        wide = data.find(b"\0", 0, 8192) != -1 or data.startswith((b"\xff\xfe", b"\xfe\xff"))
        decoded: tuple[str, str | None] | None = None
        if kind in JS_KINDS and not wide and len(data) > MINIFIED_MIN_SIZE \
                and len(data) > MINIFIED_AVG_LINE * (data.count(b"\n") + 1):
            # perhaps a minified bundle, which is never parsed: only the text-level checks can fire
            try:
                decoded = decode(data)
            except BinaryFile:
                result.notes.append(Note(entry.relpath, "binary content; skipped"))
                return result
            if looks_minified(decoded[0]):
                result.notes.append(Note(entry.relpath, MINIFIED_NOTE))
                plan = self.plan(kind, text_level=True, test=test)
        run = plan.triggers is None or wide or plan.matches(data, seen)
        gather = self._gathers(entry.abspath, name, kind, data, seen) \
            if self.gather is not None and own is None else []
        if not (run or gather):
            return result
        try:
            text, note = decoded or decode(data)
        except BinaryFile:
            result.notes.append(Note(entry.relpath, "binary content; skipped"))
            return result
        source = Source(entry.relpath, text, kind, entry.abspath)
        if gather:
            assert self.gather is not None
            result.facts = {p.name: p.gather(self.gather, source, data) for p in gather}
        if not run:
            return result  # decoded for the facts only: a scan of this file alone says nothing of it
        if note:
            result.notes.append(Note(entry.relpath, note))
        # the checks by the bytes, except for UTF-16 (whose bytes hold no trigger as ASCII)
        checks = self.wanted(source, plan=plan) if wide else self.wanted(source, data, seen, plan)
        return self.scan_source(source, result, index, checks, meta=own is None, test=test)

    def _scan_path(self, entry: FileEntry, result: FileResult, test: bool) -> None:
        """The checks of the file's path (its text is the path, relative to the scan root)."""
        path = entry.relpath
        checks = [c for c in self.path_checks if any(t in path for t in c.str_triggers)]
        if checks:
            source = Source(path, path, PATH_KIND, entry.abspath)
            hits = self._run(source, checks, result, test)
            if hits:
                result.findings.extend(materialize(self.settings, source, hits, {}))

    def _may_gather(self, name: str, kind: str) -> bool:
        """Whether the file may tell something of the repository this scanner gathers facts for."""
        if self.gather is None:
            return False
        return any(p.candidate_name(name, kind) for p in self.providers)

    def _gathers(self, abspath: str, name: str, kind: str, data: bytes,
                 seen: dict[bytes, bool]) -> list[FactsProvider]:
        """The providers that gather facts from this file."""
        # the files repofacts.compute() reads for the top when the scan listed it: every listed file
        # below it (a nested git repository's too, when a walk listed them)
        if not abspath.startswith(self._gather_prefix):
            return []
        return [p for p in self.providers if p.candidate_name(name, kind) and p.candidate_data(kind, data, seen)]

    def scan_source(self, source: Source, result: FileResult | None = None, index: int = -1,
                    checks: list[Check] | None = None, meta: bool = True, test: bool | None = None) -> FileResult:
        """``meta``: whether the meta rules (about suppression comments) look at the file. ``test``: whether
        it is test code (found from its path when not given)."""
        result = result or FileResult(scanned=True)
        if checks is None:
            checks = self.wanted(source)
        if test is None:
            test = is_test_file(source.path)
        later: list[Check] = []
        hits = self._run(source, checks, result, test, later if index >= 0 else None)
        if later:  # they need the repository's facts, still being gathered: they run again later
            self._pending[index] = _Pending(source, later, hits, result, test)
            result.pending = True
            return result
        return self._finish(source, hits, result, meta)

    def finish_pending(self) -> dict[int, FileResult]:
        """Run the checks that waited for the repository's facts (now in the context) on the files this
        scanner kept; their final results by index."""
        out: dict[int, FileResult] = {}
        for index, p in sorted(self._pending.items()):
            p.result.pending = False
            p.result.facts = None
            out[index] = self._finish(p.source, p.hits + self._run(p.source, p.checks, p.result, p.test), p.result)
        self._pending.clear()
        return out

    @property
    def pending(self) -> bool:
        """Whether some files wait for the repository's facts (:meth:`finish_pending`)."""
        return bool(self._pending)

    def _run(self, source: Source, checks: list[Check], result: FileResult, test: bool,
             later: list[Check] | None = None) -> list[Hit]:
        """The hits of the checks on the source (``test``: it is test code). ``later`` collects the checks
        that asked for facts the scan is still gathering (their hits are dropped: they run again with the
        facts)."""
        hits: list[Hit] = []
        for chk in checks:
            if test and not any(self.settings.enabled_in(r, True) for r in chk.rule_ids):
                continue  # test code, and none of this check's rules applies there (oai_lint.testcode)
            try:
                found = [h for h in chk.func(source, self.context) if self.settings.enabled_in(h.rule_id, test)]
            except FactsPending:
                if later is None:  # pragma: no cover - the scan sets Context.later only when it can wait
                    raise
                later.append(chk)
                continue
            except RecursionError:
                result.notes.append(Note(source.path, f"{chk.name}: input too deeply nested; check skipped"))
                continue
            except Exception as exc:  # a bug in one check must not end the scan of every other file
                from oai_lint.analysis.keys import redact_text  # only for an internal error

                result.notes.append(Note(source.path, (
                    f"internal error in {chk.name} ({type(exc).__name__}: {redact_text(str(exc))[:200]}); "
                    "the check was skipped for this file. Please report this as a bug"
                ), "error"))
                continue
            hits.extend(found)
        return hits

    def _finish(self, source: Source, hits: list[Hit], result: FileResult, meta: bool = True) -> FileResult:
        # lines as LineIndex numbers them (str.splitlines also breaks at \f, \x85, U+2028…, and a form feed
        # then moved every suppression below it to the wrong line)
        sups: dict[int, list[Suppression]] = {}
        if "oai-lint" in source.text or "pragma" in source.text:
            sups = parse_numbered(directive_lines(source.index))
        if hits:
            result.findings.extend(materialize(self.settings, source, hits, sups))
        if meta and self.meta.wanted(source):
            meta_hits = list(self.meta.hits(source, sups))
            if meta_hits:
                result.findings.extend(materialize(self.settings, source, meta_hits, {}))
        given = {n.message for n in result.notes}
        result.notes.extend(Note(source.path, n) for n in dict.fromkeys(source.notes) if n not in given)
        return result
