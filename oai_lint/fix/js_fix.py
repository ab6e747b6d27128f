"""JavaScript/TypeScript fixes as tree-sitter byte-range edits (all unsafe: they change behaviour).

openai-node v3 → current (OAI404): the ``Configuration``/``OpenAIApi`` import and construction become
``new OpenAI({...})``, ``createChatCompletion`` and the other body-only methods become the resource
methods, ``response.data`` on their results becomes the result itself, and the axios error shape in the
``catch`` around them (``err.response.status``, ``err.response.data``) becomes the SDK's (``err.status``,
``err.error``). CommonJS and ESM. Also a shut-down model → its replacement (OAI405), a hardcoded key →
``process.env.OPENAI_API_KEY`` (OAI101) and ``maxRetries: 0`` removed (OAI301).
"""

from __future__ import annotations

from oai_lint.analysis.keys import find_keys
from oai_lint.fix.js_edits import Edits, Node, kind, walk
from oai_lint.fix.js_v3 import migrate_v3
from oai_lint.fix.model import UNSAFE, Fixed, Target
from oai_lint.fix.replacements import live_replacement
from oai_lint.sources.javascript import parse

JS_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")


def js_parses(text: str, path: str) -> bool:
    tree, _ = parse(text, kind(path))
    return tree is not None and not tree.root.has_error


def fix_js(text: str, targets: list[Target], unsafe: bool, path: str) -> tuple[str, list[Fixed], list[str]]:
    if not unsafe:
        return text, [], []
    tree, _ = parse(text, kind(path))
    if tree is None or tree.root.has_error:
        return text, [], ["not fixed: the file does not parse"]
    lines: dict[str, set[int]] = {}
    for t in targets:
        lines.setdefault(t.rule_id, set()).add(t.line)
    ed = Edits(tree)
    nodes = list(walk(tree.root))
    _strings(ed, nodes, lines)
    _retries(ed, nodes, lines.get("OAI301", set()))
    if lines.get("OAI404"):
        migrate_v3(ed, nodes, lines["OAI404"])
    return ed.applied(), ed.fixed, ed.notes


def _strings(ed: Edits, nodes: list[Node], lines: dict[str, set[int]]) -> None:
    models, keys = lines.get("OAI405", set()), lines.get("OAI101", set())
    for node in nodes:
        if node.type != "string" or ed.line(node) not in models | keys:
            continue
        value = ed.tree.string_value(node)
        if value is None:
            continue
        line = ed.line(node)
        repl = live_replacement(value) if line in models else None
        if repl is not None:
            quote = ed.text(node)[0]
            ed.replace(node, f"{quote}{repl}{quote}")
            ed.fixed.append(Fixed("OAI405", line, UNSAFE, f"{value} → {repl} (outputs differ between models: "
                                  "re-run your evaluations)"))
        found = list(find_keys(value)) if line in keys else []
        if len(found) == 1 and found[0].start == 0 and found[0].end == len(value):
            ed.replace(node, "process.env.OPENAI_API_KEY")
            ed.fixed.append(Fixed("OAI101", line, UNSAFE, "the key → process.env.OPENAI_API_KEY; rotate the key: "
                                  "it stays in the repository history", stays=True))


def _retries(ed: Edits, nodes: list[Node], lines: set[int]) -> None:
    for node in nodes:
        if node.type != "pair" or ed.line(node) not in lines:
            continue
        key, value = node.child_by_field_name("key"), node.child_by_field_name("value")
        if key is None or value is None or ed.text(key).strip("\"'") != "maxRetries" or ed.text(value) != "0":
            continue
        nxt = node.next_sibling
        prev = node.prev_sibling
        if nxt is not None and nxt.type == ",":
            after = nxt.end_byte
            while after < len(ed.tree.source) and ed.tree.source[after:after + 1] in (b" ",):
                after += 1
            ed.edits.append((node.start_byte, after, ""))
        elif prev is not None and prev.type == ",":
            ed.edits.append((prev.start_byte, node.end_byte, ""))
        else:
            ed.replace(node, "")
        ed.fixed.append(Fixed("OAI301", ed.line(node), UNSAFE, "maxRetries: 0 removed (the SDK retries 429 "
                              "and 5xx twice with backoff)"))
