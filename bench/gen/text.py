"""Prose and code fragments; documents are assembled from them."""

from __future__ import annotations

import json
import random
import textwrap

from gen.shape import (
    COMMON,
    DOC_SECTIONS,
    HYPHENATED,
    I18N,
    MODELS,
    NOUNS,
    PLACEHOLDERS,
    PY_TYPES,
    TECH,
    TS_TYPES,
    VERBS,
)


class Text:
    """Pools of prose and code fragments; documents are assembled from them."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.sentences = [self._sentence(rng.randint(6, 24)) for _ in range(8000)]
        self.short = [self._sentence(rng.randint(3, 9)) for _ in range(3000)]
        self.paragraphs: list[str] = []
        for i in range(4000):
            para = " ".join(rng.sample(self.sentences, rng.randint(2, 7)))
            wrapped = textwrap.fill(para, 80, break_on_hyphens=False, break_long_words=False)
            self.paragraphs.append(wrapped if i % 2 else para)
        self.snippets: dict[str, list[str]] = {
            "python": [self.py_function() for _ in range(300)],
            "bash": [self.bash_snippet() for _ in range(200)],
            "yaml": [self.yaml_snippet() for _ in range(200)],
            "json": [self.json_snippet() for _ in range(200)],
            "ts": [self.ts_function() for _ in range(300)],
            "js": [self.ts_function(typed=False) for _ in range(200)],
            "console": [self.console_snippet() for _ in range(150)],
        }
        self.openai_blocks = [self.openai_doc_block() for _ in range(120)]

    # -- prose -------------------------------------------------------------
    def _word(self) -> str:
        r = self.rng.random()
        if r < 0.78:
            return self.rng.choice(COMMON)
        if r < 0.91:
            return self.rng.choice(TECH)
        if r < 0.965:
            return self.rng.choice(HYPHENATED)
        if r < 0.985:
            return f"`{self.rng.choice(VERBS)}_{self.rng.choice(NOUNS)}`"
        return self.link()

    def _sentence(self, n: int) -> str:
        words = [self._word() for _ in range(n)]
        if n > 10 and self.rng.random() < 0.4:
            words[n // 2] += ","
        first = words[0]
        words[0] = first[:1].upper() + first[1:]
        return " ".join(words) + self.rng.choice(".....?!")

    def title(self) -> str:
        words = [self.rng.choice(TECH + VERBS + HYPHENATED[:20]) for _ in range(self.rng.randint(2, 6))]
        return " ".join(w.capitalize() for w in words)

    def slug(self) -> str:
        return "-".join(self.rng.choice(TECH + NOUNS + VERBS) for _ in range(self.rng.randint(1, 4)))

    def link(self) -> str:
        r = self.rng
        text = " ".join(r.choice(TECH) for _ in range(r.randint(1, 3)))
        kind = r.random()
        if kind < 0.5:
            target = "../" * r.randint(0, 2) + f"{r.choice(DOC_SECTIONS)}/{self.slug()}.md"
            if r.random() < 0.3:
                target += f"#{self.slug()}"
        elif kind < 0.8:
            target = f"https://docs.example.com/{r.choice(DOC_SECTIONS)}/{self.slug()}"
        elif kind < 0.95:
            target = f"https://github.com/example-org/monorepo/blob/main/services/{self.slug()}/README.md"
        else:
            target = "https://platform.openai.com/docs/api-reference/chat"
        return f"[{text}]({target})"

    # -- code --------------------------------------------------------------
    def ident(self) -> str:
        return (
            f"{self.rng.choice(NOUNS)}_{self.rng.choice(NOUNS)}" if self.rng.random() < 0.4 else self.rng.choice(NOUNS)
        )

    def py_statement(self) -> list[str]:
        r = self.rng
        v, a, x = self.ident(), self.ident(), r.choice("ijkxyn")
        msg = r.choice(self.short).rstrip(".!?")
        t = r.randrange(12)
        if t == 0:
            return [f"{v} = {a}.get({r.choice(NOUNS)!r}, {r.randint(0, 100)})"]
        if t == 1:
            return [f"if not {v}:", f"    raise ValueError({msg!r})"]
        if t == 2:
            return [f"for {x} in {a}:", f"    {v}.append({x})"]
        if t == 3:
            return [f"logger.info({(msg + ': %s')!r}, {v})"]
        if t == 4:
            return [f"{v} = [{x} for {x} in {a} if {x} is not None]"]
        if t == 5:
            return [f'with open({a}, encoding="utf-8") as fh:', f"    {v} = json.load(fh)"]
        if t == 6:
            return [
                "try:",
                f"    {v} = {r.choice(VERBS)}_{r.choice(NOUNS)}({a})",
                "except KeyError:",
                f"    {v} = None",
            ]
        if t == 7:
            return [f"# {msg}"]
        if t == 8:
            return [f"{v} = os.environ.get({r.choice(NOUNS).upper() + '_' + r.choice(NOUNS).upper()!r}, '')"]
        if t == 9:
            return [f"{v}: dict[str, Any] = {{{r.choice(NOUNS)!r}: {a}, {r.choice(NOUNS)!r}: {r.randint(1, 9)}}}"]
        if t == 10:
            return [f"if {v} > {r.randint(1, 500)}:", f"    return {a}"]
        return [f"{v} = {r.choice(VERBS)}_{r.choice(NOUNS)}({a}, timeout={r.randint(1, 60)})"]

    def py_function(self, indent: str = "", method: bool = False) -> str:
        r = self.rng
        params = ["self"] if method else []
        for name in dict.fromkeys(r.choice(NOUNS) for _ in range(r.randint(0, 4))):
            params.append(f"{name}: {r.choice(PY_TYPES)}")
        prefix = "async def" if r.random() < 0.1 else "def"
        lines = [f"{prefix} {r.choice(VERBS)}_{r.choice(NOUNS)}({', '.join(params)}) -> {r.choice(PY_TYPES)}:"]
        if r.random() < 0.7:
            lines.append(f'    """{r.choice(self.short)}"""')
        for _ in range(r.randint(2, 12)):
            lines.extend("    " + s for s in self.py_statement())
        lines.append(f"    return {self.ident()}")
        return "\n".join(indent + ln for ln in lines) + "\n"

    def py_class(self) -> str:
        r = self.rng
        name = r.choice(NOUNS).capitalize() + r.choice(
            ["Service", "Manager", "Client", "Repository", "Handler", "Model"]
        )
        out = []
        if r.random() < 0.3:
            out.append("@dataclass")
            out.append(f"class {name}:")
            out.append(f'    """{r.choice(self.short)}"""\n')
            for f in dict.fromkeys(r.choice(NOUNS) for _ in range(r.randint(2, 7))):
                out.append(f"    {f}: {r.choice(PY_TYPES)}")
            return "\n".join(out) + "\n"
        out.append(f"class {name}({r.choice(['', 'Base', 'Protocol', 'Exception'])}):".replace("()", ""))
        out.append(f'    """{r.choice(self.sentences)}"""\n')
        methods = [self.py_function("    ", method=True) for _ in range(r.randint(1, 5))]
        return "\n".join(out) + "\n" + "\n".join(methods)

    def ts_function(self, typed: bool = True) -> str:
        r = self.rng
        names = dict.fromkeys(r.choice(NOUNS) for _ in range(r.randint(0, 3)))
        params = ", ".join(f"{n}: {r.choice(TS_TYPES)}" if typed else n for n in names)
        ret = f": {r.choice(TS_TYPES)}" if typed else ""
        name = r.choice(VERBS) + r.choice(NOUNS).capitalize()
        is_async = r.random() < 0.3
        lines = [f"export {'async ' if is_async else ''}function {name}({params}){ret} {{"]
        declared = set(names)

        def fresh(v: str) -> str:
            while v in declared:
                v += str(len(declared))
            declared.add(v)
            return v

        for _ in range(r.randint(2, 10)):
            v, a = r.choice(NOUNS), r.choice(NOUNS)
            t = r.randrange(7)
            if t == 0:
                lines.append(f"  const {fresh(v)} = {a}?.{r.choice(NOUNS)} ?? {r.randint(0, 9)};")
            elif t == 1:
                lines.append(f"  if (!{v}) {{\n    throw new Error({json.dumps(r.choice(self.short))});\n  }}")
            elif t == 2:
                lines.append(f"  for (const {v} of {a}s) {{\n    console.debug({json.dumps(v)}, {v});\n  }}")
            elif t == 3:
                lines.append(f"  // {r.choice(self.short)}")
            elif t == 4:
                lines.append(f"  const {fresh(v + 's')} = {a}s.filter(Boolean).map(({v}) => {v}.{r.choice(NOUNS)});")
            elif t == 5:
                env = f"{r.choice(NOUNS).upper()}_{r.choice(NOUNS).upper()}"
                lines.append(f'  const {fresh(v)} = process.env.{env} ?? "";')
            else:
                call = f"fetch(`/api/{r.choice(NOUNS)}/${{{a}}}`).then((res) => res.json())"
                lines.append(f"  let {fresh(v)} = {'await ' if is_async else ''}{call};")
        lines.append(f"  return {r.choice(NOUNS)};\n}}")
        return "\n".join(lines) + "\n"

    def tsx_component(self) -> str:
        r = self.rng
        name = r.choice(NOUNS).capitalize() + r.choice(["Card", "List", "Panel", "Form", "Modal", "Table", "Row"])
        props = [r.choice(NOUNS) for _ in range(r.randint(1, 4))]
        cls = " ".join(
            r.choice(["flex", "grid", "gap-2", "p-4", "text-sm", "rounded", "shadow", "mask-image"]) for _ in range(3)
        )
        body = "\n".join(
            f'      <span className="{r.choice(["label", "value", "muted"])}">{{{p}}}</span>' for p in props
        )
        return (
            f"type {name}Props = {{ {'; '.join(f'{p}: {r.choice(TS_TYPES)}' for p in props)} }};\n\n"
            f"export function {name}({{ {', '.join(props)} }}: {name}Props) {{\n"
            f"  const [open, setOpen] = useState(false);\n"
            f'  return (\n    <div className="{cls}" onClick={{() => setOpen(!open)}}>\n{body}\n    </div>\n  );\n}}\n'
        )

    def bash_snippet(self) -> str:
        r = self.rng
        cmds = [
            f"pip install -r requirements.txt && pytest -q tests/{r.choice(NOUNS)}",
            f"kubectl -n {r.choice(NOUNS)} rollout status deploy/{self.slug()}",
            f"docker build -t registry.example.com/{self.slug()}:$(git rev-parse --short HEAD) .",
            f"export {r.choice(NOUNS).upper()}_URL=http://localhost:{r.randint(3000, 9000)}",
            f"du -sh ./{r.choice(NOUNS)} | sort -h  # disk-usage check",
            f"npm run build --workspace packages/{self.slug()}",
            f"curl -fsS http://localhost:{r.randint(3000, 9000)}/healthz",
            f"make {r.choice(VERBS)}-{r.choice(NOUNS)}",
        ]
        return "\n".join(r.sample(cmds, r.randint(1, 4))) + "\n"

    def yaml_snippet(self) -> str:
        r = self.rng
        return (
            f"{r.choice(NOUNS)}:\n  enabled: {r.choice(['true', 'false'])}\n  timeout: {r.randint(1, 120)}s\n"
            f"  replicas: {r.randint(1, 8)}\n  labels:\n    app: {self.slug()}\n"
            f"    tier: {r.choice(['web', 'worker', 'batch'])}\n"
        )

    def json_snippet(self) -> str:
        r = self.rng
        obj = {r.choice(NOUNS): r.choice([r.randint(0, 999), self.slug(), True, None]) for _ in range(r.randint(2, 6))}
        return json.dumps(obj, indent=2) + "\n"

    def console_snippet(self) -> str:
        r = self.rng
        lines = [f"$ {r.choice(VERBS)}-{r.choice(NOUNS)} --verbose"]
        for _ in range(r.randint(2, 8)):
            lines.append(f"[{r.choice(['INFO', 'WARN', 'DEBUG'])}] {r.choice(self.short)}")
        return "\n".join(lines) + "\n"

    def openai_doc_block(self) -> str:
        r = self.rng
        t = r.randrange(6)
        if t == 0:
            return (
                "```python\nfrom openai import OpenAI\n\nclient = OpenAI()  # reads OPENAI_API_KEY\n\n"
                f'response = client.chat.completions.create(\n    model="{r.choice(MODELS)}",\n'
                '    messages=[{"role": "user", "content": "Summarize this ticket"}],\n)\n'
                "print(response.choices[0].message.content)\n```\n"
            )
        if t == 1:
            return f'```bash\nexport OPENAI_API_KEY="{r.choice(PLACEHOLDERS)}"\nexport OPENAI_ORG_ID="org-..."\n```\n'
        if t == 2:
            return (
                '```python\nimport openai\n\nopenai.api_key = "' + r.choice(PLACEHOLDERS) + '"\n'
                'completion = openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=messages)\n```\n'
            )
        if t == 3:
            return (
                '```ts\nimport OpenAI from "openai";\n\nconst client = new OpenAI({ maxRetries: 0 });\n'
                f'const res = await client.chat.completions.create({{ model: "{r.choice(MODELS)}", messages }});\n```\n'
            )
        if t == 4:
            return "```env\nOPENAI_API_KEY=" + r.choice(PLACEHOLDERS) + "\nOPENAI_ORGANIZATION=org-your-org-id\n```\n"
        return (
            "> **Warning**\n> Never commit a real key. Keys look like `sk-...` or `sk-proj-...`; use the\n"
            "> `OPENAI_API_KEY` environment variable and rotate any key that leaked.\n"
        )

    # -- documents ---------------------------------------------------------
    def md_list(self) -> str:
        r = self.rng
        ordered = r.random() < 0.3
        items = []
        for i in range(r.randint(3, 8)):
            item = r.choice(self.short if r.random() < 0.7 else self.sentences)
            if r.random() < 0.25:
                item = f"{self.link()}: {item}"
            items.append(f"{i + 1}. {item}" if ordered else f"- {item}")
        return "\n".join(items) + "\n"

    def md_table(self) -> str:
        r = self.rng
        rows = ["| Option | Type | Default | Description |", "| --- | --- | --- | --- |"]
        for _ in range(r.randint(2, 10)):
            rows.append(
                f"| `{r.choice(NOUNS)}_{r.choice(NOUNS)}` | `{r.choice(PY_TYPES)}` | "
                f"`{r.randint(0, 100)}` | {r.choice(self.short)} |"
            )
        return "\n".join(rows) + "\n"

    def fence(self) -> str:
        r = self.rng
        lang = r.choice(["python", "python", "bash", "yaml", "json", "ts", "console"])
        key = "ts" if lang == "ts" else lang
        return f"```{lang}\n{r.choice(self.snippets[key])}```\n"

    def markdown(self, target: int, mdx: bool, lang: str, openai: bool, extra: list[str]) -> str:
        r = self.rng
        title = self.title()
        parts = [
            "---",
            f"title: {title}",
            f"description: {r.choice(self.short)}",
            f"tags: [{', '.join(r.choice(TECH) for _ in range(3))}]",
            "---",
            "",
        ]
        if mdx:
            parts.append(
                "import Tabs from '@theme/Tabs';\nimport TabItem from '@theme/TabItem';\n"
                "import { Callout } from '@/components/Callout';\n"
            )
        parts.append(f"# {title}\n")
        size = sum(len(p) for p in parts)
        local = I18N.get(lang)
        pending = list(extra)
        while size < target:
            x = r.random()
            if x < 0.10:
                block = f"{'#' * r.choice((2, 2, 3, 3, 4))} {self.title()}\n"
            elif x < 0.55:
                block = r.choice(self.paragraphs) + "\n"
                if local and r.random() < 0.5:
                    block = r.choice(local) + " " + block
            elif x < 0.67:
                block = self.md_list()
            elif x < 0.80:
                block = self.fence()
            elif x < 0.85:
                block = self.md_table()
            elif x < 0.88:
                kind = r.choice(["note", "tip", "warning", "danger"])
                block = f":::{kind}\n{r.choice(self.sentences)}\n:::\n"
            elif x < 0.90:
                block = f"![{r.choice(TECH)} diagram](./img/{self.slug()}.png)\n"
            elif x < 0.93 and mdx:
                block = (
                    '<Tabs>\n<TabItem value="python" label="Python">\n\n' + self.fence() + "\n</TabItem>\n</Tabs>\n"
                    if r.random() < 0.5
                    else f'<Callout type="info">\n{r.choice(self.sentences)}\n</Callout>\n'
                )
            elif x < 0.97:
                block = " ".join([*r.sample(self.sentences, 2), self.link(), r.choice(self.sentences)]) + "\n"
            elif pending:
                block = pending.pop()
            elif openai and r.random() < 0.5:
                block = r.choice(self.openai_blocks)
            else:
                block = f"[^{r.randint(1, 9)}]: {self.link()}\n"
            parts.append(block)
            size += len(block) + 1
        for block in pending:
            parts.append(block)
        return "\n".join(parts)

    def changelog(self, target: int) -> str:
        r = self.rng
        parts = ["# Changelog\n", "All notable changes to this project are documented in this file.\n"]
        size = 100
        major, minor, patch = 9, 40, 0
        while size < target:
            block = [
                f"## [{major}.{minor}.{patch}] - 20{r.randint(18, 25)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}\n"
            ]
            for section in r.sample(
                ["Added", "Changed", "Fixed", "Removed", "Security", "Deprecated"], r.randint(1, 3)
            ):
                block.append(f"### {section}\n")
                for _ in range(r.randint(1, 8)):
                    block.append(f"- {r.choice(self.sentences)} (#{r.randint(100, 99999)})")
                block.append("")
            text = "\n".join(block) + "\n"
            parts.append(text)
            size += len(text)
            patch -= 1
            if patch < 0:
                patch, minor = r.randint(0, 9), minor - 1
                if minor < 0:
                    minor, major = 40, max(0, major - 1)
        return "\n".join(parts)

    def api_reference(self, target: int) -> str:
        r = self.rng
        parts = ["# API reference\n", "<!-- Generated file: do not edit by hand. -->\n"]
        size = 60
        while size < target:
            name = f"{r.choice(VERBS)}_{r.choice(NOUNS)}"
            text = (
                f"## `{name}`\n\n{r.choice(self.paragraphs)}\n\n### Parameters\n\n{self.md_table()}\n"
                f"### Example\n\n```python\n{r.choice(self.snippets['python'])}```\n\n"
                f"### Response\n\n```json\n{r.choice(self.snippets['json'])}```\n"
            )
            parts.append(text)
            size += len(text)
        return "\n".join(parts)
