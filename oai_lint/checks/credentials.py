"""OAI1xx: hardcoded and exposed OpenAI keys."""

from __future__ import annotations

from collections.abc import Iterator

from oai_lint.analysis.keys import find_encoded_keys, find_keys
from oai_lint.analysis.names import is_key_var, is_placeholder_value, is_reference, is_test_file, public_prefix
from oai_lint.analysis.vocab import JS_KINDS
from oai_lint.checks import Context, check
from oai_lint.findings import Hit
from oai_lint.lazyre import lazy_compile
from oai_lint.sources import Source, is_env_template

_IN_OUTPUT = " (printed in a saved cell output: clear the notebook's outputs too)"


def _notebook_source_lines(source: Source) -> set[int] | None:
    """The .ipynb lines that hold cell sources; a key elsewhere sits in an output or in metadata."""
    if source.kind != "notebook":
        return None
    nb = source.notebook
    if nb is None:
        return None
    return {line for cell in nb.cells for line in cell.file_lines}


@check("OAI101", triggers=(b"T3BlbkFJ",), text_level=True)
def hardcoded_key(source: Source, ctx: Context) -> Iterator[Hit]:
    code_lines = _notebook_source_lines(source)
    for key in find_keys(source.text):
        line, col = source.position(key.start)
        end_line, end_col = source.position(key.end)
        where = "" if code_lines is None or line in code_lines else _IN_OUTPUT
        yield Hit(
            "OAI101", line, col, end_line, end_col,
            params={"kind": key.kind, "redacted": key.redacted, "where": where},
            key=key.redacted, severity=key.severity,
        )


# Base64-encoded keys: Kubernetes Secret data, CI variables, config blobs. Not looked for in Markdown,
# where base64 blobs are images and examples (and a prose scan for "c2st" would cost every doc a pass).
_ENCODED_KINDS = {"yaml", "json", "env", "toml", "ini", "text", "shell", "dockerfile", "notebook", "python",
                  "javascript", "typescript", "tsx", "makefile", "requirements"}


@check("OAI101", kinds=_ENCODED_KINDS, triggers=(b"c2st",), text_level=True)
def encoded_key(source: Source, ctx: Context) -> Iterator[Hit]:
    for start, end, key in find_encoded_keys(source.text):
        line, col = source.position(start)
        end_line, end_col = source.position(end)
        yield Hit(
            "OAI101", line, col, end_line, end_col,
            params={"kind": key.kind, "redacted": key.redacted, "where": " (base64-encoded)"},
            key=key.redacted, severity=key.severity,
        )


_BROWSER_OPTION = lazy_compile(r"""["'`]?dangerouslyAllowBrowser["'`]?\s*:\s*(?!false\b)""")


@check("OAI102", kinds=JS_KINDS, triggers=(b"dangerouslyAllowBrowser",))
def browser_client(source: Source, ctx: Context) -> Iterator[Hit]:
    if is_test_file(source.path):
        return  # vitest/jest under jsdom look like a browser to the SDK; tests are never shipped to one
    # Find the candidates in the text first: bundles that contain the SDK itself mention the option
    # without setting it, and are not worth a parse.
    text = source.text
    candidates = []
    pos = text.find("dangerouslyAllowBrowser")
    while pos != -1:  # the regular expression only where the name occurs (bundles are megabytes long)
        start = pos - 1 if pos and text[pos - 1] in "\"'`" else pos
        if _BROWSER_OPTION.match(text, start):
            candidates.append(start)
        pos = text.find("dangerouslyAllowBrowser", pos + 1)
    tree = source.js if candidates else None
    if tree is None:
        return
    for offset in candidates:
        node = tree.node_at(offset)
        while node is not None and node.type != "pair":
            node = node.parent
        if node is None:
            continue
        value = node.child_by_field_name("value")
        # any value but a literal false (an expression may well be true in the browser)
        if value is None or value.type in {"false", "null"}:
            continue
        line, col = tree.start(node)
        end_line, end_col = tree.end(node)
        yield Hit("OAI102", line, col, end_line, end_col, key="dangerouslyAllowBrowser")


# "PUBLIC_" covers NEXT_PUBLIC_, EXPO_PUBLIC_, NUXT_PUBLIC_ and the like
_PUBLIC_TRIGGERS = (b"PUBLIC_", b"VITE_", b"REACT_APP_", b"NUXT_ENV_", b"GATSBY_", b"VUE_APP_", b"STORYBOOK_")


