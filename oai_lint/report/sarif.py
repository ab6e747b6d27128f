"""SARIF 2.1.0 for GitHub code scanning (and any other SARIF viewer).

What GitHub reads, and how this file meets it (see README, "GitHub code scanning"):

- one run, always, even with no results: an empty ``results`` closes the open alerts of the category;
- every rule of oai-lint in ``tool.driver.rules`` (not only those with results), each with short and
  full description, ``help.text`` and ``help.markdown`` (why, fix, example), ``helpUri``, tags,
  precision. The security rules (the ``credentials`` family: leaked keys) carry the ``security`` tag and
  ``security-severity`` (critical 9.5, high 8.0, medium 5.5, low 2.0: well inside GitHub's bands); every
  other rule (organization settings, retries, legacy SDK usage, the ``meta`` rules about oai-lint's own
  comments) and ``info`` rules carry ``problem.severity``: GitHub shows them as quality alerts, not as
  security alerts. ``informationUri`` and the meta rules' ``helpUri`` (oai-lint's own documentation)
  come from the package's ``[project.urls]``;
- results with ``ruleId``, ``ruleIndex``, ``level``, a message whose first sentence is the alert title,
  URIs relative to the repository root with ``uriBaseId: "%SRCROOT%"``;
- ``partialFingerprints`` carries oai-lint's own content fingerprint under ``oai-lint/v1``;
  ``primaryLocationLineHash`` is left to the upload action, which computes it from the checked-out file;
- suppressed findings are left out (GitHub ignores SARIF suppressions and would open alerts for them)
  unless asked for, and then carry ``suppressions``;
- at most 25,000 results per run (GitHub's limit), the most severe kept, with a notification saying so;
- ``automationDetails.id`` is ``<category>/``; a value in the file wins over the upload action's
  ``category`` input, so the category is chosen here (``--sarif-category``).

No snippet of the scanned code is included: the line of a finding may hold the key itself.
"""

from __future__ import annotations

import json
import os
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from oai_lint import __version__
from oai_lint.analysis.keys import find_encoded_keys, find_keys
from oai_lint.discover import _git_root, display_path
from oai_lint.findings import SEVERITY_RANK
from oai_lint.ruleset.load import Example, Rule, all_rules

if TYPE_CHECKING:
    from oai_lint.engine import ScanResult
    from oai_lint.findings import Finding

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
# Where the SARIF file says to learn about oai-lint when the package names no home page ([project.urls])
FALLBACK_INFORMATION_URI = "https://pypi.org/project/oai-lint/"
# Rules that are security rules for GitHub (security-severity, the `security` tag): the leaked keys
SECURITY_FAMILIES = frozenset({"credentials"})
FINGERPRINT_KEY = "oai-lint/v1"
MAX_RESULTS = 25_000
MAX_TEXT = 1024  # GitHub's limit for shortDescription and fullDescription
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "2.0"}
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}


def render(result: ScanResult, *, color: bool = False, verbose: bool = False, category: str = "oai-lint",
           include_suppressed: bool = False, severity_overrides: dict[str, str] | None = None,
           **_: Any) -> str:
    doc = build(result, category=category, include_suppressed=include_suppressed,
                severity_overrides=severity_overrides)
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    # file names that are not UTF-8 reach messages as lone surrogates: SARIF must be valid UTF-8
    return text.encode("utf-8", "replace").decode("utf-8")


def build(result: ScanResult, *, category: str = "oai-lint", include_suppressed: bool = False,
          severity_overrides: dict[str, str] | None = None, max_results: int = MAX_RESULTS) -> dict[str, Any]:
    overrides = severity_overrides or {}
    home = project_url()
    rules = all_rules()
    index = {r.id: i for i, r in enumerate(rules)}
    base = _source_root(result.root)

    findings = list(result.findings)
    if include_suppressed:
        findings += result.suppressed
        findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule_id))
    notifications = [_notification(n.kind, f"{display_path(n.path)}: {n.message}") for n in result.notes]
    if len(findings) > max_results:
        by_severity = sorted(range(len(findings)), key=lambda i: (-SEVERITY_RANK[findings[i].severity], i))
        keep = by_severity[:max_results]
        omitted = len(findings) - max_results
        findings = [findings[i] for i in sorted(keep)]
        notifications.insert(0, _notification(
            "warning",
            f"{omitted} of {omitted + max_results} results were left out: GitHub code scanning accepts at "
            f"most {max_results:,} results per run. The most severe were kept; run oai-lint locally for all.",
        ))

    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "oai-lint",
                "semanticVersion": __version__,
                "version": __version__,
                "rules": [_rule(r, overrides.get(r.id, r.severity), home) for r in rules],
            }
        },
        "automationDetails": {"id": f"{category.rstrip('/')}/"},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(base).as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
        "results": [_result(f, index[f.rule_id], base, result.root) for f in findings if f.rule_id in index],
    }
    if not notifications:
        del run["invocations"][0]["toolExecutionNotifications"]
    run["tool"]["driver"]["informationUri"] = home or FALLBACK_INFORMATION_URI
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _source_root(root: str) -> str:
    """The repository's top directory (GitHub wants URIs relative to it), else the scan root."""
    return os.path.abspath(_git_root(root) or root)


def _notification(kind: str, text: str) -> dict[str, Any]:
    level = {"error": "error", "warning": "warning"}.get(kind, "note")
    return {"level": level, "message": {"text": _sentence(text)}}


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "?", "!")) else text + "."


