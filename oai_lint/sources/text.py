"""Bytes to text: encodings, binary detection, line tables."""

from __future__ import annotations

import bisect
import codecs
from array import array

from oai_lint.lazyre import lazy_compile

_NEWLINE = lazy_compile(r"\r\n?|\n")


class BinaryFile(Exception):
    pass


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte NUL in the ASCII-heavy text that source files are."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2]
    odd = sample[1::2]
    if odd.count(0) > 0.7 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.7 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _looks_utf32(data: bytes) -> str | None:
    """UTF-32 without a BOM: three NUL bytes in every four of ASCII-heavy text."""
    sample = data[: 4096 - 4096 % 4]
    if len(sample) < 8:
        return None
    columns = [sample[i::4] for i in range(4)]
    zero = [c.count(0) > 0.9 * len(c) for c in columns]
    if zero[1] and zero[2] and zero[3] and not zero[0]:
        return "utf-32-le"
    if zero[0] and zero[1] and zero[2] and not zero[3]:
        return "utf-32-be"
    return None


_BLOCK = 512


def _utf16_end(data: bytes, start: int) -> int:
    """Where text that starts as UTF-16 (without a BOM) stops being UTF-16: the first aligned block of
    :data:`_BLOCK` bytes with no NUL byte at all (UTF-16 text has NULs in its spaces and line ends), or
    the end."""
    for pos in range(start, len(data), _BLOCK):
        block = data[pos : pos + _BLOCK]
        if len(block) == _BLOCK and b"\0" not in block:
            last = data.rfind(b"\0", 0, pos)  # the end of the last UTF-16 character with a NUL
            cut = last + 1 + (last + 1) % 2 if last >= 0 else pos
            return min(cut, pos)
    return len(data)


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode file bytes. Returns (text, note); raises BinaryFile for binary content."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), None
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16: FF FE 00 00
        return data.decode("utf-32", errors="replace"), None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), None
    if b"\0" in data[:8192]:
        enc = _looks_utf32(data)
        if enc is not None:
            return data.decode(enc, errors="replace"), None
        enc = _looks_utf16(data)
        if enc is None:
            raise BinaryFile("binary file")
        end = _utf16_end(data, 4096)
        if end < len(data):  # UTF-16 first, then something else (UTF-8): each part decoded as what it is
            head = data[:end].decode(enc, errors="replace")
            return head + data[end:].decode("utf-8", errors="replace"), (
                f"the file starts as UTF-16 and is not UTF-16 from byte {end}; that part was read as "
                "UTF-8 and the file was still checked")
        return data.decode(enc, errors="replace"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return (
            data.decode("utf-8", errors="replace"),
            f"invalid UTF-8 at byte {exc.start}; undecodable bytes were replaced and the file was still checked",
        )


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` as ``LineIndex`` numbers them: broken at \\n, \\r\\n and a lone \\r only.

    ``str.splitlines`` also breaks at \\v, \\f, \\x1c-\\x1e, \\x85, U+2028 and U+2029, which Python, YAML
    and JavaScript do not treat as line ends: a form feed in a file shifted every later line number.
    Like ``splitlines``, a final line break does not start another (empty) line.
    """
    lines = _NEWLINE.split(text)
    if lines[-1] == "":
        lines.pop()
    return lines


class LineIndex:
    """Maps character offsets to 1-based (line, column). Understands \\n, \\r\\n and lone \\r."""

    def __init__(self, text: str) -> None:
        # an array of line starts: 8 bytes a line (a list of ints takes 36)
        starts = array("q", [0])
        if "\r" not in text:  # fast path: only \n
            find = text.find
            append = starts.append
            pos = find("\n")
            while pos != -1:
                append(pos + 1)
                pos = find("\n", pos + 1)
        else:  # a regex, not a loop over characters (a 50 MB file with \r took 10 s)
            starts.extend(m.end() for m in _NEWLINE.finditer(text))
        self.starts = starts
        self.text = text

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def line_text(self, line: int) -> str:
        if line < 1 or line > len(self.starts):
            return ""
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def offset(self, line: int, column: int) -> int:
        return self.starts[line - 1] + column - 1

    @property
    def count(self) -> int:
        return len(self.starts)


def has(data: bytes, needle: bytes, seen: dict[bytes, bool]) -> bool:
    """``needle in data``, searched once per file: ``seen`` remembers the answers (the prefilter's,
    the checks' and the facts providers' searches of one file share it)."""
    found = seen.get(needle)
    if found is None:
        found = seen[needle] = needle in data
    return found
