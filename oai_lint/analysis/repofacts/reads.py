"""What a file tells of its repository: the environment names its code reads or sets, the wrappers and
SDK versions it uses, and (through ``deploy``) the environment a deployment configures and the
organization/project code pins."""

from __future__ import annotations

import ast
import os
import re

from oai_lint.analysis.names import is_test_file
from oai_lint.analysis.repofacts.deploy import pins, settings
from oai_lint.analysis.repofacts.model import Place, RepoFacts
from oai_lint.analysis.repofacts.provider import (
    PY_WRAPPER_MODULES,
    READS_SETTINGS_MARKER,
    RETRIES_MARKER,
    V0_CODE_MARKERS,
    is_dependency_file,
)
from oai_lint.analysis.vocab import CODE_KINDS, JS_KINDS
from oai_lint.lazyre import lazy_compile
from oai_lint.sources import Source
from oai_lint.sources.python import keyword

_PIN_TRIGGERS = (b"rganization", b"roject", b"RGANIZATION", b"ROJECT")
CODE_EXT = frozenset({
    ".go", ".rb", ".rs", ".java", ".kt", ".kts", ".cs", ".php", ".swift", ".scala", ".ex", ".exs", ".dart",
    ".lua", ".r", ".jl", ".c", ".cc", ".cpp", ".h", ".hpp", ".m", ".pl", ".pm", ".vue", ".svelte",
    ".astro", ".groovy", ".clj", ".erl", ".hs", ".fs", ".ml", ".zig", ".nim", ".cr", ".tf", ".hcl",
    ".ps1", ".psm1", ".bat", ".cmd", ".fish", ".nix", ".mjs", ".cjs",
})

_NAME_AT = lazy_compile(r"OPENAI_[A-Z0-9_]*[A-Z0-9]")
# const { OPENAI_X, … } = process.env
_DESTRUCTURE = lazy_compile(r"\{([^{}]{1,2000})\}\s*=\s*(?:process\.env|import\.meta\.env|Bun\.env)\b")
_DESTRUCTURE_NAME = lazy_compile(r"(?<![\w$])(OPENAI_[A-Z0-9_]*[A-Z0-9])\b")
_QUOTES = "\"'`"
_NAME = r"OPENAI_[A-Z0-9_]*[A-Z0-9]"
# code that sets an env var for the libraries it calls
_PY_ENV_WRITE = lazy_compile(rf"""environ\s*\[\s*["']({_NAME})["']\s*\]\s*=(?!=)|"""
                           rf"""environ\.setdefault\(\s*["']({_NAME})["']|putenv\(\s*["']({_NAME})["']""")
_JS_ENV_WRITE = lazy_compile(rf"""process\.env(?:\.({_NAME})|\[\s*["'`]({_NAME})["'`]\s*\])\s*=(?![=>])""")

_PY_IMPORT = lazy_compile(r"(?:^|[\s;\"'])(?:from|import)\s+(langchain\w*|litellm|llama_index)\b", re.M)
_JS_IMPORT = lazy_compile(r"""(?:\bfrom\s*|\brequire\(\s*|\bimport\(\s*)"""
                        r"""["'](@langchain/[\w.-]+|langchain(?:/[\w/.-]*)?)["']""")
_DEP = lazy_compile(r"(?<![\w.\-/@])(@langchain/[\w.-]+|langchain(?:[-_][\w-]+)*|litellm"
                  r"|llama[-_]index(?:[-_][\w-]+)*)(?![\w-])", re.I)
_V0_PIN = lazy_compile(r"""(?<![\w.-])openai\s*(?:\[[^\]]*\])?\s*"""
                     r"""(?:(?:==|===|~=|<=)\s*["']?0\.|<\s*["']?1(?:\.0)*(?![.\d])"""
                     r"""|=\s*["'][\^~=<]*0\.)""", re.I)
# matched where "openai." occurs (searching the whole text for a pattern that starts with \b is slow)
_V0_CODE = lazy_compile(r"openai\.(?:(?:ChatCompletion|Completion|Embedding|Edit|Moderation|Image)\.a?create\b|"
                      r"(?:api_base|api_type|api_key_path)\s*=|error\.)")
_WORD_CHAR = lazy_compile(r"\w")
_PY_OPENAI_IMPORT = lazy_compile(
    r"^[ \t]*(?:\"[ \t]*)?(?:import[ \t]+openai\b|from[ \t]+openai(?:\.[\w.]+)?[ \t]+import)", re.M)


