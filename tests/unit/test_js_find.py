"""``JsTree.find`` gives the same nodes in the same order from its type index (small files) as from
tree-sitter's query engine (large files)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from oai_lint.ruleset.load import all_rules
from oai_lint.sources import Source, kind_for
from oai_lint.sources import javascript as jsmod

# the type sets the checks ask for, and some that mix nested types
TYPE_SETS = (
    ("import_statement", "variable_declarator", "new_expression", "call_expression", "import_specifier",
     "pair"),
    ("identifier", "shorthand_property_identifier"),
    ("property_identifier",),
    ("string", "template_string"),
    ("member_expression",),
    ("call_expression", "member_expression", "arguments", "identifier"),
    ("expression_statement", "call_expression", "await_expression"),
    ("comment",),
    ("no_such_type",),
)

_EXTRA = """
import OpenAI, { APIError } from "openai";
const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, maxRetries: 0, organization: `org-${x}` });
// a comment
async function main() {
  for (const m of ["a", 'b', `c`]) {
    await client.chat.completions.create({ model: m, messages: [{ role: "user", content: "hi" }] });
  }
  const { data } = await (await fetch("https://api.openai.com/v1/models", { headers: { a: 1 } })).json();
  return data?.[0]?.id ?? obj.a.b.c(d)(e);
}
"""


def _sources() -> list[tuple[str, str]]:
    out = [("extra.ts", _EXTRA), ("extra.js", _EXTRA.replace(", { APIError }", "")), ("extra.tsx", _EXTRA)]
    for rule in all_rules():
        for ex in rule.bad + rule.good:
            if kind_for(ex.path.rsplit("/", 1)[-1]) in {"javascript", "typescript", "tsx"}:
                out.append((ex.path, ex.code))
    return out


@pytest.mark.parametrize(("path", "code"), _sources())
def test_index_and_query_agree(path: str, code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = Source(path, code).js
    assert tree is not None
    assert jsmod.INDEX_MAX_BYTES > 0
    assert len(tree.source) <= jsmod.INDEX_MAX_BYTES
    every_type = tuple(sorted({n.type for n in tree.walk()}))
    sets = (*TYPE_SETS, every_type, *((t,) for t in every_type))
    indexed = [_spans(tree.find(types)) for types in sets]
    monkeypatch.setattr(jsmod, "INDEX_MAX_BYTES", -1)
    queried = [_spans(tree.find(types)) for types in sets]
    assert indexed == queried


def _spans(nodes: list[Any]) -> list[tuple[int, int, list[str]]]:
    """(start, end, types) in order; the query engine orders nodes with the same span arbitrarily."""
    out: list[tuple[int, int, list[str]]] = []
    for n in nodes:
        if out and out[-1][:2] == (n.start_byte, n.end_byte):
            out[-1][2].append(n.type)
            out[-1][2].sort()
        else:
            out.append((n.start_byte, n.end_byte, [n.type]))
    return out


def test_grammars_load_without_their_package_init() -> None:
    """The grammar packages' ``__init__`` imports importlib.resources (5-10 ms) for files never read."""
    probe = (
        "import sys\n"
        "from oai_lint.sources import Source\n"
        "for name in ('a.js', 'a.ts', 'a.tsx'):\n"
        "    assert Source(name, 'const a = f(1);\\n').js is not None\n"
        "print(sorted(m for m in sys.modules if m.startswith(('importlib.resources', 'tree_sitter_'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["['tree_sitter_javascript._binding',", "'tree_sitter_typescript._binding']"]


def test_grammar_falls_back_to_the_package_import(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.machinery

    class Other:  # the binding is then not an extension module: a layout _binding does not know
        pass

    monkeypatch.setattr(importlib.machinery, "ExtensionFileLoader", Other)
    monkeypatch.delitem(sys.modules, "tree_sitter_javascript._binding", raising=False)
    grammar = jsmod._binding("tree_sitter_javascript")
    assert grammar is sys.modules["tree_sitter_javascript"]
    assert callable(grammar.language)
