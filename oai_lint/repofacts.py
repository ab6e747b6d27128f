"""Repository-level facts for the organization/project rules (OAI2xx).

Some questions cannot be answered from one file: does any code read ``OPENAI_ORGANIZATION``? Does the
repository use LangChain? Does it pin an organization or project somewhere? Pre-commit passes only the
staged files (in parallel batches), so the answers are computed over the *whole* repository, whatever
is on the command line: the git work tree that holds the file (``git ls-files --cached --others
--exclude-standard``, with the scan's own excludes and size cap), or the scan root outside git.

It is cheap: files of kinds that cannot contribute (Markdown, most JSON) are never opened, the others
are read once and skipped unless a few byte strings occur, and only the rest is decoded and looked at
through the same ``Source`` views the checks use. The result is cached per process in ``Context``
(``prime`` computes it in the parent before worker processes start).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from oai_lint.checks.common import is_minified  # noqa: F401 - moved to checks.common (no import of this module)
from oai_lint.checks.ids import (
    ORG_ENV,
    PROJECT_ENV,
    PROJECT_KEY_PREFIXES,
    SDK_ENV,
    WRAPPER_READS,
    ignored_name,
    setting_role,
)
from oai_lint.lazyre import lazy_compile
from oai_lint.repotop import FACT_RULES, candidate_data, candidate_name, facts_key, repo_root
from oai_lint.repotop import TRIGGERS as _TRIGGERS

if TYPE_CHECKING:
    from oai_lint.checks import Context
    from oai_lint.sources import Source

# Settings that configure the environment a deployment runs with.
DEPLOY_CONTEXTS = frozenset({
    "env-file", "shell", "dockerfile-env", "workflow-env", "compose", "k8s-env", "k8s-configmap",
    "k8s-configmap-string", "k8s-secret", "k8s-secret-string", "gitlab-ci",
})
_PIN_TRIGGERS = (b"rganization", b"roject", b"RGANIZATION", b"ROJECT")
CODE_EXT = frozenset({
    ".go", ".rb", ".rs", ".java", ".kt", ".kts", ".cs", ".php", ".swift", ".scala", ".ex", ".exs", ".dart",
    ".lua", ".r", ".jl", ".c", ".cc", ".cpp", ".h", ".hpp", ".m", ".pl", ".pm", ".vue", ".svelte",
    ".astro", ".groovy", ".clj", ".erl", ".hs", ".fs", ".ml", ".zig", ".nim", ".cr", ".tf", ".hcl",
    ".ps1", ".psm1", ".bat", ".cmd", ".fish", ".nix", ".mjs", ".cjs",
})

_CODE_KINDS = frozenset({"python", "notebook", "javascript", "typescript", "tsx"})
_JS_KINDS = frozenset({"javascript", "typescript", "tsx"})
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


def _v0_code(text: str) -> bool:
    """Whether the text uses the pre-1.0 module-level API (``openai.ChatCompletion.create``, …)."""
    pos = text.find("openai.")
    while pos != -1:
        if (pos == 0 or not _WORD_CHAR.match(text, pos - 1)) and _V0_CODE.match(text, pos):
            return True
        pos = text.find("openai.", pos + 7)
    return False
_DEP_FILES = frozenset({"package.json", "pyproject.toml", "pipfile", "setup.py", "setup.cfg",
                        "environment.yml", "environment.yaml", "poetry.lock", "uv.lock"})


@dataclass(frozen=True)
class Place:
    """Where in the repository something is set (a file and line), and which code it reaches."""
    path: str
    line: int
    what: str
    scope: str = ""  # the directory (absolute) whose code the setting reaches; "" for everything
    value_is_openai: bool = False  # for OPENAI_BASE_URL: the value names api.openai.com

    def __str__(self) -> str:
        return f"{self.path}:{self.line} ({self.what})"

    def reaches(self, abspath: str | None) -> bool:
        return not self.scope or abspath is None or abspath.startswith(self.scope.rstrip(os.sep) + os.sep)


@dataclass
class RepoFacts:
    """What the repository as a whole says about OpenAI settings."""
    root: str
    reads: set[str] = field(default_factory=set)  # OPENAI_* names some code, script or config reads
    # langchain, langchain-js, litellm, llama_index, openai-v0
    wrappers: set[str] = field(default_factory=set)
    # OPENAI_* names the deployment's environment sets, with where (and for which code) it does so
    env_sets: dict[str, list[Place]] = field(default_factory=dict)
    _env_known: dict[str, set[Place]] = field(default_factory=dict, repr=False, compare=False)
    code_pins: dict[str, Place] = field(default_factory=dict)  # organization/project given in code/headers
    pin_envs: set[str] = field(default_factory=set)  # env names those code pins read
    # "project" / "other": the kinds of the keys the deploy environment configures (a key literal in code
    # speaks only for its own client)
    key_scopes: set[str] = field(default_factory=set)

    def merge(self, other: RepoFacts) -> None:
        """Add the facts of ``other`` (gathered from files that come after this one's, in path order:
        the first place wins, as when one pass reads the files in that order)."""
        self.reads |= other.reads
        self.wrappers |= other.wrappers
        for name, places in other.env_sets.items():
            for place in places:
                self.set_env(name, place)
        for what, place in other.code_pins.items():
            self.code_pins.setdefault(what, place)
        self.pin_envs |= other.pin_envs
        self.key_scopes |= other.key_scopes

    def empty(self) -> bool:
        return not (self.reads or self.wrappers or self.env_sets or self.code_pins or self.pin_envs
                    or self.key_scopes)

    def reader_of(self, name: str) -> str | None:
        """Why ``name`` is fine although the SDKs ignore it: "code" or a wrapper's label, else None."""
        if name in self.reads:
            return "code"
        for wrapper in sorted(WRAPPER_READS.get(name, frozenset()) & self.wrappers):
            return wrapper
        return None

    def effective(self, name: str) -> bool:
        return name in SDK_ENV or self.reader_of(name) is not None

    def set_env(self, name: str, place: Place) -> None:
        known = self._env_known.setdefault(name, set())  # (a list scan per place was quadratic)
        if place not in known:
            known.add(place)
            self.env_sets.setdefault(name, []).append(place)

    def env_place(self, name: str, abspath: str | None = None) -> Place | None:
        """Where the environment of the code at ``abspath`` gets ``name`` (anywhere, without a path)."""
        return next((p for p in self.env_sets.get(name, ()) if p.reaches(abspath)), None)

    def env_default(self, names: Iterable[str], abspath: str | None = None) -> Place | None:
        """Where the repository gives one of ``names`` a value for the code at ``abspath``: in the
        environment it configures, or by reading it explicitly elsewhere for the same purpose."""
        names = tuple(names)
        for name in names:
            place = self.env_place(name, abspath)
            if place is not None:
                return place
        for name in names:
            if name in self.pin_envs:
                return Place("", 0, name)
        return None

    def pin(self, what: str) -> Place | None:
        """Where the repository sets the organization (or project) to a value that takes effect:
        the deployment's environment first, then clients and headers in code."""
        for name in sorted(self.env_sets, key=lambda n: (n not in SDK_ENV, n)):
            role = setting_role(name)
            if role == what and self.effective(name):
                return self.env_sets[name][0]
        return self.code_pins.get(what)

    @property
    def project_keys(self) -> bool:
        """Every key the repository configures is project-scoped (sk-proj-/sk-svcacct-): no headers needed."""
        return self.key_scopes == {"project"}


