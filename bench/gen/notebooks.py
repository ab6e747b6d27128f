"""Jupyter notebooks."""

from __future__ import annotations

import base64
import json

from gen.base import GeneratorBase
from gen.shape import NOTEBOOK_KB, rand_str


class Notebooks(GeneratorBase):
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
