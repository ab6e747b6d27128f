"""The ``oai-lint`` executable (:func:`main`): a scan with plain options runs without importing click.

Importing click (and what it imports: inspect's helpers, datetime, uuid, gettext, threading…) costs a
pre-commit run 10-20 ms. :func:`parse` reads the command lines the hooks and CI use (``oai-lint
[check] [OPTIONS] [PATHS]``) from the option table and hands anything else to click: ``--help``,
``--version``, ``rules``, ``rule``, ``--``, attached or combined short options, every value click would
reject, shell completion. ``tests/unit/test_entry.py`` checks that what it accepts, it reads exactly as
click does. The package:

- ``options.py``: the options of ``check``, one table that both this parser and click read;
- ``commands.py``: the click group (``check``, ``rules``, ``rule``), built from the table, for the rest;
- ``check.py``: what ``check`` does once its options are parsed (imports the engine);
- ``output.py``: writing like ``click.echo`` without click, the one-line errors and the exit codes.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from typing import Any

from oai_lint.cli.options import BY_FLAG, DEFAULTS, FLAG, MULTIPLE, Option
from oai_lint.cli.output import echo


def _readable_path(value: str, dir_okay: bool) -> bool:
    """Whether click.Path(exists=False, dir_okay=...) accepts the value as it is."""
    try:
        st = os.stat(value)
    except OSError:
        return True
    except ValueError:  # an embedded NUL: click's problem
        return False
    if not dir_okay and stat.S_ISDIR(st.st_mode):
        return False
    return os.access(value, os.R_OK)


def _value(opt: Option, value: str) -> Any:
    """The parameter's value as click converts it, or None when click would reject it (or might)."""
    if opt.choices is not None:
        return value if value in opt.choices else None
    if opt.path:
        return value if _readable_path(value, False) else None
    if opt.int_range is not None:
        low, high = opt.int_range
        if value.isascii() and value.isdigit() and low <= int(value) <= high:
            return int(value)
        return None
    return value


def parse(args: list[str]) -> dict[str, Any] | None:
    """The parameters of ``check`` for ``args`` (``sys.argv[1:]``), or None: let click parse them."""
    if args and args[0] == "check":
        args = args[1:]
    elif args and args[0] in {"rules", "rule", "history"}:
        return None
    params = dict(DEFAULTS)
    multi: dict[str, list[Any]] = {}
    paths: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if not arg.startswith("-") or arg == "-":
            if arg == "-" or not _readable_path(arg, True):
                return None
            paths.append(arg)
            continue
        name, eq, attached = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        opt = BY_FLAG.get(name)
        if opt is None:
            return None
        if opt.kind == FLAG:
            if eq:
                return None
            params[opt.dest] = True
            continue
        if eq:
            raw = attached
        elif i < len(args) and not args[i].startswith("-"):
            raw = args[i]
            i += 1
        else:
            return None  # no value, or one that starts with a dash: click decides
        value = _value(opt, raw)
        if value is None:
            return None
        if opt.kind == MULTIPLE:
            multi.setdefault(opt.dest, []).append(value)
        else:
            params[opt.dest] = value
    params["paths"] = tuple(paths)
    for dest, values in multi.items():
        params[dest] = tuple(values)
    return params


def _fast_allowed() -> bool:
    """Whether this run's command line may be parsed without click at all."""
    if os.name == "nt":  # click expands wildcards in the arguments on Windows
        return False
    # shell completion: click reads _<PROG>_COMPLETE
    return not any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ)


class _PacifyFlush:
    """Like click's wrapper after a broken pipe: later flushes of the stream do not raise."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            if exc.errno != errno.EPIPE:
                raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def main() -> None:
    try:
        _main()
    except Exception as exc:  # a bug: its traceback, redacted like every other output, and exit 2
        import traceback

        echo("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)), err=True, nl=False)
        echo("oai-lint: internal error; please report it", err=True)
        sys.exit(2)


def _main() -> None:
    params = parse(sys.argv[1:]) if _fast_allowed() else None
    # the two seams of start-up: click only for what the fast parser leaves, the engine only to scan
    if params is None:
        from oai_lint.cli.commands import main as click_main

        click_main()
        return
    from oai_lint.cli.check import run

    try:
        run(**params)
    except EOFError:  # as click's main reports it
        echo(err=True)
        echo("Aborted!", err=True)
        sys.exit(1)
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        sys.stdout = _PacifyFlush(sys.stdout)
        sys.stderr = _PacifyFlush(sys.stderr)
        sys.exit(1)
