"""Python modules and tests, some using the OpenAI SDK."""

from __future__ import annotations

from gen.base import GeneratorBase
from gen.shape import MODELS, NOUNS, OPENAI_SHARE, VERBS, lognormal_sizes, normalized


class PythonFiles(GeneratorBase):
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
