#!/usr/bin/env python3
"""Regenerate oai_lint/checks/_manifest.py from the @check decorators (run after adding or changing a check)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from oai_lint.checks import manifest_source

target = Path(__file__).resolve().parent.parent / "oai_lint" / "checks" / "_manifest.py"
target.write_text(manifest_source(), encoding="utf-8")
print(f"wrote {target}")
