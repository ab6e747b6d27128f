"""Markdown/MDX documentation pages, changelogs and API references."""

from __future__ import annotations

from gen.base import GeneratorBase
from gen.shape import BIGDOC_MB, DOC_SECTIONS, LANGS, MB, OPENAI_DOC_SHARE, TOTAL_BYTES, lognormal_sizes, normalized


class Docs(GeneratorBase):
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
