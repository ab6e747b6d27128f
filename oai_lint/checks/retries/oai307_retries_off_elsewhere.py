"""OAI307: requests sent through a client that another module built with ``max_retries=0``, outside retry
handling. The client is reached through an attribute the module does not set itself (``self.client`` set by a
base class or mixin elsewhere) or a module variable it imports; the constructor's own module is OAI301's."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from oai_lint.analysis.pyflow import PyFlow, chain, node_hit, unparse
from oai_lint.analysis.repofacts.provider import PROVIDER
from oai_lint.analysis.vocab import PY_KINDS, V1_RESOURCES
from oai_lint.checks import Context, check
from oai_lint.findings import Hit
from oai_lint.repository import facts_for
from oai_lint.sources import Source

if TYPE_CHECKING:
    from oai_lint.analysis.repofacts.model import Place, RepoFacts
    from oai_lint.sources.python import PyIndex

_TRIGGERS = tuple(f".{r}.".encode() for r in sorted(V1_RESOURCES))


@check("OAI307", kinds=PY_KINDS, triggers=_TRIGGERS, facts="oai_lint.analysis.repofacts.provider")
def retries_off_elsewhere(source: Source, ctx: Context) -> Iterator[Hit]:
    idx = source.pyindex
    if idx is None or not ctx.enabled("OAI307"):
        return
    facts: RepoFacts = facts_for(ctx, PROVIDER, source.abspath)  # computed or gathered on demand
    off = facts.retries_off
    if not off:
        return
    flow = PyFlow(idx)
    reported: set[int] = set()
    for resource in sorted(V1_RESOURCES):
        for node in idx.attrs.get(resource, []):
            base = node.value
            name = _client_name(flow, base, off, source.path)
            if name is None:
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


def _client_name(flow: PyFlow, base: ast.AST, off: dict[str, Place], path: str) -> str | None:
    """The retries-off client ``base`` refers to: ``self.<attr>`` that this module never sets, or a module
    variable it imports by that name."""
    if isinstance(base, ast.Attribute) and isinstance(base.value, ast.Name) and base.value.id in {"self", "cls"}:
        name = base.attr
        if name in off and off[name].path != path and not flow.assigned_to(f"self.{name}"):
            return name
        return None
    if isinstance(base, ast.Name) and base.id in off and base.id in flow.imports.names \
            and off[base.id].path != path:
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
