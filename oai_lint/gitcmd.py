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

# -c settings that override anything the repository configures (command-line configuration wins over
# every file); an empty value turns a command off
SAFE_CONFIG: tuple[str, ...] = (
    "core.fsmonitor=false",  # a command run by ls-files/status/grep (git >= 2.36: a boolean)
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.sshCommand=false",
    "core.gitProxy=",
    "core.askPass=",
    "core.alternateRefsCommand=",
    "core.quotePath=false",  # names as they are (the callers split on NUL)
    "core.untrackedCache=false",  # reads only: the scan never writes to the scanned repository
    "credential.helper=",  # an empty value clears the list of helpers
    "diff.external=",
    "diff.renames=false",
    "log.showSignature=false",  # gpg.program
    "log.showRoot=true",
    "gpg.program=false",
    "protocol.allow=never",  # no transport at all: no ssh, no ext:: helpers
    "protocol.file.allow=never",
    "protocol.ext.allow=never",
    "protocol.ssh.allow=never",
    "protocol.git.allow=never",
    "protocol.http.allow=never",
    "protocol.https.allow=never",
    "color.ui=never",
    "gc.auto=0",
    "maintenance.auto=false",
)
# options of log -p/diff/show: no diff driver of .gitattributes converts or diffs with a program (git grep
# takes only --no-textconv)
NO_DRIVERS = ("--no-textconv", "--no-ext-diff")

# set in git's environment after every inherited GIT_* variable is removed
SAFE_ENV = {
    "GIT_ALLOW_PROTOCOL": "none",  # overrides protocol.<name>.allow from any configuration: no transport
    "GIT_NO_LAZY_FETCH": "1",  # git 2.44+: a partial clone never fetches a missing object
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_NO_REPLACE_OBJECTS": "1",  # the objects as committed, not as refs/replace/ shows them
    "GIT_OPTIONAL_LOCKS": "0",  # no lock taken, the index not refreshed: the scan writes nothing
    "GIT_PAGER": "cat",
    "LC_ALL": "C",  # git's messages in English (a note quotes them; discovery reads its warnings)
}
# the inherited git variables kept (none redirects git to other files or names a program)
_KEEP = frozenset({"GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM"})


def command(*args: str) -> list[str]:
    """The argument list for ``git ARGS`` with the safe configuration."""
    out = ["git", "--no-pager"]
    for setting in SAFE_CONFIG:
        out += ["-c", setting]
    return [*out, *args]


def environment() -> dict[str, str]:
    """The process environment without the variables that redirect git (``GIT_DIR``, ``GIT_WORK_TREE``,
    ``GIT_INDEX_FILE``, ``GIT_CONFIG_*``, ``GIT_EXTERNAL_DIFF``, ``GIT_SSH_COMMAND``, ``GIT_PAGER``,
    ``GIT_TRACE*``…), with :data:`SAFE_ENV`."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("GIT_") or k in _KEEP}
    env.update(SAFE_ENV)
    return env


def run(args: list[str], cwd: str, timeout: float, **kwargs: Any) -> subprocess.CompletedProcess[Any] | None:
    """``git ARGS`` in ``cwd``, its output captured; None when git cannot be started or times out."""
    import subprocess  # only where git runs: start-up imports this module

    try:
        if "input" not in kwargs:
            kwargs["stdin"] = subprocess.DEVNULL
        return subprocess.run(command(*args), cwd=cwd, capture_output=True, timeout=timeout, check=False,
                              env=environment(), **kwargs)
    except (OSError, subprocess.SubprocessError):
        return None


def start(args: list[str], cwd: str) -> subprocess.Popen[bytes]:
    """``git ARGS`` started in ``cwd``: its output and errors on pipes."""
    import subprocess

    return subprocess.Popen(command(*args), cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=environment())


def finish(proc: subprocess.Popen[bytes], timeout: float) -> tuple[bytes, bytes] | None:
    """The output and errors of a git command :func:`start` started, once it ended; None when it did not
    end within ``timeout`` seconds (it is killed and waited for)."""
    import subprocess

    try:
        return proc.communicate(timeout=timeout)
    except subprocess.SubprocessError:
        proc.kill()
        proc.communicate()
        return None


def toplevel(directory: str) -> tuple[str | None, str]:
    """The top of the git work tree that holds ``directory`` (None outside one), and when git could not
    say, why (its first line of error: "detected dubious ownership", a broken index, no git)."""
    proc = run(["rev-parse", "--show-toplevel"], directory, 30, text=True, errors="replace")
    if proc is None:
        return None, "git could not be run"
    if proc.returncode != 0:
        lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
        return None, lines[0] if lines else f"git exited with status {proc.returncode}"
    return proc.stdout.strip() or None, ""


def inside_repository(directory: str) -> bool:
    """Whether ``directory`` or a parent holds a ``.git`` (a repository git could not read)."""
    current = os.path.abspath(directory)
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return True
        parent = os.path.dirname(current)
        if parent == current:
            return False
        current = parent
