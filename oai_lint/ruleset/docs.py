"""``oai-lint rule ID``: a rule's documentation, rendered from its YAML file (as ``ruff rule`` does)."""

from __future__ import annotations

from oai_lint.analysis.keys import find_encoded_keys, redact_text
from oai_lint.ruleset.load import Example, Rule

_LANG = {"py": "python", "ipynb": "json", "js": "js", "jsx": "jsx", "ts": "ts", "tsx": "tsx", "yml": "yaml",
         "yaml": "yaml", "json": "json", "toml": "toml", "sh": "sh", "md": "markdown", "env": "sh"}


def redact_examples(code: str) -> str:
    """An example with its keys redacted (``sk-proj-…Xa9Q``; base64-encoded ones too): the docs are
    printed, pasted and committed, and other secret scanners would flag a full key-shaped string."""
    spans = [(start, end, f"<base64 of {key.redacted}>") for start, end, key in find_encoded_keys(code)]
    if spans:
        out, last = [], 0
        for start, end, text in spans:
            if start >= last:
                out += [code[last:start], text]
                last = end
        code = "".join(out) + code[last:]
    return redact_text(code)


def _block(path: str, code: str) -> str:
    code = redact_examples(code)
    name = path.rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    lang = _LANG.get(ext, "dockerfile" if name.lower().startswith("dockerfile") else "")
    return f"`{path}`:\n```{lang}\n{code.rstrip()}\n```"


def _fence(ex: Example) -> str:
    parts = [_block(ex.path, ex.code)]
    if ex.config:
        settings = ", ".join(f"`{k} = {str(v).lower() if isinstance(v, bool) else v}`"
                             for k, v in ex.config.items())
        parts.append(f"with {settings} in the configuration")
    for path, code in ex.files.items():
        parts.append("elsewhere in the repository, " + _block(path, code))
    return "\n\n".join(parts)


def render(rule: Rule) -> str:
    parts = [
        f"# {rule.title} ({rule.id})",
        f"Rule `{rule.id}` `{rule.name}` · family {rule.family} · default severity {rule.severity}"
        f" · scope {rule.scope} · automatic fix: {rule.autofix_kind or 'none'}",
        "## What it does",
        rule.description,
        "## Why is this bad?",
        rule.why,
    ]
    if rule.bad:
        parts += ["## Example", "\n\n".join(_fence(e) for e in rule.bad)]
    if rule.good:
        parts += ["## Use instead", "\n\n".join(_fence(e) for e in rule.good)]
    parts += ["## Fix", rule.fix, "## Automatic fix", _autofix(rule)]
    if rule.notes:
        parts += ["## Notes", rule.notes]
    parts += ["## References", f"- {rule.doc_url}"]
    if rule.see_also:
        parts.append("See also: " + ", ".join(rule.see_also))
    return redact_text("\n\n".join(parts)) + "\n"


def _autofix(rule: Rule) -> str:
    if not rule.autofix_kind:
        return "None: `oai-lint --fix` leaves this rule's findings to you."
    how = {
        "safe": "Safe (the program's meaning is unchanged): applied by `oai-lint --fix`.",
        "unsafe": "Unsafe (behaviour changes): applied only by `oai-lint --fix --unsafe-fixes`; review it with "
                  "`--diff` first.",
        "safe-and-unsafe": "Safe parts are applied by `oai-lint --fix`, the parts that change behaviour only by "
                           "`oai-lint --fix --unsafe-fixes`; review them with `--diff` first.",
    }[rule.autofix_kind]
    return f"{how} {rule.autofix_what}"
