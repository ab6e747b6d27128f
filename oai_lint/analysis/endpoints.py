"""Where code and configuration call an API endpoint or beta version of the deprecation table (OAI406/OAI407).

Found by the path in a URL (``https://api.openai.com/v1/engines``; in code also a quoted ``"/v1/edits"`` in
a file that uses OpenAI), by the SDK method that calls it (``client.beta.assistants.create``,
``client.beta.threads.*``, ``client.beta.realtime.connect``, ``client.fine_tuning.jobs.create``), or by the
``OpenAI-Beta`` header value (``assistants=v1``, ``assistants=v2``, ``realtime=v1``). Fine-tuning is only
reported for job creation (the page ends self-serve job *creation*): the SDK's ``jobs.create`` or a curl
``POST`` to ``/v1/fine_tuning/jobs``. The pre-1.0 Python and v3 Node methods of removed endpoints
(``openai.Engine``, ``createEdit``) are OAI401/OAI404 and not found here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from oai_lint.analysis.modeluse import skipped_path
from oai_lint.lazyre import lazy_compile

if TYPE_CHECKING:
    from oai_lint.sources import Source

# paths: in a file that names openai (`api.openai.com`, `from openai import`, `"openai"`)
TRIGGERS = (b"/v1/",)
REQUIRES = b"openai"
# SDK methods and the beta header: wherever they are (a client built by a wrapper, or a WebSocket to a URL
# from configuration, need not name openai in lower case)
CALL_TRIGGERS = (b".beta.", b"fine_tuning", b"fineTuning", b"OpenAI-Beta", b"openai-beta")
CODE_KINDS = frozenset({"python", "notebook", "javascript", "typescript", "tsx"})
KINDS = CODE_KINDS | {"yaml", "json", "toml", "env", "ini", "dockerfile", "shell", "makefile"}

_PATHS = r"engines|edits|fine-tunes|answers|classifications|search|assistants|threads|videos|evals|prompts"
_HOST_PATH = lazy_compile(rf"api\.openai\.com/v1/(?P<p>{_PATHS})(?![\w-])")
_QUOTED_PATH = lazy_compile(rf"""["'`]/v1/(?P<p>{_PATHS})(?![\w-])""")
_FT_POST = lazy_compile(r"api\.openai\.com/v1/fine_tuning/jobs(?![\w/-])")
_SDK = lazy_compile(
    r"\.beta\.(?P<beta>assistants|threads|realtime)\s*\.|\.(?:fine_tuning|fineTuning)\.jobs\.create\s*\("
)
_HEADER = lazy_compile(
    r"""(?i)openai-beta["']?\s*[:=,]\s*["']?(?P<v>assistants=v[12]|realtime=v1)(?![\w.])"""
)
_POST = lazy_compile(r"-X\s*POST|--request\s+POST|\s-d\s|--data|\s-F\s|--form")


class EndpointUse(NamedTuple):
    line: int
    column: int
    end_column: int
    entry_id: str  # the data file's id: "/v1/engines", "OpenAI-Beta: realtime=v1"
    shown: str  # what the code names


def _commented(source: Source, line: int, col: int) -> bool:
    before = source.line_text(line)[: col - 1]
    if re.match(r"""\s*["']?(?:from|import)\s""", before):
        return True  # `from openai.types.beta.threads import Message`: a type, not a call
    if source.kind in {"javascript", "typescript", "tsx"}:
        return "//" in before or before.lstrip().startswith("*")
    if source.kind == "json":
        return False
    return bool(re.search(r"(^|\s)#", before))


def uses(source: Source, calls: bool = True, paths: bool = True) -> Iterator[EndpointUse]:
    """The uses in the file: SDK methods and beta headers (``calls``), paths in URLs (``paths``)."""
    if skipped_path(source.path):
        return
    text = source.text
    found: list[tuple[int, int, str, str]] = []
    if paths:
        _path_uses(source, text, found)
    if calls and source.kind in CODE_KINDS:
        for m in _SDK.finditer(text):
            beta = m.group("beta")
            entry = {"assistants": "/v1/assistants", "threads": "/v1/threads",
                     "realtime": "OpenAI-Beta: realtime=v1", None: "/v1/fine_tuning/jobs"}[beta]
            shown = m.group(0).lstrip(".").rstrip(".( \t")
            found.append((m.start() + 1, m.start() + 1 + len(shown), entry, shown))
    if calls:
        for m in _HEADER.finditer(text):
            value = m.group("v").lower()
            entry = "/v1/assistants" if value == "assistants=v2" else f"OpenAI-Beta: {value}"
            found.append((m.start("v"), m.end("v"), entry, f"OpenAI-Beta: {value}"))
    seen: set[tuple[int, str]] = set()
    for start, end, entry, shown in sorted(found):
        line, col = source.position(start)
        if (line, entry) in seen or _commented(source, line, col):
            continue
        seen.add((line, entry))
        yield EndpointUse(line, col, col + (end - start), entry, shown)


def _path_uses(source: Source, text: str, found: list[tuple[int, int, str, str]]) -> None:
    for m in _HOST_PATH.finditer(text):
        found.append((m.start(), m.end(), f"/v1/{m.group('p')}", m.group(0)))
    if source.kind in CODE_KINDS and source.openai_code:
        for m in _QUOTED_PATH.finditer(text):
            found.append((m.start() + 1, m.end(), f"/v1/{m.group('p')}", m.group(0)[1:]))
    for m in _FT_POST.finditer(text):
        line_text = source.line_text(source.position(m.start())[0])
        if _POST.search(line_text):
            found.append((m.start(), m.end(), "/v1/fine_tuning/jobs", m.group(0)))