def _v0_code(text: str) -> bool:
    """Whether the text uses the pre-1.0 module-level API (``openai.ChatCompletion.create``, …). Every
    match of ``_V0_CODE`` starts with one of ``V0_CODE_MARKERS`` (what a search for these files looks for)."""
    if not any(m in text for m in V0_CODE_MARKERS):
        return False
    pos = text.find("openai.")
    while pos != -1:
        if (pos == 0 or not _WORD_CHAR.match(text, pos - 1)) and _V0_CODE.match(text, pos):
            return True
        pos = text.find("openai.", pos + 7)
    return False


def gather_into(facts: RepoFacts, source: Source, data: bytes) -> None:
    """What one file tells of its repository. Each part that a question can be asked of alone (see
    ``provider``) is gathered by its own function, gated on the bytes its search looks for."""
    kind = source.kind
    text = source.text
    gather_reads(facts, source, data)
    gather_wrappers(facts, source, data)
    # the environment the deployment configures
    if b"OPENAI_" in data:
        settings(facts, source)
        if kind in {"python", "notebook"}:
            for m, n in _names(_PY_ENV_WRITE, text):
                facts.set_env(n, Place(source.path, _line(source, m), "set by code"))
        elif kind in {"javascript", "typescript", "tsx"}:
            for m, n in _names(_JS_ENV_WRITE, text):
                facts.set_env(n, Place(source.path, _line(source, m), "set by code"))
    # organization/project given explicitly in code, headers and curl commands
    if any(t in data for t in _PIN_TRIGGERS):
        pins(facts, source)
    gather_retries(facts, source, data)


def gather_reads(facts: RepoFacts, source: Source, data: bytes) -> None:
    """The env names the file reads (``facts.reads``): a name it holds, or a pydantic settings field."""
    if b"OPENAI_" in data or READS_SETTINGS_MARKER in data:
        ext = os.path.splitext(source.name.lower())[1]
        _reads(facts, source, source.kind in CODE_KINDS or (source.kind == "text" and ext in CODE_EXT))


def gather_wrappers(facts: RepoFacts, source: Source, data: bytes) -> None:
    """The wrappers and legacy SDK the file uses or its dependencies name (``facts.wrappers``, ``v0_pin``),
    and whether Python code imports openai (``python_openai``)."""
    kind = source.kind
    text = source.text
    lower_name = source.name.lower()
    if kind in {"python", "notebook"}:
        if _PY_OPENAI_IMPORT.search(text):
            facts.python_openai.add(os.path.abspath(source.abspath))
        if any(m in text for m in PY_WRAPPER_MODULES):
            facts.wrappers.update(_py_wrapper(m) for m in _PY_IMPORT.findall(text.replace('\\"', '"')))
        if _v0_code(text):
            facts.wrappers.add("openai-v0")
    elif kind in {"javascript", "typescript", "tsx"} and "langchain" in text and _JS_IMPORT.search(text):
        facts.wrappers.add("langchain-js")
    if is_dependency_file(lower_name, kind):
        js = lower_name == "package.json"
        for m in _DEP.findall(text):  # every match holds one of DEP_MARKERS, in some case
            facts.wrappers.add("langchain-js" if js and "langchain" in m.lower() else _py_wrapper(m))
        pin = None if js else _V0_PIN.search(text)
        if pin:
            facts.wrappers.add("openai-v0")
            facts.v0_pin = facts.v0_pin or Place(source.path, _line(source, pin.start()), "pins openai below 1.0")


def gather_retries(facts: RepoFacts, source: Source, data: bytes) -> None:
    """Clients with the SDK's retries turned off, for the modules that use them (``facts.retries_off``)."""
    if source.kind in {"python", "notebook"} and RETRIES_MARKER in data:
        _retries_off(facts, source)


