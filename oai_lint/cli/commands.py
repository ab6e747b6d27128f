"""The click command line: ``oai-lint [PATHS]…`` (``check``, its options from ``options.py``),
``oai-lint rules``, ``oai-lint rule ID``. ``oai_lint.cli.main`` comes here for every command line the fast
parser leaves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from oai_lint import __version__
from oai_lint.cli.options import EPILOG, FLAG, MULTIPLE, OPTIONS, Option
from oai_lint.cli.output import EXIT_ERROR, echo, fail
from oai_lint.history.cli import history_cmd
from oai_lint.ruleset import RuleFileError, rule_ids

F = TypeVar("F", bound=Callable[..., Any])


def run(**params: Any) -> None:
    """``check``: a seam, the engine is imported only to scan (not for ``--help`` or ``rules``)."""
    from oai_lint.cli.check import run as run_check

    run_check(**params)


class OneLineError(click.ClickException):
    """A usage error shown like every other error: one line on stderr, exit 2 (click prints three)."""

    exit_code = EXIT_ERROR

    def show(self, file: Any = None) -> None:
        echo(f"oai-lint: error: {self.format_message()}", err=True)


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
    rules; `oai-lint rule OAI101` explains one; `oai-lint history` finds keys in git history."""


def _click_option(opt: Option) -> Callable[[F], F]:
    """The click option for a row of the table."""
    kwargs: dict[str, Any] = {"help": opt.help}
    if opt.kind == FLAG:
        kwargs["is_flag"] = True
        if opt.default is not False:
            kwargs["default"] = opt.default
    else:
        kwargs["default"] = opt.default
        kwargs["multiple"] = opt.kind == MULTIPLE
        if opt.choices is not None:
            kwargs["type"] = click.Choice(opt.choices)
        elif opt.path:
            kwargs["type"] = click.Path(dir_okay=False)
        elif opt.int_range is not None:
            kwargs["type"] = click.IntRange(*opt.int_range)
    if opt.show_default:
        kwargs["show_default"] = True
    return click.option(*opt.flags, opt.dest, **kwargs)


def _check_cmd(**params: Any) -> None:
    """Scan PATHS (files or directories; default: the current directory)."""
    run(**params)


_decorated: Callable[..., None] = click.version_option(__version__, "--version", prog_name="oai-lint")(_check_cmd)
for _opt in reversed(OPTIONS):  # click lists the options in the order they are applied, innermost last
    _decorated = _click_option(_opt)(_decorated)
_decorated = click.argument("paths", nargs=-1, type=click.Path())(_decorated)
check_cmd = main.command("check", context_settings={"help_option_names": ["-h", "--help"]},
                         epilog=EPILOG)(_decorated)


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def rules_cmd(fmt: str) -> None:
    """List every rule."""
    from oai_lint.ruleset import load  # a seam: the rule files (and pathlib) only for `rules` and `rule`

    rules = load.all_rules()
    if fmt == "json":
        import json

        data: list[dict[str, Any]] = [
            {"id": r.id, "name": r.name, "family": r.family, "severity": r.severity, "title": r.title,
             "doc_url": r.doc_url, "scope": r.scope, "autofix": r.autofix_kind or None} for r in rules
        ]
        click.echo(json.dumps(data, indent=2))
        return
    for r in rules:
        click.echo(f"{r.id}  {r.severity:<8}  {r.family:<20}  {r.title}")


@main.command("rule")
@click.argument("rule_id")
def rule_cmd(rule_id: str) -> None:
    """Show a rule's documentation with examples."""
    from oai_lint.ruleset import docs, load  # a seam, as in rules_cmd

    rid = rule_id.upper()
    if rid not in rule_ids():
        fail(f"unknown rule {rule_id!r}; `oai-lint rules` lists the rules")
    try:
        click.echo(docs.render(load.get_rule(rid)), nl=False)
    except RuleFileError as exc:
        fail(str(exc))


main.add_command(history_cmd)
