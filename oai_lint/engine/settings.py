"""How a scan runs: the settings the command line and the configuration give it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from oai_lint.ruleset import matches, rule_scope

if TYPE_CHECKING:
    from oai_lint.baseline import Baseline


@dataclass
class Settings:
    """How a scan runs: the rules, paths, limits and filters, from the command line and configuration."""
    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    max_file_size: int = 5_000_000
    use_gitignore: bool = True
    force_exclude: bool = False
    jobs: int = 0  # 0: automatic
    require_reason: bool = False
    options: dict[str, object] = field(default_factory=dict)
    scope: str = "all"  # all | file | repository: run only the rules of that scope (see Rule.scope)
    baseline: Baseline | None = None  # findings in it are reported as baselined, not as findings
    # detect-secrets .secrets.baseline: absolute path -> SHA-1 of the strings audited as not secrets
    audited_not_secret: dict[str, frozenset[str]] = field(default_factory=dict)
    # absolute paths of the files this run writes (its report, its baseline): never scanned
    written: frozenset[str] = frozenset()

    def enabled(self, rule_id: str) -> bool:
        if not matches(rule_id, self.select) or matches(rule_id, self.ignore):
            return False
        return self.scope == "all" or rule_scope(rule_id) == self.scope

