"""Key-shaped strings for the tree, drawn from the seeded RNG, and where each was planted."""

from __future__ import annotations

import random

from gen.shape import ALNUM, KEY_ALPHABET, MARKER, rand_str, scaled


class KeyPlanter:
    """Hands out key-shaped strings to file generators and records where they went."""

    CYCLE = ("py_legacy", "py_proj", "ts_proj", "ipynb", "env", "compose", "k8s_b64", "md")

    def __init__(self, seed: int, scale: float) -> None:
        self.rng = random.Random(f"{seed}:keys")
        n = scaled(8, scale, 3)
        self.slots: dict[str, int] = {}
        for i in range(n):
            kind = self.CYCLE[i % len(self.CYCLE)]
            self.slots[kind] = self.slots.get(kind, 0) + 1
        self.records: list[dict[str, object]] = []

    def wants(self, kind: str) -> int:
        return self.slots.get(kind, 0)

    def key(self, long_form: bool) -> str:
        r = self.rng
        if long_form:
            return "sk-proj-" + rand_str(r, KEY_ALPHABET, 74) + MARKER + rand_str(r, KEY_ALPHABET, 74)
        return "sk-" + rand_str(r, ALNUM, 20) + MARKER + rand_str(r, ALNUM, 20)

    def take(self, kind: str, long_form: bool) -> str | None:
        if self.slots.get(kind, 0) <= 0:
            return None
        self.slots[kind] -= 1
        return self.key(long_form)

    def record(self, path: str, text: str, needle: str, kind: str, encoding: str, ignored: bool = False) -> None:
        idx = text.index(needle)
        self.records.append(
            {
                "path": path,
                "line": text.count("\n", 0, idx) + 1,
                "kind": kind,
                "format": "sk-proj-74" if needle.startswith("sk-proj-") or encoding == "base64" else "sk-20",
                "encoding": encoding,
                "ignored_by_git": ignored,
            }
        )
