"""A file read once, with lazily parsed views. Checks ask the source; they never parse files themselves."""

from __future__ import annotations

import ast
import fnmatch
import importlib
from functools import cached_property
from typing import TYPE_CHECKING, Any

from oai_lint.analysis.vocab import is_openai_code
from oai_lint.sources.text import LineIndex

if TYPE_CHECKING:
    from configparser import ConfigParser

    from oai_lint.analysis.pyflow import PyFlow
    from oai_lint.sources.curl import CurlCommand
    from oai_lint.sources.deploy import ComposeService, K8sContainer
    from oai_lint.sources.deps import Dependency
    from oai_lint.sources.dockerfile import Instruction
    from oai_lint.sources.envfile import EnvEntry
    from oai_lint.sources.javascript import JsTree
    from oai_lint.sources.notebook import Notebook
    from oai_lint.sources.python import PyIndex
    from oai_lint.sources.settings import Setting
    from oai_lint.sources.yamlsrc import YamlDoc

def _reader(name: str) -> Any:
    """``oai_lint.sources.<name>``, the module that builds one view, imported when a file first needs it:
    a pre-commit run over a few files imports the readers of their kinds only (the one seam of the views)."""
    return importlib.import_module(f"oai_lint.sources.{name}")


PY_EXT = {".py", ".pyi", ".pyw"}
JS_EXT = {".js", ".mjs", ".cjs", ".jsx"}
TS_EXT = {".ts", ".mts", ".cts"}
TSX_EXT = {".tsx"}
YAML_EXT = {".yml", ".yaml"}
SHELL_EXT = {".sh", ".bash", ".zsh", ".ksh", ".bats"}
MD_EXT = {".md", ".mdx", ".markdown", ".rst"}
ENV_TEMPLATE_SUFFIXES = ("example", "sample", "template", "dist", "tmpl", "tpl", "defaults", "schema")


def kind_for(name: str) -> str:
    """The source kind for a file name (the base name, not a path)."""
    lower = name.lower()
    dot = lower.rfind(".")
    ext = lower[dot:] if dot > 0 else ""
    if ext in MD_EXT and not lower.startswith((".env.", "dockerfile.", "containerfile.")):
        return "markdown"  # first: most files of a large repository are docs
    if ext in PY_EXT:
        return "python"
    if ext in JS_EXT:
        return "javascript"
    if ext in TS_EXT:
        return "typescript"
    if ext in TSX_EXT:
        return "tsx"
    if ext in YAML_EXT:
        return "yaml"
    if ext == ".ipynb":
        return "notebook"
    if ext in {".json", ".jsonc"} or lower in {".babelrc", ".eslintrc"}:
        return "json"
    if ext == ".toml":
        return "toml"
    if lower == ".env" or lower.startswith(".env.") or ext == ".env" or lower.endswith(".envrc"):
        return "env"
    if (
        lower in {"dockerfile", "containerfile"}
        or lower.startswith(("dockerfile.", "containerfile."))
        or ext in {".dockerfile", ".containerfile"}
    ):
        return "dockerfile"
    if ext in SHELL_EXT:
        return "shell"
    if ext in MD_EXT:
        return "markdown"
    if lower in {"makefile", "gnumakefile"} or ext == ".mk":
        return "makefile"
    if fnmatch.fnmatch(lower, "requirements*.txt") or fnmatch.fnmatch(lower, "*requirements*.in") or (
        ext == ".txt" and "requirements" in lower
    ):
        return "requirements"
    if lower in {"setup.cfg", "pipfile"}:
        return "ini" if lower == "setup.cfg" else "toml"
    return "text"


def is_env_template(name: str) -> bool:
    lower = name.lower()
    return any(lower.endswith("." + s) or lower.endswith("-" + s) or lower.endswith("_" + s)
               for s in ENV_TEMPLATE_SUFFIXES)


