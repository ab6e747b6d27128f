"""OAI407: an API path, SDK method or beta header of an endpoint that OpenAI has shut down (where code names
it: :mod:`oai_lint.analysis.endpoints`). Endpoints announced but still live on the scan's date are OAI406."""

from __future__ import annotations

from oai_lint.analysis import deprecations, endpoints
from oai_lint.findings import Hit


def hit(use: endpoints.EndpointUse, found: deprecations.Lookup) -> Hit:
    entry = found.entry
    assert entry is not None
    params = {
        "endpoint": use.shown,
        "name": entry.name or entry.id,
        "shutdown": entry.shutdown.isoformat(),
        "replacement": deprecations.replacement_phrase(found),
    }
    return Hit("OAI407", use.line, use.column, use.line, use.end_column, params=params, key=use.entry_id)
