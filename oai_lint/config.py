"""Configuration: ``[tool.oai-lint]`` in pyproject.toml, ``.oai-lint.toml`` or ``.oai-lint.yaml``."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

CONFIG_NAMES = (".oai-lint.toml", ".oai-lint.yaml", ".oai-lint.yml", "pyproject.toml")
DEFAULT_MAX_SIZE = 5_000_000
_UNITS = {"": 1, "B": 1, "KB": 1000, "MB": 1000**2, "GB": 1000**3, "KIB": 1024, "MIB": 1024**2, "GIB": 1024**3}


class ConfigError(Exception):
    """A configuration problem: the CLI prints it on one line and exits 2."""


@dataclass
class Config:
    """The configuration read from pyproject.toml, .oai-lint.toml or .oai-lint.yaml."""
    path: str | None = None  # the file it came from
    base: str = "."  # directory that relative globs in the file are relative to
    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    max_file_size: int = DEFAULT_MAX_SIZE
    fail_on: str = "info"
    require_reason: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    baseline: str | None = None  # the baseline file's path (made absolute from the config's directory)
    format: str | None = None
    jobs: int | None = None
    test_code: dict[str, str] = field(default_factory=dict)  # rule id/prefix/ALL -> report|skip (oai_lint.testcode)


def _load_toml(path: str) -> dict[str, Any]:
    from oai_lint.sources import tomlsafe

    try:
        with open(path, "rb") as fh:
            return tomlsafe.loads(fh.read().decode("utf-8"))
    except (tomlsafe.tomllib.TOMLDecodeError, tomlsafe.TomlTooComplex) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: not UTF-8 (byte {exc.start + 1}); save it as UTF-8") from exc
    except RecursionError as exc:
        raise ConfigError(f"{path}: not valid TOML here: nested too deeply") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc


def _load_yaml(path: str) -> Any:
    import yaml

    try:
        with open(path, "rb") as fh:
            return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{path}: not valid YAML{where}: {problem}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc
    except RecursionError as exc:
        raise ConfigError(f"{path}: not valid here: nested too deeply") from exc
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        # a tagged value that cannot be built: an impossible date, !!int twelve, !!bool maybe
        raise ConfigError(f"{path}: not valid YAML: a value cannot be read ({type(exc).__name__}: "
                          f"{str(exc)[:200]})") from exc


def find_config(start: str) -> str | None:
    """The nearest config file from ``start`` upwards (stopping at a repository root). os.path rather
    than pathlib, whose import costs every run a few milliseconds; ``isfile``/``exists`` answer False
    for a directory they may not look into (a PermissionError there ended a scan)."""
    directory = os.path.realpath(start)
    if os.path.isfile(directory):
        directory = os.path.dirname(directory)
    d = directory
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(d, name)
            if os.path.isfile(candidate):
                if name == "pyproject.toml":
                    try:
                        with open(candidate, encoding="utf-8", errors="replace") as fh:
                            text = fh.read()
                    except OSError:
                        continue
                    if not re.search(r"^\s*\[\s*tool\.oai-lint", text, re.M):
                        continue
                return candidate
        if os.path.exists(os.path.join(d, ".git")):
            break
        parent = os.path.dirname(d)
        if parent == d:
            break
        d = parent
    return None


def read_raw(path: str) -> tuple[dict[str, Any], str]:
    """The raw settings in a config file and how to name them in messages."""
    name = os.path.basename(path)
    if name == "pyproject.toml":
        data = _load_toml(path).get("tool", {}).get("oai-lint", {})
        where = f"{path} [tool.oai-lint]"
    elif name.endswith(".toml") and name != ".toml":  # (pathlib's suffix)
        data = _load_toml(path)
        where = str(path)
    else:
        data = _load_yaml(path)
        where = str(path)
        if data is None:
            data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: the configuration must be a table/mapping of settings")
    return data, where


def schema() -> dict[str, Any]:
    with open(os.path.join(os.path.dirname(__file__), "config_schema.json"), encoding="utf-8") as fh:
        return json.load(fh)  # type: ignore[no-any-return]


_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "boolean": (bool,), "integer": (int,),
    "number": (int, float),
}
_SUPPORTED = {"$schema", "title", "description", "type", "properties", "additionalProperties", "items",
              "pattern", "enum", "propertyNames", "minimum", "maximum"}


def quick_valid(instance: Any, sch: dict[str, Any]) -> bool | None:
    """A fast check for the subset of JSON Schema the configuration schema uses.

    True: valid. False: invalid (jsonschema then explains why). None: the schema uses a keyword this
    function does not know, so jsonschema must decide. Keeps jsonschema's ~100 ms import off the path of
    every run with a valid configuration; tests check that the two agree.
    """
    if not set(sch) <= _SUPPORTED:
        return None
    if "type" in sch:
        types = sch["type"] if isinstance(sch["type"], list) else [sch["type"]]
        ok = any(
            (isinstance(instance, _TYPES[t]) or (t == "integer" and isinstance(instance, float)
                                                 and instance.is_integer()))
            and not (t in {"integer", "number"} and isinstance(instance, bool))
            for t in types
        )
        if not ok:
            return False
    if "enum" in sch and instance not in sch["enum"]:
        return False
    if "pattern" in sch and isinstance(instance, str) and not re.search(sch["pattern"], instance):
        return False
    if "minimum" in sch and isinstance(instance, (int, float)) and not isinstance(instance, bool) \
            and instance < sch["minimum"]:
        return False
    if "maximum" in sch and isinstance(instance, (int, float)) and not isinstance(instance, bool) \
            and instance > sch["maximum"]:
        return False
    verdicts: list[bool | None] = []
    if isinstance(instance, dict):
        props = sch.get("properties", {})
        extra = sch.get("additionalProperties", True)
        for key, value in instance.items():
            if "propertyNames" in sch:
                verdicts.append(quick_valid(key, sch["propertyNames"]))
            if key in props:
                verdicts.append(quick_valid(value, props[key]))
            elif extra is False:
                return False
            elif isinstance(extra, dict):
                verdicts.append(quick_valid(value, extra))
    if isinstance(instance, list) and "items" in sch:
        verdicts.extend(quick_valid(item, sch["items"]) for item in instance)
    if False in verdicts:
        return False
    return None if None in verdicts else True


def validate(data: dict[str, Any], where: str) -> None:
    sch = schema()
    if quick_valid(data, sch):
        return
    import jsonschema

    validator = jsonschema.Draft7Validator(sch)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if not errors:
        return
    err = errors[0]
    key = ".".join(str(p) for p in err.absolute_path)
    if err.validator == "additionalProperties" and not err.absolute_path:
        allowed = ", ".join(sorted(sch["properties"]))
        unknown = sorted(set(data) - set(sch["properties"]))
        hint = ""
        if unknown[0] == "tool" and isinstance(data.get("tool"), dict) and "oai-lint" in data["tool"]:
            hint = ("; a [tool.oai-lint] table belongs in pyproject.toml: in .oai-lint.toml write the "
                    "settings at the top level, without a table header. ")
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}{hint or ' '}(known keys: {allowed})")
    detail = err.message
    if err.validator == "pattern" and key == "max-file-size":
        detail = f"{err.instance!r} is not a size such as 5MB, 500KB or 2MiB"
    elif err.validator == "pattern" and key == "as-of":
        detail = f"{err.instance!r} is not a date YYYY-MM-DD"
    elif err.validator == "pattern":
        detail = f"{err.instance!r} is not a rule id or prefix such as OAI101 or OAI1"
    raise ConfigError(f"{where}: {key or 'settings'}: {detail}")


def check_date(value: str, where: str) -> str:
    """A YYYY-MM-DD date (``as-of``), or ConfigError."""
    import datetime  # (only with an as-of date: not on every run's start-up)

    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{where}: {value!r} is not a date such as 2026-12-05") from None
    return value


MAX_DEPTH = 16  # no setting nests deeper than a table of lists


def _check_depth(data: Any, where: str) -> None:
    """A configuration nested deeper than any setting can be is refused before it is validated (the
    validator recurses once per level)."""
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ConfigError(f"{where}: nested too deeply (more than {MAX_DEPTH} levels) to be settings")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def parse_size(value: float | str) -> int:
    if isinstance(value, (int, float)):
        return int(value)
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*", value)
    if not m or m.group(2).upper() not in _UNITS:
        raise ConfigError(f"max-file-size: cannot read {value!r} as a size such as 5MB")
    return int(float(m.group(1)) * _UNITS[m.group(2).upper()])


def load(path: str | None, start: str = ".") -> Config:
    if path:
        from pathlib import Path

        given = Path(path)
        if not given.is_file():
            raise ConfigError(f"{path}: configuration file not found")
        cfg_path: str | None = str(given)  # as pathlib spells it in messages: "./a//b.toml" -> "a/b.toml"
    else:
        cfg_path = find_config(start)
    if cfg_path is None:
        return Config()
    data, where = read_raw(cfg_path)
    if "as-of" in data and hasattr(data["as-of"], "isoformat"):
        data["as-of"] = data["as-of"].isoformat()  # YAML and TOML read an unquoted date as a date
    _check_depth(data, where)
    if data:
        validate(data, where)
        if "as-of" in data:
            check_date(data["as-of"], f"{where}: as-of")
    cfg = Config(path=cfg_path, base=os.path.dirname(os.path.realpath(cfg_path)))
    if "select" in data:
        cfg.select = list(data["select"])
    cfg.ignore = list(data.get("ignore", []))
    cfg.exclude = list(data.get("exclude", [])) + list(data.get("extend-exclude", []))
    cfg.per_file_ignores = {k: list(v) for k, v in data.get("per-file-ignores", {}).items()}
    cfg.severity = dict(data.get("severity", {}))
    if "max-file-size" in data:
        cfg.max_file_size = parse_size(data["max-file-size"])
    cfg.fail_on = data.get("fail-on", "info")
    cfg.require_reason = bool(data.get("require-reason", False))
    cfg.options = {k: v for k, v in data.items() if k in {"require-project", "as-of"}}
    if "baseline" in data:
        cfg.baseline = os.path.join(cfg.base, data["baseline"])
    cfg.format = data.get("format")
    if "jobs" in data:
        cfg.jobs = int(data["jobs"])
    cfg.test_code = dict(data.get("test-code", {}))
    return cfg


def rebase_globs(patterns: list[str], base: str, root: str) -> list[str]:
    """Config globs are relative to the config file's directory; the scan reports paths relative to
    ``root``. Patterns without a slash match names anywhere and need no change."""
    if os.path.abspath(base) == os.path.abspath(root):
        return patterns
    prefix = os.path.relpath(base, root).replace(os.sep, "/")
    out = []
    for pattern in patterns:
        bang = "!" if pattern.startswith("!") else ""  # a negation keeps its `!` in front
        p = pattern[len(bang):]
        core = p.lstrip("/")
        if "/" in core.rstrip("/") or p.startswith("/"):
            out.append(bang + (core if prefix.startswith("..") else f"{prefix}/{core}"))
        else:
            out.append(pattern)
    return out
