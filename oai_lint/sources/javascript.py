"""JavaScript, TypeScript and TSX through tree-sitter (imported only when such a file needs parsing)."""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Iterator
from typing import Any

from oai_lint.analysis.vocab import MINIFIED_NOTE, looks_minified
from oai_lint.sources.text import LineIndex

__all__ = ["JsTree", "parse", "walk"]

Node = Any  # tree_sitter.Node; kept loose so the module imports without tree-sitter's stubs


def _binding(package: str) -> Any:
    """The compiled grammar module of a tree-sitter language package, without the package's
    ``__init__``: that imports ``importlib.resources`` (and with it tempfile, shutil, random, zlib, bz2
    and lzma) for query files oai-lint never reads, 5-10 ms of every run that parses JS/TS. Falls
    back to the plain import when the package is laid out differently."""
    import sys

    name = f"{package}._binding"
    module = sys.modules.get(name)
    if module is not None:
        return module
    try:
        from importlib.machinery import ExtensionFileLoader, PathFinder

        top = PathFinder.find_spec(package)
        locations = top.submodule_search_locations if top is not None else None
        spec = PathFinder.find_spec(name, locations) if locations else None
        if spec is None or not isinstance(spec.loader, ExtensionFileLoader):
            raise ImportError(name)
        module = spec.loader.create_module(spec)
        spec.loader.exec_module(module)
    except Exception:  # any surprise: the package's own import
        import importlib

        return importlib.import_module(package)
    sys.modules[name] = module
    return module


@functools.cache
def _parser(kind: str) -> Any:
    import tree_sitter

    if kind == "javascript":
        lang = tree_sitter.Language(_binding("tree_sitter_javascript").language())
    else:
        grammar = _binding("tree_sitter_typescript")
        lang = tree_sitter.Language(grammar.language_tsx() if kind == "tsx" else grammar.language_typescript())
    return tree_sitter.Parser(lang)


_CONTINUATION = bytes(range(0x80, 0xC0))  # UTF-8 bytes that do not start a character
# Up to this size :meth:`JsTree.find` walks the tree once and indexes the named nodes by type; above it,
# tree-sitter's query engine (in C) finds them. Compiling one query costs 4-6 ms (more than walking a
# 20 KB file), so a run over a few small files (a pre-commit hook) never compiles one.
INDEX_MAX_BYTES = 64_000
_BLOCK = 12  # bits: character counts are kept for every 4 KB of source


