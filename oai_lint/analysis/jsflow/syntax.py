"""tree-sitter node helpers for the JS/TS flow analysis: node types of functions and loops, sleeps, and
the hit at a node (the walk by node type is ``oai_lint.sources.javascript.walk``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from oai_lint.findings import Hit
from oai_lint.lazyre import lazy_compile

if TYPE_CHECKING:
    from oai_lint.analysis.jsflow.clients import JsClients

Node = Any

FUNCTIONS = {
    "function_declaration",
    "function_expression",
    "function",
    "arrow_function",
    "method_definition",
    "generator_function_declaration",
    "generator_function",
}
LOOPS = {"for_statement", "for_in_statement", "while_statement", "do_statement"}
INDEXED = (
    "call_expression", "new_expression", "variable_declarator", "assignment_expression",
    "function_declaration", "generator_function_declaration", "method_definition",
    "try_statement",
)
SLEEP = lazy_compile(r"(^|\.)(sleep|delay|wait|pause|setTimeout|timeout)$", re.I)


def node_key(node: Node) -> tuple[int, int, str]:
    return node.start_byte, node.end_byte, node.type


def node_hit(flow: JsClients, rule: str, node: Node, params: dict[str, str], key: str) -> Hit:
    """A hit at a tree-sitter node (a node that spans lines is reported on its first line)."""
    line, col = flow.tree.start(node)
    end_line, end_col = flow.tree.end(node)
    if end_line != line:
        end_line, end_col = line, col
    return Hit(rule, line, col, end_line, end_col, params=params, key=key)