def _truncate(text: str, limit: int = MAX_TEXT) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def project_url() -> str | None:
    """The project's home page from the installed package's metadata (``[project.urls]`` in
    pyproject.toml: Homepage, Documentation, Repository or Source), or None: the SARIF file then names
    no page rather than one that does not exist."""
    try:
        urls = metadata.metadata("oai-lint").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    found = dict(u.split(", ", 1) for u in urls if ", " in u)
    by_label = {k.strip().lower(): v.strip() for k, v in found.items()}
    return next((by_label[k] for k in ("homepage", "documentation", "repository", "source") if k in by_label),
                None)


def _rule(rule: Rule, severity: str, home: str | None = None) -> dict[str, Any]:
    level = LEVEL[severity]
    security = rule.family in SECURITY_FAMILIES
    tags = [t for t in dict.fromkeys([*rule.tags, rule.family]) if t != "security"]
    props: dict[str, Any] = {
        "tags": (["security"] if security else []) + tags[:19 if security else 20],
        "precision": rule.precision,
    }
    if security and severity in SECURITY_SEVERITY:
        props["security-severity"] = SECURITY_SEVERITY[severity]
    else:
        props["problem.severity"] = PROBLEM_SEVERITY[level]
    # the meta rules are about oai-lint's own comments: their documentation is oai-lint's, when known
    help_uri = rule.doc_url if rule.family != "meta" else (f"{home}#suppressions" if home else None)
    out: dict[str, Any] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": _sentence(_truncate(rule.title))},
        "fullDescription": {"text": _sentence(_truncate(rule.description))},
        "help": {"text": _help_text(rule), "markdown": _help_markdown(rule, severity)},
        "helpUri": help_uri,
        "defaultConfiguration": {"level": level},
        "properties": props,
    }
    if help_uri is None:
        del out["helpUri"]
    return out


def _redact(code: str) -> str:
    """The examples hold realistic fake keys; SARIF viewers show help to everyone: redact them."""
    spans = [(k.start, k.end, k.redacted) for k in find_keys(code)]
    spans += [(s, e, k.redacted + " (base64)") for s, e, k in find_encoded_keys(code)]
    for start, end, text in sorted(spans, reverse=True):
        code = code[:start] + text + code[end:]
    return code


_LANG = {"py": "python", "ipynb": "json", "js": "javascript", "jsx": "jsx", "ts": "typescript", "tsx": "tsx",
         "yml": "yaml", "yaml": "yaml", "json": "json", "toml": "toml", "sh": "sh", "md": "markdown",
         "env": "sh"}


def _fence(ex: Example) -> str:
    name = ex.path.rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    lang = _LANG.get(ext, "dockerfile" if name.lower().startswith("dockerfile") else "")
    if name.startswith(".env"):
        lang = "sh"
    code = _redact(ex.code.rstrip())
    fence = "````" if "```" in code else "```"
    return f"`{ex.path}`:\n\n{fence}{lang}\n{code}\n{fence}"


def _help_markdown(rule: Rule, severity: str) -> str:
    parts = [
        f"**{rule.title}** — `{rule.id}` `{rule.name}`, {rule.family}, severity {severity}",
        rule.description,
        "## Why is this a problem?",
        rule.why,
        "## How to fix",
        rule.fix,
    ]
    if rule.bad:
        parts += ["## Example", _fence(rule.bad[0])]
    if rule.good:
        parts += ["## Use instead", _fence(rule.good[0])]
    if rule.notes:
        parts += ["## Notes", rule.notes]
    parts += ["## References",
              f"- [{rule.doc_url}]({rule.doc_url})\n- `oai-lint rule {rule.id}` shows every example"]
    return "\n\n".join(p.strip() for p in parts) + "\n"


def _help_text(rule: Rule) -> str:
    parts = [f"{rule.title} ({rule.id})", "Why: " + rule.why.strip(), "Fix: " + rule.fix.strip()]
    if rule.bad:
        ex = rule.bad[0]
        code = "\n".join("    " + line for line in _redact(ex.code.rstrip()).splitlines())
        parts.append(f"Example ({ex.path}):\n{code}")
    parts.append(f"More: {rule.doc_url}")
    return "\n\n".join(parts) + "\n"


def _uri(path: str, base: str, scan_root: str) -> tuple[str, bool]:
    """(URI, relative to %SRCROOT%?) for a finding's path (relative to the scan root, or absolute)."""
    absolute = path if os.path.isabs(path) else os.path.join(scan_root, path)
    absolute = os.path.abspath(absolute)
    same_drive = os.path.splitdrive(absolute)[0] == os.path.splitdrive(base)[0]
    rel = os.path.relpath(absolute, base) if same_drive else ""
    if rel and not rel.startswith(".."):
        # undecodable bytes of a file name (surrogateescape) go back to their %XX form
        return quote(Path(rel).as_posix(), safe="/", errors="surrogateescape"), True
    return Path(absolute).as_uri(), False


def _result(f: Finding, rule_index: int, base: str, scan_root: str) -> dict[str, Any]:
    uri, relative = _uri(f.path, base, scan_root)
    artifact: dict[str, Any] = {"uri": uri}
    if relative:
        artifact["uriBaseId"] = "%SRCROOT%"
    end_line = max(f.end_line, f.line)
    end_column = f.end_column if end_line > f.line else max(f.end_column, f.column + 1)
    out: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": LEVEL[f.severity],
        "message": {"text": _sentence(f.message)},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": artifact,
                "region": {"startLine": f.line, "startColumn": max(f.column, 1), "endLine": end_line,
                           "endColumn": max(end_column, 1)},
            }
        }],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {"severity": f.severity},
    }
    if f.suppressed:
        reason = f.suppression_reason or "no reason given"
        out["suppressions"] = [{"kind": "inSource", "justification": reason}]
    return out
