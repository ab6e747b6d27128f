"""What a scan produces: the result of each file, and of the whole scan."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from oai_lint.findings import Finding, Note


@dataclass
class FileResult:
    """What the scan of one file found: findings, notes, and facts for the repository."""
    findings: list[Finding] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    scanned: bool = False
    # what the file tells of its repository (a scan that gathers facts; see oai_lint.engine.facts)
    facts: Any = None
    pending: bool = False  # checks that need the repository's facts have still to run on it


# The result of a file that was scanned and has nothing to report (shared: never modified).
CLEAN = FileResult(scanned=True)


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
    # the files named on the command line that were not scanned (excluded, too large, binary…), as paths
    # relative to the root
    named_unscanned: list[str] = field(default_factory=list)
