"""Every git command oai-lint runs, run so that the scanned repository cannot make it run anything.

oai-lint scans untrusted checkouts (a pull request's, in CI). A repository's own ``.git/config`` (and the
files it includes) can name commands that git runs on its behalf: ``core.fsmonitor`` is executed by
``git ls-files`` and ``git status``, ``core.pager`` by any command with output, diff drivers'
``textconv`` and ``diff.external`` by ``git log -p`` and ``git diff``, ``core.sshCommand`` and credential
helpers by anything that reaches a remote, hooks by commits and checkouts. Here, configuration given with
``-c`` (which wins over every configuration file) turns each of those off, ``--no-pager`` and the
``--no-textconv``/``--no-ext-diff`` options of the diff family (:data:`NO_DRIVERS`) leave no command to run,
and the environment variables that point git at another repository, index, configuration or program are
dropped (in a git hook, ``GIT_DIR`` names the repository being committed to, not the one scanned).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import subprocess

# -c settings: nothing git reads from the repository can start a program
SAFE_CONFIG = (
    "core.fsmonitor=false",  # a command run by ls-files/status/grep (git >= 2.36: a boolean)
    "core.hooksPath=/dev/null",  # no hooks
    "core.pager=cat",
    "core.quotepath=off",  # names as they are (the callers split on NUL)
    "protocol.allow=never",  # no transport at all: no ssh (core.sshCommand), no ext:: helpers
    "credential.helper=",  # an empty value clears the list of helpers
    "diff.external=",
    "core.untrackedCache=false",  # reads only: the scan never writes to the scanned repository
)
# options of log -p/diff/show: no diff driver of .gitattributes converts or diffs with a program (git grep
# takes only --no-textconv)
NO_DRIVERS = ("--no-textconv", "--no-ext-diff")

# the git variables a scan keeps (none redirects git to other files or names a program)
_KEEP = frozenset({"GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM"})


def command(*args: str) -> list[str]:
    """The argument list for ``git ARGS`` with the safe configuration."""
    out = ["git", "--no-pager"]
    for setting in SAFE_CONFIG:
        out += ["-c", setting]
    return [*out, *args]


def environment() -> dict[str, str]:
    """The process environment without the variables that redirect git (``GIT_DIR``, ``GIT_WORK_TREE``,
    ``GIT_INDEX_FILE``, ``GIT_CONFIG_*``, ``GIT_EXTERNAL_DIFF``, ``GIT_SSH_COMMAND``, ``GIT_PAGER``…);
    no lock is taken and no prompt is shown."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") or k in _KEEP}
    env["GIT_OPTIONAL_LOCKS"] = "0"
    env["GIT_TERMINAL_PROMPT"] = "0"
    return env


def run(args: list[str], cwd: str, timeout: float, **kwargs: Any) -> subprocess.CompletedProcess[Any] | None:
    """``git ARGS`` in ``cwd``, its output captured; None when git cannot be started or times out."""
    import subprocess  # only where git runs: start-up imports this module

    try:
        return subprocess.run(command(*args), cwd=cwd, capture_output=True, timeout=timeout, check=False,
                              stdin=subprocess.DEVNULL, env=environment(), **kwargs)
    except (OSError, subprocess.SubprocessError):
        return None


def start(args: list[str], cwd: str) -> subprocess.Popen[bytes]:
    """``git ARGS`` started in ``cwd``: its output and errors on pipes."""
    import subprocess

    return subprocess.Popen(command(*args), cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=environment())
