"""One import table for JS/TS (JsTree.imports), read by the flow analysis and the usage analysis alike: the
two copies it replaced disagreed (only one saw ``require`` through ``await``/parentheses, only one took the
quotes off ``import {"name" as x}``), so a v3 client imported one way was legacy SDK use for one check and
not for another."""

from __future__ import annotations

from oai_lint.analysis.jsflow.clients import JsClients
from oai_lint.analysis.usage.javascript import JsUsage
from oai_lint.analysis.usage.model import FileUsage
from oai_lint.checks import Context
from oai_lint.engine import Scanner, Settings
from oai_lint.sources import Source

FORMS = (
    'import OpenAI, * as ns from "openai";\n'
    'import { "OpenAIApi" as Api, Configuration as Conf } from "openai";\n'
    'const { toFile, ChatOpenAI: Chat } = await require("@langchain/openai");\n'
    'const axios = (require("axios"));\n'
    'const got = await (require("got"));\n'
    'const local = require(name);\n'
)


def test_every_import_form_is_in_the_table() -> None:
    src = Source("app.mjs", FORMS)
    assert src.js is not None
    assert src.js.imports() == {
        "OpenAI": ("openai", "default"),
        "ns": ("openai", "*"),
        "Api": ("openai", "OpenAIApi"),
        "Conf": ("openai", "Configuration"),
        "toFile": ("@langchain/openai", "toFile"),
        "Chat": ("@langchain/openai", "ChatOpenAI"),
        "axios": ("axios", "*"),
        "got": ("got", "*"),
    }


def test_flow_and_usage_read_the_same_table() -> None:
    src = Source("app.mjs", FORMS + "const client = new Chat({ apiKey: 'x' });\n")
    assert src.js is not None
    usage = JsUsage(src, src.js, FileUsage())
    usage.run()
    assert JsClients(src.js).imports == usage.imports == src.js.imports()
    assert [u.client for u in usage.out.uses] == ["langchain-js"]


def _rules(name: str, code: str) -> list[tuple[str, int]]:
    result = Scanner(Settings(), Context(root=".")).scan_source(Source(name, code))
    return sorted((f.rule_id, f.line) for f in result.findings)


def test_a_v3_client_required_with_await_is_legacy_use() -> None:
    code = (
        'const { Configuration, OpenAIApi } = await require("openai");\n'
        "const openai = new OpenAIApi(new Configuration({}));\n"
        'openai.createCompletion({ model: "m" });\n'
    )
    assert ("OAI404", 3) in _rules("app.mjs", code)


def test_a_v3_client_imported_under_a_quoted_name_is_legacy_use() -> None:
    code = (
        'import { "OpenAIApi" as Api } from "openai";\n'
        "const openai = new Api({});\n"
        'openai.createCompletion({ model: "m" });\n'
    )
    assert _rules("app.mjs", code) == [("OAI404", 2), ("OAI404", 3)]
