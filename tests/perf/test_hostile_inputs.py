"""Hostile input: every scan completes in bounded time and memory, every other file is still checked,
each problem is a note that names its path, and the exit code follows the README's rules.

The scans run ``oai-lint`` in a child process with a timeout and an address-space limit
(``tests/support/hostile_support.run_cli``), so a hang or a memory blow-up fails the test, not the machine.
"""

from __future__ import annotations

import codecs
import json
import os
import random
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import git_init
from tests.support.hostile_support import assert_no_leak, fake_key, output_formats, run_cli

RNG = random.Random(20250601)
LINUX = sys.platform.startswith("linux")


def _bundle(size: int, key: str) -> str:
    """A minified production bundle: one line of functions, env lookups and string tables."""
    parts, total, i = [], 0, 0
    while total < size:
        part = (
            f'function r{i}(e,t){{var n=e.k{i}||"/api/v{i % 7}",o=process.env.NODE_ENV;'
            f'if(n&&t){{return{{type:"T{i}",payload:[n,o,t.id,{i}]}}}}for(var a=0;a<t.length;a++)'
            f"n+=String.fromCharCode(t.charCodeAt(a)^{i % 251});return n}}"
        )
        parts.append(part)
        total += len(part)
        i += 1
    parts.insert(len(parts) // 2, 'var cfg={url:process.env.NEXT_PUBLIC_OPENAI_API_KEY,mode:"production"}')
    parts.append(f'var k="{key}"')
    return ";".join(parts) + ";\n"


def _billion_laughs(key: str) -> str:
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, 40):
        lines.append(f"lol{n}: &lol{n} [" + ", ".join([f"*lol{n - 1}"] * 9) + "]")
    lines += ["env:", "  OPENAI_API_KEY: *lol39", f"  # {key}"]
    return "\n".join(lines) + "\n"


