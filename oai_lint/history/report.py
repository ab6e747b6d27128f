"""History findings in every output format.

A history finding is an OAI101 finding (path and line in the commit that first added the key) with the
commit, its author date, how many commits and paths wrote the key, and whether HEAD still has it. The
reporters of the work-tree scan render them: JSON gets the extra fields through ``as_dict``, SARIF gets
them as result properties and the scanned HEAD as ``versionControlProvenance``, the GitHub and JUnit
formats carry them in the message. Text output has its own layout (a commit line under each finding).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from oai_lint.findings import Finding
from oai_lint.report import json_report
from oai_lint.report import render as render_report
from oai_lint.report.sarif import FINGERPRINT_KEY, build
from oai_lint.report.text import BOLD, Styler, by_severity, finding_lines, note_lines, summary_tail

if TYPE_CHECKING:
    from oai_lint.engine import ScanResult


@dataclass(frozen=True, order=True)
class HistoryFinding(Finding):
    """A key found in history: the OAI101 finding where it was first added, and its commits."""
    commit: str = ""  # full sha of the commit that first added it ("" when no commit could be named)
    author_date: str = ""  # ISO 8601, UTC
    commits: int = 0  # commits whose changes hold it
    paths: int = 0  # paths it was committed at
    at_head: bool = False  # HEAD's tree still holds it

    def as_dict(self) -> dict[str, object]:
        return {**super().as_dict(), "commit": self.commit, "author_date": self.author_date,
                "commits": self.commits, "paths": self.paths, "at_head": self.at_head}


@dataclass(frozen=True)
class HistoryInfo:
    """What the run scanned, for the summary lines and the SARIF provenance."""
    selection: str
    head: str | None
    commits: int
    blobs: int
    bytes: int
    repository_uri: str | None = None
    binary: int = 0  # file versions not read for their binary extension


def _where(f: HistoryFinding) -> str:
    state = "still at HEAD" if f.at_head else "not at HEAD"
    where = f"in {f.commits} commit{'s' if f.commits != 1 else ''}, {f.paths} path{'s' if f.paths != 1 else ''}"
    if not f.commit:
        return f"{where}, {state}"
    return f"commit {f.commit} ({f.author_date[:10]}), {where}, {state}"


def render_text(result: ScanResult, info: HistoryInfo, *, color: bool = False, compact: bool = False) -> str:
    c = Styler(color)
    out: list[str] = []
    for f in result.findings:
        out.extend(finding_lines(f, c, extra=("added", _where(f)) if isinstance(f, HistoryFinding) else None))
    if result.notes:  # all of them: few, and each says what was not scanned
        if out:
            out.append("")
        out.extend(note_lines(result.notes, c))
    if compact:
        return "".join(line + "\n" for line in out)
    if out:
        out.append("")
    scanned = (f"{info.commits:,} commit{'s' if info.commits != 1 else ''} ({info.selection}), "
               f"{info.blobs:,} file version{'s' if info.blobs != 1 else ''} scanned")
    tail = summary_tail(result, 0, info.binary)
    if result.findings:
        n = len(result.findings)
        out.append(c(BOLD, f"Found {n} key{'s' if n != 1 else ''} in history ({by_severity(result.findings)}); "
                           f"{scanned}{tail}."))
    else:
        out.append(f"No keys in history; {scanned}{tail}.")
    return "\n".join(out) + "\n"


def render(fmt: str, result: ScanResult, info: HistoryInfo, *, color: bool = False, verbose: bool = False,
           compact: bool = False, **options: Any) -> str:
    if fmt == "text":
        return render_text(result, info, color=color, compact=compact)
    if fmt == "sarif":
        return _sarif(result, info, **options)

    if fmt == "json":
        doc = json_report.build(result)
        doc["history"] = {"selection": info.selection, "head": info.head, "commits_scanned": info.commits,
                          "blobs_scanned": info.blobs, "bytes_scanned": info.bytes}
        return json_report.dumps(doc)
    return render_report(fmt, result, color=color, verbose=verbose, **options)


def _sarif(result: ScanResult, info: HistoryInfo, *, category: str = "oai-lint", include_suppressed: bool = False,
           severity_overrides: dict[str, str] | None = None, **_: Any) -> str:

    doc = build(result, category=category, include_suppressed=include_suppressed,
                severity_overrides=severity_overrides)
    run = doc["runs"][0]
    by_fingerprint: dict[str, list[HistoryFinding]] = {}
    for f in [*result.findings, *result.suppressed]:
        if isinstance(f, HistoryFinding):
            by_fingerprint.setdefault(f.fingerprint, []).append(f)
    for res in run["results"]:
        found = by_fingerprint.get(res.get("partialFingerprints", {}).get(FINGERPRINT_KEY, ""))
        if not found:
            continue
        f = found.pop(0)
        res.setdefault("properties", {}).update({
            "commitSha": f.commit, "authorDate": f.author_date, "commits": f.commits, "paths": f.paths,
            "atHead": f.at_head,
        })
    if info.head and info.repository_uri:
        run["versionControlProvenance"] = [{"repositoryUri": info.repository_uri, "revisionId": info.head}]
    run.setdefault("properties", {})["history"] = {
        "selection": info.selection, "head": info.head, "commitsScanned": info.commits,
        "blobsScanned": info.blobs,
    }
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    return text.encode("utf-8", "replace").decode("utf-8")
