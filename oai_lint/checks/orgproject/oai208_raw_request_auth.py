"""OAI208: a raw request to api.openai.com (fetch, requests, curl…) without a valid Authorization header."""

from __future__ import annotations

from collections.abc import Iterator

from oai_lint.analysis.ids import keyish_name
from oai_lint.analysis.usage import Use, Val
from oai_lint.findings import Hit

# The schemes the API accepts: `Bearer <key>` (documented) and `Basic base64(":<key>")` (the key as the
# password of an empty user; reference facts, checked 2026-12-05).
_SCHEMES = ("bearer ", "basic ")


def _lacks_bearer(val: Val) -> bool:
    if val.none:
        return False
    if val.text:
        return not val.text.lstrip().lower().startswith(_SCHEMES)
    if val.exact:
        return False
    return keyish_name(val.env) or keyish_name(val.name)


def use_hits(use: Use, severity: str | None) -> Iterator[Hit]:
    auth = use.header("authorization")
    if auth is None:
        if not use.presence_known or use.auth_option:
            return
        azure = next((h.name for h in use.headers if h.name.lower() == "api-key"), None)
        problem = "sends no Authorization header"
        if azure:
            problem += f" (`{azure}` is Azure OpenAI's header; api.openai.com reads only `Authorization`)"
        yield Hit("OAI208", use.line, use.column, use.end_line, use.end_column,
                  params={"label": use.label, "problem": problem}, key=f"{use.label}:missing",
                  severity=severity)
        return
    if auth.value is not None and _lacks_bearer(auth.value):
        yield Hit("OAI208", auth.line, auth.column, auth.line, auth.end_column,
                  params={"label": use.label, "problem": "sends the key in the Authorization header "
                                                         "without the `Bearer ` scheme"},
                  key=f"{use.label}:bearer", severity=severity)
