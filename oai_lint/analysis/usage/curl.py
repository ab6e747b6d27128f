"""Usage in curl commands (shell, Makefiles, Dockerfiles, YAML and Markdown examples)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oai_lint.analysis.ids import header_role
from oai_lint.analysis.usage.model import FileUsage, Header, Use, Val, admin_url
from oai_lint.analysis.vocab import (
    OPENAI_HOST,
)
from oai_lint.lazyre import lazy_compile

if TYPE_CHECKING:
    from oai_lint.sources import Source
    from oai_lint.sources.curl import CurlCommand  # parsed (and imported) only for files with curl commands


def curl_usage(source: Source, out: FileUsage) -> None:
    cmd: CurlCommand
    for cmd in source.curl_commands:
        headers = []
        for h in cmd.headers:
            role = header_role(h.name) or ""
            value_col = h.column + len(h.name) + 1
            val = _shell_val(h.value, h.line, value_col)
            header = Header(h.name, role, val, h.line, h.column, h.column + len(h.name))
            headers.append(header)
            if role and role != "authorization":
                out.headers.append(header)
        if not cmd.targets(OPENAI_HOST):
            continue
        use = Use("raw", "curl", cmd.line, cmd.column, cmd.line, cmd.column + 4, raw=True,
                  known=cmd.headers_known, headers=headers, auth_option=cmd.auth_option,
                  presence_known=cmd.headers_known, docs=cmd.in_docs, admin=admin_url(cmd.urls))
        if cmd.bearer_option is not None:
            use.api_key = _shell_val(cmd.bearer_option, cmd.line, cmd.column)
        out.uses.append(use)


_SHELL_VAR = lazy_compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)|\$\(([A-Za-z_][A-Za-z0-9_]*)\)|"
                        r"\$\{\{\s*(?:env|secrets|vars)\.([A-Za-z_][A-Za-z0-9_]*)")


def _shell_val(value: str, line: int, column: int) -> Val:
    """A header value written in a shell command: the literal text up to the first ``$`` expansion."""
    head, dollar, _ = value.partition("$")
    return Val(line, column, line, column + len(value), text=head if dollar else value, exact=not dollar,
               env=_shell_env(value))


def _shell_env(value: str) -> str | None:
    m = _SHELL_VAR.search(value)
    if m is None:
        return None
    return m.group(1) or m.group(2) or m.group(3)
