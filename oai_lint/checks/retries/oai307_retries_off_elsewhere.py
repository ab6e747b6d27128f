"""OAI307: requests sent through a client that another module built with ``max_retries=0``, outside retry
handling. The client is reached through an attribute the module does not set itself (``self.client`` set by a
base class or mixin elsewhere) or a module variable it imports; the constructor's own module is OAI301's."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from oai_lint.analysis.pyflow import PyFlow, chain, node_hit, unparse
from oai_lint.analysis.repofacts.questions import retries_off
from oai_lint.analysis.vocab import PY_KINDS, V1_RESOURCES
from oai_lint.checks import Context, check
from oai_lint.findings import Hit
from oai_lint.sources import Source

if TYPE_CHECKING:
    from oai_lint.sources.python import PyIndex

_TRIGGERS = tuple(f".{r}.".encode() for r in sorted(V1_RESOURCES))


@check("OAI307", kinds=PY_KINDS, triggers=_TRIGGERS, facts="oai_lint.analysis.repofacts.provider")
def retries_off_elsewhere(source: Source, ctx: Context) -> Iterator[Hit]:
    flow = source.pyflow if ctx.enabled("OAI307") else None
    if flow is None:
        return
    idx = flow.idx
    # the clients this module reaches without building them: only those can be another module's
    reached = [(node, name) for resource in sorted(V1_RESOURCES) for node in idx.attrs.get(resource, [])
               if (name := _reached_client(flow, node.value)) is not None]
    if not reached:
        return  # the repository's facts cannot matter (and are not asked)
    off = retries_off(ctx, source.abspath)  # from the files that can tell, or the whole facts
    if not off:
        return
    reported: set[int] = set()
    for node, name in reached:
        if name not in off or off[name].path == source.path:
            continue
        top = _request(idx, node)
        if top is None or id(top) in reported or flow.covered(top):
            continue
        reported.add(id(top))
        names, _ = chain(top.func if isinstance(top, ast.Call) else top)
        what = unparse(top.func if isinstance(top, ast.Call) else top)
        place = off[name]
        yield node_hit("OAI307", top, {"call": what if len(what) <= 60 else "…." + ".".join(names[-2:]),
                                       "client": place.what, "where": f"{place.path}:{place.line}"},
                       key=f"{name}:{'.'.join(names[-2:])}")


def _reached_client(flow: PyFlow, base: ast.AST) -> str | None:
    """The name of the client ``base`` may refer to when another module builds it: ``self.<attr>`` that
    this module never sets, or a module variable it imports by that name."""
    if isinstance(base, ast.Attribute) and isinstance(base.value, ast.Name) and base.value.id in {"self", "cls"}:
        return None if flow.assigned_to(f"self.{base.attr}") else base.attr
    if isinstance(base, ast.Name) and base.id in flow.imports.names:
        return base.id
    return None


def _request(idx: PyIndex, node: ast.Attribute) -> ast.AST | None:
    """The call (``self.client.responses.create(...)``) or the method handed on to a wrapper
    (``self._safe_call(self.client.responses.create, ...)``) that ``node`` starts."""
    parent = idx.parent
    cur: ast.AST = node
    up = parent(cur)
    while isinstance(up, ast.Attribute) and up.value is cur:
        cur, up = up, parent(up)
    if cur is node:
        return None  # `self.client.chat` alone: no method named
    if isinstance(up, ast.Call) and up.func is cur:
        return up
    if (isinstance(up, ast.Call) and cur in up.args) or isinstance(up, ast.keyword):
        return cur
    return None
