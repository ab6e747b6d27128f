"""OAI302 on curl commands: read through the shared curl parser (``Source.curl_commands``)."""

from __future__ import annotations

from pathlib import Path

from oai_lint.sources import Source
from tests.conftest import run_scan, write_tree

URL = "https://api.openai.com/v1/chat/completions"


def curl_findings(root: Path, files: dict[str, str]) -> list[tuple[str, int, int, str]]:
    write_tree(root, files)
    return [
        (f.path, f.line, f.column, f.message)
        for f in run_scan(root).findings
        if f.rule_id == "OAI302"
    ]


def test_line_number_counts_only_real_line_breaks(repo: Path) -> None:
    # U+2028, form feed and vertical tab are not line breaks for a shell (nor for the rest of the linter)
    script = 'echo "a\u2028b\fc\vd"\n\ncurl -s -d \'{}\' ' + URL + "\n"
    found = curl_findings(repo, {"run.sh": script})
    assert [(path, line, col) for path, line, col, _ in found] == [("run.sh", 3, 1)]
    assert "POST" in found[0][3]


def test_retry_in_a_trailing_comment_is_not_retry_handling(repo: Path) -> None:
    script = f"curl -s {URL} # --retry 3 would help\ncurl -s --retry 3 {URL}  # retried\n"
    assert [(line, col) for _, line, col, _ in curl_findings(repo, {"run.sh": script})] == [(1, 1)]


def test_each_curl_of_a_chained_line_is_its_own_command(repo: Path) -> None:
    script = f"curl -s --retry 3 https://example.com && curl -s {URL}\necho hi # curl {URL}\n"
    found = curl_findings(repo, {"run.sh": script})
    assert [(line, col) for _, line, col, _ in found] == [(1, 42)]


def test_yaml_curl_reported_under_run_key_only(repo: Path) -> None:
    workflow = (
        "jobs:\n  smoke:\n    steps:\n      - name: ping\n\n        run: |\n"
        f"          # ping\n          curl -s {URL}\n"
    )
    openapi = f"paths:\n  /v1/models:\n    x-example: |\n      curl {URL}\n"
    found = curl_findings(repo, {".github/workflows/smoke.yml": workflow, "openapi.yaml": openapi})
    assert [(path, line) for path, line, _, _ in found] == [(".github/workflows/smoke.yml", 8)]


def test_curl_command_method_and_retry_option() -> None:
    cmds = Source("a.sh", f"curl -X delete {URL}\ncurl --json '{{}}' {URL}\ncurl --retry-all-errors {URL}\n")
    assert [(c.method, c.retry_option) for c in cmds.curl_commands] == [
        ("DELETE", False), ("POST", False), ("GET", True),
    ]
