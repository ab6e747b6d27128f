"""A client name bound again: each binding's uses are the loads up to the next binding (document order),
not every load of the name (which also made a file of many reassignments quadratic; the 200 KB and 1.3 MB
cases are in bench/hostile.py)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_scan, write_tree

CODE = """import openai
from tenacity import retry

client = openai.OpenAI(max_retries=0)
client.chat.completions.create(model="gpt-4o-mini", messages=[])

client = openai.OpenAI(max_retries=0)

@retry
def ask():
    return client.chat.completions.create(model="gpt-4o-mini", messages=[])

client = openai.OpenAI(max_retries=0)
client = client.with_options(timeout=5)
client.chat.completions.create(model="gpt-4o-mini", messages=[])
"""


def test_each_binding_has_its_own_uses(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": CODE})
    found = {f.line: f.message for f in run_scan(tmp_path, select=["OAI301"]).findings}
    assert "use at line 5 " in found[4]
    assert 7 not in found or "line 5" not in found[7]  # its only use (in ask) is retried
    # read again by the next binding (with_options), then used at line 15
    assert "use at line 15 " in found[13]


def test_uses_in_a_function_defined_earlier_still_count(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": (
        "import openai\n\ndef ask():\n    return client.chat.completions.create(model='m', messages=[])\n\n"
        "client = openai.OpenAI(max_retries=0)\n"
    )})
    (finding,) = run_scan(tmp_path, select=["OAI301"]).findings
    assert "use at line 4 " in finding.message