def for_source(ctx: Context, source: Source) -> RepoFacts:
    top = repo_root(ctx, source.abspath)
    facts: RepoFacts = ctx.fact(facts_key(top), lambda: compute(ctx, top))
    return facts


def prime(ctx: Context, abspaths: Iterable[str]) -> None:
    """Compute the facts of every repository the files belong to (before worker processes start)."""
    if not ctx.enabled(*FACT_RULES):
        return  # no rule that reads them is on (e.g. `--scope file`, the per-file pre-commit hook)
    tops = {repo_root(ctx, p) for p in abspaths}
    for top in sorted(tops):
        ctx.fact(facts_key(top), lambda top=top: compute(ctx, top))  # type: ignore[misc]


# -- computing them --------------------------------------------------------------------------------------
def compute(ctx: Context, top: str) -> RepoFacts:
    from pathlib import Path

    from oai_lint.config import rebase_globs
    from oai_lint.discover import Discoverer
    from oai_lint.sources import Source, kind_for
    from oai_lint.sources.text import BinaryFile, decode

    facts = RepoFacts(root=top)
    prefix = top.rstrip(os.sep) + os.sep
    whole_scan = bool(ctx.listing) and os.path.abspath(ctx.root) == top
    finder = Discoverer(top, rebase_globs(list(ctx.exclude), ctx.root, top), ctx.max_file_size,
                        ctx.use_gitignore)
    # A scan of the whole repository already listed its files: reading the few kinds that can hold facts
    # (Markdown and most JSON are skipped) costs less than a git grep over every byte of the tree.
    candidates = _git_grep(top) if ctx.use_gitignore and not whole_scan else None
    if candidates is not None:
        # git found the files that mention any trigger; keep those a scan of the root would list
        if whole_scan:
            listed = set(ctx.listing)
            paths = sorted(p for p in candidates if p in listed)
        else:
            for p in candidates:
                finder._add(p, False, top)  # the scan's own rules: excludes, size cap, binaries
            paths = sorted(f.abspath for f in finder.result.files)
    elif whole_scan:  # the scan itself listed the whole repository: reuse that
        paths = sorted(p for p in ctx.listing if p.startswith(prefix))
    else:  # list the files as a scan of the repository root would (excludes are relative to ctx.root)
        finder.add_path(top)
        paths = sorted(f.abspath for f in finder.result.files)
    for abspath in paths:
        name = os.path.basename(abspath)
        kind = kind_for(name)
        if not candidate_name(name, kind):
            continue
        try:
            with open(abspath, "rb") as fh:
                data = fh.read(ctx.max_file_size + 1)
        except OSError:
            continue
        if not candidate_data(kind, data):
            continue
        try:
            text, _ = decode(data)
        except BinaryFile:
            continue
        # paths in messages are relative to where the scan reports from
        try:
            shown_path = Path(os.path.relpath(abspath, ctx.root)).as_posix()
        except ValueError:  # another drive on Windows
            shown_path = Path(abspath).as_posix()
        _gather(facts, Source(shown_path, text, kind, abspath), data)
    return facts


