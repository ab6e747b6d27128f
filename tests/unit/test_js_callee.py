"""Callee names in JavaScript: a link of a long method chain is named by its dotted tail (copying the
whole chain's text for every link was quadratic; the 20,000-line chain is in bench/hostile.py)."""

from __future__ import annotations

from oai_lint.sources import Source


def _callees(code: str) -> list[str | None]:
    src = Source("app.js", code)
    assert src.js is not None
    return [src.js.callee_name(n) for n in src.js.find(["call_expression", "new_expression"])]


def test_short_callees_are_named_by_their_text() -> None:
    names = _callees("const o = new OpenAIApi(c);\no.createChatCompletion({});\nopenai?.chat.completions.create({});\n")
    assert {"OpenAIApi", "o.createChatCompletion", "openai.chat.completions.create"} <= set(names)


def test_a_long_chain_is_named_by_its_tail() -> None:
    code = "openai.chat.completions.create({})\n" + "  .then(r => r)\n" * 200 + ";\n"
    names = [n for n in _callees(code) if n is not None]
    assert "openai.chat.completions.create" in names
    assert names.count("….then") >= 150  # the links whose text is long
    assert max(len(n) for n in names) < 600


def test_a_long_dotted_name_keeps_its_parts() -> None:
    code = "a" * 600 + ".chat.completions.create({});\n"
    assert _callees(code) == ["a" * 600 + ".chat.completions.create"]


def test_a_comment_inside_a_callee_is_not_part_of_its_name() -> None:
    names = _callees("openai /* old: x */ .createChatCompletion({});\nopenai // why\n  .chat.completions.create({});\n")
    assert names == ["openai.createChatCompletion", "openai.chat.completions.create"]


def test_parents_in_a_deeply_nested_file_are_tree_sitters() -> None:
    code = "function f() {\n" * 300 + "openai.chat.completions.create({});\n" + "}\n" * 300
    src = Source("app.js", code)
    assert src.js is not None
    nodes = list(src.js.walk())
    assert src.js.parent(nodes[-1]) is not None and src.js._parents is not None  # the recorded parents
    for node in nodes[:: max(1, len(nodes) // 200)]:
        want, got = node.parent, src.js.parent(node)
        assert (want is None and got is None) or (
            want is not None and got is not None and (want.start_byte, want.end_byte, want.type)
            == (got.start_byte, got.end_byte, got.type))


def test_walk_from_a_node_is_the_trees_walk_below_it() -> None:
    from oai_lint.sources.javascript import walk

    src = Source("app.js", "function f(a) { try { g(a.b); } catch (e) { if (e.code) h(e.x.y); } }\n")
    tree = src.js
    assert tree is not None
    handler = tree.find(["catch_clause"])[0]
    every = list(tree.walk())
    inside = [n for n in every if handler.start_byte <= n.start_byte and n.end_byte <= handler.end_byte]
    assert [n.type for n in walk(handler)] == [n.type for n in inside]
    members = [tree.text(n) for n in walk(handler, {"member_expression"})]
    assert members == ["e.code", "e.x.y", "e.x"]
    assert [tree.text(n) for n in tree.walk({"member_expression"})] == ["a.b", *members]
