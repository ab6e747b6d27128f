"""``oai-lint --fix``, ``--unsafe-fixes`` and ``--diff``: what ``check`` does with a scan's fixes.

``--diff`` prints a unified diff of every fix (or, with ``--format json|sarif``, the report with the fixes
attached to the findings) and writes nothing. ``--fix`` writes the fixes, lists what it fixed on stderr and
returns a fresh scan, whose findings (what remains) ``check`` reports as usual. Both fix in rounds
(``rounds``) until nothing is left to fix.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from oai_lint.analysis.deprecations import as_of
from oai_lint.analysis.keys import redact_text
from oai_lint.fix.apply import FixRun, compute, fixable, summary
from oai_lint.fix.model import UNSAFE, hunks, unified_diff
from oai_lint.fix.replacements import scan_date
from oai_lint.fix.rounds import Scan, cwd, diff_rounds, fix_rounds, work_tree

if TYPE_CHECKING:
    from oai_lint.engine import ScanResult

Echo = Callable[..., None]


def fix_or_diff(result: ScanResult, root: str, paths: tuple[str, ...], *, fix: bool, unsafe: bool, diff: bool,
                fmt: str, rescan: Scan, echo: Echo, options: dict[str, Any] | None = None,
                ) -> tuple[ScanResult, Callable[[str], str] | None]:
    """The scan to report and a function that decorates the rendered report (None: no change). ``options``:
    the configuration's options (its ``as-of`` date is the one the model fixes look replacements up on, as
    the findings did).

    Exits by itself for a text ``--diff`` (1 when something would change, else 0)."""
    with scan_date(as_of(options or {})):
        return _fix_or_diff(result, root, paths, fix=fix, unsafe=unsafe, diff=diff, fmt=fmt, rescan=rescan,
                            echo=echo)


def _fix_or_diff(result: ScanResult, root: str, paths: tuple[str, ...], *, fix: bool, unsafe: bool, diff: bool,
                 fmt: str, rescan: Scan, echo: Echo) -> tuple[ScanResult, Callable[[str], str] | None]:
    top = work_tree(root, paths or (".",))
    more = 0 if unsafe else _unsafe_count(result, root)
    if diff:
        if fmt in {"json", "sarif"}:  # the fixes of the findings reported
            run = compute(result.findings, root, unsafe)
            _print(echo, summary(run, False, unsafe, more))
            return result, lambda text: attach(text, fmt, run)
        run = diff_rounds(result, root, unsafe, rescan, top) if top else compute(result.findings, root, unsafe)
        _print(echo, summary(run, False, unsafe, more))
        echo("".join(unified_diff(f.path, f.old, f.new) for f in run.changed), nl=False)
        sys.exit(1 if run.changed else 0)
    if not fix:
        return result, None
    run, after, failed = fix_rounds(result, root, unsafe, rescan if top else None)
    _print(echo, summary(run, True, unsafe, more))
    for line in failed:
        echo(f"oai-lint: error: cannot write {line}", err=True)
    if failed:
        sys.exit(2)
    if run.changed and after is result:  # a single round: what remains
        with cwd(root):
            after = rescan(root)
    return after, None


def _print(echo: Echo, lines: list[str]) -> None:
    for line in lines:
        echo(line, err=True)


def _unsafe_count(result: ScanResult, root: str) -> int:
    """How many more findings --unsafe-fixes would fix (computed only when some rule has unsafe fixes)."""
    if not any(f.rule_id in fixable(("unsafe", "safe-and-unsafe")) for f in result.findings):
        return 0
    run = compute(result.findings, root, True)
    return sum(1 for f in run.changed for x in f.fixed if x.applicability == UNSAFE)


def fixes_of(run: FixRun) -> dict[tuple[str, str, int], list[dict[str, Any]]]:
    """(path, rule, line) -> the JSON fixes of that finding: the file's edits that touch its line, plus the
    edits that touch no fixed finding's line (imports, the client) on the first finding of the file."""
    out: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
    for f in run.changed:
        edits = hunks(f.old, f.new)
        chosen: list[tuple[tuple[str, str, int], dict[str, Any], set[int]]] = []
        used: set[int] = set()
        for x in f.fixed:
            mine = {i for i, e in enumerate(edits) if e.start_line <= x.line <= max(e.end_line, e.start_line)}
            used |= mine
            chosen.append(((f.path, x.rule_id, x.line),
                           {"applicability": x.applicability, "description": x.description}, mine))
        if chosen:
            chosen[0][2].update(i for i in range(len(edits)) if i not in used)
        for key, fx, indexes in chosen:
            fx["edits"] = [_edit_json(edits[i]) for i in sorted(indexes)]
            out.setdefault(key, []).append(fx)
    return out


def _edit_json(e: Any) -> dict[str, Any]:
    # a line kept around a fix can hold a key: reports never carry one (the edit then shows it redacted)
    return {"start_line": e.start_line, "end_line": e.end_line, "char_offset": e.start,
            "char_length": e.end - e.start, "text": redact_text(e.text)}


def attach(text: str, fmt: str, run: FixRun) -> str:
    """The rendered JSON or SARIF report with each fixable finding's fixes (SARIF ``fixes`` with
    ``artifactChanges``)."""
    data = json.loads(text)
    fixes = fixes_of(run)
    if fmt == "json":
        for finding in data.get("findings", []):
            found = fixes.get((finding.get("path"), finding.get("rule_id"), finding.get("line")))
            if found:
                finding["fixes"] = found
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    for sarif_run in data.get("runs", []):
        for res in sarif_run.get("results", []):
            loc = (res.get("locations") or [{}])[0].get("physicalLocation", {})
            uri = loc.get("artifactLocation", {}).get("uri", "")
            line = loc.get("region", {}).get("startLine")
            found = next((v for (path, rule, ln), v in fixes.items()
                          if rule == res.get("ruleId") and ln == line and _same_path(uri, path)), None)
            if found:
                res["fixes"] = [_sarif_fix(fx, loc.get("artifactLocation", {})) for fx in found]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _same_path(uri: str, path: str) -> bool:
    from urllib.parse import unquote

    uri = unquote(uri)
    return uri == path or uri.endswith("/" + path)


def _sarif_fix(fx: dict[str, Any], artifact: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": {"text": f"{fx['description']} ({fx['applicability']} fix)"},
        "artifactChanges": [{
            "artifactLocation": artifact,
            "replacements": [{"deletedRegion": {"charOffset": e["char_offset"], "charLength": e["char_length"]},
                              "insertedContent": {"text": e["text"]}} for e in fx["edits"]],
        }],
    }
