"""JavaScript/TypeScript sources and minified bundles."""

from __future__ import annotations

import base64
import re
import string

from gen.base import GeneratorBase
from gen.shape import BUNDLE_MB, MB, MODELS, NOUNS, OPENAI_SHARE, VERBS, lognormal_sizes, normalized, rand_str


class JsFiles(GeneratorBase):
    def js_openai(self, ext: str) -> tuple[str, str | None, str]:
        r = self.rng
        key = self.keys.take("ts_proj", long_form=True) if ext != "js" else None
        variant = 0 if key else r.randrange(5)
        fn = r.choice(VERBS) + r.choice(NOUNS).capitalize()
        if variant == 0:
            opts = (
                f'apiKey: "{key}"'
                if key
                else r.choice(
                    [
                        "maxRetries: 0",
                        "apiKey: process.env.OPENAI_API_KEY, organization: process.env.OPENAI_ORG_ID",
                        "maxRetries: 5, timeout: 20 * 1000",
                        'apiKey: "sk-...", dangerouslyAllowBrowser: true',
                    ]
                )
            )
            text = (
                'import OpenAI from "openai";\n\n' + f"const client = new OpenAI({{ {opts} }});\n\n"
                f"export async function {fn}(prompt{': string' if ext != 'js' else ''}) {{\n"
                "  const completion = await client.chat.completions.create({\n"
                f'    model: "{r.choice(MODELS)}",\n    messages: [{{ role: "user", content: prompt }}],\n  }});\n'
                '  return completion.choices[0]?.message?.content ?? "";\n}\n'
            )
        elif variant == 1:
            text = (
                'const { Configuration, OpenAIApi } = require("openai");\n\n'
                "const configuration = new Configuration({ apiKey: process.env.OPENAI_API_KEY });\n"
                "const openai = new OpenAIApi(configuration);\n\n"
                f"async function {fn}(messages) {{\n"
                '  const res = await openai.createChatCompletion({ model: "gpt-3.5-turbo", messages });\n'
                "  return res.data.choices[0].message;\n}\n\n" + f"module.exports = {{ {fn} }};\n"
            )
        elif variant == 2:
            text = (
                'import OpenAI from "openai";\nimport pRetry from "p-retry";\n\n'
                "const client = new OpenAI();\n\n"
                f"export const {fn} = (input) =>\n"
                f'  pRetry(() => client.responses.create({{ model: "{r.choice(MODELS)}", input }}), '
                "{ retries: 5 });\n"
            )
        elif variant == 3:
            text = (
                'import OpenAI from "openai";\n\n'
                "const openai = new OpenAI({ maxRetries: 0 });\n\n"
                f"export async function {fn}(texts) {{\n"
                "  const { data } = await openai.embeddings.create({\n"
                '    model: "text-embedding-3-small",\n    input: texts,\n  });\n'
                "  return data.map((d) => d.embedding);\n}\n"
            )
        else:
            text = (
                "export default async function handler(req, res) {\n"
                '  const r = await fetch("https://api.openai.com/v1/chat/completions", {\n'
                '    method: "POST",\n    headers: {\n      Authorization: `Bearer ${process.env.OPENAI_API_KEY}`,\n'
                '      "OpenAI-Organization": process.env.OPENAI_ORGANIZATION,\n'
                '      "Content-Type": "application/json",\n    },\n    body: JSON.stringify(req.body),\n  });\n'
                "  res.status(r.status).json(await r.json());\n}\n"
            )
        return text, key, "ts_proj"

    def js_module(self, target: int, ext: str) -> str:
        r, t = self.rng, self.text
        head = (
            'import { useState } from "react";\n'
            if ext == "tsx"
            else f'import {{ {r.choice(VERBS)}{r.choice(NOUNS).capitalize()} }} from "../{r.choice(NOUNS)}";\n'
        )
        parts = [head, f"// {r.choice(t.sentences)}\n"]
        size = len(head) + 100
        while size < target:
            typed = ext != "js"
            if ext == "tsx" and r.random() < 0.6:
                block = t.tsx_component()
            elif r.random() < 0.3:
                block = r.choice(t.snippets["ts" if typed else "js"])
            else:
                block = t.ts_function(typed)
            parts.append(block)
            size += len(block) + 1
        taken: dict[str, int] = {}

        def uniq(m: re.Match[str]) -> str:
            n = taken[m.group(2)] = taken.get(m.group(2), 0) + 1
            return f"{m.group(1)}{m.group(2)}{n if n > 1 else ''}{m.group(3)}"

        return re.sub(r"(function |type )(\w+?)(Props =|\()", uniq, "\n".join(parts))

    def gen_js(self) -> None:
        r, t = self.rng, self.text
        n = self.n("js")
        sizes = normalized(lognormal_sizes(r, n, 3000, 1.0, 150, 100_000), self.budget("js"))
        n_openai = max(2, self.keys.wants("ts_proj"), round(n * OPENAI_SHARE))
        openai_idx = sorted(r.sample(range(n), min(n, n_openai)))
        force_ts = set(openai_idx[: self.keys.wants("ts_proj")])
        openai_set = set(openai_idx)
        homes = self.packages * 2 + self.apps * 6
        for i, size in enumerate(sizes):
            home = r.choice(homes)
            ext = "ts" if i in force_ts else r.choice(["js", "ts", "ts", "tsx", "tsx"])
            if i in openai_set:
                text, key, kind = self.js_openai(ext)
                sub = r.choice(["src/lib", "src/server", "pages/api", "src/api"])
                rel = self.tree.write(
                    "js", f"{home}/{sub}/{r.choice(['openai', 'chat', 'ai', 'completion', t.slug()])}.{ext}", text
                )
                self.openai_files.append(rel)
                if key:
                    self.keys.record(rel, text, key, kind, "plain")
                continue
            sub = r.choice(["src", "src/components", "src/hooks", "src/utils", "src/lib", "test", "src/pages"])
            stem = t.slug()
            if sub == "test":
                stem += ".test"
            self.tree.write("js", f"{home}/{sub}/{stem}.{ext}", self.js_module(size, ext))

    def gen_bundles(self) -> None:
        r, t = self.rng, self.text
        frags = []
        reserved = {"do", "if", "in"}

        def short_ident() -> str:
            while True:
                name = rand_str(r, string.ascii_letters, r.randint(1, 2))
                if name not in reserved:
                    return name

        for _ in range(3000):
            a, b, c = short_ident(), short_ident(), short_ident()
            while len({a, b, c}) < 3:
                b, c = short_ident(), short_ident()
            k = r.randrange(6)
            if k == 0:
                frags.append(f"function {a}({b},{c}){{return {b}&&{b}.{r.choice(NOUNS)}?{c}({b}):void 0}}")
            elif k == 1:
                frags.append(f'var {a}="{r.choice(t.short)}",{b}={r.randint(0, 99999)};')
            elif k == 2:
                frags.append(
                    f"{a}.prototype.{r.choice(VERBS)}=function({b}){{this.{r.choice(NOUNS)}={b};return this}};"
                )
            elif k == 3:
                frags.append(f"{a}.exports={{{','.join(f'{n}:{b}.{n}' for n in r.sample(NOUNS, 4))}}};")
            elif k == 4:
                frags.append(f'if(!{a})throw new Error("{r.choice(t.short)}");')
            else:
                frags.append(f"{a}=({b},{c})=>{b}.map(({b})=>{b}*{c}).filter(Boolean);")
        sdk = (
            'var Qo="https://api.openai.com/v1";function Zo(e){if(!e.apiKey&&!e.dangerouslyAllowBrowser)throw new '
            'Error("The OPENAI_API_KEY environment variable is missing or empty");return e}'
        )
        for i in range(self.n("bundle")):
            target = int(BUNDLE_MB[i % len(BUNDLE_MB)] * MB)
            lines: list[str] = ["/*! For license information please see bundle.LICENSE.txt */"]
            size = 70
            line: list[str] = []
            line_len = 0
            line_target = r.randint(100_000, 1_000_000)
            while size < target:
                frag = r.choice(frags)
                if r.random() < 0.001:
                    num = r.randint(0, 99)
                    font = base64.b64encode(r.randbytes(r.randint(2000, 30000))).decode()
                    frag = f'var F{num}="url(data:font/woff2;base64,{font})";'
                elif r.random() < 0.0005:
                    frag = sdk
                line.append(frag)
                line_len += len(frag)
                size += len(frag)
                if line_len > line_target:
                    lines.append("".join(line))
                    line, line_len, line_target = [], 0, r.randint(100_000, 1_000_000)
            lines.append("".join(line))
            home = r.choice(self.apps)
            self.tree.write(
                "bundle",
                f"{home}/public/static/js/{r.choice(['main', 'vendor', 'chunk', 'runtime'])}."
                f"{rand_str(r, '0123456789abcdef', 8)}.min.js",
                "\n".join(lines) + "\n",
            )
