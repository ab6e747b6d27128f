"""oai-lint's own baseline: accept today's findings, report only new ones.

Findings are matched by their content fingerprint (rule, path, the finding's key such as a redacted
key or a variable name, the whitespace-normalised text of its line, and its occurrence among identical
lines), never by line number: code that moves up or down stays baselined; a changed line is new.

A renamed file: when a baseline entry's file no longer exists, a finding with the same content in
another file matches it (path-independent fingerprint), so ``git mv`` keeps findings baselined. A copy
(the old file still exists) is new: a key copied into a second file is a second leak.

The file is sorted and has no timestamp, so rewriting it without changes gives the same bytes.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections import Counter
from dataclasses import dataclass

from oai_lint.analysis.keys import redact_text
from oai_lint.findings import Finding

FORMAT = 1


class BaselineError(Exception):
    pass


@dataclass(frozen=True)
class Entry:
    """One baselined finding: its rule, path and content fingerprint."""
    fingerprint: str
    content_fingerprint: str
    rule_id: str
    path: str
    line: int  # where it was when the baseline was written; for people, not for matching
    message: str


@dataclass
class Baseline:
    """The findings a baseline file accepts (reported as baselined, not as findings)."""
    entries: list[Entry]

    def split(self, findings: list[Finding], root: str) -> tuple[list[Finding], list[Finding]]:
        """(new findings, baselined findings)."""
        left = Counter(e.fingerprint for e in self.entries)
        new: list[Finding] = []
        baselined: list[Finding] = []
        for f in findings:
            if left[f.fingerprint] > 0:
                left[f.fingerprint] -= 1
                baselined.append(f)
            else:
                new.append(f)
        if not new:
            return new, baselined
        # entries not matched whose file is gone: their findings may live on in a renamed file
        moved: Counter[str] = Counter()
        for e in self.entries:
            if left[e.fingerprint] > 0 and e.content_fingerprint and not _exists(root, e.path):
                left[e.fingerprint] -= 1
                moved[e.content_fingerprint] += 1
        still_new: list[Finding] = []
        for f in new:
            if f.content_fingerprint and moved[f.content_fingerprint] > 0:
                moved[f.content_fingerprint] -= 1
                baselined.append(f)
            else:
                still_new.append(f)
        baselined.sort(key=lambda f: (f.path, f.line, f.column, f.rule_id))
        return still_new, baselined


def _exists(root: str, path: str) -> bool:
    return os.path.lexists(path if os.path.isabs(path) else os.path.join(root, path))


def load(path: str) -> Baseline:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError as exc:
        raise BaselineError(
            f"{path}: baseline file not found (create it with --write-baseline {path})"
        ) from exc
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc.strerror}") from exc
    except ValueError as exc:
        raise BaselineError(f"{path}: not an oai-lint baseline (invalid JSON: {exc})") from exc
    if not isinstance(data, dict) or data.get("tool") != "oai-lint" or not isinstance(data.get("findings"),
                                                                                      list):
        raise BaselineError(f"{path}: not an oai-lint baseline (written by --write-baseline)")
    if data.get("format") != FORMAT:
        raise BaselineError(
            f"{path}: baseline format {data.get('format')!r} is not supported (expected {FORMAT})"
        )
    entries = []
    for item in data["findings"]:
        try:
            entries.append(Entry(
                fingerprint=str(item["fingerprint"]),
                content_fingerprint=str(item.get("content_fingerprint", "")),
                rule_id=str(item["rule_id"]),
                path=str(item["path"]),
                line=int(item.get("line", 0)),
                message=str(item.get("message", "")),
            ))
        except (KeyError, TypeError, ValueError) as exc:
            raise BaselineError(f"{path}: malformed baseline entry {redact_text(repr(item))[:120]}") from exc
    return Baseline(entries)


def dumps(findings: list[Finding]) -> str:
    items = [
        {
            "rule_id": f.rule_id,
            "path": f.path,
            "line": f.line,
            "message": f.message,  # messages never hold a secret (keys are redacted)
            "fingerprint": f.fingerprint,
            "content_fingerprint": f.content_fingerprint,
        }
        for f in sorted(findings, key=lambda f: (f.path, f.line, f.column, f.rule_id, f.fingerprint))
    ]
    doc = {
        "tool": "oai-lint",
        "format": FORMAT,
        "about": "Findings accepted when this baseline was written; `oai-lint --baseline FILE` reports only "
                 "findings not in it. Matching uses the fingerprints, not the line numbers.",
        "findings": items,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def write(path: str, findings: list[Finding]) -> None:
    tmp = f"{path}.tmp{os.getpid()}"
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(redact_text(dumps(findings)))  # as everything that leaves the process
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise BaselineError(f"{path}: cannot write the baseline: {exc.strerror or exc}") from exc
