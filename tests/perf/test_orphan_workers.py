"""A worker process ends when the scan that started it is killed (a CI timeout sends SIGKILL): it does
not keep scanning the file it holds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

SCRIPT = """
import os, sys, time
from oai_lint.engine import scanner
pids = sys.argv[1]

def busy(self, entry, index=-1):
    with open(pids, "a") as fh:
        fh.write(f"{os.getpid()}\\n")
    end = time.monotonic() + 120
    while time.monotonic() < end:  # a file that takes long: busy, not reading its pipe
        pass

scanner.Scanner.scan_file = busy
from oai_lint.engine import Settings, scan
scan(["."], Settings(jobs=2), ".")
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def test_workers_end_with_their_parent(tmp_path: Path) -> None:
    for i in range(8):
        (tmp_path / f"m{i}.py").write_text("import openai\n")
    pids = tmp_path / "pids"
    parent = subprocess.Popen([sys.executable, "-c", SCRIPT, str(pids)], cwd=tmp_path)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(set(pids.read_text().split()) if pids.exists() else ()) < 2:
            time.sleep(0.05)
        workers = [int(p) for p in set(pids.read_text().split())]
        assert len(workers) == 2 and parent.pid not in workers
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.05)
        assert not [w for w in workers if _alive(w)], "a worker outlived its parent"
    finally:
        for w in [int(p) for p in set(pids.read_text().split())] if pids.exists() else []:
            if _alive(w):
                os.kill(w, signal.SIGKILL)
        if parent.poll() is None:
            parent.kill()
