"""The generator's shared state: RNGs, the tree, the key planter, the monorepo's layout."""

from __future__ import annotations

import random
from pathlib import Path

from gen.keys import KeyPlanter
from gen.shape import ALNUM, BUDGETS, COUNTS, rand_str, scaled
from gen.text import Text
from gen.tree import Tree


class GeneratorBase:
    """The generator's state and the helpers that every file kind uses."""

    def __init__(self, out: Path, seed: int, scale: float) -> None:
        self.seed = seed
        self.scale = scale
        self.rng = random.Random(f"{seed}:layout")
        self.text = Text(random.Random(f"{seed}:text"))
        self.tree = Tree(out)
        self.keys = KeyPlanter(seed, scale)
        self.openai_files: list[str] = []
        r = self.rng
        t = self.text
        self.services = [f"services/{t.slug()}" for _ in range(scaled(45, scale, 2))]
        self.pylibs = [f"libs/python/{t.slug()}" for _ in range(scaled(20, scale))]
        self.packages = [f"packages/{t.slug()}" for _ in range(scaled(55, scale, 2))]
        self.apps = [
            f"apps/{r.choice(['web', 'admin', 'console', 'portal', 'docs-site', 'playground'])}-{t.slug()}"
            for _ in range(scaled(6, scale))
        ]
        self.envs = ["dev", "staging", "prod"]

    def n(self, cat: str, minimum: int = 1) -> int:
        return scaled(COUNTS[cat], self.scale, minimum)

    def budget(self, cat: str) -> float:
        return BUDGETS[cat] * self.scale

    def org_id(self) -> str:
        return "org-" + rand_str(self.rng, ALNUM, 24)
