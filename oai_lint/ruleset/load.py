"""The rule files: ``rules/*.yaml`` (shipped as ``oai_lint/rules`` in the wheel), read on demand.

A scan reads none of them: what it needs (ids, scopes, the texts of a finding) is in the generated
``oai_lint/ruleset/_table.py`` (see ``oai_lint.ruleset``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oai_lint.ruleset import RuleFileError


@dataclass(frozen=True)
class Example:
    """A rule example: code that must (bad) or must not (good) trigger the rule."""
    path: str
    code: str
    lines: tuple[int, ...] = ()
    config: dict[str, Any] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # other files of the example repository


@dataclass(frozen=True)
class Rule:
    """A rule as its YAML file describes it."""
    id: str
    name: str
    family: str
    severity: str
    title: str
    description: str
    message: str
    why: str
    fix: str
    doc_url: str
    tags: tuple[str, ...]
    precision: str
    bad: tuple[Example, ...]
    good: tuple[Example, ...]
    see_also: tuple[str, ...] = ()
    notes: str = ""
    # "file": a finding depends only on its file; "repository": also on other files (.gitignore, config),
    # so a per-file run (pre-commit on staged files) can miss it. `--scope` selects rules by it.
    scope: str = "file"
    summary: str = ""  # one line for the README's rule table
    severity_note: str = ""  # e.g. "critical for admin keys": when a finding's severity can differ
    # what `--fix` does: kind safe | unsafe | safe-and-unsafe ("" when the rule has no automatic fix)
    autofix_kind: str = ""
    autofix_what: str = ""

    def render_message(self, params: dict[str, str]) -> str:
        try:
            return self.message.format(**params)
        except (KeyError, IndexError, ValueError):
            return self.title


def rules_dir() -> Path:
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "rules", package.parent / "rules"):  # in the wheel, in a source tree
        if candidate.is_dir():
            return candidate
    raise RuleFileError(f"rule directory not found next to {package}")


def rule_files() -> tuple[str, ...]:
    """The ids of the rule files in the rule directory (``oai_lint.ruleset.rule_ids`` gives them without a
    directory listing, from the generated table; a test checks that the two agree)."""
    return tuple(sorted(p.stem for p in rules_dir().glob("OAI*.yaml")))


def load_yaml_file(path: Path) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open("rb") as fh:
        return yaml.load(fh, Loader=loader)


def _examples(raw: Any) -> tuple[Example, ...]:
    out = []
    for item in raw or ():
        out.append(
            Example(
                path=str(item["path"]),
                code=str(item["code"]),
                lines=tuple(int(n) for n in item.get("lines", ())),
                config=dict(item.get("config", {})),
                files={str(k): str(v) for k, v in (item.get("files") or {}).items()},
            )
        )
    return tuple(out)


def _reflow(text: str) -> str:
    """Prose as written in YAML (hard-wrapped) to one line per paragraph: the fix travels in every finding,
    and JSON, SARIF and annotation consumers wrap text themselves."""
    return "\n\n".join(" ".join(p.split()) for p in text.strip().split("\n\n") if p.strip())


def rule_from_data(data: dict[str, Any]) -> Rule:
    examples = data.get("examples") or {}
    return Rule(
        id=data["id"],
        name=data["name"],
        family=data["family"],
        severity=data["severity"],
        title=data["title"].strip(),
        description=data["description"].strip(),
        message=data["message"].strip(),
        why=data["why"].strip(),
        fix=_reflow(data["fix"]),
        doc_url=data["doc_url"],
        tags=tuple(data.get("tags", ())),
        precision=data.get("precision", "high"),
        bad=_examples(examples.get("bad")),
        good=_examples(examples.get("good")),
        see_also=tuple(data.get("see_also", ())),
        notes=str(data.get("notes", "")).strip(),
        scope=str(data.get("scope", "file")),
        summary=" ".join(str(data.get("summary", "")).split()),
        severity_note=str(data.get("severity_note", "")).strip(),
        autofix_kind=str((data.get("autofix") or {}).get("kind", "")),
        autofix_what=_reflow((data.get("autofix") or {}).get("what", "")),
    )


@functools.cache
def get_rule(rule_id: str) -> Rule:
    path = rules_dir() / f"{rule_id}.yaml"
    try:
        data = load_yaml_file(path)
        return rule_from_data(data)
    except FileNotFoundError as exc:
        raise RuleFileError(f"unknown rule {rule_id}") from exc
    except (KeyError, TypeError) as exc:
        raise RuleFileError(f"{path}: malformed rule file ({exc})") from exc


def all_rules() -> list[Rule]:
    return [get_rule(rid) for rid in rule_files()]
