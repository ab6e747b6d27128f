"""Python flow analysis (one file): what is an OpenAI call (``clients``), which code runs under retry
handling and where a client is used (``coverage``), and the syntax helpers both use (``syntax``)."""

from oai_lint.analysis.pyflow.coverage import PyFlow
from oai_lint.analysis.pyflow.syntax import (
    callee_names,
    chain,
    exception_names,
    handler_requeues,
    handler_retries,
    is_retry_name,
    iter_calls,
    keyword_value,
    loop_of,
    mentions_code_check,
    node_hit,
    try_parts,
    unparse,
)

__all__ = [
    "PyFlow", "callee_names", "chain", "exception_names", "handler_requeues", "handler_retries",
    "is_retry_name", "iter_calls", "keyword_value", "loop_of", "mentions_code_check", "node_hit", "try_parts",
    "unparse",
]
