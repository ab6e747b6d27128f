"""One reading of JS object literals: JsTree.object_entries (used by the usage analysis; object_pairs, used by
the retry checks, is derived from it). Spreads and computed keys make the properties unknown and are never
taken for a named option."""

from __future__ import annotations

from oai_lint.sources import Source

CODE = 'f({ a: 1, "b-c": 2, d, ...rest, [k]: 3, 4: x, "": y });\nf({ a: 1 });\nf([1]);\n'


def test_entries_and_pairs() -> None:
    tree = Source("app.js", CODE).js
    assert tree is not None
    full, plain, array = (tree.arguments(call)[0] for call in tree.find(["call_expression"]))
    entries, known = tree.object_entries(full)
    assert not known
    assert {name: (tree.text(k), tree.text(v)) for name, (k, v) in entries.items()} == {
        "a": ("a", "1"), "b-c": ('"b-c"', "2"), "d": ("d", "d"), "4": ("4", "x"), "": ('""', "y"),
    }
    assert {name: tree.text(v) for name, v in tree.object_pairs(full).items()} == {
        "a": "1", "b-c": "2", "d": "d", "4": "x", "": "y",
    }
    assert tree.object_entries(plain)[1] is True
    assert tree.object_entries(array) == ({}, True)
    assert tree.object_pairs(None) == {}
