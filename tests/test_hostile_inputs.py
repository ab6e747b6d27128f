"""Hostile input: every scan completes in bounded time and memory, every other file is still checked,
each problem is a note that names its path, and the exit code follows the README's rules.

The scans run ``oai-lint`` in a child process with a timeout and an address-space limit
(``tests/hostile_support.run_cli``), so a hang or a memory blow-up fails the test, not the machine.
"""

from __future__ import annotations

import codecs
import json
import os
import pickle
import random
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from oai_lint import engine
from tests.conftest import git_init
from tests.hostile_support import assert_no_leak, fake_key, output_formats, run_cli

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
    for name, shown in (
        (b"caf\xe9.py", "caf\\xe9.py"),
        ("tab\tname.py", "tab\\x09name.py"),
        ("evil\u202etxt.py", "evil\\u202etxt.py"),
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
    """With a check that parses every file every way (tests/hostile_probe.py --views), each malformed
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
        if fmt in {"text", "json"}:
            shown = r.stdout.replace("\\\\", "\\")  # JSON doubles the backslash of an escape
            for name in ("caf\\xe9.py", "tab\\x09name.py", "evil\\u202etxt.py"):
                assert name in shown, (fmt, name)
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


# -- races and unreadable files --------------------------------------------------------------------------


def in_child(fn: Callable[[], Any], timeout: float = 60) -> Any:
    """Run ``fn`` in a forked child and return its (pickled) result; fail if it runs over ``timeout``."""
    import select
    import signal

    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(r)
        try:
            payload = pickle.dumps(("ok", fn()))
        except BaseException as exc:
            payload = pickle.dumps(("error", repr(exc)))
        with os.fdopen(w, "wb") as fh:
            fh.write(payload)
        os._exit(0)
    os.close(w)
    chunks = []
    with os.fdopen(r, "rb") as fh:
        while True:
            ready, _, _ = select.select([fh], [], [], timeout)
            if not ready:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                pytest.fail(f"did not finish within {timeout} s (hang)")
            data = fh.read1(1 << 16) if hasattr(fh, "read1") else fh.read()
            if not data:
                break
            chunks.append(data)
    os.waitpid(pid, 0)
    status, value = pickle.loads(b"".join(chunks))
    assert status == "ok", value
    return value


def _cli_in_process(root: Path, *args: str) -> tuple[int, str, str]:
    from click.testing import CliRunner

    from oai_lint.cli.commands import main

    old = os.getcwd()
    os.chdir(root)
    try:
        res = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)
    return res.exit_code, res.stdout, res.stderr


@pytest.fixture
def small_tree(tmp_path: Path) -> tuple[Path, str]:
    key = fake_key(RNG, "legacy")
    (tmp_path / ".oai-lint.toml").write_text("")
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "b.py").write_text(f"KEY = '{key}'\n")
    (tmp_path / "c.py").write_text("y = 2\n")
    return tmp_path, key


@pytest.fixture
def hook_discovery(monkeypatch: pytest.MonkeyPatch) -> Callable[[Callable[[], None]], None]:
    """Run an action after discovery and before the files are read."""

    def install(action: Callable[[], None]) -> None:
        real = engine.discover

        def discover_then_act(*args: Any, **kwargs: Any) -> Any:
            found = real(*args, **kwargs)
            action()
            return found

        monkeypatch.setattr(engine, "discover", discover_then_act)

    return install


def test_file_deleted_between_discovery_and_read(small_tree: tuple[Path, str], hook_discovery: Any) -> None:
    root, _ = small_tree
    hook_discovery(lambda: (root / "a.py").unlink())
    code, out, _ = _cli_in_process(root, ".", "--format", "json")
    doc = json.loads(out)
    assert code == 1  # the other files were checked; a vanished file is a note, not an error
    assert [f["path"] for f in doc["findings"]] == ["b.py"]
    assert {
        "path": "a.py",
        "kind": "note",
        "message": "file disappeared before it could be read; skipped",
    } in doc["notes"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_file_replaced_by_a_fifo_after_discovery_does_not_hang(
    small_tree: tuple[Path, str], hook_discovery: Any
) -> None:
    root, _ = small_tree

    def swap() -> None:
        (root / "a.py").unlink()
        os.mkfifo(root / "a.py")
        (root / "c.py").unlink()
        (root / "c.py").mkdir()

    hook_discovery(swap)
    code, out, _ = in_child(lambda: _cli_in_process(root, ".", "--format", "json"), timeout=30)
    doc = json.loads(out)
    assert code == 1 and [f["path"] for f in doc["findings"]] == ["b.py"]
    notes = {n["path"]: n["message"] for n in doc["notes"]}
    assert notes["a.py"] == "no longer a regular file (FIFO); skipped"
    assert notes["c.py"] == "no longer a regular file (directory); skipped"


@pytest.fixture
def open_tree(tmp_path: Path) -> Iterator[Path]:
    """A directory every user can enter (for a scan that runs as ``nobody``), with two files."""
    base = tmp_path
    if os.geteuid() == 0:  # tmp_path's parents are private to root
        base = Path(tempfile.mkdtemp(prefix="oai-lint-unreadable-"))
        base.chmod(0o755)
    (base / ".oai-lint.toml").write_text("")
    (base / "a.py").write_text("x = 1\n")
    (base / "b.py").write_text(f"KEY = '{fake_key(RNG, 'legacy')}'\n")
    yield base
    if base != tmp_path:
        for p in base.rglob("*"):
            p.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def scan_unprivileged(root: Path, *args: str) -> tuple[int, str, str]:
    """``oai-lint ARGS`` as a user that permissions apply to. chmod 000 does not stop root, so as root
    the scan runs in a forked child that drops to ``nobody`` (uid 65534) first."""
    if os.geteuid() != 0:
        r = run_cli(root, *args, timeout=60, memory=1 << 30)
        return r.code, r.stdout, r.stderr
    _cli_in_process(root, *args)  # import what the scan needs while /root is still readable

    def as_nobody() -> tuple[int, str, str]:
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
        except OSError as exc:
            return -1, "", f"cannot drop privileges: {exc}"
        return _cli_in_process(root, *args)

    code, out, err = in_child(as_nobody, timeout=60)
    if code == -1:
        pytest.skip(f"running as root and {err}: cannot make a path unreadable")
    return code, out, err


def test_unreadable_file(open_tree: Path) -> None:
    (open_tree / "a.py").chmod(0)
    code, out, err = scan_unprivileged(open_tree, ".", "--format", "json")
    doc = json.loads(out)
    assert code == 2, (code, err)  # the scan is incomplete
    assert [f["path"] for f in doc["findings"]] == ["b.py"]  # the other files were still checked
    (note,) = [n for n in doc["notes"] if n["path"] == "a.py"]
    assert note["kind"] == "error" and "Permission denied" in note["message"] and "exclude" in note["message"]
    assert err.strip().splitlines() == [f"oai-lint: error: a.py: {note['message']}"]


def test_unreadable_directory(open_tree: Path) -> None:
    (open_tree / "locked").mkdir()
    (open_tree / "locked" / "c.py").write_text("z = 3\n")
    (open_tree / "locked").chmod(0)
    code, out, err = scan_unprivileged(open_tree, ".", "--format", "json")
    doc = json.loads(out)
    assert code == 2 and [f["path"] for f in doc["findings"]] == ["b.py"]
    (note,) = [n for n in doc["notes"] if n["path"] == "locked"]
    assert note["kind"] == "error" and "Permission denied" in note["message"]
    # named on the command line: refused before scanning, in one line
    code, out, err = scan_unprivileged(open_tree, "locked", "b.py")
    assert code == 2 and out == ""
    (line,) = err.strip().splitlines()
    assert line.startswith("oai-lint: error: ") and "'locked' is not readable" in line


def test_unreadable_file_in_text_output(open_tree: Path) -> None:
    (open_tree / "a.py").chmod(0)
    code, out, err = scan_unprivileged(open_tree, ".")
    assert code == 2 and err == ""  # the report on stdout carries the error line
    assert "error: a.py: cannot read (Permission denied); not scanned." in out
    assert "b.py:1:8: OAI101" in out


@pytest.mark.skipif(not LINUX, reason="/proc/self/mem is Linux")
def test_file_whose_read_fails_with_an_io_error(small_tree: tuple[Path, str]) -> None:
    """/proc/self/mem is a regular file that nobody, root included, can read from offset 0 (EIO)."""
    root, key = small_tree
    r = run_cli(root, "/proc/self/mem", "b.py", "--format", "json", "--exit-zero", timeout=60, memory=1 << 30)
    doc = json.loads(r.stdout)
    assert r.code == 2  # errors win over --exit-zero
    assert [f["path"] for f in doc["findings"]] == ["b.py"]
    (note,) = [n for n in doc["notes"] if n["path"] == "/proc/self/mem"]
    assert note["kind"] == "error" and "Input/output error" in note["message"]
    assert r.stderr.strip().splitlines() == [f"oai-lint: error: /proc/self/mem: {note['message']}"]
    assert_no_leak(r.stdout + r.stderr, [key])


# -- exit codes for notes ---------------------------------------------------------------------------------


def test_notes_alone_exit_0(tmp_path: Path) -> None:
    (tmp_path / ".oai-lint.toml").write_text("")
    (tmp_path / "blob.py").write_bytes(b"\x00\x01\x02")
    (tmp_path / "bad.py").write_bytes(b"x = '\xff'\n")
    os.symlink("/etc/hostname", tmp_path / "out.txt")
    r = run_cli(tmp_path, ".", "--format", "json", timeout=60, memory=1 << 30)
    doc = json.loads(r.stdout)
    assert r.code == 0 and doc["findings"] == [] and doc["notes"], r.stderr
    assert r.stderr == ""


# -- a check that fails, a worker that dies -----------------------------------------------------------------


@pytest.fixture
def extra_check(monkeypatch: pytest.MonkeyPatch) -> Callable[[Callable[..., Any]], None]:
    """Register one more check for this test only (worker processes are forked and see it too)."""
    from oai_lint import checks

    checks.full_registry()
    monkeypatch.setattr(checks, "_REGISTRY", list(checks._REGISTRY))

    def add(func: Callable[..., Any]) -> None:
        checks._REGISTRY.append(checks.Check(f"tests.{func.__name__}", ("OAI101",), func, None, ()))

    return add


def _keys_tree(root: Path, n: int) -> list[str]:
    (root / ".oai-lint.toml").write_text("")
    names = []
    for i in range(n):
        names.append(f"f{i:02d}.py")
        (root / names[-1]).write_text(f"KEY = '{fake_key(RNG, 'legacy')}'\n")
    return names


def test_a_check_that_raises_is_an_error_note_and_the_rest_goes_on(tmp_path: Path, extra_check: Any) -> None:
    names = _keys_tree(tmp_path, 3)
    secret = fake_key(RNG, "proj164")

    def broken(source: Any, ctx: Any) -> list[Any]:
        if source.path == "f01.py":
            raise ValueError(f"cannot handle {secret}")  # a message that holds a key must not print it
        return []

    extra_check(broken)
    code, out, err = _cli_in_process(tmp_path, ".", "--format", "json")
    doc = json.loads(out)
    assert code == 2  # a file was not fully checked
    assert sorted(f["path"] for f in doc["findings"]) == names  # f01.py's key too: OAI101 is another check
    (note,) = [n for n in doc["notes"] if n["kind"] == "error"]
    assert note["path"] == "f01.py" and "internal error in tests.broken (ValueError" in note["message"]
    assert_no_leak(out + err, [secret])
    assert err.strip().splitlines() == [f"oai-lint: error: f01.py: {note['message']}"]


def test_a_worker_that_dies_does_not_end_the_run(tmp_path: Path, extra_check: Any) -> None:
    names = _keys_tree(tmp_path, 12)
    parent = os.getpid()

    def killer(source: Any, ctx: Any) -> list[Any]:
        if os.getpid() != parent and source.path == "f07.py":
            os._exit(3)  # as the kernel's OOM killer would
        return []

    extra_check(killer)
    code, out, _ = _cli_in_process(tmp_path, ".", "--format", "json", "-j", "2")
    doc = json.loads(out)
    assert code == 1 and sorted(f["path"] for f in doc["findings"]) == names
    assert any("a worker process died" in n["message"] for n in doc["notes"])
    assert doc["summary"]["files_scanned"] == 13  # the 12 files and .oai-lint.toml