def _retries_off(facts: RepoFacts, source: Source) -> None:
    """``self.client = AsyncOpenAI(max_retries=0)`` / ``client = OpenAI(max_retries=0)`` (test code excluded)."""
    flow = source.openai_pyflow if not is_test_file(source.path) else None
    if flow is None:
        return
    idx = flow.idx
    for target, value, stmt in idx.assigns:
        if not isinstance(value, ast.Call) or not flow.client_class(value):
            continue
        kw = keyword(value, "max_retries")
        if kw is None or not flow.is_zero(kw.value):
            continue
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                and target.value.id in {"self", "cls"}:
            name = target.attr
        elif isinstance(target, ast.Name) and stmt in idx.tree.body:
            name = target.id  # a module-level client other modules import
        else:
            continue
        what = f"{flow.client_class(value)}(max_retries=0)"
        facts.retries_off.setdefault(name, Place(source.path, kw.value.lineno, what))


def _py_wrapper(module: str) -> str:
    m = module.lower()
    if m.startswith("@langchain") or m.startswith("langchain/"):
        return "langchain-js"
    if m.startswith("langchain"):
        return "langchain"
    if m.startswith("llama"):
        return "llama_index"
    return "litellm"


def _names(pattern: re.Pattern[str], text: str) -> list[tuple[int, str]]:
    out = []
    for m in pattern.finditer(text):
        name = next((g for g in m.groups() if g), None)
        if name:
            out.append((m.start(), name))
    return out


def _line(source: Source, offset: int) -> int:
    return source.position(offset)[0]


def _reads(facts: RepoFacts, source: Source, code: bool) -> None:
    """The OPENAI_* names the file reads. Every occurrence is looked at in its context, which is much
    faster than running several regular expressions over large files:

    - in code (any language): a quoted ``"OPENAI_X"`` (getenv, environ[], ENV[], settings libraries;
      also JSON-escaped inside notebooks) and a member ``x.OPENAI_X`` (process.env, import.meta.env);
    - anywhere: ``$OPENAI_X``, ``${OPENAI_X}``, ``$(OPENAI_X)``, ``${{ env.OPENAI_X }}``, except
      ``OPENAI_X=${OPENAI_X}``, which passes a variable through under the same name.
    """
    text = source.text
    pos = text.find("OPENAI_")
    while pos != -1:
        m = _NAME_AT.match(text, pos)
        nxt = pos + 7
        if m is None or (pos and (text[pos - 1].isalnum() or text[pos - 1] == "_")):
            pos = text.find("OPENAI_", nxt)
            continue
        name = m.group(0)
        before = text[max(0, pos - 6):pos]
        after = text[m.end():m.end() + 2]
        quoted = before[-1:] in _QUOTES and (after[:1] in _QUOTES or after[:2] in {'\\"', "\\'"})
        member = before.endswith(".") and (before[-2:-1].isalnum() or before[-2:-1] in "_)]?")
        if code and (quoted or member):
            facts.reads.add(name)
        elif before.endswith(("$", "${", "$(")) or (before.endswith("env.") and "${{" in
                                                    text[text.rfind("\n", 0, pos) + 1:pos]):
            line_start = text.rfind("\n", 0, pos) + 1
            # NAME=${NAME} passes a variable through under the same name: that is not reading it
            if not re.search(rf"(?<![\w]){name}\W{{0,3}}\s*[:=]", text[line_start:pos]):
                facts.reads.add(name)
        pos = text.find("OPENAI_", m.end())
    js = source.kind in JS_KINDS or source.name.endswith((".vue", ".svelte", ".astro"))
    if code and js and ("process.env" in text or "import.meta.env" in text or "Bun.env" in text):
        for block in _DESTRUCTURE.findall(text):
            facts.reads.update(_DESTRUCTURE_NAME.findall(block))
    if source.kind == "python" and "BaseSettings" in text:
        facts.reads.update(_pydantic_names(source))


def _pydantic_names(source: Source) -> set[str]:
    """Fields of pydantic ``BaseSettings`` classes, as the env names pydantic-settings reads."""
    tree = source.python
    out: set[str] = set()
    if tree is None:
        return out
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        bases = [ast.unparse(b) for b in node.bases]
        if not any(b.endswith("BaseSettings") for b in bases):
            continue
        prefix = ""
        for sub in ast.walk(node):
            if isinstance(sub, ast.keyword) and sub.arg == "env_prefix":
                value: ast.AST = sub.value
            elif isinstance(sub, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "env_prefix"
                                                     for t in sub.targets):
                value = sub.value
            else:
                continue
            if isinstance(value, ast.Constant):
                prefix = str(value.value)
        for stmt in node.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                out.add((prefix + stmt.target.id).upper())
    return out

