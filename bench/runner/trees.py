"""The tree to scan: generated (or reused) by bench/generate.py, and the files a commit might touch."""

from __future__ import annotations

import json
import os
import random
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

from runner.procs import MB

HERE = Path(__file__).resolve().parent.parent  # bench/


def manifest_for(tree: Path) -> dict[str, Any] | None:
    path = tree.parent / (tree.name + ".manifest.json")
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def ensure_tree(work_dir: Path, seed: int, scale: float, regenerate: bool) -> Path:
    tree = work_dir / f"tree-seed{seed}-scale{scale:g}"
    m = manifest_for(tree)
    if not regenerate and m and m.get("seed") == seed and m.get("scale") == scale and tree.is_dir():
        print(f"reusing {tree} ({m['files']} files, {m['bytes'] / MB:.1f} MB)")
        return tree
    work_dir.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, str(HERE / "generate.py"), str(tree), "--seed", str(seed), "--scale", f"{scale:g}"]
    if tree.exists():
        cmd.append("--force")
    print("generating:", shlex.join(cmd), flush=True)
    subprocess.run(cmd, check=True)
    return tree


def pick_precommit_files(tree: Path, manifest: dict[str, Any] | None, seed: int) -> list[str]:
    """Ten files, as a commit might touch: 3 Python, 2 JS/TS, 2 YAML, 2 Markdown, 1 .env."""
    rng = random.Random(seed)
    groups: list[tuple[tuple[str, ...], int]] = [
        ((".py",), 3),
        ((".js", ".ts", ".tsx"), 2),
        ((".yml", ".yaml"), 2),
        ((".md", ".mdx"), 2),
        ((".env",), 1),
    ]
    found: dict[tuple[str, ...], list[str]] = {exts: [] for exts, _ in groups}
    for dirpath, dirnames, filenames in os.walk(tree):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        for name in sorted(filenames):
            rel = os.path.relpath(os.path.join(dirpath, name), tree)
            if rel == ".env" or name.endswith(".min.js"):  # the root .env is git-ignored
                continue
            try:
                size = os.path.getsize(os.path.join(dirpath, name))
            except OSError:
                continue
            if not 300 <= size <= 60_000:
                continue
            for exts, _ in groups:
                if name.endswith(exts) or (exts == (".env",) and name.startswith(".env")):
                    found[exts].append(rel)
    preferred = set(manifest.get("openai_files", [])) if manifest else set()
    picked: list[str] = []
    for exts, count in groups:
        cands = found[exts]
        first = [c for c in cands if c in preferred or "docker-compose" in c]
        rest = [c for c in cands if c not in first]
        rng.shuffle(first)
        rng.shuffle(rest)
        take = first[: (count + 1) // 2] if first else []
        picked += take + rest[: count - len(take)]
    return picked
