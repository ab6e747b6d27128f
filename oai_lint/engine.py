"""The pipeline: discover -> read each file as a source -> run checks -> findings -> filter."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from oai_lint.checks import Check, Context, registry
from oai_lint.discover import Discovery, FileEntry, discover, excluded, file_type
from oai_lint.findings import Finding, Hit, Note, fingerprint
from oai_lint.ruleinfo import RuleInfo, matches, rule_ids, rule_info, rule_scope
from oai_lint.sources import Source, kind_for
from oai_lint.sources.text import BinaryFile, decode

if TYPE_CHECKING:
    from oai_lint import suppress
    from oai_lint.baseline import Baseline

# Rules the engine reports itself, from the suppression comments, after the checks have run.
META_RULES = ("OAI001", "OAI002")
# Kinds whose text is documentation: a directive there is a mention of the syntax, never reported unused.
_DOC_KINDS = frozenset({"markdown", "text"})
_COMMENT_MARKERS = ("#", "//", "/*", "<!--", "--", ";", "%")

PARALLEL_MIN_FILES = 400
PARALLEL_MIN_BYTES = 16_000_000
EXCLUDE_HINT = "Make it readable, or exclude it (--exclude, or exclude in the configuration)"
# O_NONBLOCK: a file replaced by a FIFO after discovery must not block the scan forever on open()
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(
    os, "O_BINARY", 0)


class NotRegularFile(OSError):
    """The path no longer names a regular file (a directory, FIFO, socket or device took its place)."""


def read_file(path: str, limit: int) -> bytes:
    """Up to ``limit`` bytes of a regular file. Never blocks on a FIFO or device."""
    fd = os.open(path, _OPEN_FLAGS)
    try:
        st = os.fstat(fd)
    except OSError:
        os.close(fd)
        raise
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise NotRegularFile(f"no longer a regular file ({file_type(st.st_mode)})")
    with os.fdopen(fd, "rb") as fh:
        # read what the size says (plus one byte to notice growth), not ``limit``: reading ``limit``
        # bytes reserves that much memory for every small file
        want = min(limit, st.st_size + 1)
        data = fh.read(want)
        if len(data) == want < limit:  # it grew, or the size was not known (/proc and the like)
            data += fh.read(limit - want)
        return data


@dataclass
class Settings:
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
    findings: list[Finding] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    scanned: bool = False


@dataclass
class ScanResult:
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

    def matches(self, data: bytes) -> bool:
        if self.triggers is None:
            return True
        for t in self.triggers:
            if t in data:
                return True
        return any(req in data and any(t in data for t in trs) for req, trs in self.gated)


class Scanner:
    """Runs the enabled checks over sources. One per process."""

    def __init__(self, settings: Settings, context: Context) -> None:
        self.settings = settings
        self.context = context
        self.checks: list[Check] = [
            c for c in registry() if any(settings.enabled(rid) for rid in c.rule_ids)
        ]
        self.report_unused = settings.enabled("OAI001")
        self.report_unreasoned = settings.require_reason and settings.enabled("OAI002")
        self._every_rule_enabled = all(settings.enabled(r) for r in rule_ids() if r not in META_RULES)
        self._plans: dict[str, Plan] = {}

    def plan(self, kind: str) -> Plan:
        """The checks that read a kind of file, and the byte strings without which none of them can fire."""
        cached = self._plans.get(kind)
        if cached is None:
            checks = [c for c in self.checks if c.kinds is None or kind in c.kinds]
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
            cached = self._plans[kind] = Plan(
                checks, None if always else triggers,
                tuple((req, tuple(sorted(trs))) for req, trs in sorted(gated.items())),
            )
        return cached

    def wanted(self, source: Source) -> list[Check]:
        text = source.text
        return [
            c for c in self.plan(source.kind).checks
            if (not c.str_triggers or any(t in text for t in c.str_triggers))
            and (not c.requires or c.requires.decode() in text)
        ]

    def scan_file(self, entry: FileEntry) -> FileResult:
        try:
            return self._scan_file(entry)
        except MemoryError:
            return FileResult(notes=[Note(
                entry.relpath, "not enough memory to check this file; not scanned. Exclude it, or lower "
                "max-file-size", "error",
            )])

    def _scan_file(self, entry: FileEntry) -> FileResult:
        result = FileResult()
        try:
            data = read_file(entry.abspath, self.settings.max_file_size + 1)
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
        kind = kind_for(entry.relpath.rsplit("/", 1)[-1])
        plan = self.plan(kind)
        if plan.triggers is not None and b"\0" not in data[:8192] \
                and not data.startswith((b"\xff\xfe", b"\xfe\xff")) and not plan.matches(data):
            return result
        try:
            text, note = decode(data)
        except BinaryFile:
            result.notes.append(Note(entry.relpath, "binary content; skipped"))
            return result
        if note:
            result.notes.append(Note(entry.relpath, note))
        source = Source(entry.relpath, text, kind, entry.abspath)
        return self.scan_source(source, result)

    def scan_source(self, source: Source, result: FileResult | None = None) -> FileResult:
        result = result or FileResult(scanned=True)
        hits: list[Hit] = []
        for chk in self.wanted(source):
            try:
                hits.extend(h for h in chk.func(source, self.context) if self.settings.enabled(h.rule_id))
            except RecursionError:
                result.notes.append(Note(source.path, f"{chk.name}: input too deeply nested; check skipped"))
            except Exception as exc:  # a bug in one check must not end the scan of every other file
                from oai_lint.keys import redact_text

                result.notes.append(Note(source.path, (
                    f"internal error in {chk.name} ({type(exc).__name__}: {redact_text(str(exc))[:200]}); "
                    "the check was skipped for this file. Please report this as a bug"
                ), "error"))
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
        result.notes.extend(Note(source.path, n) for n in dict.fromkeys(source.notes))
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
_worker: Scanner | None = None


def _init_worker(settings: Settings, context: Context) -> None:
    global _worker
    _worker = Scanner(settings, context)


def _scan_chunk(entries: Sequence[FileEntry]) -> list[FileResult]:
    assert _worker is not None
    return [_worker.scan_file(e) for e in entries]


def _jobs(settings: Settings, files: list[FileEntry]) -> int:
    if settings.jobs > 0:
        return settings.jobs
    total = sum(f.size for f in files)
    if len(files) < PARALLEL_MIN_FILES and total < PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _chunks(files: list[FileEntry], jobs: int) -> list[list[FileEntry]]:
    """Chunks of roughly equal bytes keep every worker busy; results come back in order."""
    chunks: list[list[FileEntry]] = []
    target = max(1, sum(f.size for f in files) // (jobs * 16))
    current: list[FileEntry] = []
    acc = 0
    for f in files:
        current.append(f)
        acc += f.size
        if acc >= target or len(current) >= 2000:
            chunks.append(current)
            current, acc = [], 0
    if current:
        chunks.append(current)
    return chunks


class _Pool:
    """Worker processes scanning chunks of files; a worker that dies does not end the run."""

    def __init__(self, jobs: int, settings: Settings, context: Context, files: list[FileEntry]) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        self.settings, self.context = settings, context
        self.chunks = _chunks(files, jobs)
        self.executor = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(method),
                                            initializer=_init_worker, initargs=(settings, context))
        self.results = self.executor.map(_scan_chunk, self.chunks)  # submitted now, run in the background

    def collect(self) -> list[FileResult]:
        from concurrent.futures.process import BrokenProcessPool

        out: list[FileResult] = []
        done = 0
        try:
            for chunk_result in self.results:
                out.extend(chunk_result)
                done += 1
        except BrokenProcessPool:
            # A worker died (killed for memory, or a crash in native code): the results it held are lost.
            # Scan what is left in this process rather than end the run with a traceback.
            rest = [f for chunk in self.chunks[done:] for f in chunk]
            scanner = Scanner(self.settings, self.context)
            tail = [scanner.scan_file(f) for f in rest]
            if tail:
                tail[0].notes.append(Note(rest[0].relpath, (
                    f"a worker process died (killed for lack of memory?); the {len(rest)} files from here on "
                    "were scanned again in the main process"
                )))
            out.extend(tail)
        finally:
            self.executor.shutdown(wait=True, cancel_futures=True)
        return out


def scan_files(files: list[FileEntry], settings: Settings, context: Context) -> list[FileResult]:
    jobs = _jobs(settings, files)
    scanner = Scanner(settings, context)
    if jobs <= 1 or len(files) < 2:
        return [scanner.scan_file(f) for f in files]
    from oai_lint.checks import prime

    # Files whose checks may need the repository-level facts (those with a prime hook) wait for them; the
    # others (docs, most of a large tree's bytes) are scanned by a first pool while this process computes
    # the facts once. The second pool is forked after, so its workers inherit the facts.
    def needs_facts(f: FileEntry) -> bool:
        kind = kind_for(f.relpath.rsplit("/", 1)[-1])
        return any(c.prime is not None for c in scanner.plan(kind).checks)

    late = [f for f in files if needs_facts(f)]
    early = [f for f in files if not needs_facts(f)]
    first = _Pool(jobs, settings, context, early) if early else None
    prime(context, scanner.checks, [f.abspath for f in late])
    out = first.collect() if first is not None else []
    if late:
        out.extend(_Pool(jobs, settings, context, late).collect())
    return out


def scan(paths: list[str], settings: Settings, root: str | None = None) -> ScanResult:
    root = os.path.abspath(root or os.getcwd())
    found: Discovery = discover(
        paths or ["."], root, settings.exclude, settings.max_file_size, settings.use_gitignore,
        settings.force_exclude,
    )
    whole_root = any(os.path.abspath(p) == root for p in (paths or ["."]))
    context = Context(root=root, options=dict(settings.options), in_git=found.in_git,
                      rules=frozenset(r for r in rule_ids() if settings.enabled(r)),
                      exclude=tuple(settings.exclude), max_file_size=settings.max_file_size,
                      use_gitignore=settings.use_gitignore,
                      listing=tuple(f.abspath for f in found.files) if whole_root else ())
    results = scan_files(found.files, settings, context)
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
