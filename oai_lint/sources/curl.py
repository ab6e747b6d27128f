"""``curl`` command lines in shell scripts, Makefiles, Dockerfiles, CI YAML and Markdown code blocks.

What the org/project and retry rules need: the URLs, the ``-H`` headers (with the line each is written on),
whether something else may set the ``Authorization`` header (``--oauth2-bearer``, ``-u``, ``-K``), the HTTP
method and whether a ``--retry`` option is given. Commands are joined over ``\\`` line continuations and end at
``;``, ``&&``, ``||``, ``|``, ``&`` or a shell comment (``#`` starting a word, unquoted); a line may hold
several (``curl a && curl b``).
"""

from __future__ import annotations

import bisect
import re
import shlex
from dataclasses import dataclass

from oai_lint.lazyre import lazy_compile

_CURL = lazy_compile(r"(?<![\w./-])curl(?:\.exe)?(?=[ \t])")
_NEW_COMMAND = lazy_compile(r"[;&|(`][ \t]*$")
_FENCE_LINE = lazy_compile(r"^[ \t]{0,3}(`{3,}|~{3,})(.*)$", re.M)
_STOP = {";", "&&", "||", "|", "&", ";;", "|&"}
_REDIRECT = {">", ">>", "<", "2>", "&>"}
# curl options that take a value (the ones a command line to the OpenAI API plausibly carries)
_WITH_VALUE = {
    "-d", "--data", "--data-raw", "--data-binary", "--data-urlencode", "--json", "-F", "--form",
    "-X", "--request", "-o", "--output", "-A", "--user-agent", "-e", "--referer", "-b", "--cookie",
    "-c", "--cookie-jar", "-T", "--upload-file", "-w", "--write-out", "-m", "--max-time",
    "--connect-timeout", "--retry", "--retry-delay", "--retry-max-time", "-x", "--proxy", "--cacert",
    "--cert", "--key", "-E", "--limit-rate", "-r", "--range", "--resolve", "--connect-to",
    "--form-string", "--max-filesize", "--stderr", "--trace", "--trace-ascii", "-D", "--dump-header",
    "--expect100-timeout", "--keepalive-time", "-z", "--time-cond", "--variable", "--aws-sigv4",
}
MAX_JOINED_LINES = 200


@dataclass(frozen=True)
class CurlHeader:
    """A header given to curl with -H."""
    name: str  # as written (case preserved)
    value: str  # after the colon, stripped; "" for "Name:" / "Name;"
    line: int  # the line the header is written on
    column: int  # of the header name on that line


@dataclass(frozen=True)
class CurlCommand:
    """A curl command: its URLs, headers and authentication options."""
    line: int  # of the word "curl"
    column: int
    end_line: int  # last physical line of the command
    urls: tuple[str, ...]
    headers: tuple[CurlHeader, ...]
    headers_known: bool  # False when headers may come from elsewhere (-H @file, -K config)
    auth_option: bool  # --oauth2-bearer / -u / --user / --aws-sigv4: Authorization set without -H
    bearer_option: str | None  # the token given to --oauth2-bearer
    in_docs: bool  # a code block in Markdown: documentation, not something that runs
    retry_option: bool  # --retry, --retry-all-errors, --retry-delay… (any option naming retries)
    method: str  # the HTTP method curl sends: -X/--request, else POST with -d/--data…/--json/-F, else GET

    def targets(self, host: str) -> bool:
        return any(host in u for u in self.urls)


def _fenced_ranges(text: str, total: int) -> list[tuple[int, int]]:
    """0-based [first, last] line indexes of the content of fenced code blocks (``` or ~~~)."""
    ranges: list[tuple[int, int]] = []
    fence: str | None = None
    opened = 0
    line_no = 0
    last = 0
    for m in _FENCE_LINE.finditer(text):
        line_no += text.count("\n", last, m.start())
        last = m.start()
        marker, rest = m.group(1), m.group(2)
        if fence is None:
            fence, opened = marker, line_no
        elif marker[0] == fence[0] and len(marker) >= len(fence) and not rest.strip():
            ranges.append((opened + 1, line_no - 1))
            fence = None
    if fence is not None:
        ranges.append((opened + 1, total - 1))
    return ranges


def _comment_start(text: str) -> int:
    """Where an unquoted shell comment starts in ``text`` (a ``#`` that begins a word), or ``len(text)``."""
    quote = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
            elif ch == "\\" and quote == '"':
                i += 1
        elif ch == "\\":
            i += 1
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or text[i - 1] in " \t;&|()"):
            return i
        i += 1
    return len(text)


def _tokens(text: str) -> list[str]:
    lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|<>")
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError:  # an unclosed quote: fall back to whitespace splitting
        return [t.strip("\"'") for t in text.split()]


def _locate(physical: list[tuple[int, str]], needle: str, after: tuple[int, int]) -> tuple[int, int]:
    """The (line, column) where ``needle`` is written, searching from ``after`` onwards."""
    for lineno, text in physical:
        if lineno < after[0]:
            continue
        start = after[1] - 1 if lineno == after[0] else 0
        pos = text.find(needle, start)
        if pos >= 0:
            return lineno, pos + 1
    return after


