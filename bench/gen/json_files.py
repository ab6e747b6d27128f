"""JSON files: package manifests, configuration, test fixtures."""

from __future__ import annotations

import json

from gen.base import GeneratorBase
from gen.shape import LANGS, NOUNS, TECH, VERBS, lognormal_sizes, normalized, rand_str


class JsonFiles(GeneratorBase):
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
