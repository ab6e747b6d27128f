"""Hits become findings: the rule's texts, severity overrides, per-file ignores, suppressions,
fingerprints (for baselines and SARIF), and detect-secrets' audited strings."""

from __future__ import annotations

import os
from collections.abc import Iterable

from oai_lint.discover import display_path, excluded
from oai_lint.engine.settings import Settings
from oai_lint.findings import Finding, Hit, fingerprint
from oai_lint.redaction import redact as redact_text
from oai_lint.ruleset import RuleInfo, matches, rule_info
from oai_lint.sources import Source
from oai_lint.suppress import Suppression, secret_rule
from oai_lint.suppress.meta import suppressible

MAX_CONTEXT = 4096


def materialize(settings: Settings, source: Source, hits: Iterable[Hit],
                sups: dict[int, list[Suppression]]) -> list[Finding]:
    """The findings of a file's hits, in order of place; ``sups``: the file's suppression comments by line."""
    audited = settings.audited_not_secret.get(os.path.normcase(os.path.abspath(source.abspath)))
    ignored_here = [
        rid for pattern, rids in settings.per_file_ignores.items()
        if excluded(source.path, [pattern]) for rid in rids
    ]
    out: list[Finding] = []
    # what leaves the process is redacted here, before any reporter shortens it: a key in the path, in a
    # message's source excerpt (a callee, a requirement, an argument), in a suppression's reason; and
    # what a message quotes is printable (a file name's new line or escape sequence forged report lines)
    path = redact_text(source.path)
    occurrences: dict[tuple[str, str, str], int] = {}
    for hit in sorted(set(hits), key=lambda h: (h.line, h.column, h.rule_id, h.key)):
        if ignored_here and matches(hit.rule_id, ignored_here):
            continue
        rule: RuleInfo = rule_info(hit.rule_id)
        severity = settings.severity.get(hit.rule_id) or hit.severity or rule.severity
        context_line = _context(source.line_text(hit.line), hit)
        occ_key = (hit.rule_id, hit.key, " ".join(context_line.split()))
        occurrences[occ_key] = occ = occurrences.get(occ_key, 0) + 1
        suppression = None
        if suppressible(hit.rule_id):
            suppression = next((s for s in sups.get(hit.line, []) if s.covers(hit.rule_id)), None)
        finding = Finding(
            path=path,
            line=hit.line,
            column=hit.column,
            rule_id=hit.rule_id,
            severity=severity,
            message=redact_text(rule.render_message({k: outgoing(v) for k, v in hit.params.items()})),
            end_line=hit.end_line or hit.line,
            end_column=hit.end_column or hit.column,
            title=rule.title,
            fix=rule.fix,
            doc_url=rule.doc_url,
            fingerprint=fingerprint(hit.rule_id, source.path, hit.key, context_line, occ),
            suppressed=suppression is not None,
            suppression_reason=outgoing(suppression.reason) if suppression else "",
            content_fingerprint=fingerprint(hit.rule_id, "", hit.key, context_line, occ),
        )
        if suppression is not None:
            suppression.used = True
        if audited and secret_rule(hit.rule_id) and _audited(source, hit, audited):
            continue  # detect-secrets' baseline says a person audited this string: not a secret
        out.append(finding)
    return out


def outgoing(text: str) -> str:
    """Text from the scanned files as a message may quote it: redacted, then with every control or
    unprintable character (and every byte that is not UTF-8) shown as an escape."""
    return display_path(redact_text(text))


def _audited(source: Source, hit: Hit, hashes: frozenset[str]) -> bool:
    """Whether a string on the finding's lines is one detect-secrets' baseline marks as audited and not
    a secret (it stores the SHA-1 of the string its plugin matched, which may be a key, a quoted value
    or a token, so each of those is tried)."""
    from oai_lint.secrets_baseline import candidate_hashes  # hashlib: only with a secrets baseline

    text = "\n".join(source.line_text(n) for n in range(max(hit.line, 1), max(hit.end_line, hit.line) + 1))
    return not hashes.isdisjoint(candidate_hashes(text))


def _context(line: str, hit: Hit) -> str:
    """The text a fingerprint hashes: the hit's line, or on a very long line (a minified bundle, a data
    blob) the hit with up to 200 characters either side; hashing a 50 MB line cost 500 MB of memory."""
    if len(line) <= MAX_CONTEXT:
        return line
    end = hit.end_column if hit.end_line in (0, hit.line) and hit.end_column > hit.column else hit.column
    return line[max(0, hit.column - 201) : end + 199]
