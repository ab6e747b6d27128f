"""Property tests (Hypothesis).

- Generated files of every kind, valid or garbage, never make the engine raise, and no check fails
  on them (a check that raises becomes an "internal error" note: that is a bug here).
- A key inserted anywhere in a valid file of any kind, in any encoding and with any line endings,
  is reported at its line and column, and no output format prints it.
- The same findings and notes in the same order whatever the order of the paths and the number of
  processes.
"""

from __future__ import annotations

import json
import keyword
import os
import random
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from oai_lint.analysis.keys import is_placeholder
from oai_lint.checks import Check, Context
from oai_lint.discover import FileEntry
from oai_lint.engine import Scanner, ScanResult, Settings, scan
from oai_lint.findings import Note
from oai_lint.report import render
from tests.support.hostile_probe import _touch_views
from tests.support.hostile_support import KEY_SHAPES, MARKER, assert_no_leak, fake_key, output_formats

SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
FORMATS = output_formats()
# one file name per source kind, and a few that only the text rules read
NAMES = [
    "app.py",
    "index.js",
    "server.ts",
    "page.tsx",
    "config.yaml",
    ".github/workflows/ci.yml",
    "docker-compose.yml",
    "k8s/secret.yaml",
    "package.json",
    "pyproject.toml",
    ".env",
    ".env.local",
    "Dockerfile",
    "analysis.ipynb",
    "deploy.sh",
    "README.md",
    "Makefile",
    "requirements.txt",
    "setup.cfg",
    "notes.txt",
]


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="oai-lint-props-") as d:
        yield Path(d)


def probing_scanner(root: Path) -> Scanner:
    """A scanner with every check, plus one that parses each file every way the sources offer."""
    scanner = Scanner(Settings(), Context(root=str(root)))
    scanner.checks.append(Check("tests.touch_views", ("OAI101",), _touch_views, None, ()))
    scanner.any_always = True  # the probe has no triggers: every file is decoded and parsed
    return scanner


def scan_one(root: Path, name: str, data: bytes, scanner: Scanner | None = None) -> tuple[Any, FileEntry]:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    entry = FileEntry(str(path), name, len(data))
    return (scanner or probing_scanner(root)).scan_file(entry), entry


def assert_clean_notes(notes: list[Note], name: str) -> None:
    for n in notes:
        assert n.path == name
        assert "internal error" not in n.message, n.message
        assert n.kind in {"note", "error"}


# -- strategies --------------------------------------------------------------------------------------------

# text without NUL: a NUL byte makes a file binary (as for git), and binary files are skipped
CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
TEXT = st.text(CHARS, max_size=40)
IDENT = st.from_regex(r"[a-z_][a-z0-9_]{0,10}", fullmatch=True).filter(lambda s: not keyword.iskeyword(s))
ENV_NAME = st.from_regex(r"[A-Z][A-Z0-9_]{0,15}", fullmatch=True)
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-(10**6), 10**6), TEXT)
TREE = st.recursive(
    SCALAR,
    lambda kids: st.one_of(st.lists(kids, max_size=4), st.dictionaries(TEXT, kids, max_size=4)),
    max_leaves=25,
)


@st.composite
def python_source(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        form = draw(st.sampled_from(["assign", "call", "import", "def", "comment", "client"]))
        name = draw(IDENT)
        if form == "assign":
            lines.append(f"{name} = {draw(SCALAR)!r}")
        elif form == "call":
            lines.append(f"{name}({draw(SCALAR)!r}, key={draw(SCALAR)!r})")
        elif form == "import":
            lines.append(
                draw(st.sampled_from(["import openai", "from openai import OpenAI", f"import {name}"]))
            )
        elif form == "def":
            lines += [f"def {name}(x):", f"    return x + {draw(st.integers())!r}"]
        elif form == "comment":
            lines.append("# " + draw(TEXT).replace("\n", " ").replace("\r", " "))
        else:
            lines.append(
                f"client = OpenAI(max_retries={draw(st.integers(0, 5))}, timeout={draw(st.integers(1, 60))})"
            )
    return "\n".join(lines) + "\n"


@st.composite
def js_source(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 10))):
        name = draw(IDENT)
        value = json.dumps(draw(SCALAR))
        lines.append(
            draw(
                st.sampled_from(
                    [
                        f"const {name} = {value};",
                        f"let {name} = {{ apiKey: process.env.OPENAI_API_KEY, v: {value} }};",
                        f"const {name} = new OpenAI({{ maxRetries: {draw(st.integers(0, 5))} }});",
                        f"export function {name}(a) {{ return a ?? {value}; }}",
                        f"// {json.dumps(draw(TEXT))}",
                    ]
                )
            )
        )
    return "\n".join(lines) + "\n"


