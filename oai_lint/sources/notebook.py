"""Jupyter notebooks: code cells as one Python module whose line numbers point into the .ipynb file."""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from json.decoder import scanstring  # type: ignore[attr-defined]

from oai_lint.lazyre import lazy_compile
from oai_lint.sources.python import parse as parse_python
from oai_lint.sources.python import walk
from oai_lint.sources.text import LineIndex

_LINE_BREAK = lazy_compile(r"\r\n?|\n")

_SOURCE_KEY = lazy_compile(r'"source"\s*:\s*')


@dataclass
class Cell:
    """A notebook cell's lines, with the line and column of each in the .ipynb file."""
    index: int
    cell_type: str
    lines: list[str]  # source lines without newlines
    file_lines: list[int]  # the .ipynb line of each source line
    file_cols: list[int]  # the .ipynb column where each source line starts


@dataclass
class Notebook:
    """A parsed notebook: its cells, kernel language and the code cells as one module."""
    cells: list[Cell]
    language: str
    module: ast.Module | None = None
    notes: list[str] = field(default_factory=list)


def _locate(text: str, index: LineIndex, pos: int, expected: list[str]) -> tuple[list[int], list[int], int]:
    """Lines/columns in the file of each element of a cell's ``source`` value starting near ``pos``."""
    m = _SOURCE_KEY.search(text, pos)
    if m is None:
        return [], [], -1  # no "source" key after pos: the caller stops searching
    i = m.end()
    starts: list[int] = []
    values: list[str] = []
    try:
        if text[i] == "[":
            i += 1
            while True:
                while text[i] in " \t\r\n,":
                    i += 1
                if text[i] == "]":
                    i += 1
                    break
                if text[i] != '"':
                    return [], [], m.end()
                starts.append(i + 1)
                value, i = scanstring(text, i + 1)
                values.append(value)
        elif text[i] == '"':
            starts.append(i + 1)
            value, i = scanstring(text, i + 1)
            values.append(value)
    except (IndexError, ValueError):
        return [], [], m.end()
    if "".join(values) != "".join(expected):
        return [], [], i
    lines: list[int] = []
    cols: list[int] = []
    for start, value in zip(starts, values, strict=True):
        line, col = index.position(start)
        pieces = _LINE_BREAK.split(value)
        # a single string holding many lines: later lines stay on the string's line
        for _ in pieces[:-1] if value.endswith(("\n", "\r")) else pieces:
            lines.append(line)
            cols.append(col)
    return lines, cols, i


def _mapping(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}


def parse(text: str) -> tuple[Notebook | None, list[str]]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return None, [f"notebook is not valid JSON ({str(exc)[:120]}); only text-level rules were applied"]
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        return None, ["notebook has no cells list (not nbformat 4?); only text-level rules were applied"]
    # metadata and kernelspec are objects in nbformat, but a file may hold anything there
    language = str(_mapping(_mapping(data.get("metadata")).get("kernelspec")).get("language") or "python")
    index = LineIndex(text)
    cells: list[Cell] = []
    pos = 0
    searching = True  # searching again after the last "source" key rescans the file for every cell
    for n, raw in enumerate(data["cells"]):
        if not isinstance(raw, dict):
            continue
        src = raw.get("source", "")
        parts = [str(s) for s in src] if isinstance(src, list) else [str(src)]
        joined = "".join(parts)
        lines = _LINE_BREAK.split(joined)  # as Python reads them: a lone \r ends a line too
        if joined.endswith(("\n", "\r")):
            lines.pop()
        file_lines: list[int] = []
        file_cols: list[int] = []
        if searching and "source" in raw:
            file_lines, file_cols, found = _locate(text, index, pos, parts)
            searching = found >= 0
            pos = found if searching else pos
        if len(file_lines) != len(lines):
            fallback = index.position(pos)[0] if pos else 1
            file_lines = [fallback] * len(lines)
            file_cols = [1] * len(lines)
        cells.append(Cell(n, str(raw.get("cell_type", "")), lines, file_lines, file_cols))
    nb = Notebook(cells, language)
    if language.lower().startswith("python"):
        nb.module = _module(nb)
    return nb, nb.notes


def _code(cell: Cell) -> list[str]:
    if cell.lines and cell.lines[0].lstrip().startswith("%%"):
        return ["# " + line for line in cell.lines]  # a cell magic: not Python
    out = []
    for line in cell.lines:
        stripped = line.lstrip()
        if stripped.startswith(("%", "!", "?")) or stripped.endswith("?"):
            indent = line[: len(line) - len(stripped)]
            out.append(f"{indent}pass  # {stripped}" if indent else "# " + stripped)
        else:
            out.append(line)
    return out


def _module(nb: Notebook) -> ast.Module | None:
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    combined: list[str] = []
    line_map: list[tuple[int, int]] = []
    for cell in code_cells:
        combined.extend(_code(cell))
        line_map.extend(zip(cell.file_lines, cell.file_cols, strict=False))
    tree, _ = parse_python("\n".join(combined) + "\n")
    if tree is None:
        # one broken cell must not hide the others: parse cell by cell
        body: list[ast.stmt] = []
        offset = 0
        for cell in code_cells:
            sub, note = parse_python("\n".join(_code(cell)) + "\n")
            if sub is not None:
                ast.increment_lineno(sub, offset)
                body.extend(sub.body)
            elif note:
                nb.notes.append(f"cell {cell.index + 1}: {note}")
            offset += len(cell.lines)
        tree = ast.Module(body=body, type_ignores=[])
    n = len(line_map)
    for node in walk(tree):
        lineno = getattr(node, "lineno", None)
        if lineno is None:
            continue  # a node without a position (a context, an operator…)
        if isinstance(lineno, int) and 1 <= lineno <= n:
            file_line, file_col = line_map[lineno - 1]
            if hasattr(node, "col_offset"):
                node.col_offset += file_col - 1
            node.lineno = file_line  # type: ignore[attr-defined]
        end = getattr(node, "end_lineno", None)
        if isinstance(end, int) and 1 <= end <= n:
            node.end_lineno = line_map[end - 1][0]  # type: ignore[attr-defined]
    return tree