def gather(top: str, source: Source, data: bytes) -> RepoFacts:
    """The facts one file contributes (the scan of a whole repository gathers them while it reads
    each file, and merges them in path order with :meth:`RepoFacts.merge`)."""
    facts = RepoFacts(root=top)
    _gather(facts, source, data)
    return facts


def _git_grep(top: str) -> list[str] | None:
    """Files of the work tree (tracked or untracked, not ignored; Markdown left out) that contain a
    trigger, found by ``git grep`` (in C, multithreaded): far faster than reading every file. None
    when git cannot answer (not a repository, no git): the caller then reads the files itself."""
    import subprocess

    if not os.path.exists(os.path.join(top, ".git")):
        return None
    args = ["git", "-c", "core.quotepath=off", "grep", "-l", "-z", "-I", "-F", "--untracked", "--no-color"]
    for trigger in _TRIGGERS:
        args += ["-e", trigger.decode()]
    args += ["--", ".", *(f":(exclude,glob)**/*{ext}" for ext in (".md", ".mdx", ".markdown", ".rst"))]
    try:
        proc = subprocess.run(args, cwd=top, capture_output=True, timeout=120, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode not in (0, 1):
        return None
    return [os.path.join(top, os.fsdecode(p)) for p in proc.stdout.split(b"\0") if p]




def _gather(facts: RepoFacts, source: Source, data: bytes) -> None:
    kind = source.kind
    text = source.text
    lower_name = source.name.lower()
    ext = os.path.splitext(lower_name)[1]
    code = kind in _CODE_KINDS or (kind == "text" and ext in CODE_EXT)
    if b"OPENAI_" in data or b"BaseSettings" in data:
        _reads(facts, source, code)
    # wrappers and the legacy SDK
    if kind in {"python", "notebook"}:
        if "langchain" in text or "litellm" in text or "llama_index" in text:
            facts.wrappers.update(_py_wrapper(m) for m in _PY_IMPORT.findall(text.replace('\\"', '"')))
        if _v0_code(text):
            facts.wrappers.add("openai-v0")
    elif kind in {"javascript", "typescript", "tsx"} and "langchain" in text and _JS_IMPORT.search(text):
        facts.wrappers.add("langchain-js")
    if kind == "requirements" or lower_name in _DEP_FILES:
        js = lower_name == "package.json"
        for m in _DEP.findall(text):
            facts.wrappers.add("langchain-js" if js and "langchain" in m.lower() else _py_wrapper(m))
        if not js and _V0_PIN.search(text):
            facts.wrappers.add("openai-v0")
    # the environment the deployment configures
    if b"OPENAI_" in data:
        _settings(facts, source)
        if kind in {"python", "notebook"}:
            for m, n in _names(_PY_ENV_WRITE, text):
                facts.set_env(n, Place(source.path, _line(source, m), "set by code"))
        elif kind in {"javascript", "typescript", "tsx"}:
            for m, n in _names(_JS_ENV_WRITE, text):
                facts.set_env(n, Place(source.path, _line(source, m), "set by code"))
    # organization/project given explicitly in code, headers and curl commands
    if any(t in data for t in _PIN_TRIGGERS):
        _pins(facts, source)


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
    js = source.kind in _JS_KINDS or source.name.endswith((".vue", ".svelte", ".astro"))
    if code and js and ("process.env" in text or "import.meta.env" in text or "Bun.env" in text):
        for block in _DESTRUCTURE.findall(text):
            facts.reads.update(_DESTRUCTURE_NAME.findall(block))
    if source.kind == "python" and "BaseSettings" in text:
        facts.reads.update(_pydantic_names(source))


def _pydantic_names(source: Source) -> set[str]:
    """Fields of pydantic ``BaseSettings`` classes, as the env names pydantic-settings reads."""
    import ast

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


def _settings(facts: RepoFacts, source: Source) -> None:
    from oai_lint.checks.common import is_reference
    from oai_lint.keys import find_keys
    from oai_lint.sources import is_env_template

    template = is_env_template(source.name)
    services = compose_services(source) if source.kind == "yaml" else []
    containers = k8s_containers(source) if source.kind == "yaml" else []
    for s in source.settings:
        if s.context not in DEPLOY_CONTEXTS or (
            not s.name.startswith("OPENAI_") and setting_role(s.name) is None
        ):
            continue
        scope = _scope(source, s.context, s.line, services, containers, facts.root)
        if scope is None:
            continue  # a prebuilt image's environment: not for this repository's code
        value = s.value.strip()
        if not (value or template or is_reference(value)):
            continue
        role = setting_role(s.name)
        if s.name.startswith("OPENAI_") and (s.name in SDK_ENV or ignored_name(s.name) or role):
            facts.set_env(s.name, Place(source.path, s.line, s.name, scope, "api.openai.com" in value))
        if role == "api-key" and value and not is_reference(value) and s.context not in {"k8s-secret"}:
            if value.startswith(PROJECT_KEY_PREFIXES):
                facts.key_scopes.add("project")
            elif any(k.kind in {"legacy", "user (no project)"} for k in find_keys(value)):
                facts.key_scopes.add("other")


@dataclass(frozen=True)
class ComposeService:
    """A compose service's environment block and the code it configures."""
    first_line: int  # of the service's environment block
    last_line: int
    context: str | None  # absolute build context; None: a prebuilt image (someone else's code)


def compose_services(source: Source) -> list[ComposeService]:
    """The ``environment:`` blocks of compose services, and which code each one reaches."""
    import yaml as pyyaml

    from oai_lint.sources.yamlsrc import mapping_get, mapping_items

    out: list[ComposeService] = []
    for doc in source.yaml_docs:
        for _, service in mapping_items(mapping_get(doc.root, "services")):
            env = mapping_get(service, "environment")
            if not isinstance(env, pyyaml.Node):
                continue
            build = mapping_get(service, "build")
            if isinstance(build, pyyaml.MappingNode):
                build = mapping_get(build, "context")
            context: str | None = None
            if isinstance(build, pyyaml.ScalarNode):
                base = os.path.dirname(os.path.abspath(source.abspath))
                context = os.path.normpath(os.path.join(base, str(build.value or ".")))
            elif mapping_get(service, "image") is None:
                context = ""  # neither build nor image (an extends/override file): assume this repository
            out.append(ComposeService(env.start_mark.line + 1, env.end_mark.line + 1, context))
    return out


_SHARED_DOCKER_DIRS = {"docker", ".docker", "deploy", "deployment", "deployments", "build", "ci",
                       "containers", "dockerfiles", "infra", "ops"}
_DOCKERFILES = ("Dockerfile", "Containerfile", "dockerfile")


@dataclass(frozen=True)
class K8sContainer:
    """A Kubernetes container's env block and the image it runs."""
    first_line: int  # of the container's env block
    last_line: int
    image: str


def k8s_containers(source: Source) -> list[K8sContainer]:
    """The ``env:`` blocks of Kubernetes containers, with the image each one runs."""
    import yaml as pyyaml

    from oai_lint.sources.yamlsrc import mapping_get, mapping_items, sequence_items, walk

    out: list[K8sContainer] = []
    for doc in source.yaml_docs:
        for node in walk(doc.root):
            for key, value in mapping_items(node):
                if key.value not in {"containers", "initContainers"}:
                    continue
                for container in sequence_items(value):
                    env = mapping_get(container, "env")
                    image = mapping_get(container, "image")
                    if isinstance(env, pyyaml.Node) and isinstance(image, pyyaml.ScalarNode):
                        out.append(K8sContainer(env.start_mark.line + 1, env.end_mark.line + 1,
                                                str(image.value)))
    return out


def _image_directory(top: str, image: str) -> str:
    """The directory an image is built from, when its name says so: ``registry/acme/api:1.2`` is built
    from ``api/`` (or ``apps/api/``, ``services/api/``, …) if that directory holds a Dockerfile."""
    name = image.rsplit("/", 1)[-1].split("@", 1)[0].split(":", 1)[0]
    if not name or not re.fullmatch(r"[\w.-]+", name):
        return ""
    found = []
    for parent in ("", *_MONOREPO_DIRS):
        candidate = os.path.join(top, parent, name)
        if any(os.path.isfile(os.path.join(candidate, d)) for d in _DOCKERFILES):
            found.append(candidate)
    return found[0] if len(found) == 1 else ""


_MONOREPO_DIRS = ("apps", "services", "packages", "src", "cmd", "components", "projects", "svc")


def _scope(source: Source, context: str, line: int, services: list[ComposeService],
           containers: list[K8sContainer], top: str) -> str | None:
    """The directory whose code a setting reaches ("" for the whole repository; None for none of it)."""
    directory = os.path.dirname(os.path.abspath(source.abspath))
    if context == "k8s-env":
        for c in containers:
            if c.first_line <= line <= c.last_line:
                return _image_directory(top, c.image)
    if context == "env-file":
        return directory
    if context == "dockerfile-env":
        return "" if os.path.basename(directory).lower() in _SHARED_DOCKER_DIRS else directory
    if context == "compose":
        for svc in services:
            if svc.first_line <= line <= svc.last_line:
                return svc.context
    return ""


def _pins(facts: RepoFacts, source: Source) -> None:
    from oai_lint.checks.usage import CODE_KINDS, CURL_KINDS, analyse

    if source.kind not in CODE_KINDS and source.kind not in CURL_KINDS:
        return
    if source.kind in CODE_KINDS and not source.openai_code:
        return  # no OpenAI client or header here ("organization" in prose or other code pins nothing)
    usage = analyse(source)
    for use in usage.uses:
        if use.docs or use.client in {"openai-v3"}:
            continue
        for what, val in (("organization", use.org), ("project", use.project)):
            if val is not None and not val.none:
                facts.code_pins.setdefault(what, Place(source.path, val.line, f"{use.label}: {what}"))
                if val.env:
                    facts.pin_envs.add(val.env)
    for h in usage.headers:
        if h.role in {"organization", "project"} and h.value is not None and not h.value.none:
            if source.kind == "markdown":
                continue
            facts.code_pins.setdefault(h.role, Place(source.path, h.line, f"{h.name} header"))
            if h.value.env:
                facts.pin_envs.add(h.value.env)


__all__ = ["ORG_ENV", "PROJECT_ENV", "Place", "RepoFacts", "for_source", "prime", "repo_root"]