def _toml(data: dict[str, Any]) -> str:
    out = []
    for k, v in data.items():
        value = json.dumps(v, ensure_ascii=False) if isinstance(v, str) else json.dumps(v)
        out.append(f"{json.dumps(k)} = {value}")
    return "\n".join(out) + "\n"


@st.composite
def valid_file(draw: st.DrawFn) -> tuple[str, str]:
    """A file name and valid content of the matching kind."""
    kind = draw(
        st.sampled_from(["python", "js", "yaml", "json", "toml", "env", "docker", "notebook", "text"])
    )
    if kind == "python":
        return draw(st.sampled_from(["app.py", "tool.pyi"])), draw(python_source())
    if kind == "js":
        return draw(st.sampled_from(["index.js", "server.ts", "page.tsx", "lib.mjs"])), draw(js_source())
    if kind == "yaml":
        name = draw(st.sampled_from(["config.yaml", ".github/workflows/ci.yml", "docker-compose.yml"]))
        return name, yaml.safe_dump(draw(TREE), allow_unicode=True)
    if kind == "json":
        return "data.json", json.dumps(
            draw(TREE), indent=draw(st.sampled_from([None, 2])), ensure_ascii=False
        )
    if kind == "toml":
        scalars = st.one_of(st.booleans(), st.integers(-(10**6), 10**6), TEXT)
        return "settings.toml", _toml(draw(st.dictionaries(TEXT, scalars, max_size=6)))
    if kind == "env":
        pairs = draw(
            st.lists(
                st.tuples(ENV_NAME, st.from_regex(r"[A-Za-z0-9_./:-]{0,20}", fullmatch=True)), max_size=8
            )
        )
        return ".env", "".join(f"{k}={v}\n" for k, v in pairs)
    if kind == "docker":
        pairs = draw(
            st.lists(st.tuples(ENV_NAME, st.from_regex(r"[a-z0-9]{0,10}", fullmatch=True)), max_size=5)
        )
        return "Dockerfile", "FROM python:3.12\n" + "".join(
            f"ENV {k}={v}\n" for k, v in pairs
        ) + "RUN pip install .\n"
    if kind == "notebook":
        cells = [
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": draw(python_source()).splitlines(keepends=True),
            }
            for _ in range(draw(st.integers(0, 3)))
        ]
        nb = {
            "cells": cells,
            "metadata": {"kernelspec": {"language": "python"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
        return "analysis.ipynb", json.dumps(nb, indent=1, ensure_ascii=False)
    return draw(st.sampled_from(["README.md", "notes.txt", "deploy.sh", "requirements.txt"])), draw(
        st.text(CHARS, max_size=300)
    )


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le-nobom", "utf-16-be-nobom"]


def encode(text: str, encoding: str) -> bytes:
    if encoding.endswith("-nobom"):
        return text.encode(encoding.removesuffix("-nobom"))
    return text.encode(encoding)


@st.composite
def key_strategy(draw: st.DrawFn) -> str:
    key = fake_key(random.Random(draw(st.integers(0, 2**32))), draw(st.sampled_from(sorted(KEY_SHAPES))))
    prefix = next(p for p, _, _ in sorted(KEY_SHAPES.values(), key=lambda s: -len(s[0])) if key.startswith(p))
    assume(not is_placeholder(key[len(prefix) :].replace(MARKER, "")))  # random text may spell "fake"
    return key


def where(text: str, offset: int) -> tuple[int, int]:
    """(line, column) of ``offset``: lines end at \\n, \\r\\n or a lone \\r; columns count characters."""
    prefix = text[:offset]
    start = max(prefix.rfind("\n"), prefix.rfind("\r")) + 1
    return len(re.findall(r"\r\n|\r|\n", prefix)) + 1, offset - start + 1


def renders(result: ScanResult) -> Iterator[tuple[str, str]]:
    for fmt in FORMATS:
        yield fmt, render(fmt, result)


# -- properties --------------------------------------------------------------------------------------------


@SETTINGS
@given(name=st.sampled_from(NAMES), data=st.binary(max_size=3000))
def test_random_bytes_never_raise(workdir: Path, name: str, data: bytes) -> None:
    result, _ = scan_one(workdir, name, data)
    assert_clean_notes(result.notes, name)


@SETTINGS
@given(
    name=st.sampled_from(NAMES),
    text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=2000),
    encoding=st.sampled_from(ENCODINGS),
)
def test_random_text_never_raises(workdir: Path, name: str, text: str, encoding: str) -> None:
    result, _ = scan_one(workdir, name, encode(text, encoding))
    assert_clean_notes(result.notes, name)


@SETTINGS
@given(file=valid_file(), cut=st.floats(0, 1), junk=st.sampled_from(["", "{", "[[", ":", '"', "\x00", "\t-"]))
def test_generated_and_broken_configs_and_sources_never_raise(
    workdir: Path, file: tuple[str, str], cut: float, junk: str
) -> None:
    name, text = file
    broken = text[: int(len(text) * cut)] + junk
    result, _ = scan_one(workdir, name, broken.encode("utf-8"))
    assert_clean_notes(result.notes, name)


@SETTINGS
@given(
    file=valid_file(),
    key=key_strategy(),
    at=st.floats(0, 1),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    encoding=st.sampled_from(ENCODINGS),
)
def test_a_key_inserted_anywhere_is_reported_and_never_printed(
    workdir: Path, file: tuple[str, str], key: str, at: float, newline: str, encoding: str
) -> None:
    name, text = file
    assume(not any(w in text for w in ("oai-lint", "pragma", MARKER, "c2st")))
    text = text.replace("\n", newline)
    if encoding.endswith("-nobom"):
        assume(text.isascii())  # without a BOM, UTF-16 is recognised by its NUL bytes in ASCII text
    offset = int(len(text) * at)
    # before the key a space: "xsk-…" is not a key (as "task-…" is not), nor is "sk-…x"
    content = text[:offset] + " " + key + " " + text[offset:]
    line, column = where(content, offset + 1)
    result, _ = scan_one(workdir, name, encode(content, encoding), probing_scanner(workdir))
    assert_clean_notes(result.notes, name)
    hits = [f for f in result.findings if f.rule_id == "OAI101"]
    assert [(f.line, f.column) for f in hits] == [(line, column)], (content, result.notes)
    assert key[-4:] in hits[0].message and "…" in hits[0].message
    scan_result = ScanResult(result.findings, result.notes, 1, 0, str(workdir))
    for fmt, out in renders(scan_result):
        assert_no_leak(out, [key])
        if fmt == "json":
            json.loads(out)


TEMPLATES: list[Callable[[random.Random], str]] = [
    lambda r: f"import openai\nclient = openai.OpenAI(api_key='{fake_key(r, 'proj164')}')\n",
    lambda r: f"OPENAI_API_KEY={fake_key(r, 'legacy')}\nOTHER=1\n",
    lambda r: "const c = new OpenAI({ dangerouslyAllowBrowser: true });\n",
    lambda r: f"env:\n  OPENAI_API_KEY: {fake_key(r, 'svcacct167')}\n  NEXT_PUBLIC_OPENAI_API_KEY: x\n",
    lambda r: "print('nothing to see')\n",
    lambda r: "\x00\x01binary",
    lambda r: "x = (\n",
]
TREE_NAMES = ["a.py", "b/.env", "b/c.js", "d/e/config.yaml", "f.txt", "g.tsx", "h/i.py", "j.yml", "k.sh"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    files=st.dictionaries(st.sampled_from(TREE_NAMES), st.integers(0, len(TEMPLATES) - 1), min_size=2),
    seed=st.integers(0, 2**16),
    order=st.randoms(use_true_random=False),
)
def test_same_findings_in_the_same_order_whatever_the_path_order_and_processes(
    files: dict[str, int], seed: int, order: random.Random
) -> None:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="oai-lint-order-") as d:
        root = Path(d)
        names = list(files)
        order.shuffle(names)  # creation order: what a directory listing may follow
        for name in names:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(TEMPLATES[files[name]](rng), encoding="utf-8")
        order.shuffle(names)  # and the order of the paths on the command line

        def run(paths: list[str], jobs: int) -> list[Any]:
            old = os.getcwd()
            os.chdir(root)
            try:
                result = scan(paths, Settings(jobs=jobs), str(root))
            finally:
                os.chdir(old)
            return [result.findings, result.notes, result.suppressed, result.files_scanned]

        serial = run(["."], 1)
        assert run(names, 1) == serial
        assert run(["."], 2) == serial
        assert run(list(reversed(names)), 3) == serial
