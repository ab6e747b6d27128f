"""Human output in the style of ruff: ``path:line:col: ID message``, the fix, the docs, a summary."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from oai_lint.discover import display_path
from oai_lint.findings import SEVERITIES, Finding, Note

if TYPE_CHECKING:
    from oai_lint.engine import ScanResult

# click.style's keyword arguments for each style; click is imported only to apply one (a run without
# colour, e.g. every pre-commit run, never imports it for styling)
Style = dict[str, Any]
SEVERITY_STYLES: dict[str, Style] = {"critical": {"fg": "red", "bold": True}, "high": {"fg": "red"},
                                     "medium": {"fg": "yellow"}, "low": {"fg": "cyan"}, "info": {"fg": "blue"}}
BOLD: Style = {"bold": True}
DIM: Style = {"dim": True}


class Styler:
    """The text report's styles through ``click.style``, or none: ``color`` is the caller's decision
    (:func:`oai_lint.cli.output.want_color`: a terminal that is not dumb, unless NO_COLOR or FORCE_COLOR
    says otherwise; never for ``-o FILE``)."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, style: Style, text: str) -> str:
        if not self.color or not style:
            return text
        import click

        return click.style(text, **style)


def finding_lines(f: Finding, c: Styler, concise: bool = False, extra: tuple[str, str] | None = None) -> list[str]:
    """A finding as ruff prints one: ``path:line:col: ID [severity] message``, then (unless ``concise``) an
    optional ``extra`` (label, text) line, the fix and the documentation link."""
    loc = c(BOLD, f"{display_path(f.path)}:{f.line}:{f.column}:")
    lines = [f"{loc} {c(SEVERITY_STYLES.get(f.severity, {}), f.rule_id)} [{f.severity}] {f.message}"]
    if not concise:
        if extra is not None:
            lines.append(f"  {c(DIM, extra[0] + ':')} {extra[1]}")
        lines.append(f"  {c(DIM, 'fix:')} {f.fix}")
        lines.append(f"  {c(DIM, 'docs:')} {f.doc_url}")
    return lines


def summary_tail(result: ScanResult, hidden_notes: int, binary: int) -> str:
    """`` (3 suppressed, 1 in the baseline, 2 notes hidden (--verbose), 5 binary skipped)`` or ""."""
    extras = []
    if result.suppressed:
        extras.append(f"{len(result.suppressed)} suppressed")
    if result.baselined:
        extras.append(f"{len(result.baselined)} in the baseline")
    if hidden_notes:
        extras.append(f"{hidden_notes} note{'s' if hidden_notes != 1 else ''} hidden (--verbose)")
    if binary:
        extras.append(f"{binary:,} binary skipped")
    return f" ({', '.join(extras)})" if extras else ""


def note_lines(notes: list[Note], c: Styler) -> list[str]:
    """``note: path: message`` (or ``error: …``) for each note; a note about the whole run (path ``.``)
    without a path."""
    return [f"{c(DIM, ('error' if n.kind == 'error' else 'note') + ':')} "
            f"{'' if n.path == '.' else display_path(n.path) + ': '}{n.message}" for n in notes]


def by_severity(findings: list[Finding]) -> str:
    """``2 high, 1 low``: the findings counted by severity, most severe first."""
    counts = Counter(f.severity for f in findings)
    return ", ".join(f"{counts[s]} {s}" for s in SEVERITIES if counts[s])


def render(result: ScanResult, *, color: bool = False, verbose: bool = False, compact: bool = False,
           concise: bool = False, **_: Any) -> str:
    """``compact`` (under pre-commit): findings and notes only, no summary line. pre-commit runs one
    process per batch of files and concatenates their output; one summary per batch would mislead.
    ``concise`` (``--format concise``): one line per finding, without its fix and documentation link."""
    c = Styler(color)
    out: list[str] = []
    for f in result.findings:
        out.extend(finding_lines(f, c, concise))
    shown_notes = [n for n in result.notes if verbose or n.kind == "error" or "parse" in n.message
                   or "not valid" in n.message or "UTF" in n.message]
    if shown_notes:
        if out:
            out.append("")
        out.extend(note_lines(shown_notes, c))
    if compact:
        return "".join(line + "\n" for line in out)
    if out:
        out.append("")
    files = f"{result.files_scanned} file{'s' if result.files_scanned != 1 else ''} scanned"
    tail = summary_tail(result, len(result.notes) - len(shown_notes), result.files_skipped_binary)
    if result.findings:
        total = len(result.findings)
        out.append(c(BOLD, f"Found {total} finding{'s' if total != 1 else ''} ({by_severity(result.findings)}); "
                            f"{files}{tail}."))
    else:
        out.append(f"All checks passed; {files}{tail}.")
    text = "\n".join(out)
    return text.lstrip("\n") + "\n"
