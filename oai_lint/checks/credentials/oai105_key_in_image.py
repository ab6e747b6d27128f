"""OAI105: the OpenAI key baked into a Docker image: an ``ENV`` given the key from a build ``ARG``, an ``ARG``
of the key that a ``RUN`` uses, a ``RUN`` that writes the key into a file of a layer; a placeholder ``ENV``
(low severity: the real key tends to be pasted in its place)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from oai_lint.analysis.keys import is_key_literal
from oai_lint.analysis.names import is_key_var, is_placeholder_value, is_reference
from oai_lint.checks import Context, check
from oai_lint.findings import Hit
from oai_lint.sources import Source

_STORES = "stores the OpenAI key in the image"
_PLACEHOLDER = ("bakes a placeholder for the OpenAI key into the image, inviting the real key in its place "
                "(pass it at run time: `docker run -e OPENAI_API_KEY`, compose `${OPENAI_API_KEY}`)")
_REF = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")
# a shell command that writes text into a file: echo/printf ... > file, >> file, | tee file
_WRITES = re.compile(r"(?:^|[;&|]\s*)(?:echo|printf)\b[^;&|]*?(?:>>?|\|\s*tee\b)")


def _refs(value: str) -> set[str]:
    return {m.group(1) for m in _REF.finditer(value)}


@check("OAI105", kinds={"dockerfile"}, triggers=(b"OPENAI", b"openai"))
def key_in_image(source: Source, ctx: Context) -> Iterator[Hit]:
    """Where the key's value ends up in a layer, the image configuration or its history."""
    args: dict[str, int] = {}  # build ARGs declared so far (name -> line), in the current stage
    consumed: set[str] = set()  # ARGs whose value an ENV (reported there) or a RUN (reported there) takes
    arg_hits: dict[str, Hit] = {}
    hits: list[Hit] = []
    for ins in source.docker_instructions:
        if ins.keyword == "FROM":
            args = {}  # an ARG is scoped to its build stage
            continue
        if ins.keyword == "ARG":
            for name, _value, line in ins.pairs:
                args[name] = line
                if is_key_var(name) and name not in arg_hits:
                    col = max(source.line_text(line).find(name) + 1, 1)
                    arg_hits[name] = Hit("OAI105", line, col, line, col + len(name),
                                         params={"name": name, "instruction": "ARG", "problem": _STORES},
                                         key=f"ARG {name}")
            continue
        if ins.keyword == "ENV":
            for name, value, line in ins.pairs:
                if not is_key_var(name) or is_key_literal(value):
                    continue  # a key literal is OAI101's
                col = max(source.line_text(line).find(name) + 1, 1)
                raw = value.strip().strip("\"'")
                if is_reference(raw) or _refs(raw):
                    from_args = _refs(raw) & set(args)
                    if not from_args:
                        continue  # `ENV X=$X` with no ARG X expands to nothing: no key is baked
                    consumed |= from_args
                    hits.append(Hit("OAI105", line, col, line, col + len(name),
                                    params={"name": name, "instruction": "ENV", "problem": _STORES},
                                    key=f"ENV {name}"))
                elif not raw:
                    continue  # `ENV OPENAI_API_KEY=""` declares the variable; the run time sets it
                elif is_placeholder_value(raw):
                    hits.append(Hit("OAI105", line, col, line, col + len(name),
                                    params={"name": name, "instruction": "ENV", "problem": _PLACEHOLDER},
                                    key=f"ENV {name}:placeholder", severity="low"))
                else:
                    hits.append(Hit("OAI105", line, col, line, col + len(name),
                                    params={"name": name, "instruction": "ENV", "problem": _STORES},
                                    key=f"ENV {name}"))
            continue
        if ins.keyword == "RUN" and "--mount=type=secret" not in ins.args:
            used = {n for n in _refs(ins.args) if n in args and is_key_var(n)}
            if used and _WRITES.search(ins.args):
                for name in sorted(used):
                    line = ins.line
                    col = max(source.line_text(line).find("RUN") + 1, 1)
                    consumed.add(name)
                    hits.append(Hit("OAI105", line, col, line, col + 3,
                                    params={"name": name, "instruction": "RUN writing", "problem":
                                            "into a file stores the OpenAI key in a layer of the image"},
                                    key=f"RUN {name}"))
    for name, hit in arg_hits.items():
        if name not in consumed:
            hits.append(hit)  # an ARG of the key: kept in the build history of every RUN that follows
    yield from hits
