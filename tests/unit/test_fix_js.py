"""JavaScript/TypeScript fixes (tree-sitter byte ranges): openai-node v3 → current, models, keys, retries."""

from __future__ import annotations

import textwrap

from oai_lint.fix.js_fix import fix_js, js_parses
from oai_lint.fix.model import Target
from oai_lint.fix.replacements import live_replacement
from tests.support.keygen import make_key


def fix(code: str, targets: list[tuple[str, int]], path: str = "app.js", unsafe: bool = True
        ) -> tuple[str, list, list[str]]:  # type: ignore[type-arg]
    src = textwrap.dedent(code)
    new, fixed, notes = fix_js(src, [Target(r, line, 1) for r, line in targets], unsafe, path)
    assert js_parses(new, path)
    return new, fixed, notes


CJS = """\
    const { Configuration, OpenAIApi } = require("openai");

    const configuration = new Configuration({
      apiKey: process.env.OPENAI_API_KEY,
      organization: "org-abc",
      basePath: "https://gateway.example/v1",
    });
    const openai = new OpenAIApi(configuration);

    async function reply(messages) {
      try {
        const res = await openai.createChatCompletion({ model: "gpt-4o-mini", messages });
        return res.data.choices[0].message;
      } catch (err) {
        if (err.response) {
          console.error(err.response.status, err.response.data);
        }
        throw err;
      }
    }
    """


def test_commonjs_v3_becomes_a_client() -> None:
    new, fixed, notes = fix(CJS, [("OAI404", 3), ("OAI404", 8), ("OAI404", 12)])
    assert new.startswith('const OpenAI = require("openai");\n')
    assert "new Configuration" not in new and "const configuration" not in new
    assert ('const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, organization: "org-abc", '
            'baseURL: "https://gateway.example/v1" });') in new
    assert "await openai.chat.completions.create({" in new
    assert "return res.choices[0].message;" in new
    assert "if (err.status) {" in new and "console.error(err.status, ({ error: err.error }));" in new
    assert len(fixed) == 3 and not notes


def test_esm_v3_with_destructured_data() -> None:
    new, _, _ = fix("""\
        import { Configuration, OpenAIApi } from "openai";
        const openai = new OpenAIApi(new Configuration({ apiKey: process.env.OPENAI_API_KEY }));
        const { data } = await openai.createEmbedding({ model: "text-embedding-3-small", input: "x" });
        console.log(data.data[0].embedding);
        """, [("OAI404", 2), ("OAI404", 3)], path="app.mjs")
    assert new.startswith('import OpenAI from "openai";\n')
    assert "const data = await openai.embeddings.create(" in new
    assert "data.data[0].embedding" in new  # the body's own data field stays


def test_then_and_catch_chains() -> None:
    new, _, _ = fix("""\
        const { Configuration, OpenAIApi } = require("openai");
        const openai = new OpenAIApi(new Configuration());
        openai.createCompletion({ model: "m", prompt: "p" })
          .then((r) => console.log(r.data.choices[0].text))
          .catch((e) => console.log(e.response.status));
        """, [("OAI404", 2), ("OAI404", 3)])
    assert "const openai = new OpenAI();" in new
    assert "openai.completions.create(" in new
    assert "r.choices[0].text" in new and "e.status" in new


def test_v3_types_get_their_current_names() -> None:
    new, _, notes = fix("""\
        import { Configuration, OpenAIApi, ChatCompletionRequestMessage } from "openai";
        import type { CreateChatCompletionResponse } from "openai";

        const openai = new OpenAIApi(new Configuration({ apiKey: process.env.OPENAI_API_KEY }));
        const history: ChatCompletionRequestMessage[] = [];

        export async function reply(): Promise<CreateChatCompletionResponse> {
          const res = await openai.createChatCompletion({ model: "m", messages: history });
          return res.data;
        }
        """, [("OAI404", 1), ("OAI404", 4), ("OAI404", 8)], path="a.ts")
    assert new.startswith('import OpenAI from "openai";\n\nconst openai = new OpenAI(')
    assert "const history: OpenAI.ChatCompletionMessageParam[] = [];" in new
    assert "Promise<OpenAI.ChatCompletion>" in new and "return res;" in new and not notes


