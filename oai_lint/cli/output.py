"""How the command line writes and ends: :func:`echo` is ``click.echo`` for any text that holds an escape
sequence (click decides whether to keep or strip it) or when click is loaded anyway (e.g. under click's
test runner), and writes plain text itself so that a run without colour need not import click;
:func:`want_color` decides whether a report is styled, :func:`fail` ends a run on a usage or configuration
error, and the exit codes.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from oai_lint.redaction import redact

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a program that Ctrl-C ended


def outward(text: str) -> str:
    """``text`` as it may leave the process: anything that looks like an OpenAI key redacted (by the
    recogniser of OAI101, through :func:`oai_lint.redaction.redact`). Every report, error, note and
    baseline passes through here, whatever put the key in it (a path, a quoted value, an exception)."""
    return redact(text)


def printable(text: str) -> str:
    """Text with every control or unprintable character shown as an escape, as report paths are
    (:func:`oai_lint.discover.display_path`), except the line breaks and tabs: an escape sequence or a
    carriage return from a scanned file (a name, a line in a diff) cannot act on the terminal."""
    if text.isprintable():
        return text
    from oai_lint.discover import display_path

    lines = []
    for line in text.split("\n"):
        end = "\r" if line.endswith("\r") else ""  # a CRLF line ending stays as it is
        lines.append("\t".join(display_path(part) for part in line[: len(line) - len(end)].split("\t")) + end)
    return "\n".join(lines)


def echo(message: str = "", err: bool = False, nl: bool = True) -> None:
    """``click.echo(message, err=err, nl=nl)`` for a message (an error, a warning, a summary, a diff):
    redacted (:func:`outward`), and :func:`printable`. Reports, which may be styled, go through
    :func:`write`."""
    _emit(printable(outward(message)), err, nl, None)


def _emit(message: str, err: bool, nl: bool, color: bool | None) -> None:
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
    # an escape sequence (a styled report): click keeps it or strips it (``color``, or when None whether
    # the stream is a terminal), as it converts it on Windows
    if "\033" in message or "click" in sys.modules or not _plain_text_stream(stream):
        import click

        click.echo(message, err=err, nl=nl, color=color)
        return
    if stream is None:
        return
    out = message + "\n" if nl else message
    if not out:
        stream.flush()
        return
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


def fail(message: str) -> None:
    """One line on stderr, exit 2: the way every usage or configuration error ends."""
    echo(f"oai-lint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def write(text: str, output: str | None, color: bool = False) -> None:
    """The report on stdout (styled only if ``color``: click strips any escape otherwise) or in the file
    ``output``, which never gets an escape sequence."""
    if output is None:
        _emit(outward(text), False, False, color)  # (a report escapes what it quotes; its styles stay)
        return
    text = outward(text)
    if "\033" in text:
        import click

        text = click.unstyle(text)
    try:
        with open(output, "w", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(text)
    except OSError as exc:
        fail(f"cannot write the report to {output}: {exc.strerror or exc}; check the path and permissions")


def want_color() -> bool:
    """Whether the report on stdout is styled: ``NO_COLOR`` (set and not empty) turns colour off,
    ``FORCE_COLOR`` on; otherwise only on a terminal, and not on a dumb one (``TERM=dumb`` shows escapes
    as text). Called only when a styled format goes to stdout (never for ``-o FILE``)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        tty = sys.stdout is not None and sys.stdout.isatty()
    except (AttributeError, OSError, ValueError):  # a closed or replaced stream
        tty = False
    return tty and os.environ.get("TERM") != "dumb"
