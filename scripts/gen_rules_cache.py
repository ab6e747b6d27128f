#!/usr/bin/env python3
"""Regenerate oai_lint/_rules.py from rules/*.yaml (run after adding or changing a rule file)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from oai_lint.rules import cache_source

target = Path(__file__).resolve().parent.parent / "oai_lint" / "_rules.py"
target.write_text(cache_source(), encoding="utf-8")
print(f"wrote {target}")
