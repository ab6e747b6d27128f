"""OAI403: a dependency pin that installs an old OpenAI SDK (openai<1 for Python, openai<4 for Node)."""

from __future__ import annotations

from collections.abc import Iterator

from oai_lint.analysis.versions import npm_spec_below, python_spec_below
from oai_lint.checks import Context, check
from oai_lint.findings import Hit
from oai_lint.sources import Source

_DEP_KINDS = {
    "requirements",
    "toml",
    "ini",
    "python",
    "json",
    "yaml",
    "shell",
    "dockerfile",
    "makefile",
    "notebook",
}


@check("OAI403", kinds=_DEP_KINDS, triggers=(b"openai",))
def legacy_pin(source: Source, ctx: Context) -> Iterator[Hit]:
    for dep in source.dependencies:
        if dep.key != "openai" or not dep.spec:
            continue
        if dep.style == "npm":
            if not npm_spec_below(dep.spec, 4):
                continue
            sdk = "openai-node before v4 (Configuration/OpenAIApi, no retries)"
            pinned = f"openai@{dep.spec}"
        else:
            if not python_spec_below(dep.spec.split(" ")[0] if dep.style == "conda" else dep.spec, 1):
                continue
            sdk = "openai-python before 1.0 (removed API, no 429 retries)"
            pinned = (
                f'openai = "{dep.spec}"'
                if dep.style == "poetry"
                else (f"openai{'' if dep.spec[:1] in '<>=!~' else ' '}{dep.spec}")
            )
        yield Hit(
            "OAI403",
            dep.line,
            dep.column,
            dep.line,
            dep.end_column,
            params={"pin": pinned, "where": dep.origin, "sdk": sdk},
            key=pinned,
        )
