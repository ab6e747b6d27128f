"""What ``oai-lint check`` does once its options are parsed, without click.

``oai_lint.cli`` (click) parses the command line in general; ``oai_lint.entry`` parses the common case
itself and calls :func:`run` directly, because importing click costs a pre-commit run 10-20 ms. Output
goes through :func:`echo`, which writes like ``click.echo`` (and is ``click.echo`` whenever click is
loaded, e.g. under click's test runner).
"""

from __future__ import annotations

import os
import sys
from typing import Any

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
_ANSI = r"\033\[[0-?]*[ -/]*[@-~]"  # click's pattern for the escapes it strips from non-terminal output


def echo(message: str = "", err: bool = False, nl: bool = True, color: bool | None = None) -> None:
    """``click.echo(message, err=err, nl=nl, color=color)`` for text."""
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


def split(values: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for v in values:
        out.extend(x.strip().upper() for x in v.split(",") if x.strip())
    return out


def write(text: str, output: str | None, color: bool = False) -> None:
    if output is None:
        echo(text, nl=False, color=color)
        return
    try:
        with open(output, "w", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(text)
    except OSError as exc:
        fail(f"cannot write the report to {output}: {exc.strerror or exc}; check the path and permissions")


def run(paths: tuple[str, ...], fmt: str, output: str | None, select: tuple[str, ...],
        ignore: tuple[str, ...], exclude: tuple[str, ...], fail_on: str | None, exit_zero: bool,
        config_path: str | None, max_file_size: str | None, no_gitignore: bool, force_exclude: bool,
        jobs: int, verbose: bool, scope: str, baseline_path: str | None,
        write_baseline_path: str | None, secrets_baseline_path: str | None,
        require_reason: bool | None, sarif_category: str,
        sarif_include_suppressed: bool, as_of: str | None = None) -> None:
    """Scan PATHS and report; always ends with ``sys.exit``."""
    from oai_lint import config as cfgmod
    from oai_lint.ruleinfo import RuleFileError, unknown_selectors

    try:
        cfg = cfgmod.load(config_path, start=paths[0] if paths else ".")
    except cfgmod.ConfigError as exc:
        fail(str(exc))
    if as_of is not None:
        try:
            cfg.options["as-of"] = cfgmod.check_date(as_of, "--as-of")
        except cfgmod.ConfigError as exc:
            fail(str(exc))
    sel, ign = split(select), split(ignore)
    configured = [rid for ids in cfg.per_file_ignores.values() for rid in ids] + list(cfg.severity)
    try:
        bad = unknown_selectors(sel + ign + cfg.select + cfg.ignore + configured)
    except RuleFileError as exc:
        fail(str(exc))
    if bad:
        where = "" if bad[0] in sel + ign else f" in {cfg.path}"
        fail(f"unknown rule id or prefix {bad[0]!r}{where}; `oai-lint rules` lists the rules")
    from oai_lint.engine import Settings, relax_gc, scan

    root = os.getcwd()
    under_pre_commit = os.environ.get("PRE_COMMIT") == "1"
    if under_pre_commit and jobs == 0:
        jobs = 1  # pre-commit already runs one process per CPU, each on a batch of files
    settings = Settings(
        select=sel or cfg.select,
        ignore=cfg.ignore + ign,
        exclude=cfgmod.rebase_globs(cfg.exclude, cfg.base, root) + list(exclude),
        per_file_ignores={p: v for k, v in cfg.per_file_ignores.items()
                          for p in cfgmod.rebase_globs([k], cfg.base, root)},
        severity=cfg.severity,
        max_file_size=cfg.max_file_size,
        use_gitignore=not no_gitignore,
        force_exclude=force_exclude,
        jobs=jobs,
        require_reason=cfg.require_reason if require_reason is None else require_reason,
        options=cfg.options,
        scope=scope,
    )
    load_baselines(settings, baseline_path if write_baseline_path is None else None, secrets_baseline_path)
    if max_file_size is not None:
        try:
            settings.max_file_size = cfgmod.parse_size(max_file_size)
        except cfgmod.ConfigError as exc:
            fail(f"--max-file-size: {exc}")
    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:
        from oai_lint.discover import display_path

        fail(f"{display_path(missing[0])}: no such file or directory")
    try:
        relax_gc()
        result = scan(list(paths) or ["."], settings, root)
    except RuleFileError as exc:
        fail(str(exc))
    if write_baseline_path is not None:
        from oai_lint.baseline import BaselineError
        from oai_lint.baseline import write as write_baseline

        accepted = result.findings + result.baselined
        try:
            write_baseline(write_baseline_path, accepted)
        except BaselineError as exc:
            fail(str(exc))
        plural = "s" if len(accepted) != 1 else ""
        echo(f"oai-lint: wrote {len(accepted)} finding{plural} to the baseline {write_baseline_path}; "
             f"run with --baseline {write_baseline_path} to report only new ones", err=True)
        sys.exit(EXIT_OK)
    from oai_lint.findings import SEVERITY_RANK
    from oai_lint.report import render

    color = output is None and fmt == "text" and want_color()
    write(render(fmt, result, color=color, verbose=verbose, compact=under_pre_commit,
                 category=sarif_category, include_suppressed=sarif_include_suppressed,
                 severity_overrides=settings.severity), output, color)
    # A file that could not be read (or a check that failed on it) means the scan is incomplete: exit 2,
    # even with findings and with --exit-zero. The report above is complete for everything else.
    errors = [n for n in result.notes if n.kind == "error"]
    if errors:
        from oai_lint.discover import display_path

        if fmt != "text" or output is not None:  # the text report on stdout already shows them
            for n in errors:
                echo(f"oai-lint: error: {display_path(n.path)}: {n.message}", err=True)
        sys.exit(EXIT_ERROR)
    threshold = SEVERITY_RANK[fail_on or cfg.fail_on]
    failing = [f for f in result.findings if SEVERITY_RANK[f.severity] >= threshold]
    sys.exit(EXIT_FINDINGS if failing and not exit_zero else EXIT_OK)


# The secrets baseline read when --secrets-baseline is not given (oai_lint.secrets_baseline.DEFAULT_NAME,
# repeated so that a run without one does not import that module).
DEFAULT_SECRETS_BASELINE = ".secrets.baseline"


def load_baselines(settings: Any, baseline_path: str | None, secrets_path: str | None) -> None:
    if baseline_path is not None:
        from oai_lint.baseline import BaselineError, load

        try:
            settings.baseline = load(baseline_path)
        except BaselineError as exc:
            fail(str(exc))
    if secrets_path is None and os.path.isfile(DEFAULT_SECRETS_BASELINE):
        secrets_path = DEFAULT_SECRETS_BASELINE
    if secrets_path is not None:
        from oai_lint import secrets_baseline

        try:
            settings.audited_not_secret = secrets_baseline.load(secrets_path)
        except secrets_baseline.SecretsBaselineError as exc:
            fail(str(exc))


def want_color() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()
