"""The ``oai-lint`` executable (``main``): a scan with plain options runs without importing click.

- ``options.py``: the options of ``check``, one table that both parsers read;
- ``fast.py``: the parser of the usual command lines (the pre-commit hooks', CI's), without click;
- ``commands.py``: the click group (``check``, ``rules``, ``rule``), built from the table, for the rest;
- ``check.py``: what ``check`` does once its options are parsed (imports the engine);
- ``output.py``: writing like ``click.echo`` without click, the one-line errors and the exit codes.
"""

from __future__ import annotations

import errno
import sys
from typing import Any

from oai_lint.cli import fast
from oai_lint.cli.output import echo


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
    params = fast.parse(sys.argv[1:]) if fast.allowed() else None
    # the two seams of start-up: click only for what the fast parser leaves, the engine only to scan
    if params is None:
        from oai_lint.cli.commands import main as click_main

        click_main()
        return
    from oai_lint.cli.check import run

    try:
        run(**params)
    except (EOFError, KeyboardInterrupt):  # as click's main reports them
        echo(err=True)
        echo("Aborted!", err=True)
        sys.exit(1)
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        sys.stdout = _PacifyFlush(sys.stdout)
        sys.stderr = _PacifyFlush(sys.stderr)
        sys.exit(1)
