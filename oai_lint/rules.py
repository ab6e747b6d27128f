"""Rule metadata, loaded from the YAML files in ``rules/`` (shipped as ``oai_lint/rules`` in the wheel).

Loading is lazy: a scan that reports nothing never parses a rule file. Rule ids are taken from the
file names so that ``--select``/``--ignore`` can be checked without reading the files.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FAMILIES = {
    "OAI0": "meta",  # about oai-lint's own suppression comments; produced by the engine, not by a check
    "OAI1": "credentials",
    "OAI2": "organization-project",
    "OAI3": "retries",
    "OAI4": "legacy-sdk",
}


class RuleFileError(Exception):
    pass


@dataclass(frozen=True)
class Example:
    path: str
    code: str
    lines: tuple[int, ...] = ()
    config: dict[str, Any] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # other files of the example repository


@dataclass(frozen=True)
class Rule:
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

    def render_message(self, params: dict[str, str]) -> str:
        try:
            return self.message.format(**params)
        except (KeyError, IndexError, ValueError):
            return self.title


def rules_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "rules", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise RuleFileError(f"rule directory not found next to {here}")


@functools.lru_cache(maxsize=1)
def rule_ids() -> tuple[str, ...]:
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


@functools.cache
def rule_scope(rule_id: str) -> str:
    """A rule's ``scope`` without parsing its YAML file (the pre-commit hooks select by scope at start-up,
    which should not cost a parse of every rule file). ``get_rule(id).scope`` gives the same answer."""
    import re

    try:
        text = (rules_dir() / f"{rule_id}.yaml").read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleFileError(f"unknown rule {rule_id}") from exc
    m = re.search(r"^scope:[ \t]*[\"']?(file|repository)\b", text, re.M)
    return m.group(1) if m else "file"


def all_rules() -> list[Rule]:
    return [get_rule(rid) for rid in rule_ids()]


def matches(rule_id: str, selectors: tuple[str, ...] | list[str]) -> bool:
    """True when a selector (an id or an id prefix such as ``OAI1``) names the rule."""
    return any(sel == "ALL" or rule_id.startswith(sel) for sel in selectors)


def unknown_selectors(selectors: tuple[str, ...] | list[str]) -> list[str]:
    ids = rule_ids()
    return [sel for sel in selectors if sel != "ALL" and not any(rid.startswith(sel) for rid in ids)]
