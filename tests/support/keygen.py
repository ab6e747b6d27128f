"""Fake OpenAI keys of every known format, generated at test time (no key literal lives in the repo)."""

from __future__ import annotations

import random
import string

ALNUM = string.ascii_letters + string.digits
B64URL = ALNUM + "_-"
MARKER = "T3BlbkFJ"


def _rand(rng: random.Random, n: int, alphabet: str) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def make_key(fmt: str, rng: random.Random | None = None) -> str:
    """A key of the format with random parts that do not happen to spell a placeholder ("fake", "your"…,
    which the recogniser rightly skips: a test with such a key would fail about once in a few hundred
    runs)."""
    rng = rng or random.Random()
    while True:
        key = _make_key(fmt, rng)
        if not _looks_placeholder(key):
            return key


def _looks_placeholder(key: str) -> bool:
    from oai_lint.analysis.keys import is_placeholder

    left, _, right = key.partition(MARKER)
    return is_placeholder(left.rsplit("-", 1)[-1]) or is_placeholder(right) or is_placeholder(left + right)


def _make_key(fmt: str, rng: random.Random) -> str:
    if fmt == "legacy":  # 51
        return "sk-" + _rand(rng, 20, ALNUM) + MARKER + _rand(rng, 20, ALNUM)
    if fmt in {"proj56", "none56"}:  # 56
        prefix = "sk-proj-" if fmt == "proj56" else "sk-None-"
        return prefix + _rand(rng, 20, ALNUM) + MARKER + _rand(rng, 20, ALNUM)
    if fmt == "named":
        return "sk-billing-bot-" + _rand(rng, 20, ALNUM) + MARKER + _rand(rng, 20, ALNUM)
    if fmt == "service-named":  # sk-service-<name>-<20>T3BlbkFJ<20> (trufflehog's detector tests use one)
        return "sk-service-ingest-worker-" + _rand(rng, 20, ALNUM) + MARKER + _rand(rng, 20, ALNUM)
    prefix, n = {
        "proj132": ("sk-proj-", 58),
        "proj164": ("sk-proj-", 74),
        "svcacct167": ("sk-svcacct-", 74),
        "admin133": ("sk-admin-", 58),
        "none164": ("sk-None-", 74),
    }[fmt]
    return prefix + _rand(rng, n, B64URL) + MARKER + _rand(rng, n - 1, B64URL) + "A"


FORMATS = ("legacy", "proj56", "proj132", "proj164", "svcacct167", "admin133", "none56", "none164", "named",
           "service-named")
LENGTHS = {"legacy": 51, "proj56": 56, "proj132": 132, "proj164": 164, "svcacct167": 167, "admin133": 133,
           "none56": 56, "none164": 164}
