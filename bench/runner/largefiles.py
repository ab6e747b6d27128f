"""Large Python test files: oai-lint's time per file must grow linearly with the file's size.

Framework test suites hold single test modules of 100-500 KB that reuse the same few names in every test
(`client`, `session`, `url`, `response`), mention api.openai.com in unrelated arguments and send raw
requests. A check that follows every assignment of a name for every use of it is quadratic there (one
160 KB file once took 3.5 s). This case writes such modules at doubling sizes, scans each one alone in
its own process and reports the CPU time per file and per 100 KB; the target is that doubling the size
at most about doubles the time (ratio <= TARGET_RATIO between the two largest files).
"""

from __future__ import annotations

import os
import resource
import subprocess
import tempfile
from pathlib import Path

SIZES_KB = (40, 80, 160, 320)
TARGET_RATIO = 2.3  # time(2x size) / time(1x size), start-up subtracted
REPEAT = 3

HEADER = '''"""Generated test module (bench/runner/largefiles.py)."""
import os

import openai
import pytest
import requests

import sandbox_module

BASE = "https://api.openai.com"
KEY = os.environ.get("OPENAI_API_KEY", "")

'''

TEST = '''

@pytest.mark.asyncio
async def test_case_{i}(monkeypatch):
    policy = sandbox_module.Policy(allow=["pypi.org"], port={i})
    opts = sandbox_module.Options(region="r{i}", policy=policy)
    client = sandbox_module.SandboxClient(opts)
    session = await client.create(manifest=sandbox_module.manifest("case {i}"), options=opts)
    url = f"{{BASE}}/v1/chat/completions"
    response = requests.post(url, headers={{"Authorization": f"Bearer {{KEY}}"}}, json={{"model": "m{i}"}})
    payload = {{"id": "{i}", "items": [session, client, url], "note": "case {i} of the generated module"}}
    monkeypatch.setattr(session, "shutdown", lambda: payload)
    await client.delete(session)
    assert response.status_code in (200, 429), payload
'''


def module_text(size_kb: int) -> str:
    """A valid Python test module of about ``size_kb`` KB."""
    parts = [HEADER]
    size, i = len(HEADER), 0
    while size < size_kb * 1000:
        block = TEST.format(i=i)
        parts.append(block)
        size += len(block)
        i += 1
    return "".join(parts)


def _cpu_of(cmd: list[str], cwd: Path) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run_large_files(oai: list[str], work: Path | None = None) -> tuple[list[dict[str, float]], bool]:
    """Scan each generated module alone (median of REPEAT CPU times, start-up subtracted); print a table and
    whether time per file is linear in its size. Returns the rows and the verdict."""
    root = Path(tempfile.mkdtemp(prefix="oai-lint-large-", dir=work))
    for kb in SIZES_KB:
        (root / f"test_generated_{kb}kb.py").write_text(module_text(kb), encoding="utf-8")
    startup = sorted(_cpu_of([*oai, "--version"], root) for _ in range(REPEAT))[REPEAT // 2]
    rows: list[dict[str, float]] = []
    print(f"\nlarge Python test files (one process per file, CPU s, start-up {startup:.3f} s subtracted):")
    print(f"  {'file KB':>8} {'cpu s':>8} {'s per 100 KB':>13}")
    for kb in SIZES_KB:
        path = root / f"test_generated_{kb}kb.py"
        cmd = [*oai, str(path), "--no-gitignore", "--format", "json", "--exit-zero", "--jobs", "1"]
        cpu = max(sorted(_cpu_of(cmd, root) for _ in range(REPEAT))[REPEAT // 2] - startup, 0.001)
        real_kb = os.path.getsize(path) / 1000
        rows.append({"kb": real_kb, "cpu": cpu})
        print(f"  {real_kb:8.0f} {cpu:8.3f} {cpu / real_kb * 100:13.3f}")
    ratio = rows[-1]["cpu"] / rows[-2]["cpu"]
    ok = ratio <= TARGET_RATIO
    print(f"  time({SIZES_KB[-1]} KB) / time({SIZES_KB[-2]} KB) = {ratio:.2f} (limit {TARGET_RATIO:g})  "
          f"{'PASS' if ok else 'FAIL'}")
    for path in root.iterdir():
        path.unlink()
    root.rmdir()
    return rows, ok
