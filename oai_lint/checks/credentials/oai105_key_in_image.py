"""OAI105: the OpenAI key baked into a Docker image (``ENV``/``ARG``)."""

from __future__ import annotations

from collections.abc import Iterator

from oai_lint.analysis.keys import is_key_literal
from oai_lint.analysis.names import is_key_var, is_placeholder_value, is_reference
from oai_lint.checks import Context, check
from oai_lint.findings import Hit
from oai_lint.sources import Source


@check("OAI105", kinds={"dockerfile"}, triggers=(b"OPENAI", b"openai"))
def key_in_image(source: Source, ctx: Context) -> Iterator[Hit]:
    """``ENV``/``ARG`` with the key: it is stored in the image's layers and history."""
    for s in source.settings:
        if not is_key_var(s.name) or is_key_literal(s.value):
            continue
        instr = "ENV" if s.context == "dockerfile-env" else "ARG"
        value = s.value.strip().strip("\"'")
        if instr == "ENV" and not is_reference(value) and is_placeholder_value(value):
            continue  # `ENV OPENAI_API_KEY=""` declares the variable; the run time sets it. An ARG, even
            # without a default, is filled with --build-arg and kept in the image history.
        yield Hit("OAI105", s.line, s.column, s.line, s.column + len(s.name),
                  params={"name": s.name, "instruction": instr}, key=f"{instr} {s.name}")
