"""A tree that triggers every rule: each rule's bad examples from ``rules/*.yaml``, under ``<RULE>/<n>/``.

Built at test time (and by ``scripts/check_sarif.py`` for CI), so a new rule file grows the tree by
itself. Each example directory is a git work tree of its own, as in ``tests/rules/test_rule_files.py``: some
rules ask git whether a file is ignored, and the repository-level rules (OAI2xx) draw their facts from
the work tree that holds a file, so one example's workflow or ``.env`` must not reach another example's
code. The trees above them are plain directories (scanned by walking them).

    python -m tests.support.rule_fixtures OUT_DIR
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from oai_lint.ruleset.load import all_rules


class FixtureConflict(Exception):
    pass


TREES = ("default", "configured")


def build(root: Path) -> dict[str, list[str]]:
    """Write two trees below ``root``: ``default`` holds the examples that need no configuration,
    ``configured`` those that do (``config:`` in the rule file, merged into its ``.oai-lint.yaml``).
    A configuration such as ``require-project`` changes what other rules report, so the two are scanned
    separately, each from its own directory. Returns rule id -> the paths of its bad examples
    (relative to ``root``)."""
    config: dict[str, Any] = {}
    expected: dict[str, list[str]] = {}
    for rule in all_rules():
        for n, example in enumerate(rule.bad):
            tree = "configured" if example.config else "default"
            base = f"{tree}/{rule.id}/{n}"
            (root / base).mkdir(parents=True, exist_ok=True)
            subprocess.run(["git", "init", "-q", str(root / base)], check=True)
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
    for tree in TREES:
        (root / tree).mkdir(parents=True, exist_ok=True)
    if config:
        import yaml

        (root / "configured" / ".oai-lint.yaml").write_text(yaml.safe_dump(config, sort_keys=True),
                                                            encoding="utf-8")
    return expected


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.support.rule_fixtures OUT_DIR")
    out = Path(sys.argv[1])
    for rid, paths in build(out).items():
        print(rid, *paths)
