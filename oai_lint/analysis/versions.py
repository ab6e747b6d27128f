"""Version constraints: whether every version a PEP 440 / Poetry / conda constraint or an npm range allows
is below a major version."""

from __future__ import annotations

import re


def _version(text: str) -> tuple[int, ...] | None:
    m = re.match(r"^v?(\d+(?:\.\d+)*)", text.strip())
    if not m:
        return None
    return tuple(int(p) for p in m.group(1).split("."))


def python_spec_below(spec: str, major: int) -> bool:
    """Whether every version a PEP 440 (or Poetry/conda) constraint allows is below ``major``.0."""
    spec = spec.strip()
    if not spec or spec == "*":
        return False
    for clause in re.split(r"\s*,\s*", spec):
        m = re.match(r"^(===|==|~=|<=|>=|!=|<|>|=|\^|~)?\s*(.+)$", clause.strip())
        if not m:
            continue
        op, ver = m.group(1) or "==", m.group(2).strip()
        wildcard = ver.endswith((".*", ".x"))
        v = _version(ver.rstrip("*x").rstrip(".") if wildcard else ver)
        if v is None:
            continue
        if op in {"<"} and v <= (major,) + (0,) * (len(v) - 1):
            return True
        if op == "<=" and v[0] < major:
            return True
        if op in {"==", "===", "=", "^", "~", "~="} and v[0] < major:
            return True
    return False


def npm_spec_below(spec: str, major: int) -> bool:
    """Whether every version an npm range allows is below ``major``.0.0 (unknown forms: False)."""
    spec = spec.strip()
    if not spec or spec in {"*", "x", "latest", "next"} or re.search(r"[:/#]", spec):
        return False
    for alternative in spec.split("||"):
        alt = re.sub(r"(<=|>=|<|>|=|\^|~)\s+", r"\1", alternative.strip())
        if not alt:
            return False
        if " - " in alternative:
            upper = _version(alternative.split(" - ", 1)[1].strip())
            if upper is None or upper[0] >= major:
                return False
            continue
        below = False
        for comp in alt.split():
            m = re.match(r"^(<=|>=|<|>|=|\^|~)?v?([\dxX*]+(?:\.[\dxX*]+)*)", comp)
            if not m:
                continue
            op, ver = m.group(1) or "", m.group(2)
            first = ver.split(".")[0]
            if not first.isdigit():
                continue
            n = int(first)
            rest = ver.split(".")[1:]
            wild_rest = all(p in {"0", "x", "X", "*"} for p in rest)
            if (
                (op in {"", "=", "^", "~"} and n < major)
                or (op == "<" and (n < major or (n == major and wild_rest)))
                or (op == "<=" and n < major)
            ):
                below = True
        if not below:
            return False
    return True