class Source:
    """One file: its text and, on demand, its parse tree or structured data.

    Parse failures never raise: the view is ``None`` (or empty) and a note is recorded in ``notes``.
    """

    def __init__(self, path: str, text: str, kind: str | None = None, abspath: str = "") -> None:
        self.path = path  # relative to the scan root, forward slashes
        self.abspath = abspath or path
        self.name = path.rsplit("/", 1)[-1]
        self.text = text
        self.kind = kind or kind_for(self.name)
        self.notes: list[str] = []

    # -- text ---------------------------------------------------------------------------------------
    @cached_property
    def index(self) -> LineIndex:
        return LineIndex(self.text)

    def position(self, offset: int) -> tuple[int, int]:
        return self.index.position(offset)

    def line_text(self, line: int) -> str:
        return self.index.line_text(line)

    @cached_property
    def lower_text(self) -> str:
        return self.text.lower()

    @cached_property
    def openai_code(self) -> bool:
        """Whether the text could be code that talks to OpenAI: it imports or requires an OpenAI SDK or
        wrapper, names api.openai.com, builds an OpenAI client or sets an OpenAI header. A cheap gate
        before the checks that parse and index the file: a file that only mentions "openai" in prose
        or a docs link never needs them."""
        return is_openai_code(self.text, self.lower_text)

    # -- parsed views -----------------------------------------------------------------------------
    @cached_property
    def python(self) -> ast.Module | None:
        """The module AST for Python sources (and the code cells of notebooks, lines mapped)."""
        if self.kind == "notebook":
            nb = self.notebook
            return nb.module if nb is not None else None
        if self.kind != "python":
            return None
        tree: ast.Module | None
        tree, note = _reader("python").parse(self.text)
        if note:
            self.notes.append(note)
        return tree

    @cached_property
    def js(self) -> JsTree | None:
        if self.kind not in {"javascript", "typescript", "tsx"}:
            return None
        tree: JsTree | None
        tree, note = _reader("javascript").parse(self.text, self.kind, self.index)
        if note:
            self.notes.append(note)
        return tree

    @cached_property
    def yaml_docs(self) -> list[YamlDoc]:
        if self.kind != "yaml":
            return []
        docs: list[YamlDoc]
        docs, note = _reader("yamlsrc").parse(self.text)
        if note:
            self.notes.append(note)
        return docs

    @cached_property
    def json_data(self) -> Any:
        if self.kind != "json":
            return None
        import json

        try:
            return json.loads(self.text)
        except (ValueError, RecursionError) as exc:
            self.notes.append(f"not valid JSON ({str(exc)[:120]}); only text-level rules were applied")
            return None

    @cached_property
    def toml_data(self) -> dict[str, Any] | None:
        if self.kind != "toml":
            return None
        from oai_lint.sources import tomlsafe

        try:
            return tomlsafe.loads(self.text)
        except (RecursionError, ValueError) as exc:  # TOMLDecodeError and TomlTooComplex are ValueErrors
            self.notes.append(f"not valid TOML ({str(exc)[:120]}); only text-level rules were applied")
            return None

    @cached_property
    def env_entries(self) -> list[EnvEntry]:
        if self.kind not in {"env", "shell"}:
            return []
        entries: list[EnvEntry] = _reader("envfile").parse(self.text, exports_only=self.kind == "shell")
        return entries

    @cached_property
    def docker_instructions(self) -> list[Instruction]:
        if self.kind != "dockerfile":
            return []
        instructions: list[Instruction] = _reader("dockerfile").parse(self.text)
        return instructions

    @cached_property
    def notebook(self) -> Notebook | None:
        if self.kind != "notebook":
            return None
        nb: Notebook | None
        nb, notes = _reader("notebook").parse(self.text)
        self.notes.extend(notes)
        return nb

    @cached_property
    def comments(self) -> list[tuple[int, str]] | None:
        """The comments of Python and JavaScript/TypeScript sources, one ``(line, text)`` per line a
        comment spans; ``None`` for other kinds or when the text cannot be tokenized."""
        if self.kind == "python":
            import io
            import tokenize

            out: list[tuple[int, str]] = []
            try:
                for tok in tokenize.generate_tokens(io.StringIO(self.text).readline):
                    if tok.type == tokenize.COMMENT:
                        out.append((tok.start[0], tok.string))
            except (tokenize.TokenError, SyntaxError, ValueError, RecursionError, MemoryError):
                return None
            return out
        tree = self.js
        if tree is None:
            return None
        out = []
        for node in tree.walk({"comment"}):
            first = node.start_point[0] + 1
            out.extend((first + i, part) for i, part in enumerate(tree.text(node).split("\n")))
        return out

    @cached_property
    def curl_commands(self) -> list[CurlCommand]:
        """``curl`` invocations in shell, Makefile, Dockerfile, YAML (CI steps) and Markdown code blocks."""
        if self.kind not in {"shell", "makefile", "dockerfile", "yaml", "markdown"}:
            return []
        commands: list[CurlCommand] = _reader("curl").extract(self.text, self.kind)
        return commands

    @cached_property
    def settings(self) -> list[Setting]:
        """Environment-style settings (name, value, place) from env files, compose, workflows, k8s, Docker."""
        settings: list[Setting] = _reader("settings").extract(self)
        return settings

    @cached_property
    def compose_services(self) -> list[ComposeService]:
        """The ``environment:`` blocks of compose services (YAML files), and which code each one reaches."""
        if self.kind != "yaml":
            return []
        services: list[ComposeService] = _reader("deploy").compose_services(self)
        return services

    @cached_property
    def k8s_containers(self) -> list[K8sContainer]:
        """The ``env:`` blocks of Kubernetes containers (YAML files), with the image each one runs."""
        if self.kind != "yaml":
            return []
        containers: list[K8sContainer] = _reader("deploy").k8s_containers(self)
        return containers

    @cached_property
    def pyindex(self) -> PyIndex | None:
        """Parents, imports, functions and assignments of :attr:`python` (shared by the checks)."""
        tree = self.python
        if tree is None:
            return None
        index: PyIndex = _reader("python").PyIndex(tree)
        return index

    @cached_property
    def pyflow(self) -> PyFlow | None:
        """The flow analysis of :attr:`pyindex` (OpenAI clients and calls, raw HTTP, retry coverage), built
        once per file so that every check reading it shares its memos; ``None`` when there is no index.
        Imported on first use, like the readers."""
        idx = self.pyindex
        if idx is None:
            return None
        flow: PyFlow = importlib.import_module("oai_lint.analysis.pyflow").PyFlow(idx)
        return flow

    @property
    def openai_pyflow(self) -> PyFlow | None:
        """:attr:`pyflow` for a file that could be code talking to OpenAI (:attr:`openai_code`), else ``None``
        without parsing: the gate of the checks that only look at such files."""
        return self.pyflow if self.openai_code else None

    @cached_property
    def ini(self) -> ConfigParser | None:
        """INI files (``setup.cfg``) through :mod:`configparser`, without interpolation."""
        if self.kind != "ini":
            return None
        import configparser

        parser = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            parser.read_string(self.text)
        except (configparser.Error, ValueError) as exc:
            first = str(exc).splitlines()[0][:120]
            self.notes.append(f"not valid INI ({first}); only text-level rules were applied")
            return None
        return parser

    @cached_property
    def dependencies(self) -> list[Dependency]:
        """Declared dependencies with version constraints and positions (requirements, pyproject, Pipfile,
        setup.cfg/setup.py, conda, package.json, and install commands in scripts and notebooks)."""
        if (self.kind == "python" and self.name.lower() != "setup.py") or \
                (self.kind == "json" and self.name.lower() != "package.json"):
            return []  # (what extract gives them, without importing oai_lint.sources.deps)
        dependencies: list[Dependency] = _reader("deps").extract(self)
        return dependencies
