"""The tree changes during a scan: a file that discovery saw as a regular file and that is a symbolic link
(to a file outside the tree) when the scan reads it is not followed."""

from __future__ import annotations

import os
import random
from pathlib import Path

from oai_lint.checks import Context
from oai_lint.discover import discover
from oai_lint.engine import Settings, scan_files
from tests.support.keygen import make_key


def test_a_file_swapped_for_a_link_out_of_the_tree_is_not_followed(tmp_path: Path) -> None:
    tree, outside = tmp_path / "tree", tmp_path / "outside.py"
    tree.mkdir()
    outside.write_text(f"KEY = '{make_key('proj56', random.Random(21))}'\n")
    (tree / "a.py").write_text("x = 1\n")
    found = discover([str(tree)], str(tree), [], 5_000_000, use_gitignore=False)
    assert [f.relpath for f in found.files] == ["a.py"]
    os.unlink(tree / "a.py")
    os.symlink(outside, tree / "a.py")  # swapped after discovery, before the read
    (result,) = scan_files(found.files, Settings(), Context(root=str(tree)))
    assert result.findings == []
    assert [n.message for n in result.notes] == ["became a symbolic link during the scan (not followed); skipped"]
