"""YAML: every document as a node tree with line numbers (aliases are never expanded)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_NODES = 200_000  # a guard for pathological documents; aliases are shared, never copied


@dataclass
class YamlDoc:
    """One document of a YAML file, as a node tree with positions."""
    root: yaml.Node

    def get(self, *path: str) -> yaml.Node | None:
        node: yaml.Node | None = self.root
        for key in path:
            node = mapping_get(node, key)
            if node is None:
                return None
        return node


def parse(text: str) -> tuple[list[YamlDoc], str | None]:
    docs: list[YamlDoc] = []
    try:
        for root in yaml.compose_all(text, Loader=_Loader):
            if root is not None:
                docs.append(YamlDoc(root))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return docs, f"YAML does not parse{where} ({problem}); only text-level rules were applied after it"
    except (RecursionError, MemoryError):
        return docs, "YAML too deeply nested to parse; only text-level rules were applied"
    return docs, None


def mapping_get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return v  # type: ignore[no-any-return]
    return None


def mapping_items(node: yaml.Node | None) -> Iterator[tuple[yaml.ScalarNode, yaml.Node]]:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode):
                yield k, v


def sequence_items(node: yaml.Node | None) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def walk(node: yaml.Node) -> Iterator[yaml.Node]:
    """Every node once, even when aliases share it (a "billion laughs" document stays small)."""
    seen: set[int] = set()
    stack = [node]
    count = 0
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        count += 1
        if count > MAX_NODES:
            return
        yield current
        if isinstance(current, yaml.MappingNode):
            for k, v in reversed(current.value):
                stack.append(v)
                stack.append(k)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(reversed(current.value))
