"""oai-lint recognises its own baselines and reports by their content (issue 14, defect 1)."""

from __future__ import annotations


def test_oai_lints_own_formats_are_recognised_by_content() -> None:
    import json

    from oai_lint.report.own import own_format

    baseline = json.dumps({"tool": "oai-lint", "format": 1, "findings": []}).encode()
    assert own_format(baseline) == own_format(b"\xef\xbb\xbf" + baseline) == "baseline"
    assert own_format(b"\n  " + baseline) == "baseline"
    report = {"tool": "oai-lint", "version": "0", "findings": [], "notes": [], "summary": {}}
    assert own_format(json.dumps(report).encode()) == "json"
    sarif = {"runs": [{"tool": {"driver": {"name": "oai-lint"}}, "results": []}]}
    assert own_format(json.dumps(sarif).encode()) == "sarif"
    assert own_format(json.dumps([{"engine_name": "oai-lint", "check_name": "OAI101"}]).encode()) == "gitlab"
    # someone else's files that mention oai-lint
    two_tools = {"runs": [*sarif["runs"], {"tool": {"driver": {"name": "eslint"}}}]}
    for other in ({"name": "oai-lint"}, {"tool": "oai-lint"}, two_tools, [{"engine_name": "eslint"}]):
        assert own_format(json.dumps(other).encode()) is None, other
    assert own_format(b'# "oai-lint"\n{"tool": "oai-lint", "findings": []}') is None  # not JSON
