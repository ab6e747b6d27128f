"""OAI406: a model, API path or beta header that OpenAI has announced for shutdown and that still works on
the scan's date. Medium when the shutdown is at most 90 days away, low beyond. The checks of
``legacy/__init__`` find the uses (models) and ``oai407_shut_down_endpoint`` the endpoints."""

from __future__ import annotations

from oai_lint.analysis import deprecations
from oai_lint.findings import Hit

SOON_DAYS = 90


def hit(line: int, column: int, end_column: int, shown: str, found: deprecations.Lookup) -> Hit:
    entry, days = found.entry, found.days_left()
    assert entry is not None and days is not None  # called for announced entries only
    when = f"no earlier than {entry.shutdown.isoformat()}" if entry.shutdown_is_earliest \
        else f"on {entry.shutdown.isoformat()}"
    params = {
        "model": shown,
        "when": when,
        "days": str(days),
        "as_of": found.as_of.isoformat(),
        "replacement": deprecations.replacement_phrase(found),
        "caveat": deprecations.caveat(found),
    }
    severity = "medium" if days <= SOON_DAYS else "low"
    return Hit("OAI406", line, column, line, end_column, params=params, key=shown, severity=severity)
