"""The ``oai-lint`` executable: a scan with plain options runs without importing click.

Importing click (and what it imports: inspect's helpers, datetime, uuid, gettext, threading…) costs a
pre-commit run 10-20 ms. :func:`parse` reads the command lines the hooks and CI use (``oai-lint
[check] [OPTIONS] [PATHS]``) and hands anything else to click: ``--help``, ``--version``, ``rules``,
``rule``, ``--``, attached or combined short options, every value click would reject, shell completion.
``tests/test_entry.py`` checks that what it accepts, it reads exactly as click does.
"""

from __future__ import annotations

import os
import sys
from typing import Any

_FLAG, _VALUE, _MULTI = "flag", "value", "multiple"
_SEVERITIES = ("critical", "high", "medium", "low", "info")  # oai_lint.findings.SEVERITIES (a test checks)
_FORMATS = ("text", "json", "sarif", "github", "junit")  # oai_lint.report.FORMATS (a test checks)
_SCOPES = ("all", "file", "repository")

# option -> (parameter, how it takes a value, check of the value: a tuple of choices, "path" for
# click.Path(dir_okay=False), "jobs" for IntRange(0, 64), None for any string)
OPTIONS: dict[str, tuple[str, str, Any]] = {
    "--format": ("fmt", _VALUE, _FORMATS),
    "-o": ("output", _VALUE, "path"),
    "--output": ("output", _VALUE, "path"),
    "--select": ("select", _MULTI, None),
    "--ignore": ("ignore", _MULTI, None),
    "--exclude": ("exclude", _MULTI, None),
    "--fail-on": ("fail_on", _VALUE, _SEVERITIES),
    "--exit-zero": ("exit_zero", _FLAG, None),
    "--config": ("config_path", _VALUE, "path"),
    "--max-file-size": ("max_file_size", _VALUE, None),
    "--no-gitignore": ("no_gitignore", _FLAG, None),
    "--force-exclude": ("force_exclude", _FLAG, None),
    "-j": ("jobs", _VALUE, "jobs"),
    "--jobs": ("jobs", _VALUE, "jobs"),
    "-v": ("verbose", _FLAG, None),
    "--verbose": ("verbose", _FLAG, None),
    "--scope": ("scope", _VALUE, _SCOPES),
    "--baseline": ("baseline_path", _VALUE, "path"),
    "--write-baseline": ("write_baseline_path", _VALUE, "path"),
    "--secrets-baseline": ("secrets_baseline_path", _VALUE, "path"),
    "--require-reason": ("require_reason", _FLAG, None),
    "--sarif-category": ("sarif_category", _VALUE, None),
    "--sarif-include-suppressed": ("sarif_include_suppressed", _FLAG, None),
    "--fix": ("fix", _FLAG, None),
    "--unsafe-fixes": ("unsafe_fixes", _FLAG, None),
    "--diff": ("diff", _FLAG, None),
}
DEFAULTS: dict[str, Any] = {
    "paths": (), "fmt": "text", "output": None, "select": (), "ignore": (), "exclude": (), "fail_on": None,
    "exit_zero": False, "config_path": None, "max_file_size": None, "no_gitignore": False,
    "force_exclude": False, "jobs": 0, "verbose": False, "scope": "all", "baseline_path": None,
    "write_baseline_path": None, "secrets_baseline_path": None, "require_reason": None,
    "sarif_category": "oai-lint", "sarif_include_suppressed": False, "fix": False, "unsafe_fixes": False,
    "diff": False,
}


def _readable_path(value: str, dir_okay: bool) -> bool:
    """Whether click.Path(exists=False, dir_okay=...) accepts the value as it is."""
    import stat

    try:
        st = os.stat(value)
    except OSError:
        return True
    except ValueError:  # an embedded NUL: click's problem
        return False
    if not dir_okay and stat.S_ISDIR(st.st_mode):
        return False
    return os.access(value, os.R_OK)


def parse(args: list[str]) -> dict[str, Any] | None:
    """The parameters of ``check`` for ``args`` (``sys.argv[1:]``), or None: let click parse them."""
    if args and args[0] == "check":
        args = args[1:]
    elif args and args[0] in {"rules", "rule"}:
        return None
    params = dict(DEFAULTS)
    multi: dict[str, list[str]] = {}
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
        spec = OPTIONS.get(name)
        if spec is None:
            return None
        dest, how, check = spec
        if how == _FLAG:
            if eq:
                return None
            params[dest] = True
            continue
        if eq:
            value = attached
        elif i < len(args) and not args[i].startswith("-"):
            value = args[i]
            i += 1
        else:
            return None  # no value, or one that starts with a dash: click decides
        if isinstance(check, tuple):
            if value not in check:
                return None
        elif check == "path":
            if not _readable_path(value, False):
                return None
        elif check == "jobs":
            if not (value.isascii() and value.isdigit() and int(value) <= 64):
                return None
            params[dest] = int(value)
            continue
        if how == _MULTI:
            multi.setdefault(dest, []).append(value)
        else:
            params[dest] = value
    params["paths"] = tuple(paths)
    for dest, values in multi.items():
        params[dest] = tuple(values)
    return params


def _fast_allowed() -> bool:
    if os.name == "nt":  # click expands wildcards in the arguments on Windows
        return False
    # shell completion: click reads _<PROG>_COMPLETE
    return not any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ)


class _PacifyFlush:
    """Like click's wrapper after a broken pipe: later flushes of the stream do not raise."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def flush(self) -> None:
        import errno

        try:
            self._stream.flush()
        except OSError as exc:
            if exc.errno != errno.EPIPE:
                raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def main() -> None:
    params = parse(sys.argv[1:]) if _fast_allowed() else None
    if params is None:
        from oai_lint.cli import main as click_main

        click_main()
        return
    from oai_lint.checkcmd import echo, run

    try:
        run(**params)
    except (EOFError, KeyboardInterrupt):  # as click's main reports them
        echo(err=True)
        echo("Aborted!", err=True)
        sys.exit(1)
    except OSError as exc:
        import errno

        if exc.errno != errno.EPIPE:
            raise
        sys.stdout = _PacifyFlush(sys.stdout)
        sys.stderr = _PacifyFlush(sys.stderr)
        sys.exit(1)
