"""Byte-range edits on a tree-sitter JavaScript/TypeScript tree, shared by the JS fixes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from oai_lint.fix.model import Fixed
from oai_lint.sources.javascript import JsTree
from oai_lint.sources.javascript import walk as walk  # the JS fixes walk with it

Node = Any


def kind(path: str) -> str:
    lower = path.lower()
    if lower.endswith(".tsx"):
        return "tsx"
    return "typescript" if lower.endswith((".ts", ".mts", ".cts")) else "javascript"


@dataclass
class Edits:
    """The edits planned on one tree (start byte, end byte, new text), what they fix and notes."""

    tree: JsTree
    edits: list[tuple[int, int, str]] = field(default_factory=list)
    fixed: list[Fixed] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def line(self, node: Node) -> int:
        return int(self.tree.start(node)[0])

    def text(self, node: Node) -> str:
        return self.tree.text(node)

    def replace(self, node: Node, new: str) -> None:
        self.edits.append((node.start_byte, node.end_byte, new))

    def note(self, node: Node, message: str) -> None:
        self.notes.append(f"line {self.line(node)}: {message}")

    def applied(self) -> str:
        """The source with the edits applied; an edit inside one applied later is skipped (the outer edit
        was planned to include it)."""
        out = self.tree.source
        end = len(out) + 1
        for start, stop, new in sorted(self.edits, key=lambda e: (e[0], e[1]), reverse=True):
            if stop > end:
                continue
            out = out[:start] + new.encode("utf-8", "surrogatepass") + out[stop:]
            end = start
        return out.decode("utf-8", "surrogatepass")

