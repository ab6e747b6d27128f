"""Which commits a history scan reads: the command line's ref selection as git revision arguments.

- nothing: every commit reachable from HEAD;
- ``--all``: every ref (branches, tags, remote-tracking and pull-request refs, notes) and every stash
  entry, not only the latest;
- ``--since REV``: the commits reachable from HEAD (or from the revisions given) and not from REV, as
  ``REV..HEAD``: what a branch adds to ``main``, what a push adds to the remote;
- revisions and ranges as git takes them (``A..B``, ``A...B``, ``^A B``, a branch, a sha);
- ``--pre-push``: the commits being pushed, from the ``PRE_COMMIT_FROM_REF``/``PRE_COMMIT_TO_REF``
  variables pre-commit sets on ``pre-push``; when it sets none (a new branch whose history reaches a root
  commit), the pushed branch (``PRE_COMMIT_LOCAL_BRANCH``) or HEAD, without what the remote-tracking
  refs already hold.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from oai_lint.analysis.keys import redact_text
from oai_lint.history import git


@dataclass(frozen=True)
class Selection:
    """Revision arguments for ``git rev-list``/``git log`` (after ``--end-of-options`` where user-given)."""
    revs: tuple[str, ...]  # user-given revisions (validated)
    flags: tuple[str, ...] = ()  # git's own flags: --all, --not, --remotes
    describe: str = "HEAD"

    def args(self) -> list[str]:
        return [*self.flags, "--end-of-options", *self.revs] if self.revs else [*self.flags]


def _checked(rev: str) -> str:
    if not rev or rev.startswith("-") or "\0" in rev or "\n" in rev:
        raise git.GitError(f"{rev!r} is not a revision (a revision cannot start with '-')")
    return rev


def select(repo: git.Repository, revs: tuple[str, ...], all_refs: bool, since: str | None,
           pre_push: bool) -> Selection:
    """The selection for the options; GitError when a revision does not exist."""
    if pre_push:
        return _pre_push(repo)
    revs = tuple(_checked(r) for r in revs)
    flags: list[str] = []
    describe = " ".join(revs) or "HEAD"
    if all_refs:
        flags.append("--all")
        revs += _stash_entries(repo)
        describe = "all refs" + (f" and {describe}" if describe != "HEAD" else "")
    if since is not None:
        base = _checked(since)
        _verify(repo, (base,))
        if not revs and not all_refs:
            revs = ("HEAD",)
        revs = (*revs, "^" + base)
        describe = f"{describe} since {base}"
    elif not revs and not all_refs:
        revs = ("HEAD",)
    _verify(repo, revs)
    return Selection(tuple(revs), tuple(flags), describe)


def _verify(repo: git.Repository, revs: tuple[str, ...]) -> None:
    """Every revision names a commit (``A..B`` both ends); a clear error for the first that does not."""
    for rev in revs:
        ends = [rev.lstrip("^")]
        for sep in ("...", ".."):
            if sep in rev:
                ends = [e for e in rev.split(sep) if e] or ["HEAD"]
                break
        for end in ends:
            found = git.run(repo.cwd, "rev-parse", "--verify", "--quiet", "--end-of-options",
                            end + "^{commit}", check=False).strip()
            if not found:

                raise git.GitError(f"unknown revision {redact_text(end)!r}: no commit of that name in "
                                   f"{repo.top}; `oai-lint history --help` explains the ref selection")


def _stash_entries(repo: git.Repository) -> tuple[str, ...]:
    """Every stash entry (``--all`` reaches only the latest, through refs/stash)."""
    out = git.run(repo.cwd, "log", "--walk-reflogs", "--format=%H", "refs/stash", "--", check=False)
    return tuple(line for line in out.decode("ascii", "replace").split() if len(line) >= 40)[1:]


def _pre_push(repo: git.Repository) -> Selection:
    from_ref = os.environ.get("PRE_COMMIT_FROM_REF", "")
    to_ref = os.environ.get("PRE_COMMIT_TO_REF", "")
    if from_ref and to_ref:
        revs = (_checked(to_ref), "^" + _checked(from_ref))
        _verify(repo, revs)
        return Selection(revs, (), f"the commits being pushed ({from_ref[:12]}..{to_ref[:12]})")
    branch = os.environ.get("PRE_COMMIT_LOCAL_BRANCH", "") or "HEAD"
    remote = os.environ.get("PRE_COMMIT_REMOTE_NAME", "")
    tip = (_checked(branch),)
    _verify(repo, tip)
    remotes = f"--remotes={remote}" if remote and not remote.startswith("-") else "--remotes"
    return Selection(tip, ("--not", remotes, "--not"), f"the commits of {branch} on no remote-tracking ref")
