"""How the command line writes and ends, without click: :func:`echo` writes like ``click.echo`` (and is
``click.echo`` whenever click is loaded, e.g. under click's test runner), :func:`fail` ends a run on a
usage or configuration error, and the exit codes.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from oai_lint.redaction import redact

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a program that Ctrl-C ended
_ANSI = r"\033\[[0-?]*[ -/]*[@-~]"  # click's pattern for the escapes it strips from non-terminal output


def outward(text: str) -> str:
    """``text`` as it may leave the process: anything that looks like an OpenAI key redacted (by the
    recogniser of OAI101, through :func:`oai_lint.redaction.redact`). Every report, error, note and
    baseline passes through here, whatever put the key in it (a path, a quoted value, an exception)."""
    return redact(text)


def echo(message: str = "", err: bool = False, nl: bool = True, color: bool | None = None) -> None:
    """``click.echo(message, err=err, nl=nl, color=color)`` for text, redacted (:func:`outward`)."""
    message = outward(message)
    try:
        _echo(message, err, nl, color)
    except BrokenPipeError:
        # the reader went away (`oai-lint | head -1`): what it did not read is dropped, and the run ends
        # as it would have (its exit code still says whether there are findings)
        _reader_gone(sys.stderr if err else sys.stdout)


def _reader_gone(stream: Any) -> None:
    """Later writes to the stream (and its flush at exit) go to the null device."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def interrupted() -> None:
    """Ctrl-C: one line on stderr, exit 130, no traceback."""
    try:
        sys.stderr.write("\noai-lint: interrupted\n")
        sys.stderr.flush()
    except OSError:
        pass
    sys.exit(EXIT_INTERRUPTED)


def _echo(message: str, err: bool, nl: bool, color: bool | None) -> None:
    stream = sys.stderr if err else sys.stdout
    if "click" in sys.modules or not _plain_text_stream(stream):
        import click

        click.echo(message, err=err, nl=nl, color=color)
        return
    if stream is None:
        return
    out = message + "\n" if nl else message
    if not out:
        stream.flush()
        return
    if "\033" in out and (not color if color is not None else not _isatty(stream)):
        import re

        out = re.sub(_ANSI, "", out)
    stream.write(out)
    stream.flush()


def _plain_text_stream(stream: Any) -> bool:
    """A text stream click would write to as it is: not ASCII-encoded (click re-wraps those)."""
    if stream is None:
        return True
    import codecs
    import io

    if type(stream) is not io.TextIOWrapper or stream.errors is None:
        return False
    try:
        return codecs.lookup(stream.encoding or "ascii").name != "ascii"
    except LookupError:
        return True


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except Exception:
        return False


def fail(message: str) -> None:
    """One line on stderr, exit 2: the way every usage or configuration error ends."""
    echo(f"oai-lint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def write(text: str, output: str | None, color: bool = False) -> None:
    if output is None:
        echo(text, nl=False, color=color)
        return
    text = outward(text)
    try:
        with open(output, "w", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(text)
    except OSError as exc:
        fail(f"cannot write the report to {output}: {exc.strerror or exc}; check the path and permissions")


def want_color() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"  # a dumb terminal shows escapes as text
