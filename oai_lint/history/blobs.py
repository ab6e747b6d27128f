"""Each distinct file version (blob) the selected commits added, read once, in a stream.

``git rev-list --objects`` lists every object the selected commits reach (and, for a range ``A..B``,
that ``A`` does not), each exactly once, with a path it was found at; ``git cat-file --batch`` then
streams the blobs' bytes. A thread feeds cat-file while the main thread reads, so both git processes
and Python work at once, and nothing waits on a full pipe. Only blobs whose bytes hold a key marker
(``T3BlbkFJ``, or ``c2st``: ``sk-`` in base64) are handed on; the rest are never decoded.

Memory stays bounded whatever the history: one blob at a time (and a blob above the size cap is read in
chunks, looked at for the marker, and never held whole). Blobs a partial clone does not have are
counted (rev-list's ``--missing=print``) and never asked for, so git never tries to fetch them.
"""

from __future__ import annotations

import contextlib
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

from oai_lint.discover import BINARY_EXT
from oai_lint.history import git
from oai_lint.history.revisions import Selection

CHUNK = 1 << 20
_OVERLAP = 64  # more than the longest trigger, in UTF-16

_BINARY_EXT = frozenset(ext.encode() for ext in BINARY_EXT)

# (path, bytes) -> whether a key may be in them: the prefilter (scanblob.BlobScanner.wanted)
Wanted = Callable[[bytes, bytes], bool]


@dataclass
class Blob:
    """A blob with a key marker: its id, a path it was committed at, and its bytes."""
    oid: str
    path: bytes
    data: bytes


@dataclass
class Stats:
    """What the stream read: blobs listed and read, bytes, and what could not be read."""
    blobs: int = 0
    size: int = 0  # bytes read
    candidates: int = 0
    missing: int = 0  # not in a partial clone: not scanned
    binary: int = 0  # not read: a binary extension (.png, .zip, .so…)
    too_large: list[tuple[bytes, int]] = field(default_factory=list)  # (path, size) above the cap with a marker


def _feed(listing: IO[bytes], batch: IO[bytes], paths: deque[bytes], stats: Stats,
          failed: list[BaseException]) -> None:
    """rev-list's lines -> cat-file's input (``paths`` keeps the order for the reader)."""
    try:
        for line in listing:
            if line.startswith(b"?"):  # --missing=print: an object this (partial) clone does not have
                stats.missing += 1
                continue
            oid, _, path = line.rstrip(b"\n").partition(b" ")
            dot = path.rfind(b".")
            if dot > path.rfind(b"/") and path[dot:].lower() in _BINARY_EXT:
                stats.binary += 1  # an image, archive, compiled file…: not read (as a work-tree scan)
                continue
            paths.append(path)
            batch.write(oid + b"\n")
    except (BrokenPipeError, ValueError, OSError) as exc:  # cat-file ended early: the reader says why
        failed.append(exc)
    finally:
        with contextlib.suppress(OSError):
            batch.close()


def _read_large(out: IO[bytes], size: int, path: bytes = b"", wanted: Wanted | None = None) -> bool:
    """Read ``size`` bytes (and the newline after them) in chunks; whether a marker occurs in them."""
    found = False
    tail = b""
    left = size
    while left > 0:
        chunk = out.read(min(CHUNK, left))
        if not chunk:
            raise git.GitError("git cat-file ended in the middle of an object")
        left -= len(chunk)
        if not found and wanted is not None:
            window = tail + chunk
            found = wanted(path, window)
            tail = window[-_OVERLAP:]
    out.read(1)
    return found


def stream(repo: git.Repository, selection: Selection, max_size: int, stats: Stats,
           wanted: Wanted) -> Iterator[Blob]:
    """The blobs of the selection that hold a key marker. GitError when git fails."""
    with tempfile.TemporaryFile() as list_errors, tempfile.TemporaryFile() as batch_errors:
        # (an older git lists trees and commits too: cat-file's answers say which objects are blobs)
        only_blobs = ["--filter=object:type=blob", "--filter-provided-objects"] if repo.type_filter else []
        listing = git.popen(repo.cwd, "rev-list", "--objects", "--missing=print", *only_blobs,
                            *selection.args(), "--", stderr=list_errors)
        # a smaller delta base cache than git's 96 MB: less memory, and no slower in our measurements
        batch = git.popen(repo.cwd, "-c", "core.deltaBaseCacheLimit=32m", "cat-file", "--batch", "--buffer",
                          stdin=True, stderr=batch_errors)
        assert listing.stdout is not None and batch.stdin is not None and batch.stdout is not None
        paths: deque[bytes] = deque()
        failed: list[BaseException] = []
        feeder = threading.Thread(target=_feed, args=(listing.stdout, batch.stdin, paths, stats, failed),
                                  daemon=True)
        feeder.start()
        finished = False
        try:
            yield from _blobs(batch.stdout, paths, max_size, stats, wanted)
            finished = True
        finally:
            if not finished:
                for proc in (listing, batch):
                    if proc.poll() is None:
                        proc.kill()
            feeder.join()
            batch.stdout.close()
            codes = [listing.wait(), batch.wait()]
        if finished:
            for name, code, errors in (("rev-list", codes[0], list_errors), ("cat-file", codes[1], batch_errors)):
                if code != 0:
                    errors.seek(0)
                    raise git.GitError(git.first_line(errors.read(65536)) or f"git {name} failed (exit {code})")


def _blobs(out: IO[bytes], paths: deque[bytes], max_size: int, stats: Stats, wanted: Wanted) -> Iterator[Blob]:
    """cat-file's answers: the blobs ``wanted`` accepts."""
    while True:
        header = out.readline()
        if not header:
            return
        path = paths.popleft() if paths else b""
        parts = header.split()
        if len(parts) != 3:  # "<oid> missing": gone since rev-list listed it
            stats.missing += 1
            continue
        size = int(parts[2])
        if parts[1] != b"blob":  # (only with a git older than 2.32, which lists trees and commits too)
            _read_large(out, size)
            continue
        stats.blobs += 1
        stats.size += size
        if size > max_size:
            if _read_large(out, size, path, wanted):
                stats.too_large.append((path, size))
            continue
        data = out.read(size)
        out.read(1)
        if len(data) != size:
            raise git.GitError("git cat-file ended in the middle of an object")
        if wanted(path, data):
            stats.candidates += 1
            yield Blob(parts[0].decode("ascii"), path, data)


def read_blobs(repo: git.Repository, oids: list[str]) -> Iterator[tuple[str, bytes]]:
    """The bytes of a few blobs (those that first held a key), in one ``cat-file --batch``."""
    if not oids:
        return
    with tempfile.TemporaryFile() as errors:
        batch = git.popen(repo.cwd, "cat-file", "--batch", stdin=True, stderr=errors)
        assert batch.stdin is not None and batch.stdout is not None

        def feed(stdin: IO[bytes]) -> None:
            try:
                stdin.write(b"".join(oid.encode("ascii") + b"\n" for oid in oids))
            except OSError:
                pass
            finally:
                with contextlib.suppress(OSError):
                    stdin.close()

        feeder = threading.Thread(target=feed, args=(batch.stdin,), daemon=True)
        feeder.start()
        out = batch.stdout
        try:
            while True:
                header = out.readline()
                if not header:
                    break
                parts = header.split()
                if len(parts) != 3:
                    continue
                data = out.read(int(parts[2]))
                out.read(1)
                yield parts[0].decode("ascii"), data
        finally:
            if batch.poll() is None:
                batch.kill()
            feeder.join()
            out.close()
            batch.wait()
