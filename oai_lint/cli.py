"""The command line: ``oai-lint [PATHS]…``, ``oai-lint rules``, ``oai-lint rule ID``."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from oai_lint import __version__
from oai_lint.findings import SEVERITIES, SEVERITY_RANK
from oai_lint.report import FORMATS

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def fail(message: str) -> None:
    """One line on stderr, exit 2: the way every usage or configuration error ends."""
    click.echo(f"oai-lint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


class OneLineError(click.ClickException):
    """A usage error shown like every other error: one line on stderr, exit 2 (click prints three)."""

    exit_code = EXIT_ERROR

    def show(self, file: Any = None) -> None:
        click.echo(f"oai-lint: error: {self.format_message()}", err=True)


def _one_line(exc: click.ClickException) -> OneLineError:
    message = exc.format_message().rstrip(".")
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click.UsageError) and ctx is not None:
        message += f"; `{ctx.command_path} --help` lists the options"
    return OneLineError(message)


class DefaultGroup(click.Group):
    """``oai-lint PATHS`` means ``oai-lint check PATHS``; ``rules`` and ``rule`` are subcommands."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands:
            args = ["check", *args]
        return super().parse_args(ctx, args)

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except OneLineError:
            raise
        except click.ClickException as exc:
            raise _one_line(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OneLineError:
            raise
        except click.ClickException as exc:  # the subcommand's options are parsed in here
            raise _one_line(exc) from None


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """oai-lint: find leaked OpenAI keys, 403-causing org/project settings, missing retry handling and
    legacy SDK usage before deploy. `oai-lint [PATHS]` scans (default `.`); `oai-lint rules` lists the
    rules; `oai-lint rule OAI101` explains one."""


def _split(values: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for v in values:
        out.extend(x.strip().upper() for x in v.split(",") if x.strip())
    return out


def _write(text: str, output: str | None, color: bool = False) -> None:
    if output is None:
        click.echo(text, nl=False, color=color)
        return
    try:
        with open(output, "w", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(text)
    except OSError as exc:
        fail(f"cannot write the report to {output}: {exc.strerror or exc}; check the path and permissions")


@main.command("check", context_settings={"help_option_names": ["-h", "--help"]},
              epilog="Other commands: `oai-lint rules` lists the rules; `oai-lint rule OAI101` explains one.")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              default="text", show_default=True,
              help="Output format: text, json, sarif (GitHub code scanning), github (workflow annotations), "
                   "junit.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file.")
@click.option("--select", multiple=True, help="Rule ids or prefixes to enable (e.g. OAI1,OAI201). Repeatable.")
@click.option("--ignore", multiple=True, help="Rule ids or prefixes to disable. Repeatable.")
@click.option("--exclude", multiple=True, help="Glob of paths not to scan (gitignore-like). Repeatable.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Lowest severity that fails the run (exit 1). Default: info, i.e. any finding.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Configuration file (default: nearest .oai-lint.toml/.yaml or pyproject.toml).")
@click.option("--max-file-size", default=None, help="Skip files larger than this, e.g. 5MB.")
@click.option("--no-gitignore", is_flag=True, help="Scan files that .gitignore excludes too.")
@click.option("--force-exclude", is_flag=True, help="Apply excludes to files named on the command line too.")
@click.option("-j", "--jobs", type=click.IntRange(0, 64), default=0,
              help="Worker processes (0: automatic; small scans run in one process).")
@click.option("-v", "--verbose", is_flag=True, help="Show every note (skipped files and the like).")
@click.option("--scope", type=click.Choice(["all", "file", "repository"]), default="all", show_default=True,
              help="Run only the rules of this scope: file (a finding depends only on its file) or "
                   "repository (also on other files, e.g. .gitignore). The pre-commit hooks split the rules "
                   "this way.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Report only findings that are not in this baseline (written by --write-baseline).")
@click.option("--write-baseline", "write_baseline_path", type=click.Path(dir_okay=False),
              help="Record the current findings in this file and exit 0 (they are matched by content, "
                   "not by line).")
@click.option("--secrets-baseline", "secrets_baseline_path", type=click.Path(dir_okay=False),
              help="detect-secrets baseline whose entries audited as not secrets are not reported "
                   "(default: .secrets.baseline in the current directory, if present).")
@click.option("--require-reason", is_flag=True, default=None,
              help="Report suppression comments without a reason (OAI002).")
@click.option("--sarif-category", default="oai-lint", show_default=True,
              help="SARIF automationDetails.id category; give each upload to one repository its own.")
@click.option("--sarif-include-suppressed", is_flag=True,
              help="Include suppressed findings in SARIF, marked as suppressed (GitHub shows them as open "
                   "alerts).")
@click.version_option(__version__, "--version", prog_name="oai-lint")
def check_cmd(paths: tuple[str, ...], fmt: str, output: str | None, select: tuple[str, ...],
              ignore: tuple[str, ...], exclude: tuple[str, ...], fail_on: str | None, exit_zero: bool,
              config_path: str | None, max_file_size: str | None, no_gitignore: bool, force_exclude: bool,
              jobs: int, verbose: bool, scope: str, baseline_path: str | None,
              write_baseline_path: str | None, secrets_baseline_path: str | None,
              require_reason: bool | None, sarif_category: str,
              sarif_include_suppressed: bool) -> None:
    """Scan PATHS (files or directories; default: the current directory)."""
    from oai_lint import config as cfgmod
    from oai_lint.rules import RuleFileError, unknown_selectors

    try:
        cfg = cfgmod.load(config_path, start=paths[0] if paths else ".")
    except cfgmod.ConfigError as exc:
        fail(str(exc))
    sel, ign = _split(select), _split(ignore)
    configured = [rid for ids in cfg.per_file_ignores.values() for rid in ids] + list(cfg.severity)
    try:
        bad = unknown_selectors(sel + ign + cfg.select + cfg.ignore + configured)
    except RuleFileError as exc:
        fail(str(exc))
    if bad:
        where = "" if bad[0] in sel + ign else f" in {cfg.path}"
        fail(f"unknown rule id or prefix {bad[0]!r}{where}; `oai-lint rules` lists the rules")
    from oai_lint.engine import Settings, scan

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
    _load_baselines(settings, baseline_path if write_baseline_path is None else None, secrets_baseline_path)
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
        result = scan(list(paths) or ["."], settings, root)
    except RuleFileError as exc:
        fail(str(exc))
    if write_baseline_path is not None:
        from oai_lint.baseline import BaselineError, write

        accepted = result.findings + result.baselined
        try:
            write(write_baseline_path, accepted)
        except BaselineError as exc:
            fail(str(exc))
        plural = "s" if len(accepted) != 1 else ""
        click.echo(f"oai-lint: wrote {len(accepted)} finding{plural} to the baseline {write_baseline_path}; "
                   f"run with --baseline {write_baseline_path} to report only new ones", err=True)
        sys.exit(EXIT_OK)
    from oai_lint.report import render

    color = output is None and fmt == "text" and _want_color()
    _write(render(fmt, result, color=color, verbose=verbose, compact=under_pre_commit,
                  category=sarif_category, include_suppressed=sarif_include_suppressed,
                  severity_overrides=settings.severity), output, color)
    # A file that could not be read (or a check that failed on it) means the scan is incomplete: exit 2,
    # even with findings and with --exit-zero. The report above is complete for everything else.
    errors = [n for n in result.notes if n.kind == "error"]
    if errors:
        from oai_lint.discover import display_path

        if fmt != "text" or output is not None:  # the text report on stdout already shows them
            for n in errors:
                click.echo(f"oai-lint: error: {display_path(n.path)}: {n.message}", err=True)
        sys.exit(EXIT_ERROR)
    threshold = SEVERITY_RANK[fail_on or cfg.fail_on]
    failing = [f for f in result.findings if SEVERITY_RANK[f.severity] >= threshold]
    sys.exit(EXIT_FINDINGS if failing and not exit_zero else EXIT_OK)


def _load_baselines(settings: Any, baseline_path: str | None, secrets_path: str | None) -> None:
    if baseline_path is not None:
        from oai_lint.baseline import BaselineError, load

        try:
            settings.baseline = load(baseline_path)
        except BaselineError as exc:
            fail(str(exc))
    from oai_lint import secrets_baseline

    if secrets_path is None and os.path.isfile(secrets_baseline.DEFAULT_NAME):
        secrets_path = secrets_baseline.DEFAULT_NAME
    if secrets_path is not None:
        try:
            settings.audited_not_secret = secrets_baseline.load(secrets_path)
        except secrets_baseline.SecretsBaselineError as exc:
            fail(str(exc))


def _want_color() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def rules_cmd(fmt: str) -> None:
    """List every rule."""
    from oai_lint.rules import all_rules

    rules = all_rules()
    if fmt == "json":
        import json

        data: list[dict[str, Any]] = [
            {"id": r.id, "name": r.name, "family": r.family, "severity": r.severity, "title": r.title,
             "doc_url": r.doc_url, "scope": r.scope} for r in rules
        ]
        click.echo(json.dumps(data, indent=2))
        return
    for r in rules:
        click.echo(f"{r.id}  {r.severity:<8}  {r.family:<20}  {r.title}")


@main.command("rule")
@click.argument("rule_id")
def rule_cmd(rule_id: str) -> None:
    """Show a rule's documentation with examples."""
    from oai_lint.ruledocs import render
    from oai_lint.rules import RuleFileError, get_rule, rule_ids

    rid = rule_id.upper()
    if rid not in rule_ids():
        fail(f"unknown rule {rule_id!r}; `oai-lint rules` lists the rules")
    try:
        click.echo(render(get_rule(rid)), nl=False)
    except RuleFileError as exc:
        fail(str(exc))
