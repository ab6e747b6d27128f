"""detect-secrets' ``.secrets.baseline``: strings a person audited as "not a secret" are not reported.

The baseline stores, per file, the SHA-1 of each string a detect-secrets plugin matched, and after
``detect-secrets audit`` an ``is_secret`` verdict. Only entries with ``"is_secret": false`` are used;
entries never audited, or audited as real secrets, change nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable

from oai_lint.lazyre import lazy_compile

DEFAULT_NAME = ".secrets.baseline"
_QUOTED = lazy_compile(r"""(["'`])(.+?)\1""")
_TOKEN = lazy_compile(r"""[^\s"'`=:,;()\[\]{}<>]+""")


class SecretsBaselineError(Exception):
    pass


def load(path: str) -> dict[str, frozenset[str]]:
    """Absolute, normcased file path -> SHA-1 hashes of strings audited as not secrets."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise SecretsBaselineError(
            f"{path}: cannot read the detect-secrets baseline: {exc.strerror}"
        ) from exc
    except ValueError as exc:
        raise SecretsBaselineError(f"{path}: not a detect-secrets baseline (invalid JSON: {exc})") from exc
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, dict):
        raise SecretsBaselineError(f"{path}: not a detect-secrets baseline (no \"results\" object)")
    base = os.path.dirname(os.path.abspath(path))
    out: dict[str, set[str]] = {}
    for filename, entries in results.items():
        if not isinstance(entries, list):
            continue
        hashes = {
            str(e["hashed_secret"]) for e in entries
            if isinstance(e, dict) and e.get("is_secret") is False and isinstance(e.get("hashed_secret"), str)
        }
        if hashes:
            key = os.path.normcase(os.path.abspath(os.path.join(base, str(filename))))
            out.setdefault(key, set()).update(hashes)
    return {k: frozenset(v) for k, v in out.items()}


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()  # detect-secrets' format, not a security use


def candidate_hashes(text: str) -> set[str]:
    """SHA-1 of every string on these lines that a detect-secrets plugin could have recorded: what its
    OpenAI plugin matches (a key, cut 20 characters after the marker), quoted values and bare tokens."""
    candidates: set[str] = {m.group(2) for m in _QUOTED.finditer(text)}
    candidates.update(m.group(0) for m in _TOKEN.finditer(text))
    candidates.update(_openai_matches(text))
    return {_sha1(c) for c in candidates}


def _openai_matches(text: str) -> Iterable[str]:
    try:
        from detect_secrets.plugins.openai import OpenAIDetector
    except ImportError:  # pragma: no cover - detect-secrets is a dependency
        return ()
    return list(OpenAIDetector().analyze_string(text))