class JsTree:
    def __init__(self, tree: Any, source: bytes, text: str, index: LineIndex | None = None) -> None:
        self.tree = tree
        self.root: Node = tree.root_node
        self.source = source
        self._text = text
        self._index = index
        self._ascii = len(source) == len(text)
        self._continuations: list[int] | None = None
        self._by_type: dict[str, list[tuple[int, Node]]] | None = None
        self._parents: dict[tuple[int, int, str], Node] | None = None
        self._shallow: bool | None = None  # nested no deeper than DEEP_NESTING: node.parent is cheap
        self._imports: dict[str, tuple[str, str]] | None = None

    def parent(self, node: Node) -> Node | None:
        """``node.parent``. tree-sitter finds a parent by walking down from the root (time in the depth),
        so in a deeply nested file (thousands of nested functions) every walk up the tree took time in
        the square of the depth: there, the parents of every node are recorded in one walk."""
        if self._parents is None:
            if self._shallow is None:
                self._shallow = _bracket_depth(self.source) <= DEEP_NESTING  # (once: it reads every byte)
            if self._shallow:
                return node.parent
            parents: dict[tuple[int, int, str], Node] = {}
            stack = [self.root]
            while stack:
                cur = stack.pop()
                for child in cur.children:
                    parents[(child.start_byte, child.end_byte, child.type)] = cur
                    stack.append(child)
            self._parents = parents
        return self._parents.get((node.start_byte, node.end_byte, node.type))

    def text(self, node: Node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", errors="replace")

    def _char_offset(self, byte: int) -> int:
        """The character offset of a byte offset: bytes before it minus UTF-8 continuation bytes, counted
        from the nearest 4 KB mark (decoding from the line start made every position in a minified
        one-line bundle cost the whole line: minutes for a 5 MB bundle)."""
        if self._ascii:
            return byte
        if self._continuations is None:
            counts, total = [], 0
            for base in range(0, len(self.source) + 1, 1 << _BLOCK):
                counts.append(total)
                block = self.source[base : base + (1 << _BLOCK)]
                total += len(block) - len(block.translate(None, _CONTINUATION))
            self._continuations = counts
        base = byte >> _BLOCK
        seg = self.source[base << _BLOCK : byte]
        return byte - self._continuations[base] - (len(seg) - len(seg.translate(None, _CONTINUATION)))

    def _position(self, byte: int) -> tuple[int, int]:
        # tree-sitter's rows count \n only; LineIndex also ends lines at a lone \r, like every other view
        if self._index is None:
            self._index = LineIndex(self._text)
        return self._index.position(self._char_offset(byte))

    def start(self, node: Node) -> tuple[int, int]:
        return self._position(node.start_byte)

    def end(self, node: Node) -> tuple[int, int]:
        return self._position(node.end_byte)

    def node_at(self, char_offset: int) -> Node:
        """The smallest named node that starts at a character offset of the source text."""
        if self.source.isascii():
            start = char_offset
        else:
            prefix = self.source.decode("utf-8", errors="replace")[:char_offset]
            start = len(prefix.encode("utf-8", errors="surrogatepass"))
        return self.root.named_descendant_for_byte_range(start, start + 1)

    def walk(self, types: set[str] | None = None) -> Iterator[Node]:
        """Every named node of the tree (of the given types), in document order: :func:`walk` from the root."""
        return walk(self.root, types)

    def nodes_of_types(self, types: tuple[str, ...]) -> list[Node]:
        """Every node of the given types in document order (see :meth:`find`)."""
        return self.find(types)

    def find(self, types: Iterable[str]) -> list[Node]:
        """The nodes of the given types in document order, found by tree-sitter's query engine (in C,
        much faster than ``walk`` on large or minified files); ``walk`` where queries are unavailable."""
        wanted = tuple(sorted(set(types)))
        if len(self.source) <= INDEX_MAX_BYTES:
            return self._indexed(wanted)
        query = _query(self.tree.language, wanted)
        if query is None:
            return list(self.walk(set(wanted)))
        try:
            if hasattr(tree_sitter_module(), "QueryCursor"):
                captures = tree_sitter_module().QueryCursor(query).captures(self.root)
            else:  # pragma: no cover - tree-sitter 0.23/0.24
                captures = query.captures(self.root)
        except Exception:  # pragma: no cover - defensive: an unexpected binding API
            return list(self.walk(set(wanted)))
        nodes = [n for group in captures.values() for n in group] if isinstance(captures, dict) else \
            [n for n, _ in captures]
        nodes.sort(key=lambda n: (n.start_byte, -n.end_byte))
        return nodes

    def _indexed(self, types: tuple[str, ...]) -> list[Node]:
        """:meth:`find` from one walk of the tree (the same nodes, in the same order, as the query)."""
        if self._by_type is None:
            by_type: dict[str, list[tuple[int, Node]]] = {}
            for order, node in enumerate(self.walk()):  # pre-order: document order, outer node first
                by_type.setdefault(node.type, []).append((order, node))
            self._by_type = by_type
        found = [pair for t in types for pair in self._by_type.get(t, ())]
        if len(types) > 1:
            found.sort(key=lambda pair: pair[0])
        nodes = [n for _, n in found]
        # pre-order is already in this order; nodes with the same span stay outer first (the query engine
        # leaves their order unspecified: it differs between two parses of the same text)
        nodes.sort(key=lambda n: (n.start_byte, -n.end_byte))
        return nodes

    # -- helpers shared by checks -----------------------------------------------------------------
    def string_value(self, node: Node | None) -> str | None:
        """The value of a string literal or a template string without substitutions."""
        if node is None:
            return None
        if node.type == "string":
            raw = self.text(node)
            return raw[1:-1] if len(raw) >= 2 else ""
        if node.type == "template_string":
            if any(c.type == "template_substitution" for c in node.named_children):
                return None
            raw = self.text(node)
            return raw[1:-1]
        return None

    def object_entries(self, obj: Node | None) -> tuple[dict[str, tuple[Node, Node]], bool]:
        """An object literal's properties, ``{a: 1, "b": 2, c}`` -> {"a": (key, value), "b": (key, value),
        "c": (shorthand, shorthand)}, and whether they are all known: False when a spread (``...rest``) or a
        computed key (``[name]: v``, left out) may add others. Not an object literal: ({}, True)."""
        entries: dict[str, tuple[Node, Node]] = {}
        known = True
        if obj is None or obj.type != "object":
            return entries, known
        for child in obj.named_children:
            if child.type == "pair":
                key = child.child_by_field_name("key")
                value = child.child_by_field_name("value")
                if key is None or value is None:
                    continue
                if key.type == "computed_property_name":
                    known = False
                    continue
                name = self.string_value(key) if key.type == "string" else self.text(key)
                entries[name or ""] = (key, value)
            elif child.type == "shorthand_property_identifier":
                entries[self.text(child)] = (child, child)
            elif child.type == "spread_element":
                known = False
        return entries, known

    def object_pairs(self, obj: Node | None) -> dict[str, Node]:
        """``{a: 1, "b": 2, c}`` -> {"a": value-node, "b": value-node, "c": shorthand node} (see
        :meth:`object_entries`)."""
        return {name: value for name, (_, value) in self.object_entries(obj)[0].items()}

    def imports(self) -> dict[str, tuple[str, str]]:
        """Local name -> (module, imported name, or ``"*"``/``"default"``) for every ``import`` and every
        ``const … = require("m")`` (also through ``await`` and parentheses) of the file, later ones
        winning; ``import {"quoted name" as x}`` gives the name without its quotes. Built once; callers
        that add names copy it."""
        if self._imports is None:
            out: dict[str, tuple[str, str]] = {}
            for node in self.find(("import_statement", "variable_declarator")):
                if node.type == "import_statement":
                    self._import(node, out)
                else:
                    self._require(node, out)
            self._imports = out
        return self._imports

    def _import(self, node: Node, out: dict[str, tuple[str, str]]) -> None:
        module = self.string_value(node.child_by_field_name("source"))
        if module is None:
            return
        for clause in node.named_children:
            if clause.type != "import_clause":
                continue
            for part in clause.named_children:
                if part.type == "identifier":
                    out[self.text(part)] = (module, "default")
                elif part.type == "namespace_import":
                    for ident in part.named_children:
                        out[self.text(ident)] = (module, "*")
                elif part.type == "named_imports":
                    for spec in part.named_children:
                        if spec.type != "import_specifier":
                            continue
                        name = spec.child_by_field_name("name")
                        alias = spec.child_by_field_name("alias")
                        if name is not None:
                            local = alias if alias is not None else name
                            out[self.text(local)] = (module, self.text(name).strip("\"'"))

    def _require(self, declarator: Node, out: dict[str, tuple[str, str]]) -> None:
        name = declarator.child_by_field_name("name")
        value = declarator.child_by_field_name("value")
        while value is not None and value.type in {"await_expression", "parenthesized_expression"}:
            value = value.named_children[0] if value.named_children else None
        if name is None or value is None or value.type != "call_expression" or self.callee_name(value) != "require":
            return
        args = self.arguments(value)
        module = self.string_value(args[0]) if args else None
        if module is None:
            return
        if name.type == "identifier":
            out[self.text(name)] = (module, "*")
        elif name.type == "object_pattern":
            for child in name.named_children:
                if child.type == "shorthand_property_identifier_pattern":
                    out[self.text(child)] = (module, self.text(child))
                elif child.type == "pair_pattern":
                    key, local = child.child_by_field_name("key"), child.child_by_field_name("value")
                    if key is not None and local is not None:
                        out[self.text(local)] = (module, self.text(key))

    def callee_name(self, node: Node) -> str | None:
        """``OpenAI`` for ``new OpenAI()``, ``openai.chat.completions.create`` for calls."""
        field = "constructor" if node.type == "new_expression" else "function"
        target = node.child_by_field_name(field)
        if target is None:
            return None
        if target.type not in {"identifier", "member_expression", "property_identifier"}:
            return None
        if target.end_byte - target.start_byte > MAX_CALLEE_TEXT:
            return self.long_callee(target)
        text = self.text(target)
        if "/" in text:  # a comment inside: `openai /* … */ .createChatCompletion` names openai.createChatCompletion
            return self.long_callee(target)
        return _dotted(text)

    def chain_text(self, node: Node) -> str:
        """A member expression's text as a dotted name (``?.``, spaces and line breaks left out); for a node
        longer than MAX_CALLEE_TEXT, its :meth:`long_callee` (one link of a long chain: copying the text of
        every link cost time quadratic in the chain's length)."""
        if node.end_byte - node.start_byte > MAX_CALLEE_TEXT:
            return self.long_callee(node)
        return _dotted(self.text(node))

    def long_callee(self, target: Node) -> str:
        """The name of a callee from its member expressions (comments left out), for one whose text is long
        (``a.b().then(…)…then``, one link of a long chain) or holds a comment: its dotted tail, after ``…``
        where the object is not a plain name. Copying the text of every link of a chain cost time
        quadratic in the chain's length."""
        parts: list[str] = []
        node: Node | None = target
        while node is not None and node.type == "member_expression" and len(parts) < MAX_CALLEE_PARTS:
            prop = node.child_by_field_name("property")
            parts.append(self.text(prop) if prop is not None else "")
            node = node.child_by_field_name("object")
        if node is not None and node.type in {"identifier", "this"} and len(parts) < MAX_CALLEE_PARTS:
            parts.append(self.text(node))
        else:
            parts.append("…")
        return ".".join(reversed(parts))

    def arguments(self, node: Node) -> list[Node]:
        args = node.child_by_field_name("arguments")
        if args is None:
            return []
        return [c for c in args.named_children if c.type != "comment"]


def walk(node: Node, types: Collection[str] | None = None) -> Iterator[Node]:
    """``node`` and every named node under it (only those of the given types), in document order (pre-order:
    an outer node before the nodes inside it); iteratively, so deep trees cannot overflow the stack."""
    stack = [node]
    while stack:
        cur = stack.pop()
        if types is None or cur.type in types:
            yield cur
        children = cur.named_children
        if children:
            stack.extend(reversed(children))


DEEP_NESTING = 200  # brackets nested deeper than this: JsTree.parent records every node's parent
_NOT_BRACKET = bytes(c for c in range(256) if c not in b"{}()[]")


def _bracket_depth(source: bytes) -> int:
    """How deep ``{}``/``()``/``[]`` nest in the source (strings and comments counted too: a bound)."""
    depth = deepest = 0
    for byte in source.translate(None, _NOT_BRACKET):
        if byte in b"{([":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif depth:
            depth -= 1
    return deepest


def _dotted(text: str) -> str:
    return text.replace("?.", ".").replace(" ", "").replace("\n", "")


MAX_CALLEE_TEXT = 512  # bytes of a callee's text copied as its name; a longer one is named by its tail
MAX_CALLEE_PARTS = 64


def tree_sitter_module() -> Any:
    import tree_sitter

    return tree_sitter


@functools.lru_cache(maxsize=64)
def _query(language: Any, types: tuple[str, ...]) -> Any:
    ts = tree_sitter_module()
    source = "[" + " ".join(f"({t})" for t in types) + "] @n"
    try:
        if hasattr(ts, "QueryCursor"):
            return ts.Query(language, source)
        return language.query(source)  # pragma: no cover - tree-sitter 0.23/0.24
    except Exception:  # a node type this grammar does not have, or an older binding
        return None


def parse(text: str, kind: str, index: LineIndex | None = None) -> tuple[JsTree | None, str | None]:
    if looks_minified(text):
        return None, MINIFIED_NOTE
    source = text.encode("utf-8", errors="surrogatepass")
    try:
        tree = _parser(kind).parse(source)
    except (ValueError, RuntimeError, MemoryError) as exc:  # pragma: no cover - defensive
        return None, f"could not parse as {kind} ({exc}); only text-level rules were applied"
    note = None
    if tree.root_node.has_error:
        note = f"{kind} syntax errors; rules were applied to the parts that parsed"
    return JsTree(tree, source, text, index), note