def _parse_header(raw: str) -> tuple[str, str] | None:
    name, sep, value = raw.partition(":")
    if not sep:
        name, sep, value = raw.partition(";")  # "Name;" sends an empty header
        if not sep:
            return None
    name = name.strip()
    if not name or " " in name:
        return None
    return name, value.strip()


def _command(physical: list[tuple[int, str]], start_col: int, in_docs: bool) -> CurlCommand:
    first_line = physical[0][0]
    joined = " ".join(
        (text[start_col - 1:] if i == 0 else text).rstrip().removesuffix("\\")
        for i, (_, text) in enumerate(physical)
    )
    tokens = _tokens(joined[:_comment_start(joined)])[1:]  # without "curl" and a trailing comment
    urls: list[str] = []
    headers: list[CurlHeader] = []
    known = True
    auth = False
    bearer: str | None = None
    retry = False
    explicit: str | None = None
    data = False
    cursor = (first_line, start_col)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in _STOP:
            break
        retry = retry or tok.startswith("--retry")
        if tok in {"-X", "--request"} and i + 1 < len(tokens):
            explicit = tokens[i + 1]
        elif tok.startswith(("-X", "--request=")) and len(tok) > 2:
            explicit = tok.split("=", 1)[1] if tok.startswith("--") else tok[2:]
        elif tok.startswith(("--data", "--json", "--form")) or tok[:2] in {"-d", "-F"}:
            data = True
        if tok in _REDIRECT:
            i += 2
            continue
        value: str | None = None
        if tok in {"-H", "--header"} and i + 1 < len(tokens):
            value = tokens[i + 1]
            i += 1
        elif tok.startswith("--header="):
            value = tok.split("=", 1)[1]
        elif tok.startswith("-H") and len(tok) > 2:
            value = tok[2:]
        if value is not None:
            if value.startswith("@"):
                known = False
            else:
                parsed = _parse_header(value)
                if parsed is not None:
                    name, hval = parsed
                    line, col = _locate(physical, name, cursor)
                    cursor = (line, col + 1)
                    headers.append(CurlHeader(name, hval, line, col))
            i += 1
            continue
        if tok in {"-K", "--config"} or tok.startswith("--config="):
            known = False
            i += 2 if tok in {"-K", "--config"} else 1
            continue
        if tok in {"-u", "--user", "--oauth2-bearer", "--aws-sigv4"} or tok.startswith(
            ("--user=", "--oauth2-bearer=")
        ):
            auth = True
            if tok.startswith("--oauth2-bearer"):
                nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
                bearer = tok.split("=", 1)[1] if "=" in tok else nxt
            i += 1 if "=" in tok else 2
            continue
        if tok in {"--url"} and i + 1 < len(tokens):
            urls.append(tokens[i + 1])
            i += 2
            continue
        if tok.startswith("--url="):
            urls.append(tok.split("=", 1)[1])
            i += 1
            continue
        if tok in _WITH_VALUE:
            i += 2
            continue
        if not tok.startswith("-") and ("://" in tok or tok.startswith(("api.", "$", "localhost"))):
            urls.append(tok)
        i += 1
    return CurlCommand(
        line=first_line, column=start_col, end_line=physical[-1][0], urls=tuple(urls),
        headers=tuple(headers), headers_known=known, auth_option=auth, bearer_option=bearer,
        in_docs=in_docs, retry_option=retry,
        method=explicit.upper() if explicit else ("POST" if data else "GET"),
    )


def extract(text: str, kind: str) -> list[CurlCommand]:
    """Every ``curl`` command in the text (for Markdown: only inside fenced code blocks)."""
    if "curl" not in text:
        return []
    # the same line breaks as the rest of the linter (LineIndex): \n, \r\n and a lone \r
    flat = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = flat.split("\n")
    ranges = _fenced_ranges(flat, len(lines)) if kind == "markdown" else None
    starts = [r[0] for r in ranges] if ranges is not None else []

    def fenced(idx: int) -> bool:
        if ranges is None:
            return True
        i = bisect.bisect_right(starts, idx) - 1
        return i >= 0 and ranges[i][0] <= idx <= ranges[i][1]

    out: list[CurlCommand] = []
    skip_until = -1
    for idx, line in enumerate(lines):
        if idx <= skip_until or "curl" not in line or not fenced(idx):
            continue
        if line.lstrip().startswith("#"):
            continue  # a shell, YAML, Makefile or Dockerfile comment
        comment = _comment_start(line)
        starts = [m.start() for m in _CURL.finditer(line, 0, comment)]
        # the first curl of the line, and those that begin a command of their own (`make && curl …`)
        starts = [s for n, s in enumerate(starts) if n == 0 or _NEW_COMMAND.search(line, 0, s)]
        if not starts:
            continue
        physical = [(idx + 1, line)]
        j = idx
        while (physical[-1][1].rstrip().endswith("\\") and j + 1 < len(lines)
               and len(physical) < MAX_JOINED_LINES):
            j += 1
            if not fenced(j):
                break
            physical.append((j + 1, lines[j]))
        skip_until = j
        out.extend(_command(physical, start + 1, kind == "markdown") for start in starts)
    return out
