"""The whole generator: every file kind, in the order that makes the output a function of (seed, scale)."""

from __future__ import annotations

import sys
from collections.abc import Callable

from gen.docs import Docs
from gen.js_files import JsFiles
from gen.json_files import JsonFiles
from gen.notebooks import Notebooks
from gen.python_files import PythonFiles
from gen.shape import GENERATOR_VERSION
from gen.small_files import SmallFiles
from gen.yaml_files import YamlFiles


class Generator(PythonFiles, JsFiles, Docs, YamlFiles, JsonFiles, Notebooks, SmallFiles):
    """Writes the whole tree, one file kind after another, in a fixed order (the output depends on it)."""

    def run(self) -> dict[str, object]:
        steps: list[tuple[str, Callable[[], None]]] = [
            ("root", self.gen_root),
            ("python", self.gen_python),
            ("js", self.gen_js),
            ("bundles", self.gen_bundles),
            ("yaml", self.gen_yaml),
            ("json", self.gen_json),
            ("notebooks", self.gen_notebooks),
            ("small", self.gen_small),
            ("docs", self.gen_docs),
        ]
        for _name, step in steps:
            step()
        left = {k: v for k, v in self.keys.slots.items() if v}
        if left:
            print(f"warning: key slots not planted: {left}", file=sys.stderr)
        return {
            "generator_version": GENERATOR_VERSION,
            "seed": self.seed,
            "scale": self.scale,
            "files": self.tree.files,
            "bytes": self.tree.bytes,
            "by_category": {k: {"files": v[0], "bytes": v[1]} for k, v in sorted(self.tree.by_cat.items())},
            "openai_files": sorted(self.openai_files),
            "planted_keys": self.keys.records,
        }
