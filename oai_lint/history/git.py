"""Running git on a repository that may be hostile.

A repository's own configuration (``.git/config``, which a cloned-from tarball or a shared CI cache can
carry) can name programs git runs: ``core.fsmonitor``, ``core.sshCommand``, ``core.pager``,
``diff.external``, ``diff.<driver>.textconv``/``command`` and ``filter.<driver>.*`` (selected by the
committed ``.gitattributes``), ``gpg.program`` through ``log.showSignature``, hooks through
``core.hooksPath``, credential helpers, and transports that run commands (``ext::``, a promisor remote
fetched lazily in a partial clone). So every git command here:

- runs with an environment from which every ``GIT_*`` variable is removed (``GIT_DIR``, ``GIT_EXTERNAL_DIFF``,
  ``GIT_PAGER``, ``GIT_SSH_COMMAND``, ``GIT_CONFIG_PARAMETERS``, ``GIT_TRACE*`` …), then given only
  those that turn things off (no protocol allowed, no prompt, no lazy fetch, no replace objects, no
  optional locks);
- gets ``-c`` settings that override the repository's for every key that can run something
  (command-line configuration wins over every file);
- uses only plumbing that reads objects (``rev-parse``, ``rev-list``, ``cat-file --batch`` without
  ``--filters``/``--textconv``, ``log --raw`` with ``--no-textconv --no-ext-diff``, ``ls-tree``), which runs
  no filter, diff driver, pager or hook;
- passes user-given revisions only after ``--end-of-options``, and refuses those that start with ``-``.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from typing import IO

from oai_lint import gitcmd
from oai_lint.analysis.keys import redact_text
from oai_lint.discover import display_path

# the settings and environment of every git command of oai-lint (oai_lint.gitcmd)
SAFE_CONFIG: tuple[str, ...] = gitcmd.SAFE_CONFIG
SAFE_ENV = gitcmd.SAFE_ENV


class GitError(Exception):
    """git is missing, the path is not a repository, or a git command failed: exit 2 with the message."""


def environment() -> dict[str, str]:
    return gitcmd.environment()


def command(*args: str) -> list[str]:
    """``git`` with the safe configuration (:func:`oai_lint.gitcmd.command`), then ``args``."""
    return gitcmd.command("--no-replace-objects", *args)


def run(cwd: str, *args: str, check: bool = True, timeout: float | None = 600) -> bytes:
    """Run a git command to completion; its stdout. A failure raises GitError with git's first line."""
    try:
        proc = subprocess.run(command(*args), cwd=cwd, env=environment(), stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=timeout, check=False)
    except FileNotFoundError as exc:
        raise GitError("git was not found on PATH; `oai-lint history` needs git") from exc
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitError(f"cannot run git: {exc}") from exc
    if check and proc.returncode != 0:
        raise GitError(first_line(proc.stderr) or f"git {args[0]} failed (exit {proc.returncode})")
    return proc.stdout


def popen(cwd: str, *args: str, stdin: bool = False, stderr: IO[bytes] | None = None,
          stdout: IO[bytes] | None = None) -> subprocess.Popen[bytes]:
    """A streaming git command (its output in a pipe, or in the file ``stdout``). ``stderr``: a file for
    its messages (a pipe nobody reads could fill up and stop git); by default they are discarded."""
    try:
        return subprocess.Popen(command(*args), cwd=cwd, env=environment(),
                                stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                stdout=stdout or subprocess.PIPE, stderr=stderr or subprocess.DEVNULL)
    except FileNotFoundError as exc:
        raise GitError("git was not found on PATH; `oai-lint history` needs git") from exc
    except OSError as exc:
        raise GitError(f"cannot run git: {exc}") from exc


def first_line(stderr: bytes) -> str:
    """git's message, one line, with anything key-like redacted (an error may quote a revision)."""

    for line in stderr.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line:
            return redact_text(line.removeprefix("fatal: ").removeprefix("error: "))[:300]
    return ""


@dataclass(frozen=True)
class Repository:
    """The repository a history scan reads."""
    cwd: str  # where git runs (the directory given)
    top: str  # the work tree's top directory, or the git directory of a bare repository
    bare: bool
    shallow: bool
    head: str | None  # HEAD's commit, None in a repository without commits
    version: tuple[int, int] = (2, 32)  # git's (major, minor)

    @property
    def type_filter(self) -> bool:
        """Whether rev-list can leave out everything but blobs (``--filter=object:type=blob``, git 2.32)."""
        return self.version >= (2, 32)


MIN_VERSION = (2, 24)  # --end-of-options


def version() -> tuple[int, int]:
    """git's version; GitError when git is missing or older than MIN_VERSION."""
    import re

    text = run(".", "version").decode("ascii", "replace")
    m = re.search(r"(\d+)\.(\d+)", text)
    found = (int(m.group(1)), int(m.group(2))) if m else MIN_VERSION
    if found < MIN_VERSION:
        raise GitError(f"git {found[0]}.{found[1]} is too old for `oai-lint history` (it needs git "
                       f"{MIN_VERSION[0]}.{MIN_VERSION[1]} or newer)")
    return found


def open_repository(path: str) -> Repository:
    """The repository at ``path``. GitError: no git, not a directory, not a repository."""

    if not os.path.isdir(path):
        what = "does not exist" if not os.path.lexists(path) else "is not a directory"
        raise GitError(f"{display_path(path)} {what}; `oai-lint history [PATH]` takes a git repository's "
                       "directory")
    try:
        out = run(path, "rev-parse", "--is-bare-repository", "--is-shallow-repository", "--absolute-git-dir")
    except GitError as exc:
        message = str(exc)
        if "not a git repository" in message:
            raise GitError(f"{display_path(os.path.abspath(path))} is not a git repository (or any of its "
                           "parents); `oai-lint history` scans a repository's commits: run it inside one, "
                           "or name one") from None
        raise
    lines = out.decode("utf-8", "surrogateescape").splitlines()
    bare, shallow, git_dir = lines[0] == "true", lines[1] == "true", lines[2]
    top = git_dir
    if not bare:
        top = run(path, "rev-parse", "--show-toplevel").decode("utf-8", "surrogateescape").strip() or path
    head_out = run(path, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False).strip()
    head = head_out.decode("ascii", "replace") or None
    return Repository(os.path.abspath(path), top, bare, shallow, head, version())
