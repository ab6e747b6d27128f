"""Declared dependencies with their version constraints and positions, from every place a project pins them.

Python: requirements files, ``pyproject.toml`` (PEP 621, PEP 735 groups, Poetry), ``Pipfile``, ``setup.cfg``,
``setup.py``, conda ``environment.yml`` (conda and ``pip:`` entries). JavaScript: ``package.json``. Commands:
``pip install``/``npm install``-style lines in shell scripts, Dockerfiles, Makefiles, CI YAML and notebook
cells (``!pip install openai==0.28``). The constraint is kept as written; ``style`` says how to read it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from oai_lint.lazyre import lazy_compile
from oai_lint.sources.python import walk

if TYPE_CHECKING:
    from oai_lint.sources import Source


@dataclass(frozen=True)
class Dependency:
    """A dependency declared in a manifest or an install command, with its version spec."""
    name: str  # as written
    spec: str  # the version constraint as written ("" when there is none)
    style: str  # pep440 | poetry | npm | conda
    line: int
    column: int
    end_column: int
    origin: str  # where it was declared, for messages: "requirements.txt", "package.json dependencies", ...

    @property
    def key(self) -> str:
        return normalize(self.name)


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


_PEP508 = lazy_compile(
    r"""^\s*(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*
        (?:\[[^\]]*\])?\s*
        (?:\(\s*(?P<pspec>[^)]*)\)|(?P<spec>(?:===|[<>=!~]=?)[^;]*?))?\s*
        (?:;.*)?$""",
    re.X,
)


def parse_pep508(text: str) -> tuple[str, str] | None:
    """``openai[datalib]>=0.27,<1 ; python_version>'3.8'`` -> ("openai", ">=0.27,<1"); None if not one."""
    if "@" in text.split(";")[0]:  # a direct reference (name @ url) has no version constraint
        m = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)", text)
        return (m.group(1), "") if m else None
    m = _PEP508.match(text)
    if not m:
        return None
    spec = (m.group("spec") or m.group("pspec") or "").strip()
    return m.group("name"), spec


def extract(source: Source) -> list[Dependency]:
    name = source.name.lower()
    kind = source.kind
    try:
        if kind == "requirements":
            return list(_requirements(source))
        if kind == "toml" and name == "pyproject.toml":
            return list(_pyproject(source))
        if kind == "toml" and name == "pipfile":
            return list(_pipfile(source))
        if kind == "ini" and name == "setup.cfg":
            return list(_setup_cfg(source))
        if kind == "python" and name == "setup.py":
            return list(_setup_py(source))
        if kind == "json" and name == "package.json":
            return list(_package_json(source))
        out: list[Dependency] = []
        if kind == "yaml":
            out.extend(_conda(source))
        if kind in {"shell", "dockerfile", "makefile", "yaml"}:
            out.extend(_commands_in_text(source))
        if kind == "notebook":
            out.extend(_commands_in_notebook(source))
        return out
    except RecursionError:
        return []


# -- requirements files --------------------------------------------------------------------------------------
def _requirements(source: Source) -> Iterator[Dependency]:
    lines = source.text.splitlines()
    i = 0
    while i < len(lines):
        start = i
        raw = lines[i]
        while raw.endswith("\\") and i + 1 < len(lines):
            i += 1
            raw = raw[:-1] + " " + lines[i]
        i += 1
        text = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if not text or text.startswith("-"):
            continue
        parsed = parse_pep508(text)
        if parsed is None:
            continue
        pkg, spec = parsed
        col = lines[start].find(pkg) + 1 or 1
        yield Dependency(pkg, spec, "pep440", start + 1, col, col + len(pkg), source.name)


# -- TOML ----------------------------------------------------------------------------------------------------
def _find_string(text: str, value: str, used: set[int]) -> int:
    """Offset of the quoted string ``value`` in TOML/JSON text (skipping ones already reported)."""
    for quote in ('"', "'"):
        needle = f"{quote}{value}{quote}"
        pos = text.find(needle)
        while pos != -1 and pos in used:
            pos = text.find(needle, pos + 1)
        if pos != -1:
            used.add(pos)
            return pos + 1
    return -1


def _find_key(text: str, key: str, header: str | None) -> int:
    """Offset of ``key =`` (TOML) after the table ``[header]`` when it can be found, else anywhere."""
    start = 0
    if header:
        h = re.search(
            r"(?m)^[ \t]*\[[ \t]*" + r"[ \t]*\.[ \t]*".join(map(re.escape, header.split("."))) + r"[ \t]*\]",
            text,
        )
        if h:
            start = h.end()
    pattern = re.compile(r"(?m)^[ \t]*[\"']?" + re.escape(key) + r"[\"']?[ \t]*=")
    m = pattern.search(text, start) or pattern.search(text)
    if not m:
        return -1
    return m.start() + len(m.group(0)) - len(m.group(0).lstrip(" \t\"'"))


def _at(
    source: Source, offset: int, length: int, name: str, spec: str, style: str, origin: str
) -> Dependency:
    if offset < 0:
        return Dependency(name, spec, style, 1, 1, 1, origin)
    line, col = source.position(offset)
    return Dependency(name, spec, style, line, col, col + length, origin)


def _pep508_list(source: Source, items: Any, origin: str, used: set[int]) -> Iterator[Dependency]:
    if not isinstance(items, list):
        return
    for item in items:
        if not isinstance(item, str):
            continue
        parsed = parse_pep508(item)
        if parsed:
            offset = _find_string(source.text, item, used)
            yield _at(source, offset, len(item), parsed[0], parsed[1], "pep440", origin)


def _table_deps(source: Source, table: Any, header: str, style: str, origin: str) -> Iterator[Dependency]:
    if not isinstance(table, dict):
        return
    for pkg, value in table.items():
        spec: Any = value
        if isinstance(value, dict):
            spec = value.get("version", "")
        elif isinstance(value, list):  # poetry multiple-constraint dependencies: take the first version
            spec = next((v.get("version", "") for v in value if isinstance(v, dict)), "")
        if not isinstance(spec, str):
            continue
        spec = "" if spec.strip() == "*" else spec.strip()
        offset = _find_key(source.text, str(pkg), header)
        yield _at(source, offset, len(str(pkg)), str(pkg), spec, style, origin)


def _pyproject(source: Source) -> Iterator[Dependency]:
    data = source.toml_data
    if not isinstance(data, dict):
        return
    used: set[int] = set()
    project = data.get("project") or {}
    if isinstance(project, dict):
        yield from _pep508_list(
            source, project.get("dependencies"), "pyproject.toml [project] dependencies", used
        )
        extras = project.get("optional-dependencies") or {}
        if isinstance(extras, dict):
            for group, items in extras.items():
                yield from _pep508_list(source, items, f"pyproject.toml optional-dependencies.{group}", used)
    groups = data.get("dependency-groups") or {}
    if isinstance(groups, dict):
        for group, items in groups.items():
            yield from _pep508_list(source, items, f"pyproject.toml dependency-groups.{group}", used)
    poetry = ((data.get("tool") or {}).get("poetry") or {}) if isinstance(data.get("tool"), dict) else {}
    if isinstance(poetry, dict):
        for section in ("dependencies", "dev-dependencies"):
            yield from _table_deps(
                source,
                poetry.get(section),
                f"tool.poetry.{section}",
                "poetry",
                f"pyproject.toml [tool.poetry.{section}]",
            )
        pgroups = poetry.get("group") or {}
        if isinstance(pgroups, dict):
            for group, body in pgroups.items():
                if isinstance(body, dict):
                    header = f"tool.poetry.group.{group}.dependencies"
                    yield from _table_deps(
                        source, body.get("dependencies"), header, "poetry", f"pyproject.toml [{header}]"
                    )


def _pipfile(source: Source) -> Iterator[Dependency]:
    data = source.toml_data
    if not isinstance(data, dict):
        return
    for section in ("packages", "dev-packages"):
        yield from _table_deps(source, data.get(section), section, "pep440", f"Pipfile [{section}]")


# -- setup.cfg / setup.py ------------------------------------------------------------------------------------
def _setup_cfg(source: Source) -> Iterator[Dependency]:
    cfg = source.ini
    if cfg is None:
        return
    lines = source.text.splitlines()
    places: list[tuple[str, str, str]] = []
    if cfg.has_option("options", "install_requires"):
        places.append(("options", "install_requires", "setup.cfg install_requires"))
    if cfg.has_section("options.extras_require"):
        for opt in cfg.options("options.extras_require"):
            places.append(("options.extras_require", opt, f"setup.cfg extras_require.{opt}"))
    seen: set[int] = set()
    for section, option, origin in places:
        value = cfg.get(section, option, fallback="") or ""
        for entry in re.split(r"[\n;]" if "\n" in value else r"\n", value):
            entry = entry.split("#")[0].strip()
            parsed = parse_pep508(entry) if entry else None
            if not parsed:
                continue
            line_no = next((n for n, text in enumerate(lines) if entry in text and n not in seen), -1)
            if line_no >= 0:
                seen.add(line_no)
                col = lines[line_no].find(entry) + 1
                yield Dependency(parsed[0], parsed[1], "pep440", line_no + 1, col, col + len(entry), origin)


_SETUP_KEYWORDS = {"install_requires", "extras_require", "setup_requires", "tests_require"}


def _setup_py(source: Source) -> Iterator[Dependency]:
    tree = source.python
    if tree is None:
        return
    for node in walk(tree):
        if not isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            continue
        for elt in node.elts:
            if isinstance(elt, ast.Constant) and isinstance(elt.value, str):
                parsed = parse_pep508(elt.value)
                if parsed and parsed[1]:
                    yield Dependency(
                        parsed[0],
                        parsed[1],
                        "pep440",
                        elt.lineno,
                        elt.col_offset + 2,
                        elt.col_offset + 2 + len(elt.value),
                        "setup.py",
                    )


# -- conda environment.yml -----------------------------------------------------------------------------------
_CONDA = lazy_compile(r"^\s*(?:[\w.-]+::)?(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?P<spec>.*)$")


def _conda(source: Source) -> Iterator[Dependency]:
    import yaml

    from oai_lint.sources.yamlsrc import mapping_get, sequence_items

    lower = source.name.lower()
    for doc in source.yaml_docs:
        deps = mapping_get(doc.root, "dependencies")
        if not isinstance(deps, yaml.SequenceNode):
            continue
        if not (lower.startswith("environment") or mapping_get(doc.root, "channels") is not None):
            continue
        for item in sequence_items(deps):
            if isinstance(item, yaml.ScalarNode):
                m = _CONDA.match(str(item.value))
                if m:
                    line, col = item.start_mark.line + 1, item.start_mark.column + 1
                    yield Dependency(
                        m.group("name"),
                        m.group("spec").strip(),
                        "conda",
                        line,
                        col,
                        col + len(str(item.value)),
                        f"{source.name} (conda)",
                    )
            pip = mapping_get(item, "pip")
            for entry in sequence_items(pip):
                if isinstance(entry, yaml.ScalarNode):
                    parsed = parse_pep508(str(entry.value))
                    if parsed:
                        line, col = entry.start_mark.line + 1, entry.start_mark.column + 1
                        yield Dependency(
                            parsed[0],
                            parsed[1],
                            "pep440",
                            line,
                            col,
                            col + len(str(entry.value)),
                            f"{source.name} (pip)",
                        )


# -- package.json --------------------------------------------------------------------------------------------
_NPM_SECTIONS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")


def _package_json(source: Source) -> Iterator[Dependency]:
    data = source.json_data
    if not isinstance(data, dict):
        return
    text = source.text
    for section in _NPM_SECTIONS:
        table = data.get(section)
        if not isinstance(table, dict):
            continue
        header = re.search(r'"' + section + r'"\s*:\s*\{', text)
        start = header.end() if header else 0
        for pkg, spec in table.items():
            if not isinstance(spec, str):
                continue
            m = re.compile(r'"' + re.escape(str(pkg)) + r'"\s*:').search(text, start)
            offset = m.start() + 1 if m else -1
            yield _at(source, offset, len(str(pkg)), str(pkg), spec.strip(), "npm", f"package.json {section}")


# -- install commands ----------------------------------------------------------------------------------------
_PIP_CMD = lazy_compile(
    r"(?:^|[\s;&|(`'\"!%])(?:(?:python[\d.]*|py)\s+-m\s+)?(?:uv\s+)?pip[\d.]*\s+install\b|"
    r"(?:^|[\s;&|(`'\"!%])(?:uv|poetry|pdm|rye)\s+add\b"
)
_NPM_CMD = lazy_compile(
    r"(?:^|[\s;&|(`'\"])(?:npm\s+(?:install|i|add)|yarn\s+add|pnpm\s+(?:add|install|i)|"
    r"bun\s+(?:add|install|i))\b"
)
_END = lazy_compile(r"&&|\|\||[;|)`]|\s#")


def _command_tokens(line: str) -> Iterator[tuple[str, str, int]]:
    """(style, token, column) for packages named on ``pip install``/``npm install``-style commands."""
    for pattern, style in ((_PIP_CMD, "pep440"), (_NPM_CMD, "npm")):
        for m in pattern.finditer(line):
            rest_start = m.end()
            end = _END.search(line, rest_start)
            segment = line[rest_start : end.start() if end else len(line)]
            skip_next = False
            for tok in re.finditer(r"\"[^\"]*\"|'[^']*'|\S+", segment):
                word = tok.group(0)
                col = rest_start + tok.start() + 1
                if word[:1] in {'"', "'"} and len(word) >= 2:
                    word, col = word[1:-1], col + 1
                if skip_next:
                    skip_next = False
                    continue
                if word.startswith("-"):
                    skip_next = word in _OPTIONS_WITH_VALUE
                    continue
                if word and not word.startswith((".", "/", "$", "~")):
                    yield style, word, col


_OPTIONS_WITH_VALUE = {
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-e",
    "--editable",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-t",
    "--target",
    "--prefix",
    "--root",
    "-f",
    "--find-links",
    "--python",
    "--group",
    "-G",
    "--registry",
    "--filter",
    "-w",
    "--workspace",
}


def _command_dependency(style: str, word: str, line: int, col: int, origin: str) -> Dependency | None:
    if style == "npm":
        m = re.match(r"^(@?[A-Za-z0-9][\w.-]*(?:/[\w.-]+)?)(?:@(.*))?$", word)
        if not m:
            return None
        return Dependency(m.group(1), (m.group(2) or "").strip(), "npm", line, col, col + len(word), origin)
    if "@" in word and not word.startswith("@") and "://" not in word:  # poetry add openai@^0.28
        name, _, spec = word.partition("@")
        if re.fullmatch(r"[A-Za-z0-9][\w.-]*", name):
            return Dependency(name, spec, "poetry", line, col, col + len(word), origin)
    parsed = parse_pep508(word)
    if not parsed:
        return None
    return Dependency(parsed[0], parsed[1], "pep440", line, col, col + len(word), origin)


def _commands_in_text(source: Source) -> Iterator[Dependency]:
    text = source.text
    if "install" not in text and " add" not in text:
        return
    for n, line in enumerate(text.splitlines(), start=1):
        if "install" not in line and " add" not in line:
            continue
        for style, word, col in _command_tokens(line):
            dep = _command_dependency(style, word, n, col, "an install command")
            if dep:
                yield dep


def _commands_in_notebook(source: Source) -> Iterator[Dependency]:
    nb = source.notebook
    if nb is None:
        return
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for i, line in enumerate(cell.lines):
            if "install" not in line and " add" not in line:
                continue
            for style, word, col in _command_tokens(line):
                file_line = cell.file_lines[i] if i < len(cell.file_lines) else 1
                file_col = (cell.file_cols[i] if i < len(cell.file_cols) else 1) + col - 1
                dep = _command_dependency(style, word, file_line, file_col, "a notebook install command")
                if dep:
                    yield dep
