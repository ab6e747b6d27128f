"""Which commits added the blobs that hold keys, and which key each commit added first.

One ``git log --raw`` over the same selection lists, per commit, the paths it changed and the blob
each path got: tree comparisons only, no file content, no diff. Only the entries whose new blob is one
of the few that hold a key are kept, so memory is the size of the answer. Merges are compared with
every parent (``-c``, i.e. ``--diff-merges=combined``): a merge is listed for a path only when it differs from all
of them, i.e. when the merge itself wrote it (a conflict resolution, an "evil" merge), not for what it
brings from a branch. Root commits (and the boundary commit of a shallow clone) add all their files.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from oai_lint import gitcmd
from oai_lint.history import git
from oai_lint.history.revisions import Selection

CHUNK = 1 << 20
_ZERO = b"0" * 40


@dataclass(frozen=True)
class Occurrence:
    """A commit that wrote a blob holding a key at a path."""
    commit: str
    author_time: int
    commit_time: int
    path: bytes
    blob: str
    order: int  # position in git's output (newest first): ties in time go to the later one


@dataclass
class KeyHistory:
    """What history says of one key: where it came first, how many commits and paths wrote it."""
    first: Occurrence
    commits: set[str] = field(default_factory=set)
    paths: set[bytes] = field(default_factory=set)
    blobs: set[str] = field(default_factory=set)
    at_head: bool = False

    def add(self, occ: Occurrence) -> None:
        self.commits.add(occ.commit)
        self.paths.add(occ.path)
        self.blobs.add(occ.blob)
        if (occ.commit_time, -occ.order) < (self.first.commit_time, -self.first.order):
            self.first = occ


def _tokens(stream: Iterator[bytes]) -> Iterator[bytes]:
    """NUL-separated fields of a ``-z`` output, read in chunks."""
    rest = b""
    for chunk in stream:
        parts = (rest + chunk).split(b"\0")
        rest = parts.pop()
        yield from parts
    if rest:
        yield rest


class RawLog:
    """``git log --raw`` of the selection, written by git straight into a temporary file.

    The scan starts it when the first key turns up, so it runs while the remaining blobs are still being
    read (most repositories hold no key and never pay for it), and reads it once every blob with a key
    is known. The file holds git's compact listing (about a hundred bytes per changed path), never file
    content; memory holds only the entries of blobs with keys.
    """

    def __init__(self, repo: git.Repository, selection: Selection) -> None:
        self.out = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        try:
            self.proc = git.popen(
                repo.cwd, "log", "--raw", "-z", "--no-abbrev", "--no-renames", "--root", *gitcmd.NO_DRIVERS,
                "--no-color", "-c",  # (log's -c: merges compared with every parent)
                "--format=tformat:%x01%H%x02%at%x02%ct", *selection.args(), "--", stdout=self.out,
                stderr=self.errors,
            )
        except BaseException:
            self.close()
            raise

    def occurrences(self, blobs: set[bytes]) -> Iterator[Occurrence]:
        """Every (commit, path) of the selection that wrote one of ``blobs`` (hex ids as bytes)."""
        code = self.proc.wait()
        if code != 0:
            self.errors.seek(0)
            raise git.GitError(git.first_line(self.errors.read(65536)) or f"git log failed (exit {code})")
        self.out.seek(0)
        yield from parse(iter(lambda: self.out.read(CHUNK), b""), blobs)

    def close(self) -> None:
        proc = getattr(self, "proc", None)
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        self.out.close()
        self.errors.close()


def parse(chunks: Iterator[bytes], blobs: set[bytes]) -> Iterator[Occurrence]:
    """The entries of ``git log --raw -z`` (in chunks) whose new blob is one of ``blobs``."""
    commit, author_time, commit_time = "", 0, 0
    order = 0
    meta: bytes | None = None
    for token in _tokens(chunks):
        if meta is not None:  # the path of the entry whose metadata came just before
            fields = meta.split(b" ")
            # ":<mode>… <mode> <oid>… <new oid> <status>", one mode and oid per parent, and the result's
            new, mode = fields[-2], fields[len(fields) // 2 - 1]
            meta = None
            if new != _ZERO and new in blobs and mode != b"160000":
                order += 1
                yield Occurrence(commit, author_time, commit_time, token, new.decode("ascii"), order)
            continue
        token = token.lstrip(b"\n")
        if token.startswith(b":"):
            meta = token
        elif token.startswith(b"\x01"):
            head = token[1:].split(b"\x02")
            commit = head[0].decode("ascii")
            author_time = int(head[1] or 0)
            commit_time = int(head[2] or 0)


def blobs_at(repo: git.Repository, commit: str, blobs: set[bytes]) -> set[bytes]:
    """Which of ``blobs`` the commit's tree holds (submodules are not entered)."""
    out = git.run(repo.cwd, "ls-tree", "-r", "-z", "--full-tree", "--end-of-options", commit)
    found: set[bytes] = set()
    for entry in out.split(b"\0"):
        parts = entry.split(b" ", 2)
        if len(parts) == 3 and parts[1] == b"blob":
            oid = parts[2].split(b"\t", 1)[0]
            if oid in blobs:
                found.add(oid)
    return found
