"""OAI106: a .env file with the OpenAI key that git does not ignore."""

from __future__ import annotations

from collections.abc import Iterator

from oai_lint.analysis.names import is_key_var, is_placeholder_value
from oai_lint.checks import Context, check
from oai_lint.findings import Hit
from oai_lint.sources import Source, is_env_template


@check("OAI106", kinds={"env"}, triggers=(b"OPENAI", b"openai"))
def committed_env_file(source: Source, ctx: Context) -> Iterator[Hit]:
    """A .env file that sets the key and is not git-ignored (it is, or will be, committed)."""
    if is_env_template(source.name):
        return
    entries = [e for e in source.env_entries if is_key_var(e.name) and not is_placeholder_value(e.value)]
    if not entries or ctx.git_ignored(source.abspath) is not False:
        return
    for e in source.env_entries:
        if is_key_var(e.name) and not is_placeholder_value(e.value):
            yield Hit("OAI106", e.line, e.column, e.line, e.column + len(e.name),
                      params={"name": e.name, "file": source.name}, key=e.name)
            return
