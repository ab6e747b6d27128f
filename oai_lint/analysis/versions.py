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
    """Whether every version a PEP 440 (or Poetry/conda) constraint allows is below ``major``.0.

    The PEP 440 clauses are read by ``packaging`` (the library pip uses); Poetry's ``^``/``~``, conda's
    ``=`` and a bare version are not PEP 440 and are read here. The versions a set of PEP 440 clauses
    allows change only at the versions the clauses name, so probing ``major``.0, each named version, a
    version just above it and the end of each wildcard tells whether any version from ``major``.0 on is
    allowed (``!=1.*,<2`` allows none: only 0.x)."""
    spec = spec.strip()
    if not spec or spec == "*":
        return False
    pep440: list[str] = []
    for clause in (c.strip() for c in re.split(r"\s*,\s*", spec)):
        m = re.match(r"^(\^|~(?!=)|=(?!=))\s*(.+)$", clause)
        if m or (clause[:1].isdigit()):
            # Poetry caret/tilde, conda's single `=`, a bare version: that major version (or below)
            ver = m.group(2) if m else clause
            v = _version(ver.rstrip("*x").rstrip("."))
            if v is not None and v[0] < major:
                return True
            continue
        if clause:
            pep440.append(clause)
    return bool(pep440) and _pep440_below(pep440, major)


def _pep440_below(clauses: list[str], major: int) -> bool:
    from packaging.specifiers import InvalidSpecifier, Specifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    valid: list[Specifier] = []
    for clause in clauses:
        try:
            valid.append(Specifier(clause))
        except InvalidSpecifier:
            continue  # not a constraint pip would accept either: it says nothing
    if not valid:
        return False
    specs = SpecifierSet(",".join(str(s) for s in valid))
    floor = Version(str(major))
    probes = {floor, Version("99999")}
    for s in valid:
        text = s.version
        wildcard = text.endswith(".*")
        try:
            v = Version(text[:-2] if wildcard else text)
        except InvalidVersion:
            continue
        probes.add(v)
        probes.add(Version(f"{v.base_version}.0.0.1"))  # just above it (below any other version named)
        if wildcard:  # 1.2.* ends where 1.3 begins
            release = list(v.release)
            release[-1] += 1
            probes.add(Version(".".join(map(str, release))))
        elif s.operator == "~=":  # ~=0.27 allows up to 1; ~=0.27.8 up to 0.28
            release = list(v.release[:-1])
            release[-1] += 1
            probes.add(Version(".".join(map(str, release))))
    if not any(specs.contains(p, prereleases=True) for p in probes):
        return True  # nothing is allowed at all (contradictory clauses): no version from `major` on either
    return not any(p >= floor and specs.contains(p, prereleases=True) for p in probes)


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
