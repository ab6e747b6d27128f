"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` annotation per finding.

GitHub shows at most 10 annotations of each kind per step and 50 per job; code scanning (SARIF) has
no such limit. Paths are relative to the scan root, which in a workflow is the checkout.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from oai_lint.discover import display_path

if TYPE_CHECKING:
    from oai_lint.engine import ScanResult

COMMAND = {"critical": "error", "high": "error", "medium": "warning", "low": "notice", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: ScanResult, *, color: bool = False, verbose: bool = False, **_: Any) -> str:
    out: list[str] = []
    for f in result.findings:
        props = [
            f"file={_prop(display_path(f.path))}",
            f"line={f.line}",
            f"col={f.column}",
            f"endLine={max(f.end_line, f.line)}",
            f"endColumn={f.end_column}",
            f"title={_prop(f'{f.rule_id} {f.title}')}",
        ]
        body = f"{f.message} [{f.severity}]\nFix: {f.fix}\nDocs: {f.doc_url}"
        out.append(f"::{COMMAND[f.severity]} {','.join(props)}::{_data(body)}")
    for n in result.notes:
        if n.kind == "error" or verbose:
            kind = "warning" if n.kind == "error" else "notice"
            out.append(f"::{kind} file={_prop(display_path(n.path))},title=oai-lint::{_data(n.message)}")
    return "".join(line + "\n" for line in out)
