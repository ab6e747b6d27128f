"""Keys in UTF-32 files, and in UTF-8 text after a start that looks like UTF-16, are found (they were
decoded as garbage, without a note)."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest

from tests.conftest import run_scan
from tests.support.keygen import make_key

KEY = make_key("proj56", random.Random(32))
CODE = f"import openai\nclient = openai.OpenAI(api_key='{KEY}')\n"


@pytest.mark.parametrize("data", [
    codecs.BOM_UTF32_LE + CODE.encode("utf-32-le"),
    codecs.BOM_UTF32_BE + CODE.encode("utf-32-be"),
    CODE.encode("utf-32-le"),
    CODE.encode("utf-32-be"),
], ids=["utf-32-le bom", "utf-32-be bom", "utf-32-le", "utf-32-be"])
def test_utf32(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "app.py").write_bytes(data)
    result = run_scan(tmp_path, use_gitignore=False)
    assert [f.rule_id for f in result.findings] == ["OAI101"], result.notes


def test_utf8_after_a_utf16_start(tmp_path: Path) -> None:
    head = ("# " + "x" * 60 + "\n").encode("utf-16-le") * 40  # about 5 KB that look UTF-16
    data = head + ("y = 1\n" * 200 + CODE).encode("utf-8")
    (tmp_path / "app.py").write_bytes(data)
    result = run_scan(tmp_path, use_gitignore=False)
    assert "OAI101" in [f.rule_id for f in result.findings]
    assert any("starts as UTF-16" in n.message for n in result.notes)
