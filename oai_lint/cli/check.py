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
from oai_lint.discover import display_path, excluded, rel
from oai_lint.engine import Settings, relax_gc, scan, scan_stdin
from oai_lint.findings import SEVERITY_RANK
from oai_lint.report import render
from oai_lint.ruleset import RuleFileError, expand_families, unknown_selectors


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


def scan_and_report(paths: tuple[str, ...], fmt: str | None, output: str | None, select: tuple[str, ...],
        ignore: tuple[str, ...], exclude: tuple[str, ...], fail_on: str | None, exit_zero: bool,
        config_path: str | None, max_file_size: str | None, no_gitignore: bool, force_exclude: bool,
        jobs: int | None, verbose: bool, scope: str, baseline_path: str | None,
        write_baseline_path: str | None, secrets_baseline_path: str | None,
        require_reason: bool | None, sarif_category: str,
        sarif_include_suppressed: bool, statistics: bool = False, stdin_filename: str | None = None,
        github_annotations: bool = False, fix: bool = False, unsafe_fixes: bool = False,
        diff: bool = False, as_of: str | None = None) -> None:
    """Scan PATHS and report; always ends with ``sys.exit``."""
    try:
        cfg = cfgmod.load(config_path, start=paths[0] if paths else ".")
    except cfgmod.ConfigError as exc:
        fail(str(exc))
    if as_of is not None:
        try:
            cfg.options["as-of"] = cfgmod.check_date(as_of, "--as-of")
        except cfgmod.ConfigError as exc:
            fail(str(exc))
    sel, ign = expand_families(split(select)), expand_families(split(ignore))
    cfg.select, cfg.ignore = expand_families(cfg.select), expand_families(cfg.ignore)
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
    if jobs is None:
        jobs = cfg.jobs or 0
    if under_pre_commit and jobs == 0:
        jobs = 1  # pre-commit already runs one process per CPU, each on a batch of files
    report_asked = fmt is not None or output is not None
    fmt = fmt or cfg.format or "text"
    if baseline_path is None and cfg.baseline is not None:
        shown = os.path.relpath(cfg.baseline)
        baseline_path = cfg.baseline if shown.startswith("..") else shown
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
        test_code=cfg.test_code,
        scope=scope,
        written=frozenset(os.path.abspath(p) for p in (output, baseline_path, write_baseline_path) if p),
    )
    load_baselines(settings, baseline_path if write_baseline_path is None else None, secrets_baseline_path)
    if max_file_size is not None:
        try:
            settings.max_file_size = cfgmod.parse_size(max_file_size)
        except cfgmod.ConfigError as exc:
            fail(f"--max-file-size: {exc}")
    stdin = "-" in paths
    if stdin and len(paths) > 1:
        fail("`-` (standard input) cannot be scanned with other paths; run oai-lint once for each")
    if stdin_filename is not None and not stdin:
        fail("--stdin-filename goes with `-` as the path (oai-lint - --stdin-filename app.py)")
    missing = [p for p in paths if p != "-" and not os.path.lexists(p)]
    if missing:
        fail(f"{display_path(missing[0])}: no such file or directory")
    try:
        relax_gc()
        if stdin:
            result = scan_stdin(sys.stdin.buffer.read(), stdin_filename or "stdin", settings, root)
        else:
            result = scan(list(paths) or ["."], settings, root)
    except RuleFileError as exc:
        fail(str(exc))
    decorate = None
    if fix or diff or unsafe_fixes:
        if not (fix or diff):
            fail("--unsafe-fixes applies with --fix or --diff")
        from oai_lint.fix.command import fix_or_diff

        result, decorate = fix_or_diff(result, root, paths, fix=fix, unsafe=unsafe_fixes, diff=diff, fmt=fmt,
                                       echo=echo, rescan=lambda where: scan(list(paths) or ["."], settings, where),
                                       options=cfg.options)
    warn_unscanned(result, [p for p in paths if p != "-"], settings,
                   quiet_excludes=force_exclude and under_pre_commit)
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
        if report_asked:  # --format or -o: the report of the findings just accepted, too
            write(render(fmt, result, verbose=verbose, compact=under_pre_commit, category=sarif_category,
                         include_suppressed=sarif_include_suppressed, severity_overrides=settings.severity),
                  output)
        unread = [n for n in result.notes if n.kind == "error"]
        for n in unread:  # the baseline lacks whatever these files hold
            echo(f"oai-lint: error: {display_path(n.path)}: {n.message}", err=True)
        if unread:
            echo(f"oai-lint: error: the baseline is incomplete: {len(unread)} file"
                 f"{'s' if len(unread) != 1 else ''} could not be checked", err=True)
        sys.exit(EXIT_ERROR if unread else EXIT_OK)
    color = output is None and fmt in ("text", "concise") and want_color()
    report = render(fmt, result, color=color, verbose=verbose, compact=under_pre_commit, statistics=statistics,
                    category=sarif_category, include_suppressed=sarif_include_suppressed,
                    severity_overrides=settings.severity)
    write(decorate(report) if decorate else report, output, color)
    if github_annotations and (output is not None or fmt != "github"):
        write(render("github", result, verbose=verbose), None)
    # A file that could not be read (or a check that failed on it) means the scan is incomplete: exit 2,
    # even with findings and with --exit-zero. The report above is complete for everything else.
    errors = [n for n in result.notes if n.kind == "error"]
    if errors:
        # the text report on stdout already shows them
        if fmt not in ("text", "concise") or statistics or output is not None:
            for n in errors:
                echo(f"oai-lint: error: {display_path(n.path)}: {n.message}", err=True)
        sys.exit(EXIT_ERROR)
    threshold = fail_on or cfg.fail_on
    failing = [] if threshold == "none" else [
        f for f in result.findings if SEVERITY_RANK[f.severity] >= SEVERITY_RANK[threshold]]
    sys.exit(EXIT_FINDINGS if failing and not exit_zero else EXIT_OK)


def warn_unscanned(result: Any, paths: list[str], settings: Settings, quiet_excludes: bool) -> None:
    """Say on stderr what was asked for and not scanned: a file named on the command line that was
    skipped, a directory named that its excludes cover, a scan that read no file at all. Like ruff's
    warnings these do not change the exit code. ``quiet_excludes`` (pre-commit with --force-exclude): a
    named file left out by an exclude was left out on purpose."""
    reasons = {n.path: n.message for n in result.notes}
    errors = {n.path for n in result.notes if n.kind == "error"}  # already said as errors
    for relpath in result.named_unscanned:
        if relpath in errors:
            continue
        reason = reasons.get(relpath)
        if reason is None:
            if quiet_excludes:
                continue
            reason = ("it matches an exclude pattern (--force-exclude)" if settings.exclude
                      and excluded(relpath, settings.exclude) else "excluded by default (a binary file or "
                      "a directory such as node_modules)")
        echo(f"oai-lint: warning: {display_path(relpath)} was not scanned: {reason}", err=True)
    warned = bool(result.named_unscanned)
    for p in (p for p in paths if os.path.isdir(p)):
        relpath = rel(os.path.abspath(p), result.root)
        if relpath != "." and not relpath.startswith("/") and settings.exclude \
                and excluded(relpath + "/", settings.exclude):
            echo(f"oai-lint: warning: {display_path(p)} matches an exclude pattern: none of its files was "
                 "scanned", err=True)
            warned = True
    if result.files_scanned == 0 and not (quiet_excludes or warned or result.named_unscanned):
        echo("oai-lint: warning: no file was scanned: every file under the paths given is excluded, "
             "git-ignored, binary or above the size cap (--verbose shows the notes)", err=True)


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
