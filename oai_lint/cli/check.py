"""``oai-lint check`` once its options are parsed (by click, ``commands.py``, or by the fast parser,
``oai_lint.cli.parse``): load the configuration and baselines, scan, report, exit.

Imported only to scan: it imports the engine.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from oai_lint import config as cfgmod
from oai_lint.cli.output import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, echo, fail, interrupted, want_color, write
from oai_lint.discover import display_path
from oai_lint.engine import Settings, relax_gc, scan
from oai_lint.findings import SEVERITY_RANK
from oai_lint.report import render
from oai_lint.ruleset import RuleFileError, unknown_selectors


def split(values: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for v in values:
        out.extend(x.strip().upper() for x in v.split(",") if x.strip())
    return out



def run(**params: Any) -> None:
    """Scan and report (:func:`scan_and_report`); Ctrl-C ends it with exit 130 and no traceback."""
    try:
        scan_and_report(**params)
    except KeyboardInterrupt:
        interrupted()


def scan_and_report(paths: tuple[str, ...], fmt: str, output: str | None, select: tuple[str, ...],
        ignore: tuple[str, ...], exclude: tuple[str, ...], fail_on: str | None, exit_zero: bool,
        config_path: str | None, max_file_size: str | None, no_gitignore: bool, force_exclude: bool,
        jobs: int, verbose: bool, scope: str, baseline_path: str | None,
        write_baseline_path: str | None, secrets_baseline_path: str | None,
        require_reason: bool | None, sarif_category: str,
        sarif_include_suppressed: bool) -> None:
    """Scan PATHS and report; always ends with ``sys.exit``."""
    try:
        cfg = cfgmod.load(config_path, start=paths[0] if paths else ".")
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
        fail(f"{display_path(missing[0])}: no such file or directory")
    try:
        relax_gc()
        result = scan(list(paths) or ["."], settings, root)
    except RuleFileError as exc:
        fail(str(exc))
    if write_baseline_path is not None:
        from oai_lint import baseline  # a seam: only with a baseline (as in load_baselines)

        accepted = result.findings + result.baselined
        try:
            baseline.write(write_baseline_path, accepted)
        except baseline.BaselineError as exc:
            fail(str(exc))
        plural = "s" if len(accepted) != 1 else ""
        echo(f"oai-lint: wrote {len(accepted)} finding{plural} to the baseline {write_baseline_path}; "
             f"run with --baseline {write_baseline_path} to report only new ones", err=True)
        unread = [n for n in result.notes if n.kind == "error"]
        for n in unread:  # the baseline lacks whatever these files hold
            echo(f"oai-lint: error: {display_path(n.path)}: {n.message}", err=True)
        if unread:
            echo(f"oai-lint: error: the baseline is incomplete: {len(unread)} file"
                 f"{'s' if len(unread) != 1 else ''} could not be checked", err=True)
        sys.exit(EXIT_ERROR if unread else EXIT_OK)
    color = output is None and fmt == "text" and want_color()
    write(render(fmt, result, color=color, verbose=verbose, compact=under_pre_commit,
                 category=sarif_category, include_suppressed=sarif_include_suppressed,
                 severity_overrides=settings.severity), output, color)
    # A file that could not be read (or a check that failed on it) means the scan is incomplete: exit 2,
    # even with findings and with --exit-zero. The report above is complete for everything else.
    errors = [n for n in result.notes if n.kind == "error"]
    if errors:
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
        from oai_lint import baseline  # a seam: only with a baseline

        try:
            settings.baseline = baseline.load(baseline_path)
        except baseline.BaselineError as exc:
            fail(str(exc))
    if secrets_path is None and os.path.isfile(DEFAULT_SECRETS_BASELINE):
        secrets_path = DEFAULT_SECRETS_BASELINE
    if secrets_path is not None:
        from oai_lint import secrets_baseline  # a seam: hashlib and the baseline format, only when there is one

        try:
            settings.audited_not_secret = secrets_baseline.load(secrets_path)
        except secrets_baseline.SecretsBaselineError as exc:
            fail(str(exc))
