"""OAI209: a misspelled OpenAI organization or project header (``OpenAI-Org``, ``X-OpenAI-Project``…)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oai_lint.analysis.ids import (
    ORG_HEADER,
    PROJECT_HEADER,
)
from oai_lint.analysis.usage import (
    FileUsage,
)
from oai_lint.findings import Hit

if TYPE_CHECKING:
    pass




def usage_hits(usage: FileUsage, severity: str | None) -> Iterator[Hit]:
    for h in usage.headers:
        if h.role.startswith("misspelled-"):
            canonical = ORG_HEADER if h.role == "misspelled-organization" else PROJECT_HEADER
            yield Hit("OAI209", h.line, h.column, h.line, h.end_column,
                      params={"name": h.name, "canonical": canonical}, key=h.name, severity=severity)
