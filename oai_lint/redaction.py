"""The redaction every string that leaves the process passes through (reports, notes, errors, baselines).

Light on purpose (it is on every run's path): text with neither ``sk-`` nor the key marker is returned as
it is, without importing the key recogniser (:func:`oai_lint.analysis.keys.redact_text`), which does the
rest: recognised keys and near-misses shown as their prefix and last four characters.
"""

from __future__ import annotations

MARKER = "T3BlbkFJ"  # as oai_lint.analysis.keys.MARKER


def redact(text: str) -> str:
    if "sk-" not in text and MARKER not in text:
        return text
    from oai_lint.analysis.keys import redact_text

    return redact_text(text)
