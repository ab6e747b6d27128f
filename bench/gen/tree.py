"""The tree writer: unique paths, byte and file counts per category."""

from __future__ import annotations

from pathlib import Path


class Tree:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.paths: set[str] = set()
        self.dirs: set[Path] = set()
        self.files = 0
        self.bytes = 0
        self.by_cat: dict[str, list[int]] = {}

    def unique(self, rel: str) -> str:
        if rel not in self.paths:
            return rel
        folder, _, name = rel.rpartition("/")
        stem, _, ext = name.partition(".") if not name.startswith(".") else (name, "", "")
        prefix = f"{folder}/{stem}" if folder else stem
        i = 2
        while True:
            cand = f"{prefix}-{i}.{ext}" if ext else f"{prefix}-{i}"
            if cand not in self.paths:
                return cand
            i += 1

    def write(self, cat: str, rel: str, data: str | bytes) -> str:
        rel = self.unique(rel)
        self.paths.add(rel)
        raw = data.encode("utf-8") if isinstance(data, str) else data
        path = self.root / rel
        parent = path.parent
        if parent not in self.dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self.dirs.add(parent)
        path.write_bytes(raw)
        self.files += 1
        self.bytes += len(raw)
        stat = self.by_cat.setdefault(cat, [0, 0])
        stat[0] += 1
        stat[1] += len(raw)
        return rel
