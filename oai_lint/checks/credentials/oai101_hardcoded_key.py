"""OAI101: an OpenAI API key written in a file (plain, or base64-encoded), also in a notebook's saved outputs."""

from __future__ import annotations

from collections.abc import Iterator

from oai_lint.analysis.keys import find_encoded_keys, find_keys
from oai_lint.checks import Context, check
from oai_lint.findings import Hit
from oai_lint.sources import Source

_IN_OUTPUT = " (printed in a saved cell output: clear the notebook's outputs too)"


def _notebook_source_lines(source: Source) -> set[int] | None:
    """The .ipynb lines that hold cell sources; a key elsewhere sits in an output or in metadata."""
    if source.kind != "notebook":
        return None
    nb = source.notebook
    if nb is None:
        return None
    return {line for cell in nb.cells for line in cell.file_lines}


@check("OAI101", triggers=(b"T3BlbkFJ",), text_level=True)
def hardcoded_key(source: Source, ctx: Context) -> Iterator[Hit]:
    code_lines = _notebook_source_lines(source)
    for key in find_keys(source.text):
        line, col = source.position(key.start)
        end_line, end_col = source.position(key.end)
        where = "" if code_lines is None or line in code_lines else _IN_OUTPUT
        yield Hit(
            "OAI101", line, col, end_line, end_col,
            params={"kind": key.kind, "redacted": key.redacted, "where": where},
            key=key.redacted, severity=key.severity,
        )


# Base64-encoded keys: Kubernetes Secret data, CI variables, config blobs. Not looked for in Markdown,
# where base64 blobs are images and examples (and a prose scan for "c2st" would cost every doc a pass).


_ENCODED_KINDS = {"yaml", "json", "env", "toml", "ini", "text", "shell", "dockerfile", "notebook", "python",
                  "javascript", "typescript", "tsx", "makefile", "requirements"}


@check("OAI101", kinds=_ENCODED_KINDS, triggers=(b"c2st",), text_level=True)
def encoded_key(source: Source, ctx: Context) -> Iterator[Hit]:
    for start, end, key in find_encoded_keys(source.text):
        line, col = source.position(start)
        end_line, end_col = source.position(end)
        yield Hit(
            "OAI101", line, col, end_line, end_col,
            params={"kind": key.kind, "redacted": key.redacted, "where": " (base64-encoded)"},
            key=key.redacted, severity=key.severity,
        )


# A key as a file or directory name: the engine offers each path that holds a trigger of a check of the
# kind "path" as a source whose text is the path (oai_lint.engine.scanner). The path is redacted wherever
# it is printed; this finding says that the name itself must change (and that history keeps it).


@check("OAI101", kinds=("path",), triggers=(b"T3BlbkFJ",), text_level=True)
def key_in_path(source: Source, ctx: Context) -> Iterator[Hit]:
    for key in find_keys(source.text):
        yield Hit(
            "OAI101", 1, 1,
            params={"kind": key.kind, "redacted": key.redacted, "where": " in the file's path (rename it)"},
            key=f"path:{key.redacted}", severity=key.severity,
        )
