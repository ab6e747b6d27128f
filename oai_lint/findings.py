"""Findings and notes: what the pipeline produces and the reporters print."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

SEVERITIES = ("critical", "high", "medium", "low", "info")
SEVERITY_RANK = {name: rank for rank, name in enumerate(reversed(SEVERITIES))}  # info=0 … critical=4


@dataclass(frozen=True)
class Hit:
    """What a check reports: a rule id, a place and the values for the rule's message template.

    ``key`` identifies the finding independently of its line (used for fingerprints and baselines):
    a redacted key, a call name, an env var name. It must never hold a secret.
    """

    rule_id: str
    line: int
    column: int
    end_line: int = 0
    end_column: int = 0
    params: dict[str, str] = field(default_factory=dict)
    key: str = ""
    severity: str | None = None  # overrides the rule's default severity when set

    def __hash__(self) -> int:
        return hash((self.rule_id, self.line, self.column, self.key))


@dataclass(frozen=True, order=True)
class Finding:
    """A reported finding: rule, place, severity, message, fix, documentation and fingerprints."""
    path: str
    line: int
    column: int
    rule_id: str
    severity: str
    message: str
    end_line: int
    end_column: int
    title: str
    fix: str
    doc_url: str
    fingerprint: str
    suppressed: bool = False
    suppression_reason: str = ""
    # like ``fingerprint`` but without the path: lets a baseline follow a renamed file
    content_fingerprint: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "rule_id": self.rule_id,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "title": self.title,
            "message": self.message,
            "fix": self.fix,
            "doc_url": self.doc_url,
            "fingerprint": self.fingerprint,
        }


class Note(NamedTuple):
    """Something the user should know that is not a finding: a skipped file, a parse failure."""

    path: str
    message: str
    kind: str = "note"  # note | error

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "kind": self.kind, "message": self.message}


def fingerprint(rule_id: str, path: str, key: str, context: str, occurrence: int) -> str:
    """A content fingerprint: stable when code moves to other lines, changes when the content does."""
    norm = " ".join(context.split())
    # surrogatepass: paths that are not UTF-8 arrive with lone surrogates (surrogateescape)
    data = f"{rule_id}\0{path}\0{key}\0{norm}\0{occurrence}".encode("utf-8", "surrogatepass")
    digest: str = _sha256()(data).hexdigest()
    return digest[:32]


_SHA256: Any = None


def _sha256() -> Any:
    """``hashlib.sha256``, imported only when there is a finding. CPython's own SHA-256 module when it has
    one: hashlib loads OpenSSL first (2-3 ms of a pre-commit run) for the same digest."""
    global _SHA256
    if _SHA256 is None:
        import importlib

        for module in ("_sha256", "_sha2", "hashlib"):  # CPython 3.10-3.11, 3.12+, anything else
            try:
                _SHA256 = importlib.import_module(module).sha256
                break
            except (ImportError, AttributeError):
                continue
    return _SHA256
