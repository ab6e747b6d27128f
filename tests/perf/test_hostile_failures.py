"""Hostile conditions around the files: a file deleted or replaced by a FIFO between discovery and read,
unreadable files and directories, read errors, notes alone, a check that raises, a worker that dies.
Each is a note that names its path (or an error note), the rest of the scan goes on, and the exit code
follows the README's rules. (The hostile tree itself: ``test_hostile_inputs.py``.)
"""

from __future__ import annotations

import json
import os
import pickle
import random
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from oai_lint import engine
from tests.support.hostile_support import assert_no_leak, fake_key, run_cli

RNG = random.Random(20250601)
LINUX = sys.platform.startswith("linux")


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


def test_unreadable_untracked_directory_in_git(open_tree: Path) -> None:
    """git lists no file of an untracked directory it cannot open (and only warns): still an error."""
    import subprocess

    subprocess.run(["git", "init", "-q", str(open_tree)], check=True)
    subprocess.run(["git", "-C", str(open_tree), "add", "b.py"], check=True)
    (open_tree / "locked").mkdir()
    (open_tree / "locked" / "c.py").write_text("z = 3\n")
    if os.geteuid() == 0:  # the scan runs as nobody: git refuses a repository someone else owns
        for p in [open_tree, *open_tree.rglob("*")]:
            os.lchown(p, 65534, 65534)
    (open_tree / "locked").chmod(0)
    code, out, err = scan_unprivileged(open_tree, ".", "--format", "json")
    doc = json.loads(out)
    assert code == 2, (code, err, doc["notes"])
    (note,) = [n for n in doc["notes"] if n["path"] == "locked"]
    assert note["kind"] == "error" and "ermission denied" in note["message"]
    assert not [n for n in doc["notes"] if "walked" in n["message"]]  # git did list the rest


def test_write_baseline_does_not_hide_read_errors(open_tree: Path) -> None:
    (open_tree / "a.py").chmod(0)
    (open_tree / "out").mkdir()
    (open_tree / "out").chmod(0o777)  # writable by the unprivileged scan
    out = open_tree / "out" / "base.json"
    code, _, err = scan_unprivileged(open_tree, ".", "--write-baseline", str(out))
    # the baseline is written, but it lacks what a.py holds: the run says so and fails
    assert code == 2, (code, err)
    assert "a.py: cannot read (Permission denied)" in err and "the baseline is incomplete" in err
    assert json.loads(out.read_text())["findings"]


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
