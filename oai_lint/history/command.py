"""What ``oai-lint history`` does once its options are parsed: scan, attribute, report, exit."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from dataclasses import replace
from datetime import datetime, timezone

from oai_lint import config as cfgmod
from oai_lint.baseline import BaselineError
from oai_lint.baseline import write as write_baseline
from oai_lint.cli.check import load_baselines
from oai_lint.cli.output import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, echo, fail, want_color, write
from oai_lint.discover import excluded
from oai_lint.engine import ScanResult, Settings
from oai_lint.findings import SEVERITY_RANK, Finding, Note
from oai_lint.history import git
from oai_lint.history.attribute import KeyHistory, Occurrence, RawLog, blobs_at
from oai_lint.history.blobs import Stats, jobs_for, read_blobs, stream
from oai_lint.history.report import HistoryFinding, HistoryInfo, render
from oai_lint.history.revisions import Selection, select
from oai_lint.history.scanblob import BlobScanner, KeyHit


def _settings(config_path: str | None, path: str, top: str, max_file_size: str | None,
              exclude: tuple[str, ...]) -> tuple[Settings, str]:
    """The engine's settings from the configuration (globs relative to the repository's top) and the
    configured fail-on."""

    try:
        cfg = cfgmod.load(config_path, start=path)
    except cfgmod.ConfigError as exc:
        fail(str(exc))
    settings = Settings(
        ignore=list(cfg.ignore),
        exclude=cfgmod.rebase_globs(cfg.exclude, cfg.base, top) + list(exclude),
        per_file_ignores={p: v for k, v in cfg.per_file_ignores.items()
                          for p in cfgmod.rebase_globs([k], cfg.base, top)},
        severity=cfg.severity,
        max_file_size=cfg.max_file_size,
        options=cfg.options,
    )
    if max_file_size is not None:
        try:
            settings.max_file_size = cfgmod.parse_size(max_file_size)
        except cfgmod.ConfigError as exc:
            fail(f"--max-file-size: {exc}")
    return settings, cfg.fail_on


def _count_commits(repo: git.Repository, selection: Selection, out: list[int]) -> None:
    with contextlib.suppress(git.GitError, ValueError):
        out.append(int(git.run(repo.cwd, "rev-list", "--count", *selection.args(), "--").strip() or 0))


def _iso(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _remote_uri(repo: git.Repository) -> str | None:
    """origin's URL for SARIF's provenance, without any user name or token in it."""
    from urllib.parse import urlsplit, urlunsplit

    url = git.run(repo.cwd, "config", "--get", "remote.origin.url", check=False).decode("utf-8", "replace").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme in {"http", "https", "ssh", "git"} and parts.hostname:
        if parts.scheme != "https" and parts.scheme != "http":  # what a browser (and SARIF viewers) open
            return urlunsplit(("https", parts.hostname, parts.path, "", ""))
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        return urlunsplit((parts.scheme, host, parts.path, "", ""))
    if url.startswith("git@") and ":" in url:  # scp-like ssh address
        host, _, path = url[4:].partition(":")
        return f"https://{host}/{path}"
    return None


class HistoryScan:
    """One scan: the blobs with keys, then their commits, then one finding per distinct key."""

    def __init__(self, repo: git.Repository, selection: Selection, settings: Settings, jobs: int = 0) -> None:

        self.repo = repo
        self.jobs = jobs
        self.selection = selection
        self.settings = settings
        self.scanner: BlobScanner = BlobScanner(settings, repo.top)
        self.stats = Stats()
        self.key_blobs: dict[str, list[KeyHit]] = {}  # blob id -> the keys in it
        self.notes: list[Note] = []
        self.log: RawLog | None = None
        self.attributed: set[str] = set()  # key blobs that some commit wrote (the others: a tag names them)

    def run(self) -> list[Finding]:

        try:
            if self.scanner.enabled:
                for blob in stream(self.repo, self.selection, self.settings.max_file_size, self.stats,
                                   self.scanner.wanted, jobs_for(self.jobs)):
                    hits = self.scanner.scan(blob.path, blob.data)
                    if hits:
                        self.key_blobs[blob.oid] = hits
                        if self.log is None:  # attribution will be needed: git lists the commits meanwhile
                            self.log = RawLog(self.repo, self.selection)
            self._notes()
            if not self.key_blobs or self.log is None:
                return []
            return self._findings(self._histories(self.log))
        finally:
            if self.log is not None:
                self.log.close()

    def _notes(self) -> None:
        s = self.stats
        if not self.scanner.enabled:
            self.notes.append(Note(".", "OAI101 is turned off by the configuration (`ignore`): nothing was "
                                        "looked for"))
        if self.repo.shallow:
            self.notes.append(Note(".", "shallow clone: the commits before its boundary are not here; keys "
                                        "they added are reported at the oldest commit present that holds "
                                        "them (`git fetch --unshallow` for the whole history)"))
        if s.missing:
            self.notes.append(Note(".", f"{s.missing} file version{'s are' if s.missing != 1 else ' is'} "
                                        "not in this partial clone and "
                                        f"{'were' if s.missing != 1 else 'was'} not scanned (git never "
                                        "fetches them for oai-lint; fetch them, or clone without --filter, "
                                        "to scan them)"))
        for path, size in sorted(s.too_large):
            self.notes.append(Note(os.fsdecode(path), (
                f"a version of {size / 1e6:.1f} MB holds the key marker but is above the size cap of "
                f"{self.settings.max_file_size / 1e6:.1f} MB; not scanned (--max-file-size)")))

    def _histories(self, log: RawLog) -> dict[bytes, KeyHistory]:

        wanted = {oid.encode("ascii") for oid in self.key_blobs}
        histories: dict[bytes, KeyHistory] = {}
        excludes = self.settings.exclude
        for occ in log.occurrences(wanted):
            self.attributed.add(occ.blob)
            if excludes and excluded(os.fsdecode(occ.path), excludes):
                continue
            for hit in self.key_blobs[occ.blob]:
                h = histories.get(hit.key_id)
                if h is None:
                    h = histories[hit.key_id] = KeyHistory(occ)
                h.add(occ)
        if self.repo.head is not None and histories:
            for oid in blobs_at(self.repo, self.repo.head, wanted):
                for hit in self.key_blobs[oid.decode("ascii")]:
                    if hit.key_id in histories:
                        histories[hit.key_id].at_head = True
        return histories

    def _findings(self, histories: dict[bytes, KeyHistory]) -> list[Finding]:
        """One finding per distinct key, at the commit and path that first added it (the blob is read
        again there: the path decides the kind of file, the suppressions and the fingerprint)."""

        firsts = {h.first.blob for h in histories.values()}
        rescanned: dict[tuple[str, bytes], dict[bytes, Finding]] = {}
        paths_of: dict[str, set[bytes]] = {}
        for h in histories.values():
            paths_of.setdefault(h.first.blob, set()).add(h.first.path)
        for oid, data in read_blobs(self.repo, sorted(firsts)):
            for path in paths_of.get(oid, ()):
                rescanned[(oid, path)] = {hit.key_id: hit.finding for hit in self.scanner.scan(path, data)}
        out: list[Finding] = []
        for kid, h in histories.items():
            first: Occurrence = h.first
            finding = rescanned.get((first.blob, first.path), {}).get(kid)
            if finding is None:  # (the path names a kind of file where OAI101 does not look for it)
                hit = next(x for x in self.key_blobs[first.blob] if x.key_id == kid)
                finding = replace(hit.finding, path=os.fsdecode(first.path))
            if finding.suppressed and any(not x.finding.suppressed for blob in h.blobs
                                          for x in self.key_blobs[blob] if x.key_id == kid):
                # suppressed where it was first added, but another version holds it without a suppression
                finding = replace(finding, suppressed=False, suppression_reason="")
            date = _iso(first.author_time)
            message = f"{finding.message}; first added in commit {first.commit[:12]} on {date[:10]}"
            base = {k: getattr(finding, k) for k in Finding.__dataclass_fields__}
            base["message"] = message
            out.append(HistoryFinding(**base, commit=first.commit, author_date=date, commits=len(h.commits),
                                      paths=len(h.paths), at_head=h.at_head))
        return out + self._unattributed(histories)

    def _unattributed(self, histories: dict[bytes, KeyHistory]) -> list[Finding]:
        """Keys in file versions no commit wrote: a tag (or another ref) names the blob itself."""

        out: list[Finding] = []
        seen = set(histories)
        for oid, hits in self.key_blobs.items():
            if oid in self.attributed:
                continue
            for hit in hits:
                f = hit.finding
                if hit.key_id in seen or (self.settings.exclude and excluded(f.path, self.settings.exclude)):
                    continue
                seen.add(hit.key_id)
                base = {k: getattr(f, k) for k in Finding.__dataclass_fields__}
                base["message"] = f"{f.message}; in no commit: a tag or ref names this file version ({oid[:12]})"
                base["path"] = f.path or f"(blob {oid[:12]})"  # (a tagged blob has no path)
                out.append(HistoryFinding(**base, commits=0, paths=1))
        return out


def run(path: str, revs: tuple[str, ...], all_refs: bool, since: str | None, pre_push: bool, fmt: str,
        output: str | None, fail_on: str | None, exit_zero: bool, config_path: str | None,
        max_file_size: str | None, exclude: tuple[str, ...], verbose: bool, baseline_path: str | None,
        write_baseline_path: str | None, sarif_category: str, sarif_include_suppressed: bool,
        jobs: int = 0) -> None:
    """Scan the history and report; always ends with ``sys.exit``."""

    try:
        repo = git.open_repository(path)
    except git.GitError as exc:
        fail(str(exc))
    settings, configured_fail_on = _settings(config_path, path, repo.top, max_file_size, exclude)
    if baseline_path is not None and write_baseline_path is None:

        load_baselines(settings, baseline_path, None)
    notes: list[Note] = []
    findings: list[Finding] = []
    info = HistoryInfo("HEAD", repo.head, 0, 0, 0)
    if repo.head is None and not all_refs and not revs and not pre_push and since is None:
        notes.append(Note(".", "the repository has no commits yet: nothing to scan"))
    else:
        try:
            selection = select(repo, revs, all_refs, since, pre_push)
            counted: list[int] = []
            counter = threading.Thread(target=_count_commits, args=(repo, selection, counted), daemon=True)
            counter.start()
            scan = HistoryScan(repo, selection, settings, jobs)
            findings = scan.run()
            notes = scan.notes
            counter.join()
            info = HistoryInfo(selection.describe, repo.head, counted[0] if counted else 0, scan.stats.blobs,
                               scan.stats.size, _remote_uri(repo) if fmt == "sarif" else None,
                               scan.stats.binary)
        except git.GitError as exc:
            fail(str(exc))
    result = _result(findings, notes, info, repo.top, settings)
    if write_baseline_path is not None:
        _write_baseline(write_baseline_path, result)
    _report(result, info, fmt, output, verbose, sarif_category, sarif_include_suppressed, settings)
    errors = [n for n in result.notes if n.kind == "error"]
    if errors:
        sys.exit(EXIT_ERROR)

    threshold = SEVERITY_RANK[fail_on or configured_fail_on]
    failing = [f for f in result.findings if SEVERITY_RANK[f.severity] >= threshold]
    sys.exit(EXIT_FINDINGS if failing and not exit_zero else EXIT_OK)


def _result(findings: list[Finding], notes: list[Note], info: HistoryInfo, top: str,
            settings: Settings) -> ScanResult:

    order = sorted(findings, key=lambda f: (getattr(f, "author_date", ""), f.path, f.line, f.column))
    shown = [f for f in order if not f.suppressed]
    suppressed = [f for f in order if f.suppressed]
    baselined: list[Finding] = []
    if settings.baseline is not None:
        shown, baselined = settings.baseline.split(shown, top)
    return ScanResult(shown, notes, info.blobs, info.binary, top, suppressed, baselined)


def _write_baseline(path: str, result: ScanResult) -> None:

    accepted = result.findings + result.baselined
    try:
        write_baseline(path, accepted)
    except BaselineError as exc:
        fail(str(exc))
    plural = "s" if len(accepted) != 1 else ""
    echo(f"oai-lint: wrote {len(accepted)} finding{plural} to the baseline {path}; run with --baseline "
         f"{path} to report only new ones", err=True)
    sys.exit(EXIT_OK)


def _report(result: ScanResult, info: HistoryInfo, fmt: str, output: str | None, verbose: bool,
            sarif_category: str, sarif_include_suppressed: bool, settings: Settings) -> None:
    color = output is None and fmt == "text" and want_color()
    text = render(fmt, result, info, color=color, verbose=verbose, category=sarif_category,
                  include_suppressed=sarif_include_suppressed,
                  severity_overrides=settings.severity)
    write(text, output, color)
