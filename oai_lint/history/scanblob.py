"""OAI101 on one file version: the rule that scans work trees, run unchanged on a blob's text.

The checks, their prefilter (by the kind of file the path names: base64 is not looked for in Markdown),
notebooks, suppression comments, per-file ignores, severity overrides and detect-secrets' audited
strings all come from the engine. What history adds is the identity of each key: a digest of the full
key, kept in memory to tell distinct keys apart and never shown anywhere.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass, replace

from oai_lint.analysis.keys import find_encoded_keys, find_keys
from oai_lint.checks import Check, Context
from oai_lint.engine import Scanner, Settings
from oai_lint.engine.scanner import PATH_KIND
from oai_lint.findings import Finding
from oai_lint.sources import Source, kind_for
from oai_lint.sources.text import BinaryFile, decode

RULE = "OAI101"


@dataclass(frozen=True)
class KeyHit:
    """A key in a blob: its identity (a digest of the full key), and the finding OAI101 made of it."""
    key_id: bytes
    finding: Finding


def key_id(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()


def _key_ids(source: Source) -> dict[tuple[int, int], bytes]:
    """(line, column) where OAI101 reports a key -> the key's identity (plain and base64-encoded keys)."""
    out: dict[tuple[int, int], bytes] = {}
    text = source.text
    for k in find_keys(text):
        out[source.position(k.start)] = key_id(text[k.start : k.end])
    if "c2st" in text:
        for start, end, k in find_encoded_keys(text):
            raw = text[start:end]
            try:
                decoded = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=False).decode("ascii", "replace")
            except (binascii.Error, ValueError):
                continue
            out.setdefault(source.position(start), key_id(decoded[k.start : k.end]))
    return out


class BlobScanner:
    """Runs OAI101 over blobs with the user's settings (only that rule)."""

    def __init__(self, settings: Settings, top: str) -> None:
        self.top = top
        # only OAI101; an `ignore` of the configuration that names it still applies
        self.settings = replace(settings, select=[RULE], scope="all")
        context = Context(root=top, options=dict(settings.options), in_git=True, rules=frozenset({RULE}),
                          max_file_size=settings.max_file_size)
        self.scanner = Scanner(self.settings, context)

    @property
    def enabled(self) -> bool:
        return self.settings.enabled(RULE)

    def _path_checks(self, path: bytes) -> bool:
        """Whether a check of the file's path (a key as a file or directory name) can fire on ``path``."""
        return any(t in path for c in self.scanner.path_checks for t in c.triggers)

    def wanted(self, path: bytes, data: bytes) -> bool:
        """The prefilter: whether OAI101 can fire on ``data`` committed at ``path`` (bytes only)."""
        if self._path_checks(path):
            return True
        plan = self.scanner.plan(_kind(path))
        if plan.triggers is None or plan.matches(data):
            return True
        if data.find(b"\0", 0, 8192) != -1 or data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: wide triggers
            return any(t.decode().encode(enc) in data for t in plan.triggers for enc in ("utf-16-le", "utf-16-be"))
        return False

    def scan(self, path: bytes, data: bytes) -> list[KeyHit]:
        """The keys in the blob as OAI101 reports them at ``path`` (suppressed ones included, marked), and a key
        in the path itself (a file or directory name), as a scan of the work tree reports it."""
        name = os.fsdecode(path)
        abspath = os.path.join(self.top, name)
        sources: list[tuple[Source, list[Check] | None]] = []
        if self._path_checks(path):
            sources.append((Source(name, name, PATH_KIND, abspath), self.scanner.path_checks))
        try:
            text, _ = decode(data)
            sources.append((Source(name, text, _kind(path), abspath), None))
        except BinaryFile:
            pass
        out = []
        for source, checks in sources:
            result = self.scanner.scan_source(source, checks=checks, meta=checks is None)
            if not result.findings:
                continue
            at = _key_ids(source) if checks is None else {}  # a key in the text: known by where it starts
            # keys in the path: every finding is at 1:1 and names its key in redacted form
            named = {k.redacted: key_id(name[k.start : k.end]) for k in find_keys(name)} if checks else {}
            for f in result.findings:
                kid = at.get((f.line, f.column)) if checks is None else next(
                    (kid for red, kid in named.items() if red in f.message), None)
                if f.rule_id == RULE and kid is not None:
                    out.append(KeyHit(kid, f))
        return out


def _kind(path: bytes) -> str:
    return kind_for(os.fsdecode(path.rsplit(b"/", 1)[-1]))
