"""OAI103 finds ``process.env.X``/``import.meta.env["X"]`` reads through ``JsTree.find`` (the per-type index,
or the query engine above INDEX_MAX_BYTES) instead of a Python walk of the whole tree: the same reads in a
small file and in one padded past the index's limit."""

from __future__ import annotations

from oai_lint.checks import Context
from oai_lint.engine import Scanner, Settings
from oai_lint.sources import Source
from oai_lint.sources import javascript as jsmod

READS = (
    "const a = process.env.NEXT_PUBLIC_OPENAI_API_KEY;\n"
    'const b = import.meta.env["VITE_OPENAI_KEY"];\n'
    "const c = process.env.NEXT_PUBLIC_REGION;\n"
    "fetch(`https://api.openai.com/v1/models`,\n"
    "  { headers: { Authorization: `Bearer ${process.env.NEXT_PUBLIC_TOKEN}` } });\n"
)


def _oai103(code: str) -> list[tuple[int, int]]:
    result = Scanner(Settings(), Context(root=".")).scan_source(Source("app.js", code))
    return sorted((f.line, f.column) for f in result.findings if f.rule_id == "OAI103")


def test_public_key_reads_are_found_below_and_above_the_index_limit() -> None:
    small = _oai103(READS)
    assert [line for line, _ in small] == [1, 2, 5]
    padding = "const pad = 1;\n" * (jsmod.INDEX_MAX_BYTES // 15 + 1)
    assert len(padding) > jsmod.INDEX_MAX_BYTES
    lines = padding.count("\n")
    assert _oai103(padding + READS) == [(line + lines, col) for line, col in small]


def test_find_gives_the_member_reads_in_walk_order() -> None:
    tree = Source("app.js", READS).js
    assert tree is not None
    types = {"member_expression", "subscript_expression"}
    assert [n.start_byte for n in tree.find(types)] == [n.start_byte for n in tree.walk(types)]
