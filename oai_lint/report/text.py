"""Human output in the style of ruff: ``path:line:col: ID message``, the fix, the docs, a summary."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from oai_lint.discover import display_path
from oai_lint.findings import SEVERITIES

if TYPE_CHECKING:
    from oai_lint.engine import ScanResult

_COLORS = {"critical": "\033[1;31m", "high": "\033[31m", "medium": "\033[33m", "low": "\033[36m",
           "info": "\033[34m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def render(result: ScanResult, *, color: bool = False, verbose: bool = False, compact: bool = False,
           concise: bool = False, **_: Any) -> str:
    """``compact`` (under pre-commit): findings and notes only, no summary line. pre-commit runs one
    process per batch of files and concatenates their output; one summary per batch would mislead.
    ``concise`` (``--format concise``): one line per finding, without its fix and documentation link."""
    def c(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    out: list[str] = []
    for f in result.findings:
        loc = c(_BOLD, f"{display_path(f.path)}:{f.line}:{f.column}:")
        out.append(f"{loc} {c(_COLORS.get(f.severity, ''), f.rule_id)} [{f.severity}] {f.message}")
        if not concise:
            out.append(f"  {c(_DIM, 'fix:')} {f.fix}")
            out.append(f"  {c(_DIM, 'docs:')} {f.doc_url}")
    shown_notes = [n for n in result.notes if verbose or n.kind == "error" or "parse" in n.message
                   or "not valid" in n.message or "UTF" in n.message]
    if shown_notes:
        if out:
            out.append("")
        for n in shown_notes:
            label = "error" if n.kind == "error" else "note"
            out.append(f"{c(_DIM, label + ':')} {display_path(n.path)}: {n.message}")
    if compact:
        return "".join(line + "\n" for line in out)
    if out:
        out.append("")
    counts = Counter(f.severity for f in result.findings)
    files = f"{result.files_scanned} file{'s' if result.files_scanned != 1 else ''} scanned"
    extras = []
    if result.suppressed:
        extras.append(f"{len(result.suppressed)} suppressed")
    if result.baselined:
        extras.append(f"{len(result.baselined)} in the baseline")
    hidden = len(result.notes) - len(shown_notes)
    if hidden:
        extras.append(f"{hidden} note{'s' if hidden != 1 else ''} hidden (--verbose)")
    if result.files_skipped_binary:
        extras.append(f"{result.files_skipped_binary} binary skipped")
    tail = f" ({', '.join(extras)})" if extras else ""
    if result.findings:
        by_sev = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES if counts[s])
        total = len(result.findings)
        out.append(c(_BOLD, f"Found {total} finding{'s' if total != 1 else ''} ({by_sev}); {files}{tail}."))
    else:
        out.append(f"All checks passed; {files}{tail}.")
    text = "\n".join(out)
    return text.lstrip("\n") + "\n"