# the variable is an OpenAI key's (common.KEY_VAR): its name holds OPENAI
@check("OAI103", kinds={"env", "shell", "dockerfile", "yaml", "javascript", "typescript", "tsx"},
       triggers=_PUBLIC_TRIGGERS, requires=b"OPENAI")
def public_env_name(source: Source, ctx: Context) -> Iterator[Hit]:
    """An OpenAI key in a variable the front-end bundler inlines into the browser bundle."""
    seen: set[tuple[int, str]] = set()

    def hit(name: str, line: int, col: int) -> Iterator[Hit]:
        prefix = public_prefix(name)
        if prefix and is_key_var(name) and (line, name) not in seen:
            seen.add((line, name))
            yield Hit("OAI103", line, col, line, col + len(name),
                      params={"name": name, "prefix": prefix}, key=name)

    for setting in source.settings:
        # a template (`.env.example`) with the name and no value still tells everyone who copies it to put
        # the key there: the name is the problem, whatever the value
        line_text = source.line_text(setting.line)
        col = line_text.find(setting.name) + 1 or 1
        yield from hit(setting.name, setting.line, col)
    tree = source.js
    if tree is not None:
        for node in tree.walk({"member_expression", "subscript_expression"}):
            obj = node.child_by_field_name("object")
            if obj is None:
                continue
            if tree.text(obj).replace(" ", "") not in {"process.env", "import.meta.env"}:
                continue
            prop = node.child_by_field_name("property") or node.child_by_field_name("index")
            if prop is None:
                continue
            name = tree.text(prop).strip("\"'`")
            line, col = tree.start(prop)
            yield from hit(name, line, col)


_DEPLOY_CONTEXTS = {
    "workflow-env": "a GitHub Actions workflow `env:`",
    "compose": "a compose file `environment:`",
    "k8s-env": "a Kubernetes `env[].value`",
    "k8s-configmap": "a Kubernetes ConfigMap",
    "k8s-configmap-string": "a Kubernetes ConfigMap",
    "gitlab-ci": "GitLab CI `variables:`",
}


def _is_key_literal(value: str) -> bool:
    return any(True for _ in find_keys(value))


@check("OAI104", kinds={"yaml"}, triggers=(b"OPENAI", b"openai"))
def key_in_deploy_config(source: Source, ctx: Context) -> Iterator[Hit]:
    """The key given as a plain value in CI or deploy config (a recognised key literal is OAI101)."""
    for s in source.settings:
        if s.context not in _DEPLOY_CONTEXTS or not is_key_var(s.name):
            continue
        configmap = s.context.startswith("k8s-configmap")
        if not configmap and (is_placeholder_value(s.value) or _is_key_literal(s.value)):
            continue
        if configmap and (not s.value.strip() or _is_key_literal(s.value)):
            continue
        yield Hit("OAI104", s.line, s.column, s.line, s.column + len(s.value),
                  params={"name": s.name, "where": _DEPLOY_CONTEXTS[s.context]}, key=s.name)


@check("OAI105", kinds={"dockerfile"}, triggers=(b"OPENAI", b"openai"))
def key_in_image(source: Source, ctx: Context) -> Iterator[Hit]:
    """``ENV``/``ARG`` with the key: it is stored in the image's layers and history."""
    for s in source.settings:
        if not is_key_var(s.name) or _is_key_literal(s.value):
            continue
        instr = "ENV" if s.context == "dockerfile-env" else "ARG"
        value = s.value.strip().strip("\"'")
        if instr == "ENV" and not is_reference(value) and is_placeholder_value(value):
            continue  # `ENV OPENAI_API_KEY=""` declares the variable; the run time sets it. An ARG, even
            # without a default, is filled with --build-arg and kept in the image history.
        yield Hit("OAI105", s.line, s.column, s.line, s.column + len(s.name),
                  params={"name": s.name, "instruction": instr}, key=f"{instr} {s.name}")


@check("OAI106", kinds={"env"}, triggers=(b"OPENAI", b"openai"))
def committed_env_file(source: Source, ctx: Context) -> Iterator[Hit]:
    """A .env file that sets the key and is not git-ignored (it is, or will be, committed)."""
    if is_env_template(source.name):
        return
    entries = [e for e in source.env_entries if is_key_var(e.name) and not is_placeholder_value(e.value)]
    if not entries or ctx.git_ignored(source.abspath) is not False:
        return
    for e in source.env_entries:
        if is_key_var(e.name) and not is_placeholder_value(e.value):
            yield Hit("OAI106", e.line, e.column, e.line, e.column + len(e.name),
                      params={"name": e.name, "file": source.name}, key=e.name)
            return
