"""JUnit XML (for CI systems that show test reports): one test suite per file, one failing test case per
finding; a scan without findings is one passing test case."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

from oai_lint.discover import display_path
from oai_lint.lazyre import lazy_compile

if TYPE_CHECKING:
    from oai_lint.engine import ScanResult
    from oai_lint.findings import Finding

# characters XML 1.0 cannot hold, even escaped
_INVALID_XML = lazy_compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _x(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def render(result: ScanResult, *, color: bool = False, verbose: bool = False, **_: Any) -> str:
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        by_file[display_path(f.path)].append(f)
    n = len(result.findings)
    suites = ET.Element("testsuites", name="oai-lint", tests=str(max(n, 1)), failures=str(n), errors="0")
    if not by_file:
        suite = ET.SubElement(suites, "testsuite", name="oai-lint", tests="1", failures="0", errors="0")
        ET.SubElement(suite, "testcase", name="no findings", classname="oai-lint")
    for path in sorted(by_file):
        items = by_file[path]
        suite = ET.SubElement(suites, "testsuite", name=_x(path), tests=str(len(items)),
                              failures=str(len(items)), errors="0")
        for f in items:
            case = ET.SubElement(suite, "testcase", name=_x(f"{f.rule_id} {path}:{f.line}:{f.column}"),
                                 classname=_x(path), file=_x(path), line=str(f.line))
            failure = ET.SubElement(case, "failure", type=f.rule_id, message=_x(f"{f.rule_id} {f.message}"))
            failure.text = _x(
                f"{path}:{f.line}:{f.column}: {f.rule_id} [{f.severity}] {f.message}\n"
                f"fix: {f.fix}\ndocs: {f.doc_url}\n"
            )
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