def test_v3_enums_or_request_options_are_left_alone() -> None:
    code = """\
        import { Configuration, OpenAIApi, ChatCompletionRequestMessageRoleEnum } from "openai";
        const openai = new OpenAIApi(new Configuration({ apiKey: "k" }));
        const role = ChatCompletionRequestMessageRoleEnum.User;
        """
    new, fixed, notes = fix(code, [("OAI404", 2)], path="a.ts")
    assert new == textwrap.dedent(code) and not fixed and "types" in notes[0]
    new, _, notes = fix("""\
        const { Configuration, OpenAIApi } = require("openai");
        const openai = new OpenAIApi(new Configuration({}));
        openai.createChatCompletion({ model: "m", messages: [] }, { timeout: 5 });
        """, [("OAI404", 2), ("OAI404", 3)])
    assert "createChatCompletion(" in new and any("request options" in n for n in notes)


def test_unknown_configuration_option_is_left_alone() -> None:
    code = """\
        const { Configuration, OpenAIApi } = require("openai");
        const openai = new OpenAIApi(new Configuration({ baseOptions: { headers: {} } }));
        """
    new, fixed, notes = fix(code, [("OAI404", 2)])
    assert "new OpenAIApi" in new and not [f for f in fixed if "OpenAIApi" in f.description] and notes


def test_model_key_and_retries() -> None:
    key = make_key("proj56")
    new, fixed, _ = fix(f"""\
        import OpenAI from "openai";
        const client = new OpenAI({{ apiKey: "{key}", maxRetries: 0, timeout: 5 }});
        export const MODEL = "text-davinci-003";
        """, [("OAI101", 2), ("OAI301", 2), ("OAI405", 3)], path="cfg.ts")
    assert key not in new
    assert "new OpenAI({ apiKey: process.env.OPENAI_API_KEY, timeout: 5 })" in new
    repl = live_replacement("text-davinci-003")  # oai-lint: ignore[OAI405] a shut-down model on purpose
    assert f'MODEL = "{repl}"' in new
    assert {f.rule_id for f in fixed} == {"OAI101", "OAI301", "OAI405"}


def test_nothing_without_unsafe_fixes() -> None:
    assert fix(CJS, [("OAI404", 8)], unsafe=False)[0] == textwrap.dedent(CJS)


def test_only_then_callbacks_that_receive_a_response_lose_data() -> None:
    new, _, _ = fix("""\
        const { Configuration, OpenAIApi } = require("openai");
        const openai = new OpenAIApi(new Configuration());
        openai.createChatCompletion({ model: "m", messages: [] })
          .then((r) => { console.log(r.data.id); return "text"; })
          .then((s) => console.log(s.data))
          .then(() => openai.createImage({ prompt: "p" }))
          .then((img) => console.log(img.data.data[0].url));
        """, [("OAI404", 2), ("OAI404", 3), ("OAI404", 6)])
    assert "console.log(r.id)" in new and "console.log(s.data)" in new and "img.data[0].url" in new


def test_positional_v3_methods_become_request_bodies() -> None:
    new, _, notes = fix("""\
        const fs = require("fs");
        const { Configuration, OpenAIApi } = require("openai");
        const openai = new OpenAIApi(new Configuration());
        async function main() {
          const t = await openai.createTranscription(fs.createReadStream("a.mp3"), "whisper-1", undefined, "json");
          console.log(t.data.text);
        }
        """, [("OAI404", 3), ("OAI404", 5)])
    assert ('await openai.audio.transcriptions.create({ file: fs.createReadStream("a.mp3"), model: "whisper-1", '
            'response_format: "json" });') in new
    assert "console.log(t.text);" in new and not notes
