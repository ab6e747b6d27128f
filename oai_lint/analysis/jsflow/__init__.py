"""JS/TS flow analysis (one file, tree-sitter): the index and OpenAI calls (``clients``), which code runs
under retry handling and where a client is used (``coverage``), node helpers (``syntax``)."""

from oai_lint.analysis.jsflow.coverage import JsFlow
from oai_lint.analysis.jsflow.syntax import FUNCTIONS, LOOPS, Node, node_hit

__all__ = ["FUNCTIONS", "LOOPS", "JsFlow", "Node", "node_hit"]
