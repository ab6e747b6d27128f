#!/usr/bin/env python3
"""Generate a large, realistic monorepo tree for benchmarking oai-lint.

Usage: python bench/generate.py OUT_DIR [--seed N] [--scale F] [--no-git] [--force]

At scale 1.0 the tree mirrors a measured monorepo: about 27,000 files and 400 MB,
mostly Markdown/MDX docs, with Python, YAML, JS/TS, JSON, TOML, .env files,
Dockerfiles, shell scripts, notebooks, PNG-like binaries and minified bundles.
About 1% of the Python/JS files use the OpenAI SDK, and a handful of files hold
key-shaped strings.  Those keys are drawn from the seeded RNG at generation time;
none is stored in this source file.

The output is a pure function of (seed, scale).  A manifest (counts, bytes, and
the path/line of every planted key, never the key text) is written beside the
tree as OUT_DIR.manifest.json, outside the tree so that scanners do not read it.
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import random
import re
import shutil
import string
import struct
import subprocess
import sys
import textwrap
import time
import zlib
from collections.abc import Callable
from pathlib import Path

GENERATOR_VERSION = 1
MB = 1_000_000
# The 8-character marker inside every sk- OpenAI key is base64("OpenAI").
MARKER = base64.b64encode(b"OpenAI").decode("ascii")
ALNUM = string.ascii_letters + string.digits
KEY_ALPHABET = ALNUM + "_-"

# ---------------------------------------------------------------------------
# Shape of the tree at scale 1.0: file counts and byte budgets per category.
# ---------------------------------------------------------------------------
TOTAL_BYTES = 400 * MB
COUNTS: dict[str, int] = {
    "doc": 22_260,  # regular Markdown/MDX pages
    "bigdoc": 40,  # changelogs, generated API references (about 1-3 MB each)
    "py": 1_300,
    "js": 1_400,  # .js/.ts/.tsx source
    "bundle": 6,  # minified JS bundles (several MB each)
    "json": 700,
    "yaml": 750,
    "toml": 120,
    "env": 60,
    "docker": 110,
    "sh": 220,
    "txt": 100,
    "ipynb": 12,
    "png": 60,
}
BUDGETS: dict[str, int] = {  # bytes at scale 1.0; "doc" takes what is left
    "py": 9 * MB,
    "js": 8 * MB,
    "json": 7 * MB,
    "yaml": 3 * MB,
    "toml": 250_000,
    "env": 60_000,
    "docker": 120_000,
    "sh": 600_000,
    "txt": 60_000,
    "png": 12 * MB,
}
BIGDOC_MB = [1.1, 2.4, 0.9, 3.2, 1.6, 2.0, 1.3, 2.8]
BUNDLE_MB = [2.5, 3.8, 5.2, 2.9, 4.4, 6.0]
NOTEBOOK_KB = [120, 480, 90, 260, 600, 150, 340, 200, 75, 410, 180, 300]
OPENAI_SHARE = 0.01  # share of Python/JS files that use the SDK
OPENAI_DOC_SHARE = 0.025

# ---------------------------------------------------------------------------
# Vocabulary.
# ---------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


COMMON = _words(
    "the of and to a in is it you that he was for on are with as his they be at one have this from or had by "
    "not word but what some we can out other were all there when up use your how said an each she which do "
    "their time if will way about many then them write would like so these her long make thing see him two "
    "has look more day could go come did number sound no most people my over know water than call first who "
    "may down side been now find any new work part take get place made live where after back little only "
    "round man year came show every good me give our under name very through just form sentence great think "
    "say help low line differ turn cause much mean before move right boy old too same tell does set three "
    "want air well also play small end put home read hand port large spell add even land here must big high "
    "such follow act why ask men change went light kind off need house picture try us again animal point "
    "page letter mother answer found study still learn should world should usually often quickly together "
    "instead however because between during without within against across along around behind beyond"
)
TECH = _words(
    "request response client server token model prompt completion embedding cache queue worker deployment "
    "cluster namespace container image registry pipeline workflow build release version config setting "
    "environment variable secret credential endpoint latency throughput timeout retry backoff rate limit "
    "quota billing organization project service account dashboard metric trace log handler middleware "
    "schema migration database index query transaction replica shard partition stream batch job scheduler "
    "webhook callback payload header cookie session router controller component hook state reducer store "
    "bundle module package dependency lockfile runtime interpreter compiler plugin extension adapter "
    "serializer parser validator fixture mock snapshot coverage benchmark profiler allocator buffer socket"
)
HYPHENATED = _words(
    "task-based risk-free disk-usage task-brief risk-check desk-based risk-averse task-specific "
    "mask-based flask-login kiosk-mode disk-backed risk-adjusted task-runner task-queue ask-first "
    "brisk-paced desk-side risk-based task-level disk-bound risk-aware whisk-style task-oriented "
    "well-known up-to-date read-only end-to-end long-running open-source built-in opt-in "
    "rate-limited real-time server-side client-side zero-downtime high-availability multi-tenant "
    "sk-this-is-a-long-hyphenated-phrase"
)
VERBS = _words(
    "get set load save build parse render fetch update create delete list find resolve validate normalize "
    "compute apply merge split format encode decode sync flush emit handle process collect register "
    "dispatch schedule retry refresh compare convert extract transform"
)
NOUNS = _words(
    "user account item order record payload config settings token session message event batch result "
    "request response client cache entry index report invoice customer document chunk prompt answer "
    "embedding vector score metric job task queue worker node path file name value key limit offset"
)
PY_TYPES = ("str", "int", "float", "bool", "dict[str, Any]", "list[str]", "bytes", "Path", "None")
TS_TYPES = ("string", "number", "boolean", "Record<string, unknown>", "string[]", "Date", "void")
LANGS = ["en"] * 10 + ["ja", "de", "fr", "es", "pt-br", "zh", "ko"]
I18N: dict[str, list[str]] = {
    "ja": ["設定の概要", "手順", "注意してください", "例えば、", "このガイドでは", "トークンの管理"],
    "zh": ["概述", "配置步骤", "请注意", "例如，", "本指南介绍", "密钥管理"],
    "ko": ["개요", "설정 방법", "주의하세요", "예를 들어", "이 가이드에서는"],
    "de": ["Übersicht:", "Schlüsselverwaltung.", "Größe und Leistung.", "Für Entwickler:", "Hinweis:"],
    "fr": ["Aperçu :", "Paramètres avancés.", "Sécurité des clés.", "Étape suivante :", "Remarque :"],
    "es": ["Descripción general:", "Configuración rápida.", "Atención:", "Año fiscal.", "Próximos pasos:"],
    "pt-br": ["Visão geral:", "Configuração avançada.", "Atenção:", "Próximos passos:", "Segurança."],
}
DOC_SECTIONS = _words(
    "getting-started guides tutorials concepts how-to api-reference cookbook operations runbooks "
    "architecture adr security platform data ml-platform frontend backend billing onboarding "
    "troubleshooting release-notes internal integrations sdk cli observability"
)
MODELS = ("gpt-4o-mini", "gpt-4o", "gpt-4.1", "gpt-3.5-turbo", "o3-mini", "gpt-4-turbo")
PLACEHOLDERS = (
    "sk-...",
    "sk-your-key-here",
    "sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "sk-<your-api-key>",
    "sk-123456789xxxxxxxxxxxxxxxxxxxxx",
    "sk-REPLACE_ME",
    "sk-proj-...",
    "sk-ant-api03-xxxxxxxxxxxxxxxx",
    "sk-or-v1-0000000000000000",
    "sk_test_XXXXXXXXXXXXXXXXXXXXXXXX",
)

# ---------------------------------------------------------------------------
# Helpers.
# ---------------------------------------------------------------------------


def scaled(base: int, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(base * scale))


def lognormal_sizes(rng: random.Random, n: int, median: float, sigma: float, lo: int, hi: int) -> list[float]:
    mu = math.log(median)
    return [min(hi, max(lo, rng.lognormvariate(mu, sigma))) for _ in range(n)]


def normalized(sizes: list[float], budget: float) -> list[int]:
    total = sum(sizes) or 1.0
    return [max(64, int(s * budget / total)) for s in sizes]


def rand_str(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choices(alphabet, k=n))


def png_bytes(rng: random.Random, size: int) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    w, h = rng.choice([(64, 64), (640, 480), (1280, 720), (800, 600), (1920, 1080)])
    head = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
    body = rng.randbytes(max(16, size - len(head) - 24))
    return head + chunk(b"IDAT", body) + chunk(b"IEND", b"")


class KeyPlanter:
    """Hands out key-shaped strings to file generators and records where they went."""

    CYCLE = ("py_legacy", "py_proj", "ts_proj", "ipynb", "env", "compose", "k8s_b64", "md")

    def __init__(self, seed: int, scale: float) -> None:
        self.rng = random.Random(f"{seed}:keys")
        n = scaled(8, scale, 3)
        self.slots: dict[str, int] = {}
        for i in range(n):
            kind = self.CYCLE[i % len(self.CYCLE)]
            self.slots[kind] = self.slots.get(kind, 0) + 1
        self.records: list[dict[str, object]] = []

    def wants(self, kind: str) -> int:
        return self.slots.get(kind, 0)

    def key(self, long_form: bool) -> str:
        r = self.rng
        if long_form:
            return "sk-proj-" + rand_str(r, KEY_ALPHABET, 74) + MARKER + rand_str(r, KEY_ALPHABET, 74)
        return "sk-" + rand_str(r, ALNUM, 20) + MARKER + rand_str(r, ALNUM, 20)

    def take(self, kind: str, long_form: bool) -> str | None:
        if self.slots.get(kind, 0) <= 0:
            return None
        self.slots[kind] -= 1
        return self.key(long_form)

    def record(self, path: str, text: str, needle: str, kind: str, encoding: str, ignored: bool = False) -> None:
        idx = text.index(needle)
        self.records.append(
            {
                "path": path,
                "line": text.count("\n", 0, idx) + 1,
                "kind": kind,
                "format": "sk-proj-74" if needle.startswith("sk-proj-") or encoding == "base64" else "sk-20",
                "encoding": encoding,
                "ignored_by_git": ignored,
            }
        )


# ---------------------------------------------------------------------------
# Text generators.
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# The tree writer.
# ---------------------------------------------------------------------------


class Tree:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.paths: set[str] = set()
        self.dirs: set[Path] = set()
        self.files = 0
        self.bytes = 0
        self.by_cat: dict[str, list[int]] = {}

    def unique(self, rel: str) -> str:
        if rel not in self.paths:
            return rel
        folder, _, name = rel.rpartition("/")
        stem, _, ext = name.partition(".") if not name.startswith(".") else (name, "", "")
        prefix = f"{folder}/{stem}" if folder else stem
        i = 2
        while True:
            cand = f"{prefix}-{i}.{ext}" if ext else f"{prefix}-{i}"
            if cand not in self.paths:
                return cand
            i += 1

    def write(self, cat: str, rel: str, data: str | bytes) -> str:
        rel = self.unique(rel)
        self.paths.add(rel)
        raw = data.encode("utf-8") if isinstance(data, str) else data
        path = self.root / rel
        parent = path.parent
        if parent not in self.dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self.dirs.add(parent)
        path.write_bytes(raw)
        self.files += 1
        self.bytes += len(raw)
        stat = self.by_cat.setdefault(cat, [0, 0])
        stat[0] += 1
        stat[1] += len(raw)
        return rel


class Generator:
    def __init__(self, out: Path, seed: int, scale: float) -> None:
        self.seed = seed
        self.scale = scale
        self.rng = random.Random(f"{seed}:layout")
        self.text = Text(random.Random(f"{seed}:text"))
        self.tree = Tree(out)
        self.keys = KeyPlanter(seed, scale)
        self.openai_files: list[str] = []
        r = self.rng
        t = self.text
        self.services = [f"services/{t.slug()}" for _ in range(scaled(45, scale, 2))]
        self.pylibs = [f"libs/python/{t.slug()}" for _ in range(scaled(20, scale))]
        self.packages = [f"packages/{t.slug()}" for _ in range(scaled(55, scale, 2))]
        self.apps = [
            f"apps/{r.choice(['web', 'admin', 'console', 'portal', 'docs-site', 'playground'])}-{t.slug()}"
            for _ in range(scaled(6, scale))
        ]
        self.envs = ["dev", "staging", "prod"]

    def n(self, cat: str, minimum: int = 1) -> int:
        return scaled(COUNTS[cat], self.scale, minimum)

    def budget(self, cat: str) -> float:
        return BUDGETS[cat] * self.scale

    def org_id(self) -> str:
        return "org-" + rand_str(self.rng, ALNUM, 24)

    # -- Python --------------------------------------------------------------
    def python_module(self, target: int, head: str = "") -> str:
        r, t = self.rng, self.text
        parts = [
            f'"""{r.choice(t.sentences)}"""\n',
            "from __future__ import annotations\n",
            "import json\nimport logging\nimport os\nfrom dataclasses import dataclass\nfrom pathlib import Path\n"
            "from typing import Any\n",
            f"from .{r.choice(NOUNS)} import {r.choice(NOUNS).capitalize()}\n",
            head,
            "logger = logging.getLogger(__name__)\n",
            f"{r.choice(NOUNS).upper()}_TIMEOUT = {r.randint(1, 120)}\n",
        ]
        size = sum(len(p) for p in parts)
        while size < target:
            block = t.py_class() if r.random() < 0.25 else t.py_function()
            parts.append("\n" + block)
            size += len(block) + 1
        return "\n".join(parts)

    def python_test(self, target: int) -> str:
        r, t = self.rng, self.text
        parts = ["import pytest\n", f"from app.{r.choice(NOUNS)} import {r.choice(VERBS)}_{r.choice(NOUNS)}\n"]
        size = 60
        while size < target:
            v = r.choice(NOUNS)
            block = (
                f"\ndef test_{r.choice(VERBS)}_{v}_"
                f"{r.choice(['ok', 'empty', 'invalid', 'retries', 'timeout'])}() -> None:\n"
                f"    {v} = {r.choice(VERBS)}_{r.choice(NOUNS)}({r.randint(0, 9)})\n"
                f"    assert {v} == {r.choice([repr(t.slug()), str(r.randint(0, 99)), 'None', '[]'])}\n"
            )
            parts.append(block)
            size += len(block)
        return "\n".join(parts)

    def python_openai(self, target: int) -> tuple[str, str | None, str]:
        """An SDK-using module; returns (text, planted key or None, planting kind)."""
        r = self.rng
        model = r.choice(MODELS)
        fn = f"{r.choice(VERBS)}_{r.choice(NOUNS)}"
        key: str | None = None
        kind = ""
        variant = r.randrange(7)
        if self.keys.wants("py_legacy"):
            variant, kind = 1, "py_legacy"
            key = self.keys.take(kind, long_form=False)
        elif self.keys.wants("py_proj"):
            variant, kind = 0, "py_proj"
            key = self.keys.take(kind, long_form=True)
        if variant == 0:
            arg = (
                f'api_key="{key}"'
                if key
                else r.choice(
                    [
                        "",
                        'api_key=os.environ["OPENAI_API_KEY"]',
                        'organization=os.getenv("OPENAI_ORG_ID")',
                        "max_retries=5, timeout=30.0",
                        'api_key="sk-your-key-here"',
                    ]
                )
            )
            head = "import os\n\nfrom openai import OpenAI\n\n" + f"client = OpenAI({arg})\n"
            body = (
                f"\n\ndef {fn}(prompt: str) -> str:\n    response = client.chat.completions.create(\n"
                f'        model="{model}",\n        messages=[\n'
                '            {"role": "system", "content": "You are a concise assistant."},\n'
                '            {"role": "user", "content": prompt},\n        ],\n'
                f"        temperature={r.choice(['0', '0.2', '0.7'])},\n    )\n"
                '    return response.choices[0].message.content or ""\n'
            )
        elif variant == 1:
            api_key = f'"{key}"' if key else r.choice(['os.getenv("OPENAI_API_KEY")', '"sk-..."'])
            head = (
                "import os\n\nimport openai\n\n" + f"openai.api_key = {api_key}\n"
                'openai.organization = os.getenv("OPENAI_ORGANIZATION")\n'
            )
            body = (
                f"\n\ndef {fn}(prompt):\n    completion = openai.ChatCompletion.create(\n"
                '        model="gpt-3.5-turbo",\n        messages=[{"role": "user", "content": prompt}],\n    )\n'
                '    return completion.choices[0].message["content"]\n'
            )
        elif variant == 2:
            head = (
                "from openai import OpenAI\nfrom tenacity import retry, stop_after_attempt, wait_random_exponential\n\n"
                "client = OpenAI()\n"
            )
            body = (
                "\n\n@retry(wait=wait_random_exponential(min=1, max=60), stop=stop_after_attempt(6))\n"
                "def completion_with_backoff(**kwargs):\n    return client.chat.completions.create(**kwargs)\n"
            )
        elif variant == 3:
            head = "from openai import AsyncOpenAI\n\n" + f"client = AsyncOpenAI(max_retries={r.choice([0, 3, 8])})\n"
            body = (
                f"\n\nasync def {fn}(texts: list[str]) -> list[list[float]]:\n"
                '    result = await client.embeddings.create(model="text-embedding-3-small", input=texts)\n'
                "    return [item.embedding for item in result.data]\n"
            )
        elif variant == 4:
            head = (
                "import os\n\nfrom openai import AzureOpenAI\n\nclient = AzureOpenAI(\n"
                '    api_version="2024-06-01",\n    azure_endpoint=os.environ["AZURE_OPENAI_ENDPOINT"],\n)\n'
            )
            body = (
                f"\n\ndef {fn}(prompt: str) -> str:\n    out = client.chat.completions.create(\n"
                f'        model="{model}", messages=[{{"role": "user", "content": prompt}}]\n    )\n'
                "    return out.choices[0].message.content\n"
            )
        elif variant == 5:
            head = "import openai\n\n"
            body = (
                f"\n\ndef {fn}(prompt):\n    return openai.Completion.create(\n"
                '        engine="text-davinci-003", prompt=prompt, max_tokens=256\n    )["choices"][0]["text"]\n'
            )
        else:
            head = (
                "import os\nimport time\n\nimport openai\n\n"
                + 'client = openai.OpenAI(organization=os.environ["OPENAI_ORG_ID"])\n'
            )
            body = (
                f"\n\ndef {fn}(items):\n    for attempt in range(5):\n        try:\n"
                f'            return client.responses.create(model="{model}", input=items)\n'
                "        except openai.RateLimitError:\n            time.sleep(2 ** attempt)\n"
            )
        return self.python_module(max(200, target - len(body)), head) + body, key, kind

    def gen_python(self) -> None:
        r, t = self.rng, self.text
        n = self.n("py")
        sizes = normalized(lognormal_sizes(r, n, 3500, 1.0, 200, 120_000), self.budget("py"))
        n_openai = max(2, self.keys.wants("py_legacy") + self.keys.wants("py_proj"), round(n * OPENAI_SHARE))
        openai_idx = set(r.sample(range(n), min(n, n_openai)))
        homes = self.services * 3 + self.pylibs * 2 + ["tools", "scripts"]
        for i, size in enumerate(sizes):
            home = r.choice(homes)
            pkg = home.rsplit("/", 1)[-1].replace("-", "_")
            if i in openai_idx:
                text, key, kind = self.python_openai(size)
                sub = r.choice(["llm", "ai", "services", "clients", "api"])
                stem = r.choice(["openai_client", "chat", "summarize", "embeddings", t.slug().replace("-", "_")])
                rel = self.tree.write(
                    "py",
                    f"{home}/src/{pkg}/{sub}/{stem}.py",
                    text,
                )
                self.openai_files.append(rel)
                if key:
                    self.keys.record(rel, text, key, kind, "plain")
                continue
            x = r.random()
            if x < 0.22:
                rel = f"{home}/tests/{r.choice(['', 'unit/', 'integration/'])}test_{t.slug().replace('-', '_')}.py"
                self.tree.write("py", rel, self.python_test(size))
            elif x < 0.3:
                self.tree.write(
                    "py",
                    f"{home}/src/{pkg}/{r.choice(['', 'api/', 'models/'])}__init__.py",
                    f'"""{r.choice(t.short)}"""\n' if size < 2000 else self.python_module(size),
                )
            else:
                sub = r.choice(["", "api/", "models/", "services/", "utils/", "db/", "workers/", "cli/"])
                self.tree.write(
                    "py", f"{home}/src/{pkg}/{sub}{t.slug().replace('-', '_')}.py", self.python_module(size)
                )

    # -- JS / TS -------------------------------------------------------------
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

    # -- docs ----------------------------------------------------------------
    def gen_docs(self) -> None:
        r, t = self.rng, self.text
        n = self.n("doc")
        bigs = self.n("bigdoc")
        big_sizes = [int(BIGDOC_MB[i % len(BIGDOC_MB)] * MB) for i in range(bigs)]
        # Docs come last and take whatever is left of the byte budget.
        budget = max(n * 2000, TOTAL_BYTES * self.scale - self.tree.bytes - sum(big_sizes))
        # Assembling overshoots each target by about half a block.
        sizes = normalized(lognormal_sizes(r, n, 5500, 1.15, 300, 400_000), budget - n * 250)
        n_openai = max(2, self.keys.wants("md"), round(n * OPENAI_DOC_SHARE))
        openai_idx = set(r.sample(range(n), min(n, n_openai)))
        key_docs = sorted(openai_idx)[: self.keys.wants("md")]
        project_homes = self.services + self.pylibs + self.packages + self.apps
        section_dirs = {s: [t.slug() for _ in range(r.randint(3, 12))] for s in DOC_SECTIONS}
        for i, size in enumerate(sizes):
            x = r.random()
            lang = "en"
            if x < 0.04:
                home = r.choice(project_homes)
                rel = f"{home}/{r.choice(['README', 'CHANGELOG', 'CONTRIBUTING', 'docs/' + t.slug()])}.md"
            elif x < 0.045:
                rel = f".github/ISSUE_TEMPLATE/{t.slug()}.md"
            else:
                lang = r.choice(LANGS)
                section = r.choice(DOC_SECTIONS)
                sub = r.choice(section_dirs[section])
                deeper = f"{t.slug()}/" if r.random() < 0.3 else ""
                if section == "release-notes":
                    sub = f"20{r.randint(19, 25)}"
                rel = f"docs/{lang}/{section}/{sub}/{deeper}{t.slug()}.{'mdx' if r.random() < 0.3 else 'md'}"
            extra: list[str] = []
            key = None
            if i in key_docs:
                key = self.keys.take("md", long_form=False)
                extra.append(
                    "## Troubleshooting 401 errors\n\nWe reproduced the bug with this snippet:\n\n```python\n"
                    f'import openai\nopenai.api_key = "{key}"\nprint(openai.Model.list())\n```\n'
                )
            text = t.markdown(size, rel.endswith(".mdx"), lang, i in openai_idx, extra)
            rel = self.tree.write("doc", rel, text)
            if key:
                self.keys.record(rel, text, key, "md", "plain")
        for i, size in enumerate(big_sizes):
            if i % 2 == 0:
                home = r.choice([*project_homes, "docs/en"])
                self.tree.write("doc", f"{home}/{'CHANGELOG' if i % 4 == 0 else 'HISTORY'}.md", t.changelog(size))
            else:
                self.tree.write("doc", f"docs/en/api-reference/generated/{t.slug()}.md", t.api_reference(size))

    # -- config files ----------------------------------------------------------
    def gen_yaml(self) -> None:
        r, t = self.rng, self.text
        n = self.n("yaml")
        n_workflows = max(1, round(n * 0.06))
        n_compose = max(1, self.keys.wants("compose"), round(n * 0.08))
        n_secrets = max(1, self.keys.wants("k8s_b64"), round(n * 0.008))
        n_k8s = max(n_secrets, round(n * 0.6))
        rest = max(0, n - n_workflows - n_compose - n_k8s)
        for _ in range(n_workflows):
            self.tree.write("yaml", f".github/workflows/{t.slug()}.yml", self.workflow())
        for i in range(n_compose):
            home = self.services[i] if i < len(self.services) else r.choice(self.services)
            key = self.keys.take("compose", long_form=False)
            name = (
                "docker-compose.yml"
                if i < len(self.services)
                else f"docker-compose.{r.choice(['override', 'dev', 'ci', 'test'])}.yml"
            )
            text = self.compose(key)
            rel = self.tree.write("yaml", f"{home}/{name}", text)
            if key:
                self.keys.record(rel, text, key, "compose", "plain")
        for i in range(n_k8s):
            svc = r.choice(self.services).rsplit("/", 1)[-1]
            env = r.choice([*self.envs, "base"])
            if i < n_secrets:
                key = self.keys.take("k8s_b64", long_form=True)
                text, needle = self.k8s_secret(svc, key)
                rel = self.tree.write(
                    "yaml", f"infra/k8s/{'overlays/' + env if env != 'base' else 'base'}/{svc}/secret.yaml", text
                )
                if key:
                    self.keys.record(rel, text, needle, "k8s_b64", "base64")
            else:
                kind = r.choice(["deployment", "service", "configmap", "ingress", "hpa", "cronjob"])
                d = f"infra/k8s/{'overlays/' + env if env != 'base' else 'base'}/{svc}"
                self.tree.write("yaml", f"{d}/{kind}.yaml", self.k8s(kind, svc, env))
        for _ in range(rest):
            x = r.random()
            if x < 0.5:
                chart = t.slug()
                self.tree.write(
                    "yaml",
                    f"infra/helm/charts/{chart}/{r.choice(['values', 'values-prod', 'values-staging', 'Chart'])}.yaml",
                    "\n".join(r.choice(t.snippets["yaml"]) for _ in range(r.randint(2, 12))),
                )
            elif x < 0.7:
                home = r.choice(self.services + self.packages)
                self.tree.write(
                    "yaml", f"{home}/{r.choice(['config', 'settings', 'logging', 'openapi'])}.yaml", self.yaml_config()
                )
            elif x < 0.8:
                self.tree.write(
                    "yaml",
                    f"docs/{r.choice(['mkdocs', 'sidebars', 'nav'])}-{t.slug()}.yml",
                    "nav:\n" + "".join(f"  - {t.title()}: {t.slug()}.md\n" for _ in range(r.randint(5, 60))),
                )
            else:
                home = r.choice(self.services + self.pylibs + [""])
                self.tree.write("yaml", f"{home}/.pre-commit-config.yaml".lstrip("/"), self.precommit())

    def workflow(self) -> str:
        r, t = self.rng, self.text
        env = ""
        if r.random() < 0.3:
            env = "    env:\n      OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}\n"
            if r.random() < 0.3:
                env += f"      OPENAI_ORG_ID: {self.org_id()}\n"
        steps = "".join(
            f"      - name: {t.title()}\n        run: {r.choice(t.snippets['bash']).splitlines()[0]}\n"
            for _ in range(r.randint(2, 8))
        )
        return (
            f"name: {t.title()}\n\non:\n  push:\n    branches: [main]\n  pull_request:\n    paths:\n"
            f"      - '{r.choice(self.services)}/**'\n\npermissions:\n  contents: read\n\njobs:\n"
            f"  {r.choice(['test', 'build', 'lint', 'deploy', 'e2e'])}:\n"
            f"    runs-on: ubuntu-latest\n    timeout-minutes: {r.randint(5, 60)}\n"
            f"{env}    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-python@v5\n"
            f"        with:\n          python-version: '3.{r.randint(9, 12)}'\n{steps}"
        )

    def compose(self, key: str | None) -> str:
        r, t = self.rng, self.text
        services = []
        for j in range(r.randint(1, 4)):
            envs = [f"      {r.choice(NOUNS).upper()}_URL: http://{t.slug()}:{r.randint(3000, 9000)}"]
            if j == 0 or r.random() < 0.3:
                if key and j == 0:
                    envs.append(f"      OPENAI_API_KEY: {key}")
                else:
                    envs.append("      OPENAI_API_KEY: ${OPENAI_API_KEY}")
                envs.append(
                    r.choice(
                        [
                            "      OPENAI_ORG_ID: ${OPENAI_ORG_ID}",
                            f"      OPENAI_ORGANIZATION: {self.org_id()}",
                            "      OPENAI_BASE_URL: http://mock-openai:8080/v1",
                        ]
                    )
                )
            services.append(
                f"  {t.slug()}:\n    build: .\n    image: registry.example.com/{t.slug()}:latest\n"
                f'    ports:\n      - "{r.randint(3000, 9000)}:{r.randint(3000, 9000)}"\n'
                f"    environment:\n" + "\n".join(envs) + "\n    depends_on:\n      - db\n"
            )
        return (
            "services:\n"
            + "".join(services)
            + "  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: postgres\n"
            "    volumes:\n      - db-data:/var/lib/postgresql/data\n\nvolumes:\n  db-data: {}\n"
        )

    def k8s_secret(self, svc: str, key: str | None) -> tuple[str, str]:
        r = self.rng

        def b64(s: str) -> str:
            return base64.b64encode(s.encode()).decode()

        data = {
            "DATABASE_PASSWORD": b64(rand_str(r, ALNUM, 24)),
            "REDIS_URL": b64(f"redis://:{rand_str(r, ALNUM, 16)}@redis:6379/0"),
        }
        if key:
            data["OPENAI_API_KEY"] = b64(key)
        else:
            data["OPENAI_API_KEY"] = b64(r.choice(PLACEHOLDERS))
        body = "".join(f"  {k}: {v}\n" for k, v in data.items())
        text = (
            f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {svc}-secrets\n  labels:\n    app: {svc}\n"
            f"type: Opaque\ndata:\n{body}"
        )
        return text, data["OPENAI_API_KEY"]

    def k8s(self, kind: str, svc: str, env: str) -> str:
        r = self.rng
        meta = f"metadata:\n  name: {svc}\n  namespace: {env}\n  labels:\n    app: {svc}\n    env: {env}\n"
        if kind == "deployment":
            envs = "".join(
                f"            - name: {r.choice(NOUNS).upper()}_{r.choice(['URL', 'TIMEOUT', 'LIMIT', 'MODE'])}\n"
                f'              value: "{r.randint(1, 999)}"\n'
                for _ in range(r.randint(1, 8))
            )
            if r.random() < 0.2:
                envs += (
                    "            - name: OPENAI_API_KEY\n              valueFrom:\n                secretKeyRef:\n"
                    f"                  name: {svc}-secrets\n                  key: OPENAI_API_KEY\n"
                    "            - name: OPENAI_ORG_ID\n" + f"              value: {self.org_id()}\n"
                )
            return (
                f"apiVersion: apps/v1\nkind: Deployment\n{meta}spec:\n  replicas: {r.randint(1, 12)}\n"
                f"  selector:\n    matchLabels:\n      app: {svc}\n  template:\n"
                f"    metadata:\n      labels:\n        app: {svc}\n"
                f"    spec:\n      containers:\n        - name: {svc}\n"
                f"          image: registry.example.com/{svc}:{r.randint(1, 300)}\n"
                "          resources:\n            limits:\n"
                f"              memory: {r.choice(['256Mi', '512Mi', '1Gi'])}\n"
                f"              cpu: {r.choice(['250m', '500m', '1'])}\n          env:\n{envs}"
            )
        if kind == "service":
            return (
                f"apiVersion: v1\nkind: Service\n{meta}spec:\n  selector:\n    app: {svc}\n  ports:\n"
                f"    - port: 80\n      targetPort: {r.randint(3000, 9000)}\n"
            )
        if kind == "configmap":
            data = "".join(
                f'  {r.choice(NOUNS)}.{r.choice(NOUNS)}: "{r.randint(0, 999)}"\n' for _ in range(r.randint(2, 20))
            )
            return f"apiVersion: v1\nkind: ConfigMap\n{meta}data:\n{data}"
        if kind == "ingress":
            return (
                "apiVersion: networking.k8s.io/v1\nkind: Ingress\n"
                f"{meta}spec:\n  rules:\n    - host: {svc}.{env}.example.com\n"
                "      http:\n        paths:\n          - path: /\n"
                "            pathType: Prefix\n            backend:\n"
                f"              service:\n                name: {svc}\n"
                "                port:\n                  number: 80\n"
            )
        if kind == "hpa":
            return (
                f"apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n{meta}spec:\n  scaleTargetRef:\n"
                f"    apiVersion: apps/v1\n    kind: Deployment\n    name: {svc}\n"
                f"  minReplicas: 2\n  maxReplicas: {r.randint(3, 30)}\n"
            )
        return (
            f"apiVersion: batch/v1\nkind: CronJob\n{meta}spec:\n"
            f'  schedule: "{r.randint(0, 59)} {r.randint(0, 23)} * * *"\n'
            f"  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n"
            f"          containers:\n            - name: {svc}-job\n"
            f"              image: registry.example.com/{svc}:latest\n"
            f'              args: ["python", "-m", "{svc.replace("-", "_")}.jobs.{r.choice(VERBS)}"]\n'
        )

    def yaml_config(self) -> str:
        r, t = self.rng, self.text
        out = [r.choice(t.snippets["yaml"]) for _ in range(r.randint(2, 20))]
        if r.random() < 0.15:
            out.append(
                "openai:\n  api_key: ${OPENAI_API_KEY}\n"
                f"  organization: {self.org_id()}\n  max_retries: {r.randint(0, 6)}\n  model: {r.choice(MODELS)}\n"
            )
        return "\n".join(out)

    def precommit(self) -> str:
        r = self.rng
        return (
            "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n"
            "    rev: v0.6.9\n    hooks:\n      - id: ruff\n"
            "  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v4.6.0\n    hooks:\n"
            "      - id: end-of-file-fixer\n      - id: check-yaml\n"
            + (
                "  - repo: https://github.com/Yelp/detect-secrets\n"
                "    rev: v1.5.0\n    hooks:\n      - id: detect-secrets\n"
                if r.random() < 0.4
                else ""
            )
        )

    def gen_json(self) -> None:
        r, t = self.rng, self.text
        n = self.n("json")
        homes = self.packages + self.apps
        made = 0
        for home in homes:
            deps = {f"@example/{t.slug()}": "workspace:*" for _ in range(r.randint(0, 4))}
            deps.update(
                {
                    d: f"^{r.randint(1, 18)}.{r.randint(0, 20)}.{r.randint(0, 9)}"
                    for d in r.sample(
                        [
                            "react",
                            "react-dom",
                            "next",
                            "zod",
                            "express",
                            "axios",
                            "lodash",
                            "p-retry",
                            "dotenv",
                            "openai",
                            "@tanstack/react-query",
                            "date-fns",
                            "ws",
                            "uuid",
                        ],
                        r.randint(1, 7),
                    )
                }
            )
            pkg = {
                "name": f"@example/{home.rsplit('/', 1)[-1]}",
                "version": f"{r.randint(0, 4)}.{r.randint(0, 30)}.{r.randint(0, 20)}",
                "private": True,
                "scripts": {"build": "tsc -p .", "test": "vitest run", "lint": "eslint ."},
                "dependencies": deps,
                "devDependencies": {"typescript": "^5.4.5", "vitest": "^1.6.0", "eslint": "^8.57.0"},
            }
            self.tree.write("json", f"{home}/package.json", json.dumps(pkg, indent=2) + "\n")
            made += 1
            if made < n:
                self.tree.write(
                    "json",
                    f"{home}/tsconfig.json",
                    json.dumps(
                        {
                            "extends": "../../tsconfig.base.json",
                            "compilerOptions": {"outDir": "dist", "strict": True},
                            "include": ["src"],
                        },
                        indent=2,
                    )
                    + "\n",
                )
                made += 1
        rest = max(0, n - made)
        sizes = normalized(
            lognormal_sizes(r, rest, 4000, 1.4, 100, 1_500_000), max(1000.0, self.budget("json") - made * 400)
        )
        for size in sizes:
            x = r.random()
            if x < 0.4:
                home = r.choice(self.services + self.packages)
                rel = f"{home}/tests/fixtures/{t.slug()}.json"
                recs = []
                total = 0
                while total < size:
                    rec = {
                        "id": rand_str(r, "0123456789abcdef", 12),
                        "name": r.choice(t.short),
                        "score": r.random(),
                        "tags": r.sample(TECH, 3),
                        "active": r.random() < 0.5,
                    }
                    recs.append(rec)
                    total += 150
                text = json.dumps(recs, indent=2)
            elif x < 0.7:
                lang = r.choice(LANGS)
                home = r.choice(self.apps)
                rel = f"{home}/locales/{lang}/{t.slug()}.json"
                msgs: dict[str, str] = {}
                total = 0
                while total < size:
                    msgs[f"{r.choice(NOUNS)}.{r.choice(VERBS)}.{r.choice(NOUNS)}.{len(msgs)}"] = r.choice(t.short)
                    total += 60
                text = json.dumps(msgs, indent=2, ensure_ascii=False)
            elif x < 0.8:
                rel = f"{r.choice(self.services)}/openapi.json"
                paths: dict[str, object] = {}
                total = 0
                while total < size:
                    paths[f"/v1/{t.slug()}/{{id}}"] = {
                        "get": {
                            "summary": r.choice(t.short),
                            "operationId": f"{r.choice(VERBS)}{len(paths)}",
                            "responses": {"200": {"description": "OK"}},
                        }
                    }
                    total += 180
                text = json.dumps(
                    {"openapi": "3.1.0", "info": {"title": t.title(), "version": "1.0.0"}, "paths": paths}, indent=2
                )
            else:
                home = r.choice(self.packages + self.services + [".vscode", "config"])
                rel = f"{home}/{r.choice(['.eslintrc', 'renovate', 'settings', 'config', 'manifest'])}.json"
                conf: dict[str, object] = {"$schema": f"https://json.schemastore.org/{r.choice(NOUNS)}"}
                total = 60
                while total < size:
                    conf[f"{r.choice(NOUNS)}.{r.choice(VERBS)}.{len(conf)}"] = r.choice(
                        [r.randint(0, 999), t.slug(), r.random() < 0.5, r.sample(TECH, 2)]
                    )
                    total += 45
                text = json.dumps(conf, indent=2)
            self.tree.write("json", rel, text + "\n")

    def gen_notebooks(self) -> None:
        r, t = self.rng, self.text
        n = self.n("ipynb")
        key_nb = self.keys.wants("ipynb")
        for i in range(n):
            target = NOTEBOOK_KB[i % len(NOTEBOOK_KB)] * 1000
            cells: list[dict[str, object]] = []
            key = None
            if i < key_nb:
                key = self.keys.take("ipynb", long_form=False)
            if key or i % 4 == 1:
                src = [
                    "import openai\n",
                    "\n",
                    f'openai.api_key = "{key}"\n' if key else 'openai.api_key = "sk-..."\n',
                    'resp = openai.ChatCompletion.create(model="gpt-3.5-turbo", '
                    'messages=[{"role": "user", "content": "hi"}])\n',
                    "resp",
                ]
                cells.append(
                    {
                        "cell_type": "code",
                        "execution_count": 1,
                        "id": rand_str(r, "0123456789abcdef", 8),
                        "metadata": {},
                        "outputs": [],
                        "source": src,
                    }
                )
            size = 0
            while size < target:
                x = r.random()
                if x < 0.35:
                    src_text = r.choice(t.paragraphs)
                    cells.append(
                        {
                            "cell_type": "markdown",
                            "id": rand_str(r, "0123456789abcdef", 8),
                            "metadata": {},
                            "source": [ln + "\n" for ln in src_text.splitlines()],
                        }
                    )
                    size += len(src_text) + 100
                else:
                    code = t.py_function()
                    outputs: list[dict[str, object]] = [
                        {
                            "name": "stdout",
                            "output_type": "stream",
                            "text": [r.choice(t.short) + "\n" for _ in range(r.randint(1, 5))],
                        }
                    ]
                    if r.random() < 0.2:
                        img = base64.b64encode(r.randbytes(r.randint(5_000, 60_000))).decode()
                        outputs.append(
                            {
                                "data": {"image/png": img, "text/plain": ["<Figure size 640x480 with 1 Axes>"]},
                                "metadata": {},
                                "output_type": "display_data",
                            }
                        )
                        size += len(img)
                    cells.append(
                        {
                            "cell_type": "code",
                            "execution_count": len(cells) + 1,
                            "id": rand_str(r, "0123456789abcdef", 8),
                            "metadata": {},
                            "outputs": outputs,
                            "source": [ln + "\n" for ln in code.splitlines()],
                        }
                    )
                    size += len(code) + 300
            nb = {
                "cells": cells,
                "metadata": {
                    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                    "language_info": {"name": "python", "version": "3.11.7"},
                },
                "nbformat": 4,
                "nbformat_minor": 5,
            }
            text = json.dumps(nb, indent=1) + "\n"
            rel = self.tree.write(
                "ipynb",
                f"notebooks/{r.choice(['eval', 'exploration', 'prompting', 'analysis'])}/{t.slug()}.ipynb",
                text,
            )
            if key:
                self.openai_files.append(rel)
                self.keys.record(rel, text, key, "ipynb", "plain")

    def gen_small(self) -> None:
        r, t = self.rng, self.text
        # .env files: mostly examples, a few committed .env files in services.
        want = self.keys.wants("env")
        n = max(self.n("env"), want + 1)
        for i in range(n):
            key = self.keys.take("env", long_form=True) if 1 <= i <= want else None
            home = r.choice(self.services) if i else ""
            name = (
                ".env"
                if key
                else r.choice([".env.example", ".env.example", ".env.sample", ".env.template", ".env.development"])
            )
            lines = [
                f"# {r.choice(t.short)}",
                f"DATABASE_URL=postgres://app:{r.choice(['postgres', 'changeme', 'password'])}"
                f"@localhost:5432/{r.choice(NOUNS)}",
                f"OPENAI_API_KEY={key or r.choice((*PLACEHOLDERS, '', ''))}",
                r.choice(
                    [
                        f"OPENAI_ORG_ID={self.org_id()}",
                        "OPENAI_ORGANIZATION=org-your-org-id",
                        "OPENAI_ORG_ID=",
                        "# OPENAI_PROJECT_ID=proj_...",
                    ]
                ),
                f"LOG_LEVEL={r.choice(['info', 'debug', 'warning'])}",
            ] + [
                f"{r.choice(NOUNS).upper()}_{r.choice(['URL', 'TIMEOUT', 'ENABLED'])}={r.randint(0, 9999)}"
                for _ in range(r.randint(0, 12))
            ]
            text = "\n".join(lines) + "\n"
            rel = self.tree.write("env", f"{home}/{name}".lstrip("/"), text)
            if key:
                self.keys.record(rel, text, key, "env", "plain")
        # The developer's own .env at the root: ignored by .gitignore, still on disk.
        key = self.keys.key(long_form=True)
        text = f"OPENAI_API_KEY={key}\nOPENAI_ORG_ID={self.org_id()}\nDEBUG=1\n"
        self.tree.write("env", ".env", text)
        self.keys.record(".env", text, key, "env_ignored", "plain", ignored=True)

        for i in range(self.n("docker")):
            home = (
                self.services[i % len(self.services)] if i < len(self.services) else r.choice(self.services + self.apps)
            )
            name = (
                "Dockerfile"
                if i < len(self.services)
                else r.choice(["Dockerfile.dev", "docker/Dockerfile.worker", "Dockerfile.ci", "docker/Dockerfile"])
            )
            args = "ARG OPENAI_API_KEY\nENV OPENAI_API_KEY=${OPENAI_API_KEY}\n" if r.random() < 0.1 else ""
            self.tree.write(
                "docker",
                f"{home}/{name}",
                (
                    f"FROM python:3.{r.randint(9, 12)}-slim AS base\nWORKDIR /app\n{args}"
                    "COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
                    f"EXPOSE {r.randint(3000, 9000)}\nUSER 1000\n"
                    f'CMD ["python", "-m", "{home.rsplit("/", 1)[-1].replace("-", "_")}"]\n'
                ),
            )
        sizes = normalized(lognormal_sizes(r, self.n("sh"), 1500, 0.9, 100, 40_000), self.budget("sh"))
        for size in sizes:
            home = r.choice([*self.services, "scripts", "infra/scripts", "tools"])
            parts = ["#!/usr/bin/env bash", "set -euo pipefail", f"# {r.choice(t.short)}", ""]
            if r.random() < 0.05:
                parts.append(
                    'curl -sS https://api.openai.com/v1/models -H "Authorization: Bearer $OPENAI_API_KEY" '
                    '-H "OpenAI-Organization: ${OPENAI_ORG_ID:-}"'
                )
            total = 80
            while total < size:
                block = r.choice(t.snippets["bash"])
                parts.append(block)
                total += len(block)
            self.tree.write("sh", f"{home}/{r.choice(['', 'scripts/'])}{t.slug()}.sh", "\n".join(parts) + "\n")
        for i in range(self.n("toml")):
            home = (
                (self.services + self.pylibs)[i % (len(self.services) + len(self.pylibs))]
                if i < len(self.services) + len(self.pylibs)
                else r.choice(self.services)
            )
            name = home.rsplit("/", 1)[-1]
            if i < len(self.services) + len(self.pylibs):
                deps = r.sample(
                    [
                        "fastapi",
                        "pydantic>=2",
                        "httpx",
                        "sqlalchemy",
                        "openai>=1.30",
                        "tenacity",
                        "flask-cors",
                        "flask-login",
                        "celery",
                        "redis",
                        "boto3",
                        "structlog",
                    ],
                    r.randint(2, 7),
                )
                dep_lines = "".join(f'    "{d}",\n' for d in deps)
                text = (
                    f'[project]\nname = "{name}"\nversion = "0.{r.randint(1, 40)}.0"\nrequires-python = ">=3.10"\n'
                    f"dependencies = [\n{dep_lines}]\n\n[tool.ruff]\nline-length = 100\n\n"
                    '[tool.pytest.ini_options]\naddopts = "-q"\n'
                )
                self.tree.write("toml", f"{home}/pyproject.toml", text)
            else:
                text = (
                    f'[openai]\napi_key = "{r.choice(PLACEHOLDERS)}"\norganization = "{self.org_id()}"\n'
                    f"max_retries = {r.randint(0, 5)}\n\n[server]\nport = {r.randint(3000, 9000)}\n"
                )
                self.tree.write("toml", f"{home}/config/{r.choice(['settings', 'local', 'default'])}.toml", text)
        for i in range(self.n("txt")):
            home = self.services[i % len(self.services)]
            pins = r.sample(
                [
                    "flask==3.0.3",
                    "flask-cors==4.0.1",
                    "openai==0.28.1",
                    "openai==1.40.0",
                    "tenacity==8.5.0",
                    "requests==2.32.3",
                    "pydantic==2.8.2",
                    "gunicorn==22.0.0",
                    "boto3==1.34.150",
                    "numpy==1.26.4",
                ],
                r.randint(3, 9),
            )
            self.tree.write(
                "txt", f"{home}/requirements{'' if i < len(self.services) else '-dev'}.txt", "\n".join(pins) + "\n"
            )
        sizes = normalized(lognormal_sizes(r, self.n("png"), 80_000, 1.0, 2000, 2_000_000), self.budget("png"))
        for size in sizes:
            home = r.choice(["docs/en/img", "docs/assets/images", *[f"{a}/public/images" for a in self.apps]])
            self.tree.write("png", f"{home}/{t.slug()}.png", png_bytes(r, size))

    def gen_root(self) -> None:
        t = self.text
        self.tree.write("misc", ".gitignore", GITIGNORE)
        self.tree.write(
            "misc",
            "README.md",
            f"# Example monorepo\n\n{t.paragraphs[0]}\n\n## Layout\n\n"
            + "".join(f"- `{p}`\n" for p in ["services/", "libs/", "packages/", "apps/", "docs/", "infra/"]),
        )
        self.tree.write("misc", "Makefile", ".PHONY: test lint\n\ntest:\n\tpytest -q\n\nlint:\n\truff check .\n")
        self.tree.write(
            "misc",
            ".github/CODEOWNERS",
            "".join(f"/{s}/ @example-org/team-{i % 7}\n" for i, s in enumerate(self.services)),
        )

    def run(self) -> dict[str, object]:
        steps: list[tuple[str, Callable[[], None]]] = [
            ("root", self.gen_root),
            ("python", self.gen_python),
            ("js", self.gen_js),
            ("bundles", self.gen_bundles),
            ("yaml", self.gen_yaml),
            ("json", self.gen_json),
            ("notebooks", self.gen_notebooks),
            ("small", self.gen_small),
            ("docs", self.gen_docs),
        ]
        for _name, step in steps:
            step()
        left = {k: v for k, v in self.keys.slots.items() if v}
        if left:
            print(f"warning: key slots not planted: {left}", file=sys.stderr)
        return {
            "generator_version": GENERATOR_VERSION,
            "seed": self.seed,
            "scale": self.scale,
            "files": self.tree.files,
            "bytes": self.tree.bytes,
            "by_category": {k: {"files": v[0], "bytes": v[1]} for k, v in sorted(self.tree.by_cat.items())},
            "openai_files": sorted(self.openai_files),
            "planted_keys": self.keys.records,
        }


GITIGNORE = """# Python
__pycache__/
*.py[cod]
.venv/
.pytest_cache/
.mypy_cache/
*.egg-info/
# Node
node_modules/
.next/
coverage/
# Local settings (the root .env is the developer's own)
/.env
.env.local
# OS
.DS_Store
"""


def git_commit(out: Path, seed: int, scale: float) -> None:
    settings = {
        "user.name": "bench",
        "user.email": "bench@example.invalid",
        "commit.gpgsign": "false",
        "core.autocrlf": "false",
        "init.defaultBranch": "main",
        # No background "git gc --auto" after the commit: it would repack the tree's 27,000 loose
        # objects for minutes while the benchmark runs.
        "gc.auto": "0",
        "maintenance.auto": "false",
    }
    base = ["git", *(arg for k, v in settings.items() for arg in ("-c", f"{k}={v}")), "-C", str(out)]
    subprocess.run([*base, "init", "-q"], check=True)
    for key in ("gc.auto", "maintenance.auto"):  # also for later git commands in the tree
        subprocess.run([*base, "config", key, settings[key]], check=True)
    subprocess.run([*base, "add", "-A"], check=True)
    subprocess.run([*base, "commit", "-q", "--no-verify", "-m", f"bench tree seed={seed} scale={scale}"], check=True)


def manifest_path(out: Path) -> Path:
    return out.parent / (out.name + ".manifest.json")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--no-git", action="store_true", help="do not git init/add/commit the tree")
    ap.add_argument("--force", action="store_true", help="replace OUT_DIR if it is a tree made by this script")
    args = ap.parse_args(argv)
    out: Path = args.out_dir.resolve()
    if args.scale <= 0:
        ap.error("--scale must be positive")
    if out.exists() and any(out.iterdir()):
        if not args.force:
            ap.error(f"{out} exists and is not empty (use --force to replace a generated tree)")
        if not manifest_path(out).exists():
            ap.error(f"{out} has no {manifest_path(out).name} beside it; refusing to delete it")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    manifest_path(out).unlink(missing_ok=True)
    t0 = time.perf_counter()
    manifest = Generator(out, args.seed, args.scale).run()
    t_gen = time.perf_counter() - t0
    if not args.no_git:
        git_commit(out, args.seed, args.scale)
    t_all = time.perf_counter() - t0
    manifest["git"] = not args.no_git
    manifest_path(out).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    by_cat = manifest["by_category"]
    assert isinstance(by_cat, dict)
    print(f"{'category':<10} {'files':>7} {'MB':>9}")
    for cat, st in by_cat.items():
        print(f"{cat:<10} {st['files']:>7} {st['bytes'] / MB:>9.1f}")
    files = manifest["files"]
    nbytes = manifest["bytes"]
    assert isinstance(nbytes, int)
    print(f"{'total':<10} {files:>7} {nbytes / MB:>9.1f}")
    planted = manifest["planted_keys"]
    openai_files = manifest["openai_files"]
    assert isinstance(planted, list) and isinstance(openai_files, list)
    ignored = sum(1 for k in planted if k["ignored_by_git"])
    print(f"planted keys: {len(planted)} ({ignored} in git-ignored files); openai files: {len(openai_files)}")
    print(f"generated in {t_gen:.1f}s, {t_all:.1f}s with git; manifest: {manifest_path(out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
