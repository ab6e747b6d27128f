"""``oai-lint history``: the click command (registered on the main group by ``oai_lint.cli``)."""

from __future__ import annotations

import os
from typing import Any

import click

from oai_lint.findings import SEVERITIES
from oai_lint.report import FORMATS

EPILOG = """\b
Which commits (the ref selection):
  (nothing)        every commit reachable from HEAD
  --all            every ref: branches, tags, remote-tracking and pull-request
                   refs, notes, and every stash entry
  --since REV      the commits reachable from HEAD (or from the revisions
                   given) and not from REV (a revision, not a date): what a
                   branch adds to main, e.g. --since origin/main
  A..B, A...B, B   revisions and ranges as git takes them, after the path:
                   oai-lint history . origin/main..HEAD
  --pre-push       the commits being pushed (the pre-commit pre-push hook:
                   PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF, or the pushed branch
                   without what the remote-tracking refs hold)

\b
Each distinct key is reported once, at the commit that first added it (path and
line in that commit), with how many commits and paths hold it and whether HEAD
still does. A key in history stays readable to anyone with a clone: rotate it
first, then rewrite history (git filter-repo) if you need it gone.
"""


def _split(args: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """(PATH, revisions): the first argument is the repository when it is an existing directory."""
    if not args:
        return ".", args
    first = args[0]
    if os.path.isdir(first) and ".." not in os.path.basename(first):
        return first, args[1:]
    if first in {".", ".."} or first.startswith(("/", "./", "../", "~", os.sep)) or first.endswith(os.sep):
        return first, args[1:]  # written as a path but not a directory: the error says so
    return ".", args


@click.command("history", context_settings={"help_option_names": ["-h", "--help"]}, epilog=EPILOG)
@click.argument("args", nargs=-1, metavar="[PATH] [REVISION]...")
@click.option("--all", "all_refs", is_flag=True, help="Every ref and stash entry, not only HEAD.")
@click.option("--since", metavar="REV", help="Only commits not reachable from REV (a revision, not a date).")
@click.option("--pre-push", is_flag=True,
              help="The commits being pushed, from pre-commit's PRE_COMMIT_FROM_REF/PRE_COMMIT_TO_REF.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Output format (json has a `commit` field; sarif has it in each result's properties).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Lowest severity that fails the run (exit 1). Default: any finding.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Configuration file (default: the nearest one from PATH).")
@click.option("--max-file-size", default=None, help="Skip larger file versions (with a note), e.g. 5MB.")
@click.option("--exclude", multiple=True, help="Glob of paths whose keys are not reported. Repeatable.")
@click.option("-j", "--jobs", type=click.IntRange(0, 64), default=0,
              help="git cat-file processes reading file versions (0: one per two CPUs, up to 4).")
@click.option("-v", "--verbose", is_flag=True, help="Show every note.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Report only keys that are not in this baseline (written by --write-baseline).")
@click.option("--write-baseline", "write_baseline_path", type=click.Path(dir_okay=False),
              help="Record the keys found in this file and exit 0.")
@click.option("--sarif-category", default="oai-lint-history", show_default=True,
              help="SARIF automationDetails.id category.")
@click.option("--sarif-include-suppressed", is_flag=True, help="Include suppressed findings in SARIF.")
def history_cmd(args: tuple[str, ...], **params: Any) -> None:
    """Find OpenAI keys that any commit added, still present or long deleted.

    PATH is the repository (default: the current directory); it reads what git stores, never the work
    tree, and runs nothing the repository configures. A full key is never printed.
    """
    from oai_lint.history.command import run

    path, revs = _split(args)
    run(path=path, revs=revs, **params)
