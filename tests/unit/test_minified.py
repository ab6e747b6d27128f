"""Minified bundles are never parsed: only the text-level checks (keys) run on them, and the report says so."""

from __future__ import annotations

import random
from pathlib import Path

from tests.conftest import git_init, run_scan, write_tree
from tests.support.keygen import make_key

NOTE = "looks minified or bundled (very long lines); only text-level rules such as OAI101 were applied"


def _bundle(body: str) -> str:
    filler = "".join(f"function f{i}(a){{return a*{i}}};" for i in range(4000))  # one ~100 KB line
    return filler + body + filler + "\n"


def test_a_key_in_a_bundle_is_found_and_nothing_else_is_judged(tmp_path: Path) -> None:
    key = make_key("proj164", random.Random(7))
    sdk = ('import OpenAI from "openai";const c=new OpenAI({maxRetries:0,dangerouslyAllowBrowser:true,'
           'organization:"acme"});c.chat.completions.create({model:"text-davinci-003"});')
    git_init(tmp_path)
    write_tree(tmp_path, {
        "dist-web/main.3f2a.min.js": _bundle(sdk + f'const k="{key}";'),
        "dist-web/vendor.js": _bundle(sdk),  # minified by its lines, not by its name
        "src/app.js": sdk + "\n",  # the same code, not minified: every rule applies
    })
    for jobs in (1, 2):
        result = run_scan(tmp_path, jobs=jobs)
        in_bundles = [(f.rule_id, f.path) for f in result.findings if f.path.startswith("dist-web/")]
        assert in_bundles == [("OAI101", "dist-web/main.3f2a.min.js")]
        assert {f.rule_id for f in result.findings if f.path == "src/app.js"} >= {"OAI102", "OAI301", "OAI405"}
        notes = {(n.path, n.message) for n in result.notes}
        assert ("dist-web/main.3f2a.min.js", NOTE) in notes and ("dist-web/vendor.js", NOTE) in notes
        assert not any(n.path == "src/app.js" for n in result.notes)


def test_a_bundle_without_any_trigger_still_gets_the_note(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.min.js": _bundle("")})
    result = run_scan(tmp_path)
    assert [(n.path, n.message) for n in result.notes] == [("app.min.js", NOTE)]
    assert result.findings == []


def test_files_no_rule_reads_still_get_their_notes(tmp_path: Path) -> None:
    """`--scope repository` reads no Markdown page (no repository rule reads one), yet a page that is a
    link out of the repository or is too large is still named, as in a full scan."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("# elsewhere\n")
    repo = tmp_path / "repo"
    write_tree(repo, {"docs/a.md": "# a\n", "docs/big.md": "x" * 2000 + "\n", "app.py": "print(1)\n"})
    (repo / "docs" / "link.md").symlink_to(outside / "secret.md")
    git_init(repo)
    for scope in ("all", "repository"):
        for jobs in (1, 2):
            result = run_scan(repo, scope=scope, jobs=jobs, max_file_size=1000)
            notes = {(n.path, n.message.split(";")[0].split(" is above")[0]) for n in result.notes}
            assert ("docs/link.md", "symbolic link to outside the scanned directory") in notes, (scope, jobs)
            assert ("docs/big.md", "skipped: 2.0 KB") in notes, (scope, jobs)
            assert result.files_scanned == 2, (scope, jobs)  # docs/a.md and app.py
