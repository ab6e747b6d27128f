"""The repository's scripts (``scripts/*.py``, not a package) loaded as modules, for the tests that call them."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from tests.conftest import REPO


def load_script(name: str) -> ModuleType:
    """``scripts/<name>.py`` as a module."""
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
