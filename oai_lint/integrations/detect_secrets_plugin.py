"""A detect-secrets plugin that finds OpenAI keys the way oai-lint does.

detect-secrets 1.5's own OpenAI plugin misses ``sk-proj-``/``sk-svcacct-``/``sk-None-`` long keys and
truncates admin keys. Teams that keep a ``.secrets.baseline`` can add this detector to it::

    detect-secrets scan --no-verify \\
        --plugin "$(python -c 'import oai_lint.integrations.detect_secrets_plugin as m; print(m.__file__)')" \\
        --disable-filter detect_secrets.filters.heuristic.is_indirect_reference

(detect-secrets' ``is_indirect_reference`` filter drops ``OpenAI(api_key="sk-…")`` lines before any
plugin sees them.)

It never verifies keys (no network calls).
"""

from __future__ import annotations

import re
from collections.abc import Generator
from typing import Any

from detect_secrets.plugins.base import RegexBasedDetector

from oai_lint.analysis.keys import find_keys


class OAILintOpenAIKeyDetector(RegexBasedDetector):
    """OpenAI API keys in every known format (oai-lint's recogniser)."""

    secret_type = "OpenAI API Key (oai-lint)"
    # detect-secrets requires a denylist; the real work is in analyze_string
    denylist = (re.compile(r"sk-[A-Za-z0-9_-]*T3BlbkFJ[A-Za-z0-9_-]+"),)

    def analyze_string(self, string: str) -> Generator[str, None, None]:
        for key in find_keys(string):
            yield string[key.start : key.end]

    def verify(self, *args: Any, **kwargs: Any) -> Any:  # pragma: no cover - never called with --no-verify
        from detect_secrets.constants import VerifiedResult

        return VerifiedResult.UNVERIFIED
