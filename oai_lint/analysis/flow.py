"""What the Python and the JS/TS flow analyses share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ClientCall:
    """A call through an OpenAI client (a Python AST node or a tree-sitter node), found by following the
    client from where it is built."""

    node: Any
    covered: bool  # known to be covered whatever surrounds it (``.with_retry()``, a retried helper)
