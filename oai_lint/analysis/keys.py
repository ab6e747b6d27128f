"""OpenAI key recognition: formats, placeholders, redaction.

Every OpenAI ``sk-`` key carries the marker ``T3BlbkFJ`` (base64 of "OpenAI") with random parts of
equal length on both sides. Candidates are found from the marker outwards, so the characters around a
key (quotes, ``\\"`` in notebooks, ``,`` ``)``, end of line) do not matter.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import math
from collections.abc import Iterator
from typing import NamedTuple

from oai_lint.lazyre import lazy_compile

MARKER = "T3BlbkFJ"
_KEYCHARS = lazy_compile(r"[A-Za-z0-9_-]*")
_ALNUM = lazy_compile(r"[A-Za-z0-9]+")
_B64URL = lazy_compile(r"[A-Za-z0-9_-]+")
_NAME = lazy_compile(r"[a-z0-9](?:[a-z0-9-]{0,40}[a-z0-9])?")
_NAMEISH = lazy_compile(r"[A-Za-z0-9-]{1,64}")
_B64_TOKEN = lazy_compile(r"c2st[A-Za-z0-9+/]{40,}={0,2}")

KNOWN_PREFIXES = {
    "proj": "project",
    "svcacct": "service account",
    "admin": "admin",
    "None": "user (no project)",
    "service": "service account",
}
OTHER_VENDORS = ("ant", "or", "lf", "fw")  # Anthropic, OpenRouter, Langfuse, … never OpenAI
PLACEHOLDER_WORDS = (
    "example", "xxxx", "your", "dummy", "fake", "sample", "placeholder", "replace", "redacted",
    "changeme", "insert", "abcdef", "123456", "000000", "test-key", "testkey", "mock", "notreal",
    "secret-here", "keyhere", "key-here", "key_here",
)


class KeyMatch(NamedTuple):
    """An OpenAI key found in text: where it is, its kind, and its redacted form."""
    start: int  # character offset of "sk-" in the searched text
    end: int
    kind: str  # legacy | project | service account | admin | user (no project) | named service account
    prefix: str  # "sk-proj-", "sk-", "sk-mybot-"
    redacted: str
    severity: str  # critical for admin keys, else high

    @property
    def length(self) -> int:
        return self.end - self.start


def redact(key: str, prefix: str) -> str:
    """``sk-proj-…Xa9Q``: the known prefix and the last four characters, never more."""
    return f"{prefix}…{key[-4:]}"


def shannon_entropy(text: str) -> float:
    if not text:
        return 0.0
    counts: dict[str, int] = {}
    for ch in text:
        counts[ch] = counts.get(ch, 0) + 1
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def _sequential(text: str) -> bool:
    """Long runs of consecutive or repeated characters (abcdef…, 123456…, aaaa…)."""
    run_up = run_same = 1
    for a, b in itertools.pairwise(text):
        run_up = run_up + 1 if ord(b) - ord(a) == 1 else 1
        run_same = run_same + 1 if a == b else 1
        if run_up >= 6 or run_same >= 6:
            return True
    return False


def is_placeholder(random_part: str) -> bool:
    lower = random_part.lower()
    if any(word in lower for word in PLACEHOLDER_WORDS):
        return True
    if _sequential(random_part):
        return True
    return shannon_entropy(random_part) < 3.0


def classify(token: str) -> tuple[str, str] | None:
    """(kind, prefix) for a well-formed key token, or None. ``token`` runs from ``sk-`` to its end."""
    pos = token.find(MARKER)
    if pos < 0 or not token.startswith("sk-"):
        return None
    left, right = token[:pos], token[pos + len(MARKER) :]
    body = left[3:]
    head, dash, rest = body.partition("-")
    if dash and head in KNOWN_PREFIXES:
        n, m = len(rest), len(right)
        if not (_B64URL.fullmatch(rest) and _B64URL.fullmatch(right)):
            return None
        if (n == m and n in (20, 58, 74)) or (20 <= n <= 100 and 20 <= m <= 100 and abs(n - m) <= 2):
            return KNOWN_PREFIXES[head], f"sk-{head}-"
        # service-account key with its name: sk-service-<name>-<20>T3BlbkFJ<20> (reference/key-formats.md)
        name, _, tail = rest.rpartition("-")
        if head == "service" and name and len(tail) == 20 and len(right) == 20 and _ALNUM.fullmatch(tail) \
                and _ALNUM.fullmatch(right) and _NAMEISH.fullmatch(name):
            return "service account", "sk-service-"
        return None
    if _ALNUM.fullmatch(body) and _ALNUM.fullmatch(right):
        if len(body) == len(right) and len(body) >= 20:
            return "legacy", "sk-"
        return None
    # named service-account key: sk-<name>-<20>T3BlbkFJ<20>
    name, _, tail = body.rpartition("-")
    if (
        name and len(tail) == 20 and len(right) == 20 and _ALNUM.fullmatch(tail) and _ALNUM.fullmatch(right)
        and _NAME.fullmatch(name) and name.split("-")[0] not in OTHER_VENDORS
    ):
        return "named service account", f"sk-{name}-"
    return None


def find_keys(text: str) -> Iterator[KeyMatch]:
    """Every plausible OpenAI key in ``text`` (placeholders and other vendors excluded)."""
    pos = text.find(MARKER)
    last_end = -1
    while pos != -1:
        # extend left over key characters, then find the "sk-" that starts the token
        lo = pos
        while lo > 0 and (text[lo - 1].isalnum() or text[lo - 1] in "_-") and pos - lo < 200:
            lo -= 1
        hi = pos + len(MARKER)
        m = _KEYCHARS.match(text, hi)
        hi = m.end() if m else hi
        start = text.find("sk-", lo, pos)
        while start != -1:
            # the "sk-" must begin a word: "task-…" is not a key
            if start == 0 or not (text[start - 1].isalnum() or text[start - 1] in "_"):
                break
            # an escape such as \n or \t in a JSON or source string literal also begins a word
            if start >= 2 and text[start - 2] == "\\" and text[start - 1] in "ntrfbv":
                break
            start = text.find("sk-", start + 1, pos)
        if start != -1 and start >= last_end:
            token = text[start:hi]
            kind = classify(token)
            if kind is not None:
                marker_at = token.find(MARKER)
                random_part = token[len(kind[1]) : marker_at] + token[marker_at + len(MARKER) :]
                if not is_placeholder(random_part):
                    severity = "critical" if kind[0] == "admin" else "high"
                    yield KeyMatch(start, hi, kind[0], kind[1], redact(token, kind[1]), severity)
                    last_end = hi
        pos = text.find(MARKER, max(hi, pos + 1))


def is_key_literal(value: str) -> bool:
    """The value holds a recognised OpenAI key."""
    return any(True for _ in find_keys(value))


def find_encoded_keys(text: str) -> Iterator[tuple[int, int, KeyMatch]]:
    """Keys hidden in base64 (Kubernetes Secret ``data:``, CI variables): (start, end, key in decoded)."""
    for m in _B64_TOKEN.finditer(text):
        raw = m.group(0)
        try:
            decoded = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=False).decode("ascii", "replace")
        except (binascii.Error, ValueError):
            continue
        for key in find_keys(decoded):
            yield m.start(), m.end(), key



_TOKEN = lazy_compile(r"[A-Za-z0-9_-]+")
_NEAR_MISS_SK = 16  # an ``sk-`` token with this many key characters after it is redacted even unrecognised


def _near_miss(token: str) -> str:
    """A run of key characters with anything key-like redacted: a token that holds the marker entirely
    (keeping its last four characters), a long ``sk-`` token from its ``sk-`` on."""
    if MARKER in token:
        return "…" + token[-4:]
    pos = token.find("sk-")
    while pos != -1:
        if (pos == 0 or token[pos - 1] == "-") and len(token) - pos - 3 >= _NEAR_MISS_SK:
            return token[:pos] + "sk-…" + token[-4:]
        pos = token.find("sk-", pos + 1)
    return token


def redact_text(text: str) -> str:
    """``text`` (anything built from input: a message, a path, an exception's text) with anything
    key-like redacted: recognised keys by :func:`redact` and also near-misses (a token with the marker, a
    long ``sk-`` token). Linear in the length of ``text``."""
    if MARKER not in text and "sk-" not in text:
        return text
    out, last = [], 0
    for key in find_keys(text):
        out.append(text[last : key.start])
        out.append(key.redacted)
        last = key.end
    out.append(text[last:])
    joined = "".join(out)
    if MARKER not in joined and "sk-" not in joined:
        return joined
    return _TOKEN.sub(lambda m: _near_miss(m.group()), joined)
