"""Usage in JS/TS: openai-node, the Vercel AI SDK and LangChain.js clients, fetch/axios requests, with the
values of their options and headers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from oai_lint.analysis.ids import ORG_ENV, PROJECT_ENV, header_role
from oai_lint.analysis.usage.model import FileUsage, Header, Use, Val, admin_url
from oai_lint.analysis.vocab import (
    BASE_ENV,
    OPENAI_HOST,
)

if TYPE_CHECKING:
    from oai_lint.sources import Source
    from oai_lint.sources.javascript import JsTree


_JS_FETCH = {"fetch", "window.fetch", "globalThis.fetch", "self.fetch", "global.fetch"}
_AXIOS_DATA = {"post", "put", "patch"}
_AXIOS_NO_DATA = {"get", "delete", "head", "options"}
_JS_CLIENT_OPTIONS = {"organization": "org", "project": "project", "apiKey": "api_key",
                      "baseURL": "base_url"}
_ENV_OBJECTS = {"process.env", "import.meta.env", "Bun.env", "env", "Astro.env", "context.env", "c.env"}


class JsUsage:
    """The clients, raw requests and header literals of one JS/TS file, added to a FileUsage."""

    def __init__(self, source: Source, tree: JsTree, out: FileUsage) -> None:
        self.source = source
        self.t = tree
        self.out = out
        self.imports: dict[str, tuple[str, str]] = {}
        self.consts: dict[str, Any] = {}
        self.duplicate: set[str] = set()
        self.axios_defaults = "axios.defaults" in source.text

    def pos(self, node: Any) -> tuple[int, int, int, int]:
        line, col = self.t.start(node)
        end_line, end_col = self.t.end(node)
        return line, col, end_line, end_col

    def run(self, clients: bool = True, raw: bool = True, headers: bool = True) -> None:
        types: set[str] = set()
        if clients or raw:
            types |= {"variable_declarator", "new_expression", "call_expression"}
            self.imports = self.t.imports()
        if clients:
            types.add("import_specifier")
        if headers:
            types.add("pair")
        nodes = self.t.find(types)
        self._declarations(n for n in nodes if n.type == "variable_declarator")
        for node in nodes:
            if node.type == "pair":
                self._header_pair(node)
            elif node.type == "import_specifier":
                self._provider_import(node)
            elif node.type in {"new_expression", "call_expression"}:
                self._construct(node)

    # -- imports and constants ------------------------------------------------------------------------
    def _declarations(self, nodes: Iterator[Any]) -> None:
        t = self.t
        for node in nodes:
            name = node.child_by_field_name("name")
            value = node.child_by_field_name("value")
            if name is None or value is None:
                continue
            if self._require(value):
                continue
            if name.type == "identifier":
                ident = t.text(name)
                if ident in self.consts:
                    self.duplicate.add(ident)
                self.consts[ident] = value

    def _require(self, node: Any) -> bool:
        """Whether a declared value is ``require("module")`` (an import: see ``JsTree.imports``)."""
        while node is not None and node.type in {"await_expression", "parenthesized_expression"}:
            node = node.named_children[0] if node.named_children else None
        if node is None or node.type != "call_expression" or self.t.callee_name(node) != "require":
            return False
        args = self.t.arguments(node)
        return bool(args) and self.t.string_value(args[0]) is not None

    def _const(self, node: Any) -> Any:
        if node is not None and node.type in {"identifier", "shorthand_property_identifier"}:
            name = self.t.text(node)
            if name in self.consts and name not in self.duplicate:
                return self.consts[name]
        return None

    def resolve(self, callee: str) -> tuple[str, str] | None:
        head, _, rest = callee.partition(".")
        if head not in self.imports:
            return None
        module, name = self.imports[head]
        if rest:
            return (module, rest) if name in {"*", "default"} else None
        return module, name

    # -- values ---------------------------------------------------------------------------------------------
    def env_member(self, node: Any) -> str | None:
        t = self.t
        if node.type == "member_expression":
            obj = node.child_by_field_name("object")
            prop = node.child_by_field_name("property")
            if obj is not None and prop is not None and t.text(obj).replace(" ", "") in _ENV_OBJECTS:
                return t.text(prop)
        if node.type == "subscript_expression":
            obj = node.child_by_field_name("object")
            idx = node.child_by_field_name("index")
            if obj is not None and t.text(obj).replace(" ", "") in _ENV_OBJECTS:
                return t.string_value(idx)
        if node.type == "call_expression" and (t.callee_name(node) or "").endswith(".env.get"):
            args = t.arguments(node)
            return t.string_value(args[0]) if args else None
        return None

    def val(self, node: Any) -> Val:
        t = self.t
        pos = self.pos(node)
        while node.type in {"parenthesized_expression", "as_expression", "non_null_expression",
                            "satisfies_expression"} and node.named_children:
            node = node.named_children[0]
        if node.type in {"null", "undefined"} or (node.type == "identifier" and t.text(node) == "undefined"):
            return Val(*pos, none=True)
        text = t.string_value(node)
        if text is not None:
            return Val(*pos, text=text, exact=True)
        if node.type == "template_string":
            raw = t.text(node)[1:]
            head = raw.split("${", 1)[0]
            env = None
            for sub in node.named_children:
                if sub.type == "template_substitution" and sub.named_children:
                    env = self.env_member(sub.named_children[0])
                    break
            return Val(*pos, text=head, env=env)
        env = self.env_member(node)
        if env is not None:
            return Val(*pos, env=env)
        if node.type == "binary_expression":
            op = node.child_by_field_name("operator")
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and right is not None and op is not None:
                lv, rv = self.val(left), self.val(right)
                if t.text(op) in {"??", "||"}:
                    return Val(*pos, text=rv.text, exact=rv.exact, env=lv.env, name=lv.name)
                if t.text(op) == "+":
                    return Val(*pos, text=lv.text, env=lv.env or rv.env, name=None if lv.text else rv.name)
        if node.type in {"identifier", "member_expression", "shorthand_property_identifier"}:
            const = self._const(node) if node.type == "identifier" else None
            if const is not None and t.string_value(const) is not None:
                return Val(*pos, text=t.string_value(const), exact=True)
            return Val(*pos, name=t.text(node))
        return Val(*pos)

    def obj(self, node: Any, depth: int = 0) -> tuple[dict[str, Any], bool] | None:
        """An object literal's properties (following one const indirection): (props, fully known)."""
        if node is None or depth > 3:
            return None
        if node.type in {"identifier", "shorthand_property_identifier"}:
            return self.obj(self._const(node), depth + 1)
        while node.type in {"parenthesized_expression", "as_expression", "satisfies_expression"} and \
                node.named_children:
            node = node.named_children[0]
        if node.type == "new_expression" and self.t.callee_name(node) == "Headers":
            args = self.t.arguments(node)
            return self.obj(args[0], depth + 1) if args else ({}, True)
        if node.type != "object":
            return None
        return self.t.object_entries(node)

    def headers(self, node: Any) -> tuple[list[Header], bool] | None:
        got = self.obj(node)
        if got is None:
            return None
        props, known = got
        out = []
        for name, (key, value) in props.items():
            line, col, _, end_col = self.pos(key)
            out.append(Header(name, header_role(name) or "", self.val(value), line, col, end_col))
        return out, known

    def fragments(self, node: Any, depth: int = 0) -> list[str]:
        if node is None or depth > 4:
            return []
        t = self.t
        text = t.string_value(node)
        if text is not None:
            return [text]
        if node.type == "identifier":
            return self.fragments(self._const(node), depth + 1)
        out: list[str] = []
        if node.type == "template_string":
            for child in node.named_children:
                if child.type == "string_fragment":
                    out.append(t.text(child))
                elif child.type == "template_substitution":
                    for sub in child.named_children:
                        out += self.fragments(sub, depth + 1)
        elif node.type == "binary_expression":
            for side in ("left", "right"):
                out += self.fragments(node.child_by_field_name(side), depth + 1)
        elif node.type == "new_expression" and t.callee_name(node) == "URL":
            for arg in t.arguments(node):
                out += self.fragments(arg, depth + 1)
        return out

    # -- the walk -------------------------------------------------------------------------------------------
    def _header_pair(self, pair: Any) -> None:
        key = pair.child_by_field_name("key")
        value = pair.child_by_field_name("value")
        if key is None or value is None or key.type != "string":
            return
        name = self.t.string_value(key) or ""
        role = header_role(name)
        if role and role != "authorization":
            line, col, _, end_col = self.pos(key)
            self.out.headers.append(Header(name, role, self.val(value), line, col, end_col))

    def _provider_import(self, spec: Any) -> None:
        """``import { openai } from "@ai-sdk/openai"``: the default Vercel AI SDK provider (no options)."""
        stmt = spec.parent
        while stmt is not None and stmt.type != "import_statement":
            stmt = stmt.parent
        if stmt is None or self.t.string_value(stmt.child_by_field_name("source")) != "@ai-sdk/openai":
            return
        name = spec.child_by_field_name("name")
        if name is None or self.t.text(name) != "openai":
            return
        if self.t.text(stmt).startswith("import type") or "type" in self.t.text(spec).split():
            return
        self.out.uses.append(Use("vercel", "the default `openai` provider of @ai-sdk/openai",
                                 *self.pos(spec), base_env=(BASE_ENV,)))

    def _construct(self, node: Any) -> None:
        t = self.t
        callee = t.callee_name(node)
        if callee is None:
            return
        target = self.resolve(callee)
        if target is None and node.type == "new_expression":
            return
        args = t.arguments(node)
        if target is not None:
            pos = self.pos(node)
            module, name = target
            if module == "openai" and node.type == "new_expression" and name in {"default", "*", "OpenAI"}:
                use = Use("openai", "new OpenAI()", *pos, org_env=(ORG_ENV,), project_env=(PROJECT_ENV,),
                          base_env=(BASE_ENV,))
                self._js_options(use, args, _JS_CLIENT_OPTIONS, "defaultHeaders")
                self.out.uses.append(use)
                return
            if module == "openai" and name == "Configuration":
                use = Use("openai-v3", "new Configuration()", *pos)
                self._js_options(use, args, {"organization": "org", "apiKey": "api_key"}, None)
                self.out.uses.append(use)
                return
            if module == "@ai-sdk/openai" and name == "createOpenAI":
                use = Use("vercel", "createOpenAI()", *pos, base_env=(BASE_ENV,))
                if args:
                    self._js_options(use, args, _JS_CLIENT_OPTIONS, "headers")
                self.out.uses.append(use)
                return
            if (module == "@langchain/openai" or module.startswith("langchain/")) and \
                    name in {"ChatOpenAI", "OpenAIEmbeddings", "OpenAI"} and node.type == "new_expression":
                use = Use("langchain-js", f"new {name}()", *pos, org_env=("OPENAI_ORGANIZATION", ORG_ENV),
                          project_env=(PROJECT_ENV,))
                self._langchain_options(use, args)
                self.out.uses.append(use)
                return
        if node.type == "call_expression":
            self._raw(node, callee, args)

    def _js_options(self, use: Use, args: list[Any], names: dict[str, str], headers: str | None) -> None:
        if args:
            self._options(use, args[0], names, headers)

    def _langchain_options(self, use: Use, args: list[Any]) -> None:
        if not args:
            return
        props = self._options(use, args[0], {"apiKey": "api_key", "openAIApiKey": "api_key"}, None)
        if props is not None and "configuration" in props:  # the options of the OpenAI client it makes
            self._options(use, props["configuration"][1], {"organization": "org", "project": "project",
                                                           "baseURL": "base_url"}, "defaultHeaders")

    def _options(self, use: Use, node: Any, names: dict[str, str],
                 headers: str | None) -> dict[str, Any] | None:
        """Set on ``use`` the options an object literal gives (``names``: property -> attribute; ``headers``:
        the property holding headers); its properties, or None when it is not a literal we can read."""
        got = self.obj(node)
        if got is None:
            use.known = False
            return None
        props, known = got
        use.known = use.known and known
        for prop, attr in names.items():
            if prop in props:
                setattr(use, attr, self.val(props[prop][1]))
        if headers and headers in props:
            hs = self.headers(props[headers][1])
            if hs is None:
                use.known = False
            else:
                use.headers = hs[0]
                use.known = use.known and hs[1]
        return props

    def _raw(self, node: Any, callee: str, args: list[Any]) -> None:
        url: Any = None
        options: Any = None
        presence = True
        if callee in _JS_FETCH:
            url = args[0] if args else None
            options = args[1] if len(args) > 1 else None
        elif callee.startswith("axios"):
            method = callee[len("axios."):] if callee.startswith("axios.") else ""
            presence = not self.axios_defaults
            if method in _AXIOS_DATA:
                url = args[0] if args else None
                options = args[2] if len(args) > 2 else None
            elif method in _AXIOS_NO_DATA:
                url = args[0] if args else None
                options = args[1] if len(args) > 1 else None
            elif method in {"", "request"}:
                if args and args[0].type in {"string", "template_string", "identifier", "binary_expression"} \
                        and self.obj(args[0]) is None:
                    url = args[0]
                    options = args[1] if len(args) > 1 else None
                elif args:
                    options = args[0]
                    got = self.obj(options)
                    url = got[0]["url"][1] if got and "url" in got[0] else None
            else:
                return
        else:
            return
        fragments = self.fragments(url) if url is not None else []
        if not any(OPENAI_HOST in f for f in fragments):
            return
        use = Use("raw", f"{callee}()", *self.pos(node), raw=True, admin=admin_url(fragments))
        if options is None:
            use.known = True
        else:
            got = self.obj(options)
            if got is None:
                use.known = False
            else:
                props, known = got
                if "headers" in props:
                    hs = self.headers(props["headers"][1])
                    if hs is None:
                        use.known = False
                    else:
                        use.headers = hs[0]
                        use.known = hs[1] and known
                else:
                    use.known = known
                use.auth_option = "auth" in props
        use.presence_known = use.known and presence
        self.out.uses.append(use)
