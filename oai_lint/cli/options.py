"""The options of ``oai-lint check``, written once: click's command (``commands.py``) is built from this
table and the parser without click (``oai_lint.cli.parse``) reads it. Add an option here and both know it.

This module must not import click: the fast path reads it on every pre-commit run.
"""

from __future__ import annotations

from typing import Any

from oai_lint.findings import SEVERITIES
from oai_lint.report import FORMATS

FLAG, VALUE, MULTIPLE = "flag", "value", "multiple"
SCOPES = ("all", "file", "repository")


class Option:
    """One option of ``check``. ``kind``: a FLAG takes no value, a VALUE one, a MULTIPLE one per use (the
    parameter is then the tuple of them). A value is any string unless ``choices`` (one of them),
    ``path`` (``click.Path(dir_okay=False)``: a readable file or a path that does not exist) or
    ``int_range`` (an integer in the closed range) says otherwise. (A plain class: a dataclass costs
    every run 0.6 ms to build.)"""

    __slots__ = ("choices", "default", "dest", "flags", "help", "int_range", "kind", "path", "show_default")

    def __init__(self, flags: tuple[str, ...], dest: str, kind: str, *, help: str, default: Any = None,
                 choices: tuple[str, ...] | None = None, path: bool = False,
                 int_range: tuple[int, int] | None = None, show_default: bool = False) -> None:
        self.flags, self.dest, self.kind, self.help, self.default = flags, dest, kind, help, default
        self.choices, self.path, self.int_range, self.show_default = choices, path, int_range, show_default

    def __repr__(self) -> str:
        return f"Option({'/'.join(self.flags)})"


OPTIONS: tuple[Option, ...] = (
    Option(("--format",), "fmt", VALUE, choices=FORMATS,
           help="Output format: text (the default), concise (one line per finding), json, sarif (GitHub code "
                "scanning), github (workflow annotations), junit, gitlab (GitLab Code Quality)."),
    Option(("--statistics",), "statistics", FLAG, default=False,
           help="Print the number of findings of each rule instead of the findings (JSON with --format json)."),
    Option(("--stdin-filename",), "stdin_filename", VALUE,
           help="With `-` as the path: the name of the file read from standard input (its kind, its place "
                "in the repository, and the path findings report)."),
    Option(("-o", "--output"), "output", VALUE, path=True, help="Write the report to this file."),
    Option(("--select",), "select", MULTIPLE, default=(),
           help="Rule ids, prefixes or families to enable (e.g. OAI1,OAI201 or credentials). Repeatable."),
    Option(("--ignore",), "ignore", MULTIPLE, default=(),
           help="Rule ids, prefixes or families to disable. Repeatable."),
    Option(("--exclude",), "exclude", MULTIPLE, default=(),
           help="Pattern of paths not to scan (.gitignore syntax). Repeatable."),
    Option(("--fail-on",), "fail_on", VALUE, choices=(*SEVERITIES, "none"),
           help="Lowest severity that fails the run (exit 1), or none. Default: info, i.e. any finding."),
    Option(("--exit-zero",), "exit_zero", FLAG, default=False, help="Exit 0 even when there are findings."),
    Option(("--config",), "config_path", VALUE, path=True,
           help="Configuration file (default: nearest .oai-lint.toml/.yaml or pyproject.toml)."),
    Option(("--max-file-size",), "max_file_size", VALUE, help="Skip files larger than this, e.g. 5MB."),
    Option(("--no-gitignore",), "no_gitignore", FLAG, default=False,
           help="Scan files that .gitignore excludes too."),
    Option(("--force-exclude",), "force_exclude", FLAG, default=False,
           help="Apply excludes to files named on the command line too."),
    Option(("-j", "--jobs"), "jobs", VALUE, int_range=(0, 64),
           help="Worker processes (0: automatic; small scans run in one process)."),
    Option(("-v", "--verbose"), "verbose", FLAG, default=False,
           help="Show every note (skipped files and the like)."),
    Option(("--scope",), "scope", VALUE, choices=SCOPES, default="all", show_default=True,
           help="Run only the rules of this scope: file (a finding depends only on its file) or repository "
                "(also on other files, e.g. .gitignore). The pre-commit hooks split the rules this way."),
    Option(("--baseline",), "baseline_path", VALUE, path=True,
           help="Report only findings that are not in this baseline (written by --write-baseline)."),
    Option(("--write-baseline",), "write_baseline_path", VALUE, path=True,
           help="Record the current findings in this file and exit 0 (they are matched by content, not by "
                "line)."),
    Option(("--secrets-baseline",), "secrets_baseline_path", VALUE, path=True,
           help="detect-secrets baseline whose entries audited as not secrets are not reported (default: "
                ".secrets.baseline in the current directory, if present)."),
    # None: the configuration decides (require-reason)
    Option(("--require-reason",), "require_reason", FLAG, default=None,
           help="Report suppression comments without a reason (OAI002)."),
    Option(("--sarif-category",), "sarif_category", VALUE, default="oai-lint", show_default=True,
           help="SARIF automationDetails.id category; give each upload to one repository its own."),
    Option(("--github-annotations",), "github_annotations", FLAG, default=False,
           help="Also print the findings as GitHub workflow annotations on standard output (with -o FILE: "
                "one scan gives a report file and the annotations; the GitHub Action uses it)."),
    Option(("--sarif-include-suppressed",), "sarif_include_suppressed", FLAG, default=False,
           help="Include suppressed findings in SARIF, marked as suppressed (GitHub shows them as open alerts)."),
    Option(("--fix",), "fix", FLAG, default=False,
           help="Apply the safe fixes (meaning unchanged) and report what remains."),
    Option(("--unsafe-fixes",), "unsafe_fixes", FLAG, default=False,
           help="With --fix or --diff: also the fixes that change behaviour (v0/v3 SDK migration, replacement "
                "models, keys moved to the environment)."),
    Option(("--diff",), "diff", FLAG, default=False,
           help="Print the fixes as a unified diff and write nothing (with --format json/sarif: the report "
                "with each finding's fixes)."),
)

# option string (e.g. "-o") -> its option
BY_FLAG: dict[str, Option] = {flag: opt for opt in OPTIONS for flag in opt.flags}
# the parameters of ``check`` when the command line gives none: ``paths`` (the argument) and every option
DEFAULTS: dict[str, Any] = {"paths": (), **{opt.dest: opt.default for opt in OPTIONS}}

EPILOG = ("Other commands: `oai-lint rules` lists the rules; `oai-lint rule OAI101` explains one; "
          "`oai-lint history` finds keys in git history.")
