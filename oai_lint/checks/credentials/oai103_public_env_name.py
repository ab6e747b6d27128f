"""OAI103: the OpenAI key in a variable whose prefix makes the bundler ship it to the browser (``NEXT_PUBLIC_``,
``VITE_``, …)."""

from __future__ import annotations

from collections.abc import Iterator

from oai_lint.analysis.names import is_key_var, public_prefix
from oai_lint.analysis.usage import analyse
from oai_lint.checks import Context, check
from oai_lint.findings import Hit
from oai_lint.lazyre import lazy_compile
from oai_lint.sources import Source

# what people call the key when the name lacks OPENAI or KEY: NEXT_PUBLIC_OPENAI, VITE_OPEN_API_KEY
_KEY_ALIAS = lazy_compile(r"^(?:OPEN_?AI(?:_API)?(?:_KEY|_TOKEN|_SECRET)?|OPEN_?API_(?:KEY|TOKEN|SECRET))$")
_PUBLIC_TRIGGERS = (b"PUBLIC_", b"VITE_", b"REACT_APP_", b"NUXT_ENV_", b"GATSBY_", b"VUE_APP_", b"STORYBOOK_")


# the variable is an OpenAI key's (common.KEY_VAR): its name holds OPENAI


@check("OAI103", kinds={"env", "shell", "dockerfile", "yaml", "javascript", "typescript", "tsx"},
       triggers=_PUBLIC_TRIGGERS)
def public_env_name(source: Source, ctx: Context) -> Iterator[Hit]:
    """An OpenAI key in a variable the front-end bundler inlines into the browser bundle."""
    seen: set[tuple[int, str]] = set()

    def hit(name: str, line: int, col: int, key_slot: bool = False) -> Iterator[Hit]:
        """``key_slot``: the value is given to an OpenAI client as its key (``apiKey:``) or sent as the
        Authorization of an OpenAI request, whatever the variable's name (``NEXT_PUBLIC_OPEN_API_KEY``)."""
        prefix = public_prefix(name)
        if prefix and (key_slot or is_key_var(name) or _KEY_ALIAS.match(name[len(prefix):])) \
                and (line, name) not in seen:
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
    if tree is not None and source.openai_code:
        for use in analyse(source).uses:
            auth = use.header("authorization")
            for val in (use.api_key, auth.value if auth is not None else None):
                if val is not None and val.env and public_prefix(val.env):
                    line_text = source.line_text(val.line)
                    col = line_text.find(val.env) + 1 or val.column
                    yield from hit(val.env, val.line, col, key_slot=True)
    bearer_to_openai = tree is not None and "api.openai.com" in source.text and "Bearer" in source.text
    if tree is not None and ("OPENAI" in source.text or "OPEN_" in source.text or bearer_to_openai):
        for node in tree.find(("member_expression", "subscript_expression")):  # document order, like walk
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
            # `Authorization: \`Bearer ${process.env.NEXT_PUBLIC_X}\`` in a file that calls api.openai.com
            template = node.parent.parent if node.parent is not None else None
            bearer = bearer_to_openai and template is not None and template.type == "template_string" \
                and tree.text(template).startswith("`Bearer ")
            yield from hit(name, line, col, key_slot=bearer)
