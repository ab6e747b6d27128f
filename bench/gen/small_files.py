"""Small files: TOML, .env, Dockerfiles, shell scripts, text, PNGs; and the root files."""

from __future__ import annotations

from gen.base import GeneratorBase
from gen.shape import NOUNS, PLACEHOLDERS, lognormal_sizes, normalized, png_bytes

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


class SmallFiles(GeneratorBase):
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
