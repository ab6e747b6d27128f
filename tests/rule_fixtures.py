"""A tree that triggers every rule: each rule's bad examples from ``rules/*.yaml``, under ``<RULE>/<n>/``.

Built at test time (and by ``scripts/check_sarif.py`` for CI), so a new rule file grows the tree by
itself. The tree is a git work tree (some rules ask git whether a file is ignored); the configuration
the examples need (``config:`` in the rule file, e.g. ``require-reason``) is merged into one
``.oai-lint.yaml`` at its top.

    python -m tests.rule_fixtures OUT_DIR
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from oai_lint.rules import all_rules


class FixtureConflict(Exception):
    pass


def build(root: Path) -> dict[str, list[str]]:
    """Write the tree; returns rule id -> the paths of its bad examples (relative to ``root``)."""
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    config: dict[str, Any] = {}
    expected: dict[str, list[str]] = {}
    for rule in all_rules():
        for n, example in enumerate(rule.bad):
            base = f"{rule.id}/{n}"
            files = {example.path: example.code, **example.files}
            for rel, content in files.items():
                target = root / base / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(content, encoding="utf-8")
            expected.setdefault(rule.id, []).append(f"{base}/{example.path}")
            for key, value in example.config.items():
                if key in config and config[key] != value:
                    raise FixtureConflict(
                        f"{rule.id} bad example {n} needs {key}={value!r}, another example {config[key]!r}"
                    )
                config[key] = value
    if config:
        import yaml

        (root / ".oai-lint.yaml").write_text(yaml.safe_dump(config, sort_keys=True), encoding="utf-8")
    return expected


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.rule_fixtures OUT_DIR")
    out = Path(sys.argv[1])
    for rid, paths in build(out).items():
        print(rid, *paths)
