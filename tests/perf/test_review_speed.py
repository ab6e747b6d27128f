"""Review of the scan engine rewrite (issue 7): the repository facts gathered during a whole scan must be
those a scan of single files computes; the worker pool must neither hang nor outlive its parent."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from oai_lint.engine import ScanResult
from tests.conftest import REPO, git_init, run_scan, write_tree
from tests.support.keygen import make_key

ORG = "org-4hT2kQ9mZpW1vX8cR3nB6yLd"
READER = 'import os\nfrom openai import OpenAI\n\nclient = OpenAI(organization=os.getenv("OPENAI_ORGANIZATION"))\n'


def _oai201(result: ScanResult) -> list[tuple[str, int]]:
    return [(f.path, f.line) for f in result.findings if f.rule_id == "OAI201"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_facts_of_a_nested_repository_count_for_a_directory_outside_git(tmp_path: Path, jobs: int) -> None:
    """A directory outside git holding a git repository: a scan of its .env alone reads every file below
    it for the facts (code in lib/ reads OPENAI_ORGANIZATION, so no OAI201); the whole scan must agree."""
    write_tree(tmp_path, {".env": f"OPENAI_ORGANIZATION={ORG}\n", "lib/app.py": READER})
    git_init(tmp_path / "lib")
    assert _oai201(run_scan(tmp_path, [".env"], jobs=1)) == []
    assert _oai201(run_scan(tmp_path, jobs=jobs)) == []


def test_facts_of_a_nested_repository_count_with_no_gitignore(tmp_path: Path) -> None:
    git_init(tmp_path)
    write_tree(tmp_path, {".env": f"OPENAI_ORGANIZATION={ORG}\n", "vendor/sdk/app.py": READER})
    git_init(tmp_path / "vendor" / "sdk")
    single = _oai201(run_scan(tmp_path, [".env"], jobs=1, use_gitignore=False))
    assert _oai201(run_scan(tmp_path, jobs=1, use_gitignore=False)) == single


def test_a_path_outside_the_root_adds_nothing_to_the_roots_facts(tmp_path: Path) -> None:
    """`oai-lint . ../elsewhere`: the code elsewhere is not the repository's; the repository's .env gets
    the same OAI201 as in `oai-lint .`."""
    root, other = tmp_path / "repo", tmp_path / "elsewhere"
    git_init(root)
    write_tree(root, {".env": f"OPENAI_ORGANIZATION={ORG}\n", "app.py": "from openai import OpenAI\n"})
    write_tree(other, {"reader.py": READER})
    alone = _oai201(run_scan(root, ["."], jobs=1))
    assert alone == [(".env", 1)]
    assert _oai201(run_scan(root, [".", str(other)], jobs=1)) == alone


def test_a_file_decoded_only_for_the_facts_gets_no_note(tmp_path: Path) -> None:
    """A text file no check reads but that tells something of the repository (it names OPENAI_…) is
    decoded for the facts in a whole scan: its decoding note must not appear there and not in a scan of
    the file itself."""
    git_init(tmp_path)
    write_tree(tmp_path, {"notes.txt": b"export OPENAI_FOO=1 caf\xe9\n", "requirements.txt": b"langchain\n# \xff\n"})
    single = sorted((n.path, n.message) for f in ("notes.txt", "requirements.txt")
                    for n in run_scan(tmp_path, [f], jobs=1).notes)
    for jobs in (1, 2):
        whole = sorted((n.path, n.message) for n in run_scan(tmp_path, jobs=jobs).notes)
        assert whole == single


def _cli(root: Path, *args: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen([sys.executable, "-m", "oai_lint", *args], cwd=root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False).stdout
    return [int(p) for p in out.split()]


def _kill_all(pids: list[int]) -> None:
    for p in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(p, signal.SIGKILL)


@pytest.mark.skipif(sys.platform != "linux", reason="pgrep -P and /proc")
def test_untracked_files_with_long_paths_do_not_deadlock_the_pool(tmp_path: Path) -> None:
    """Workers start on the tracked files; untracked ones are sent to them by name. A message of names
    larger than a pipe holds, sent to a worker that is itself writing a large answer (many findings),
    blocked both processes for ever."""
    git_init(tmp_path)
    rng = random.Random(3)
    write_tree(tmp_path, {
        f"src/m{i:03}.py": "".join(f'K{j} = "{make_key("proj164", rng)}"\n' for j in range(40)) for i in range(64)
    })
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    deep = "/".join(["d" * 200] * 7)  # paths of about 1.4 KB: 48 of them fill a 64 KB pipe
    write_tree(tmp_path, {f"{deep}/u{i:03}.txt": "nothing\n" for i in range(300)})
    proc = _cli(tmp_path, ".", "--jobs", "2", "--format", "json")
    try:
        code = proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        workers = _children(proc.pid)
        proc.kill()
        proc.wait()
        _kill_all(workers)
        pytest.fail("the scan hung (parent and worker each waiting to write to the other)")
    assert code == 1


@pytest.mark.skipif(sys.platform != "linux", reason="pgrep -P and /proc")
def test_workers_end_when_the_parent_is_killed(tmp_path: Path) -> None:
    """A CI timeout kills the scan: its workers must not stay behind, blocked on their pipes."""
    git_init(tmp_path)
    rng = random.Random(4)
    body = "".join(f'K{j} = "{make_key("proj164", rng)}"\n' for j in range(100))
    write_tree(tmp_path, {f"src/m{i:04}.py": body for i in range(1500)})
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    proc = _cli(tmp_path, ".", "--jobs", "3", "--format", "json")
    workers: list[int] = []
    deadline = time.monotonic() + 30
    while len(workers) < 3 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        workers = _children(proc.pid)
    if proc.poll() is not None:
        pytest.skip("the scan ended before it could be killed")
    time.sleep(0.5)  # the workers are scanning (and soon writing answers nobody reads)
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{w}") for w in workers):
        time.sleep(0.1)
    left = [w for w in workers if os.path.exists(f"/proc/{w}")
            and Path(f"/proc/{w}/stat").read_text().split()[2] != "Z"]  # (a zombie has ended)
    _kill_all(left)
    assert left == [], "worker processes outlived the killed scan"


def test_curl_examples_in_the_docs_are_checked_on_pages_that_name_the_api_host(tmp_path: Path) -> None:
    """As OAI202's notes say: the same curl command (through $OPENAI_BASE_URL, a project id in the
    Organization header) is reported in a shell script, and in a README only on a page that names
    api.openai.com (docs are most of a large repository's bytes; "curl" and "openai" are on many pages
    that hold no OpenAI request)."""
    cmd = ('curl "$OPENAI_BASE_URL/chat/completions" -H "Authorization: Bearer $OPENAI_API_KEY" '
           '-H "OpenAI-Organization: proj_Jm3Tq8vXz2Wn5Kd7Rb1Yc4Hs"\n')
    git_init(tmp_path)
    write_tree(tmp_path, {
        "run.sh": cmd,
        "README.md": "```sh\n" + cmd + "```\n",
        "docs/api.md": "Set OPENAI_BASE_URL to https://api.openai.com/v1, then:\n\n```sh\n" + cmd + "```\n",
    })
    found = {(f.path, f.rule_id) for f in run_scan(tmp_path, jobs=1).findings}
    assert found == {("run.sh", "OAI202"), ("docs/api.md", "OAI202")}
