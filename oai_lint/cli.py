"""The command line: ``oai-lint [PATHS]…``, ``oai-lint rules``, ``oai-lint rule ID``."""

from __future__ import annotations

from typing import Any

import click

from oai_lint import __version__
from oai_lint.checkcmd import EXIT_ERROR, fail
from oai_lint.findings import SEVERITIES
from oai_lint.report import FORMATS


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
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", default=None,
              help="Judge model and endpoint shutdowns (OAI405-OAI407) on this date instead of today.")
@click.option("--sarif-category", default="oai-lint", show_default=True,
              help="SARIF automationDetails.id category; give each upload to one repository its own.")
@click.option("--sarif-include-suppressed", is_flag=True,
              help="Include suppressed findings in SARIF, marked as suppressed (GitHub shows them as open "
                   "alerts).")
@click.version_option(__version__, "--version", prog_name="oai-lint")
def check_cmd(**params: Any) -> None:
    """Scan PATHS (files or directories; default: the current directory)."""
    from oai_lint.checkcmd import run

    run(**params)


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
