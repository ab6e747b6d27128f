"""Each rule's logic has one home a reader finds from its id, and analysis never imports a check."""

from __future__ import annotations

import ast
import re

from oai_lint.checks import full_registry
from tests.conftest import REPO

CHECKS = REPO / "oai_lint" / "checks"
ANALYSIS = REPO / "oai_lint" / "analysis"


def _rule_ids() -> list[str]:
    """The ids of the rules checks report (the meta rules OAI0xx live with the suppression code)."""
    return sorted(p.stem for p in (REPO / "rules").glob("OAI*.yaml") if not p.stem.startswith("OAI0"))


def test_every_rule_has_exactly_one_module_named_by_its_id() -> None:
    modules = [p for p in CHECKS.rglob("oai*.py")]
    for rule in _rule_ids():
        homes = [p for p in modules if rule.lower() in re.findall(r"oai\d{3}", p.stem)]
        assert len(homes) == 1, f"{rule}: {[str(p.relative_to(REPO)) for p in homes]}"


def test_every_rule_module_is_in_a_family_that_a_check_of_the_registry_comes_from() -> None:
    families = {c.name.split(".")[2] for c in full_registry() if c.name.startswith("oai_lint.checks.")}
    for path in CHECKS.rglob("oai*.py"):
        assert path.parent.name in families, path


def _runtime_imports(tree: ast.AST) -> list[str]:
    """The modules imported outside ``if TYPE_CHECKING:`` blocks (annotations import nothing at run time)."""
    out: list[str] = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            out.append(node.module or "")
        else:
            out += _runtime_imports(node)
    return out


def test_analysis_imports_no_check() -> None:
    for path in ANALYSIS.rglob("*.py"):
        imported = _runtime_imports(ast.parse(path.read_text(encoding="utf-8")))
        assert not [m for m in imported if m.startswith("oai_lint.checks")], path
