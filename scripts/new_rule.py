#!/usr/bin/env python3
"""Scaffold a new rule: its YAML file, a check module, a fixture file; then regenerate the tables.

    python scripts/new_rule.py OAI307 --family retries --title "Retry that ignores the retry-after header"

writes

- ``rules/OAI307.yaml``: valid against ``rules/rule.schema.json``, with TODO where the rule needs its
  author (``tests/test_rule_files.py`` fails while a TODO is left, and while the bad example is not
  reported);
- the check module (``CHECK_MODULE``): a ``@check("OAI307", ...)`` function that reports nothing yet,
  registered where the check modules are listed (its family's ``__init__``, or ``MODULES`` of
  ``oai_lint/checks/__init__.py``);
- a fixture file (``FIXTURE``) with a ``ruleid:`` line the rule must report and an ``ok:`` line it must not;

and runs ``scripts/generate.py`` (the rule table, the check manifest, the README's rule table). Then:
write the check, fill in every TODO, and run the tests.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this tree's oai_lint, whatever is installed

from oai_lint.ruleset import FAMILIES  # noqa: E402

# Where a rule's check module goes: {package} is the family's package (FAMILY_PACKAGES), {rule} the rule
# id in lower case, {slug} the rule's name with underscores. One place to change when the layout moves.
CHECK_MODULE = "oai_lint/checks/{package}/{rule}_{slug}.py"  # one package per family, one module per rule
# Where a rule's fixture file goes (code with `# ruleid:` / `# ok:` lines, see the rule fixture tests).
FIXTURE = "tests/rules/fixtures/{id}/{slug}/example.py"
# The file whose ``MODULES = (...)`` lists the check modules (relative to oai_lint/checks, dotted).
REGISTRY = "oai_lint/checks/__init__.py"
FAMILY_PACKAGES = {
    "credentials": "credentials",
    "organization-project": "orgproject",
    "retries": "retries",
    "legacy-sdk": "legacy",
}
SEVERITIES = ("critical", "high", "medium", "low", "info")


def _yaml_string(text: str) -> str:
    """A one-line YAML scalar for ``text`` (double-quoted: it may hold ``:`` or ``#``)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def rule_yaml(rule_id: str, name: str, family: str, severity: str, title: str) -> str:
    return f"""id: {rule_id}
name: {name}
family: {family}
severity: {severity}
title: {_yaml_string(title)}
summary: "TODO: one line for the README's rule table: what the rule reports, with an example in backticks"
description: |
  TODO: what the rule reports, where (which files, which calls or settings) and what it leaves alone.
message: "TODO: the finding's message, with the {{placeholders}} the check fills in (Hit params)"
why: |
  TODO: what goes wrong at run time (the error, the status code, the leak), with its source.
fix: |
  TODO: how to fix it, with the code to write instead.
doc_url: https://platform.openai.com/docs/TODO
scope: file
precision: high
examples:
  bad:
    - path: app.py
      code: |
        # TODO: code the rule reports (and `lines:` below, the lines it reports)
        import openai
      lines: [2]
  good:
    - path: app.py
      code: |
        # TODO: the same code, fixed
        import openai
"""


def check_source(rule_id: str, title: str, function: str) -> str:
    return f'''"""{rule_id}: {title}.

The rule's metadata, documentation and examples are in ``rules/{rule_id}.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterator

from oai_lint.checks import Context, check
from oai_lint.findings import Hit
from oai_lint.sources import Source


# TODO: the kinds of file the check reads, and the bytes without which it cannot fire (the engine runs it
# only on files that contain one of them)
@check("{rule_id}", kinds={{"python"}}, triggers=(b"openai",))
def {function}(source: Source, ctx: Context) -> Iterator[Hit]:
    """TODO: find what the rule reports; yield ``Hit("{rule_id}", line, column, params={{...}})`` for each, with
    the values of the message's placeholders."""
    yield from ()
'''


def fixture_source(rule_id: str) -> str:
    return f"""# TODO: code the rule must report (each line after a `ruleid:` comment) and code it must not
# (after an `ok:` comment), as a user would write it
import openai
# ruleid: {rule_id}
client = openai.OpenAI()
# ok: {rule_id}
print("hello")
"""


def register(module: str) -> Path | None:
    """Have the check registry import ``module`` (dotted, under oai_lint.checks), so that its @check runs:
    in a family package, the family's ``__init__`` imports it with its other rule modules; at the top of
    oai_lint/checks, ``MODULES`` of ``REGISTRY`` lists it. The file changed, or None when the list to
    extend was not found."""
    family, _, name = module.rpartition(".")
    if family:
        path = ROOT / "oai_lint" / "checks" / family.replace(".", "/") / "__init__.py"
        text = path.read_text(encoding="utf-8")
        block = re.search(rf"^from oai_lint\.checks\.{re.escape(family)} import \(\n(.*?)^\)", text, re.M | re.S)
        if block is None:
            return None
        exported = re.search(r"^__all__ = \[\n(.*?)^\]", text, re.M | re.S)
        if exported is None:  # imported for its @check only: re-exported by an alias, in a statement of its own
            end = block.end() + 1  # after ")\n"
            text = text[:end] + f"from oai_lint.checks.{family} import (\n    {name} as {name},\n)\n" + text[end:]
        else:
            names = sorted([*(n.strip() for n in block.group(1).split(",") if n.strip()), name])
            text = text[:block.start(1)] + "".join(f"    {n},\n" for n in names) + text[block.end(1):]
            exported = re.search(r"^__all__ = \[\n(.*?)^\]", text, re.M | re.S)
            assert exported is not None
            listed = sorted([*(n.strip() for n in exported.group(1).split(",") if n.strip()), f'"{name}"'])
            text = text[:exported.start(1)] + "".join(f"    {n},\n" for n in listed) + text[exported.end(1):]
        path.write_text(text, encoding="utf-8")
        return path
    path = ROOT / REGISTRY
    text = path.read_text(encoding="utf-8")
    m = re.search(r"^MODULES = \(([^)]*)\)", text, re.M)
    if m is None:
        return None
    names = [n.strip() for n in m.group(1).split(",") if n.strip()]
    names.append(f'"{module}"')
    joined = "".join(f"\n    {n}," for n in names) + "\n" if "\n" in m.group(1) else ", ".join(names)
    path.write_text(text[:m.start(1)] + joined + text[m.end(1):], encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Scaffold a new rule: YAML file, check module, fixture.")
    parser.add_argument("rule_id", help="e.g. OAI307 (its family's next free id)")
    parser.add_argument("--family", required=True, choices=sorted(set(FAMILIES.values()) - {"meta"}))
    parser.add_argument("--title", required=True, help="one line, 10 to 120 characters")
    parser.add_argument("--name", help="kebab-case name (default: from the title)")
    parser.add_argument("--severity", choices=SEVERITIES, default="medium")
    args = parser.parse_args(argv)

    rule_id = args.rule_id.upper()
    if not re.fullmatch(r"OAI[1-4]\d\d", rule_id):
        parser.error(f"{args.rule_id}: a rule id is OAI followed by three digits, the first 1 to 4")
    if FAMILIES[rule_id[:4]] != args.family:
        parser.error(f"{rule_id} belongs to the family {FAMILIES[rule_id[:4]]}, not {args.family}")
    if not 10 <= len(args.title) <= 120:
        parser.error("--title: 10 to 120 characters")
    name = args.name or "-".join(re.findall(r"[a-z0-9]+", args.title.lower())[:6])
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name):
        parser.error(f"--name {name!r}: lower-case words joined by hyphens")
    slug = name.replace("-", "_")
    package = FAMILY_PACKAGES[args.family]
    rule_file = ROOT / "rules" / f"{rule_id}.yaml"
    module_file = ROOT / CHECK_MODULE.format(package=package, rule=rule_id.lower(), slug=slug)
    fixture_file = ROOT / FIXTURE.format(id=rule_id, slug=slug)
    for path in (rule_file, module_file, fixture_file):
        if path.exists():
            parser.error(f"{path.relative_to(ROOT)} exists already")
    checks_dir = ROOT / "oai_lint" / "checks"
    module = ".".join(module_file.relative_to(checks_dir).with_suffix("").parts)
    for parent in module_file.relative_to(checks_dir).parents:
        if parent != Path(".") and (checks_dir / parent).with_suffix(".py").exists():
            parser.error(f"{CHECK_MODULE} (CHECK_MODULE) would put a package beside the module "
                         f"oai_lint/checks/{parent}.py: adjust CHECK_MODULE to the layout of oai_lint/checks")

    rule_file.write_text(rule_yaml(rule_id, name, args.family, args.severity, args.title), encoding="utf-8")
    for parent in reversed(module_file.relative_to(checks_dir).parents):
        init = checks_dir / parent / "__init__.py"
        if parent != Path(".") and not init.exists():
            init.parent.mkdir(parents=True, exist_ok=True)
            init.write_text(f'"""{args.family}: the checks of its rules, one module per rule."""\n', encoding="utf-8")
    module_file.write_text(check_source(rule_id, args.title, slug), encoding="utf-8")
    fixture_file.parent.mkdir(parents=True, exist_ok=True)
    fixture_file.write_text(fixture_source(rule_id), encoding="utf-8")
    for path in (rule_file, module_file, fixture_file):
        print(f"wrote {path.relative_to(ROOT)}")
    registered = register(module)
    if registered is not None:
        print(f"registered oai_lint.checks.{module} in {registered.relative_to(ROOT)}")
    generated = subprocess.run([sys.executable, str(ROOT / "scripts" / "generate.py")], cwd=ROOT, check=False)
    if registered is None:
        print(f"new_rule.py: found no list of check modules to extend: register oai_lint.checks.{module} where the "
              "check modules are listed, then run python scripts/generate.py", file=sys.stderr)
        return 1
    if generated.returncode != 0:
        return generated.returncode
    print(f"next: write the check in {module_file.relative_to(ROOT)}, fill in every TODO (rule file, check, "
          f"fixture), then run pytest")
    return 0


if __name__ == "__main__":
    sys.exit(main())