class Tree:
    """The hostile tree: files, where each key must be reported, and which notes must appear."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.expected: dict[str, tuple[int, int]] = {}  # path -> (line, column) of its key's finding
        self.other: set[tuple[str, str, int, int]] = set()  # (path, rule, line, column) of other findings
        self.keys: list[str] = []  # every key in the tree, reported or not
        self.notes: dict[str, str] = {}  # path -> part of the note every scan gives
        self.parse_notes: dict[str, str] = {}  # path -> part of the note once the file is parsed

    def key(self) -> str:
        k = fake_key(RNG, RNG.choice(["legacy", "proj164", "svcacct167", "admin133", "none164"]))
        self.keys.append(k)
        return k

    def write(
        self,
        name: str | bytes,
        data: str | bytes,
        at: tuple[int, int] | None = None,
        key: str | None = None,
        shown: str | None = None,
    ) -> None:
        """Write a file; ``at`` (or ``key``: found in ``data``) is where its key must be reported, in a
        finding whose path is ``shown`` (default: the name)."""
        path = os.path.join(os.fsencode(self.root), os.fsencode(name))
        with open(path, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        if key is not None:
            assert isinstance(data, str)
            at = where(data, key)
        if at is not None:
            assert shown is not None or isinstance(name, str)
            self.expected[shown or str(name)] = at


def where(text: str, key: str) -> tuple[int, int]:
    """(line, column) of ``key`` in ``text``: lines end at \\n, \\r\\n or a lone \\r; columns count
    characters."""
    prefix = text[: text.index(key)]
    line_start = max(prefix.rfind("\n"), prefix.rfind("\r")) + 1
    return len(re.findall(r"\r\n|\r|\n", prefix)) + 1, len(prefix) - line_start + 1


def build_tree(root: Path, fifo: bool = True) -> Tree:
    t = Tree(root)
    (root / ".oai-lint.toml").write_text("# no settings: keeps a configuration further up out of the test\n")
    k = t.key()
    t.write("clean.py", f'import openai\nclient = openai.OpenAI(api_key="{k}")\n', key=k)
    t.write("empty.py", "")
    # binary content behind a text extension
    t.write("binary.py", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64 + t.key().encode() + bytes(range(256)))
    t.notes["binary.py"] = "binary content"
    # invalid UTF-8: replaced, noted, still checked
    t.write("invalid_utf8.py", b"name = '\xff\xfe\xc3('\n# " + t.key().encode() + b"\n", at=(2, 3))
    t.notes["invalid_utf8.py"] = "invalid UTF-8"
    # UTF-16, as Windows tools write requirements files: with and without BOM, both byte orders
    for name, codec, bom in (
        ("requirements-utf16le-bom.txt", "utf-16-le", codecs.BOM_UTF16_LE),
        ("requirements-utf16be-bom.txt", "utf-16-be", codecs.BOM_UTF16_BE),
        ("requirements-utf16le.txt", "utf-16-le", b""),
        ("requirements-utf16be.txt", "utf-16-be", b""),
    ):
        k = t.key()
        text = f"openai==1.30.0\r\nhttpx>=0.27\r\n# token {k}\r\n"
        t.write(name, bom + text.encode(codec), at=where(text, k))
    # line endings: CRLF, a lone CR (classic Mac), a form feed (not a line end)
    k = t.key()
    t.write("crlf.py", f"import os\r\n\r\nKEY = '{k}'\r\n", key=k)
    k = t.key()
    t.write("cr.py", f"import os\r\rKEY = '{k}'\r", key=k)
    k = t.key()
    t.write(
        "cr.js", f"const k = '{k}';\r\rconst c = new OpenAI({{ dangerouslyAllowBrowser: true }});\r", key=k
    )
    t.other.add(("cr.js", "OAI102", 3, 24))
    # a form feed (page break, as in older Python and C sources) is not a line end
    suppressed, k = t.key(), t.key()
    t.write(
        "formfeed.py",
        f"import os\n\x0c\nA = '{suppressed}'  # oai-lint: ignore[OAI101] fixture\nB = '{k}'\n",
        key=k,
    )
    t.write("Dockerfile", "FROM python:3.12-slim\x0c\nARG OPENAI_API_KEY\nENV OPENAI_API_KEY=${OPENAI_API_KEY}\n")
    t.other.add(("Dockerfile", "OAI105", 3, 5))
    # above the default size cap (5 MB): skipped with a note, not read
    t.write("huge-line.txt", "x" * 5_500_000 + " " + t.key())
    t.notes["huge-line.txt"] = "size cap"
    # a minified bundle (one 1.5 MB line)
    os.makedirs(root / "static/js")
    k = t.key()
    t.write("static/js/main.min.js", _bundle(1_500_000, k), key=k)
    # malformed structured files: text-level rules still apply
    k = t.key()
    t.write("broken.yaml", f'env:\n  OPENAI_API_KEY: "{k}\n  - [unclosed\n', key=k)
    t.parse_notes["broken.yaml"] = "YAML does not parse"
    k = t.key()
    t.write("broken.json", f'{{"OPENAI_API_KEY": "{k}", "x": [1, 2,,\n', key=k)
    t.parse_notes["broken.json"] = "not valid JSON"
    k = t.key()
    t.write("broken.toml", f'OPENAI_API_KEY = "{k}\n[[tool\n', key=k)
    t.parse_notes["broken.toml"] = "not valid TOML"
    k = t.key()
    t.write(
        "broken.ipynb",
        '{"cells": [{"cell_type": "code", "source": ["import openai\\n", "k = \\"'
        + k
        + '\\""]}, {"cell_type": \n',
        key=k,
    )
    t.parse_notes["broken.ipynb"] = "notebook is not valid JSON"
    # a YAML alias bomb; aliases must never be expanded
    k = t.key()
    t.write("bomb.yaml", _billion_laughs(k), key=k)
    # deep nesting
    k = t.key()
    t.write("deep.json", "[" * 100_000 + f'"{k}"' + "]" * 100_000, key=k)
    t.parse_notes["deep.json"] = "not valid JSON"
    k = t.key()
    t.write("deep.yaml", "a: " + "[" * 50_000 + "]" * 50_000 + f"\nb: {k}\n", key=k)
    t.parse_notes["deep.yaml"] = "YAML does not parse"
    k = t.key()
    t.write(
        "deep.py",
        "import openai\nx = " + "(" * 100 + "1" + " + 1" * 200_000 + ")" * 100 + f"\nKEY = '{k}'\n",
        key=k,
    )
    t.parse_notes["deep.py"] = "too deeply nested"
    k = t.key()
    t.write("deep_js.js", "const x = " + "[" * 20_000 + "]" * 20_000 + f";\nconst k = '{k}';\n", key=k)
    # Python 2
    k = t.key()
    t.write("py2.py", f"import openai\nprint 'hello'\nopenai.api_key = '{k}'\n", key=k)
    t.parse_notes["py2.py"] = "Python 2 syntax?"
    # symbolic links: a loop, and a link to a file outside the root (whose key must not be reported)
    os.symlink("loop", root / "loop")
    t.notes["loop"] = "symbolic link loop"
    outside = root.parent / f"{root.name}-outside.txt"
    outside.write_text(t.key() + "\n")
    os.symlink(outside, root / "outside.txt")
    t.notes["outside.txt"] = "outside the scanned directory"
    # hostile names: not UTF-8, a control character, a right-to-left override
    # (`shown`: the path JSON reports: the real name, bytes that are not UTF-8 as \xff escapes)
    for name, shown in (
        (b"caf\xe9.py", "caf\\xe9.py"),
        ("tab\tname.py", "tab\tname.py"),
        ("evil\u202etxt.py", "evil\u202etxt.py"),
        ("\U0001f9d1\u200d\U0001f4bb.py", "\U0001f9d1\u200d\U0001f4bb.py"),  # an emoji with a zero-width joiner
    ):
        k = t.key()
        t.write(name, f"KEY = '{k}'\n", key=k, shown=shown)
    if fifo and hasattr(os, "mkfifo"):
        os.mkfifo(root / "pipe.txt")  # reading it would block for ever
        t.notes["pipe.txt"] = "FIFO"
    return t


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Tree:
    return build_tree(_mkroot(tmp_path_factory, "walk"))


@pytest.fixture(scope="module")
def git_tree(tmp_path_factory: pytest.TempPathFactory) -> Tree:
    root = _mkroot(tmp_path_factory, "git")
    git_init(root)
    return build_tree(root, fifo=False)  # git does not list FIFOs


def _mkroot(factory: pytest.TempPathFactory, name: str) -> Path:
    root = factory.mktemp(name) / "root"
    root.mkdir()
    return root


_RUNS: dict[tuple[str, tuple[str, ...]], Any] = {}


def scan_json(t: Tree, *extra: str, probe: tuple[str, ...] = ()) -> tuple[int, dict[str, Any], str]:
    cache_key = (str(t.root), (*extra, *probe))
    if cache_key not in _RUNS:
        r = run_cli(t.root, ".", "--format", "json", *extra, probe=probe, timeout=90, memory=1 << 30)
        assert "Traceback" not in r.stderr, r.stderr
        _RUNS[cache_key] = (r.code, json.loads(r.stdout), r.stderr)
    code, doc, err = _RUNS[cache_key]
    return code, doc, err


def _notes(doc: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for n in doc["notes"]:
        out.setdefault(n["path"], []).append(n["message"])
    return out


@pytest.mark.parametrize("which", ["walk", "git"])
def test_every_key_is_found_where_it_is(which: str, tree: Tree, git_tree: Tree) -> None:
    t = tree if which == "walk" else git_tree
    code, doc, _ = scan_json(t)
    found = {(f["path"], f["line"], f["column"]) for f in doc["findings"] if f["rule_id"] == "OAI101"}
    for path, (line, col) in t.expected.items():
        assert (path, line, col) in found, f"{path}: no OAI101 at {line}:{col}; found {sorted(found)}"
    for path, rule, line, col in t.other:
        assert any(
            (f["path"], f["rule_id"], f["line"], f["column"]) == (path, rule, line, col)
            for f in doc["findings"]
        ), f"{path}: no {rule} at {line}:{col}"
    reported = {f["path"] for f in doc["findings"]}
    assert reported <= set(t.expected) | {o[0] for o in t.other}, "a finding in a file that must be skipped"
    assert code == 1  # findings, no errors: notes do not change the exit code


@pytest.mark.parametrize("which", ["walk", "git"])
def test_each_problem_is_a_note_with_its_path(which: str, tree: Tree, git_tree: Tree) -> None:
    t = tree if which == "walk" else git_tree
    _, doc, _ = scan_json(t)
    notes = _notes(doc)
    for path, part in t.notes.items():
        assert any(part in m for m in notes.get(path, [])), f"{path}: no note containing {part!r}: {notes}"
    assert all(n["kind"] == "note" for n in doc["notes"]), doc["notes"]


def test_every_parser_meets_every_file(tree: Tree) -> None:
    """With a check that parses every file every way (tests/support/hostile_probe.py --views), each malformed
    file gets its parse note, and the keys are still found."""
    code, doc, _ = scan_json(tree, probe=("--views",))
    notes = _notes(doc)
    for path, part in {**tree.notes, **tree.parse_notes}.items():
        assert any(part in m for m in notes.get(path, [])), f"{path}: no note containing {part!r}: {notes}"
    found = {(f["path"], f["line"], f["column"]) for f in doc["findings"] if f["rule_id"] == "OAI101"}
    assert {(p, *at) for p, at in tree.expected.items()} <= found
    assert code == 1


def test_every_format_survives_the_tree(tree: Tree) -> None:
    """Every output format: no crash, no key, valid JSON where it is JSON. Text and JSON show hostile file
    names escaped (other formats have their own conventions, e.g. SARIF percent-encodes the bytes)."""
    for fmt in output_formats():
        r = run_cli(tree.root, ".", "--format", fmt, timeout=90, memory=1 << 30)
        assert r.code == 1 and "Traceback" not in r.stderr, (fmt, r.stderr)
        assert_no_leak(r.stdout + r.stderr, tree.keys)
        if r.stdout.lstrip().startswith(("{", "[")):
            json.loads(r.stdout)  # JSON-based formats stay valid JSON
        if fmt == "text":
            for name in ("caf\\xe9.py", "tab\\x09name.py", "evil\\u202etxt.py"):
                assert name in r.stdout, (fmt, name)
        if fmt == "json":  # the real names (JSON escapes), bytes that are not UTF-8 as \xff escapes
            paths = {f["path"] for f in json.loads(r.stdout)["findings"]}
            assert {"caf\\xe9.py", "tab\tname.py", "evil\u202etxt.py"} <= paths, paths
        if fmt in {"text", "json"}:
            assert "tab\tname" not in r.stdout and "\u202e" not in r.stdout, fmt


def test_parallel_scan_of_hostile_tree_matches_serial(tree: Tree) -> None:
    _, serial, _ = scan_json(tree, "-j", "1")
    _, parallel, _ = scan_json(tree, "-j", "3")
    assert serial["findings"] == parallel["findings"]
    assert serial["notes"] == parallel["notes"]


# -- a 50 MB single-line file ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fifty_mb(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = _mkroot(tmp_path_factory, "big")
    (root / ".oai-lint.toml").write_text("")
    key = fake_key(RNG, "proj164")
    chunk = "".join(RNG.choice("abcdefghij0123456789 ,;{}") for _ in range(1 << 20))
    with open(root / "one-line.txt", "w", encoding="ascii") as fh:
        for _ in range(50):
            fh.write(chunk)
        fh.write(" " + key)
    return root, key


def test_50mb_line_is_skipped_by_default_with_a_note(fifty_mb: tuple[Path, str]) -> None:
    root, _ = fifty_mb
    r = run_cli(root, ".", "--format", "json", timeout=60, memory=1 << 30)
    doc = json.loads(r.stdout)
    assert r.code == 0 and doc["findings"] == []
    assert any(n["path"] == "one-line.txt" and "size cap" in n["message"] for n in doc["notes"])


def test_50mb_line_with_raised_cap_is_scanned_and_the_key_found(fifty_mb: tuple[Path, str]) -> None:
    root, key = fifty_mb
    r = run_cli(root, ".", "--max-file-size", "100MB", "--format", "json", timeout=120, memory=768 << 20)
    assert r.code == 1, r.stderr
    doc = json.loads(r.stdout)
    (finding,) = doc["findings"]
    assert (finding["path"], finding["line"], finding["column"]) == ("one-line.txt", 1, 50 * (1 << 20) + 2)
    assert_no_leak(r.stdout + r.stderr, [key])
    assert r.seconds < 60, f"a 50 MB line took {r.seconds:.1f} s"
