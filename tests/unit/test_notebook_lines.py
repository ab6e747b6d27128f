"""A lone carriage return in a notebook cell ends a line, for Python and for the line map: findings after
it are reported on the right line of the .ipynb file."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_scan


def test_lone_cr_in_a_cell(tmp_path: Path) -> None:
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
                     "source": ["x = 1\ry = 2\rimport openai\n", "z = 3\n", "openai.Completion.create()\n"]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    text = json.dumps(nb, indent=1)
    (tmp_path / "nb.ipynb").write_text(text)
    want = next(i for i, line in enumerate(text.splitlines(), start=1) if "Completion" in line)
    lines = {f.line for f in run_scan(tmp_path, use_gitignore=False).findings if f.rule_id == "OAI401"}
    assert lines == {want}
