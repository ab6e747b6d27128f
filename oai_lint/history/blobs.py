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
import os
import queue
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
GROUP = 512  # objects sent to one cat-file process before the next
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

    def merge(self, other: Stats) -> None:
        self.blobs += other.blobs
        self.size += other.size
        self.candidates += other.candidates
        self.missing += other.missing
        self.binary += other.binary
        self.too_large.extend(other.too_large)


def _feed(listing: IO[bytes], batches: list[IO[bytes]], paths: list[deque[bytes]], stats: Stats) -> None:
    """rev-list's lines -> the cat-file processes' input, GROUP consecutive objects each in turn (objects
    listed together are often deltas of each other: one process resolves the chain); ``paths`` keeps
    the order for each reader."""
    k = count = 0
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
            paths[k].append(path)
            batches[k].write(oid + b"\n")
            count += 1
            if count == GROUP:
                count, k = 0, (k + 1) % len(batches)
    except (ValueError, OSError):  # a cat-file ended early: its reader says why
        pass
    finally:
        for batch in batches:
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


def jobs_for(jobs: int) -> int:
    """cat-file processes: ``jobs``, or when 0 one per two CPUs (up to 4; the Python side and rev-list
    need a CPU too)."""
    if jobs > 0:
        return jobs
    return max(1, min(4, (os.cpu_count() or 1) // 2))


def stream(repo: git.Repository, selection: Selection, max_size: int, stats: Stats,
           wanted: Wanted, jobs: int = 1) -> Iterator[Blob]:
    """The blobs of the selection that hold a key marker, read by ``jobs`` cat-file processes (each with
    a thread that reads its answers and applies the prefilter). GitError when git fails."""
    with contextlib.ExitStack() as stack:
        list_errors = stack.enter_context(tempfile.TemporaryFile())
        # (an older git lists trees and commits too: cat-file's answers say which objects are blobs)
        only_blobs = ["--filter=object:type=blob", "--filter-provided-objects"] if repo.type_filter else []
        listing = git.popen(repo.cwd, "rev-list", "--objects", "--missing=print", *only_blobs,
                            *selection.args(), "--", stderr=list_errors)
        procs = [listing]
        batch_errors = [stack.enter_context(tempfile.TemporaryFile()) for _ in range(jobs)]
        try:
            # a smaller delta base cache than git's 96 MB: less memory, and no slower in our measurements
            batches = [git.popen(repo.cwd, "-c", "core.deltaBaseCacheLimit=32m", "cat-file", "--batch", "--buffer",
                                 stdin=True, stderr=err) for err in batch_errors]
        except BaseException:
            listing.kill()
            listing.wait()
            raise
        procs += batches
        paths: list[deque[bytes]] = [deque() for _ in batches]
        found: queue.Queue[Blob | None] = queue.Queue(maxsize=8)  # memory: a few blobs in flight at most
        failures: list[BaseException] = []
        per_reader = [Stats() for _ in batches]
        threads = [threading.Thread(target=_feed, daemon=True, args=(
            listing.stdout, [b.stdin for b in batches], paths, stats))]
        threads += [threading.Thread(target=_read, daemon=True, args=(
            b.stdout, paths[i], max_size, per_reader[i], wanted, found, failures)) for i, b in enumerate(batches)]
        for t in threads:
            t.start()
        finished = False
        try:
            done = 0
            while done < len(batches):
                blob = found.get()
                if blob is None:
                    done += 1
                else:
                    yield blob
            if failures:
                raise failures[0]
            finished = True
        finally:
            if not finished:
                for proc in procs:
                    if proc.poll() is None:
                        proc.kill()
            while any(t.is_alive() for t in threads):  # readers may wait to hand on a blob
                with contextlib.suppress(queue.Empty):
                    found.get(timeout=0.05)
            for b in batches:
                assert b.stdout is not None
                b.stdout.close()
            codes = [proc.wait() for proc in procs]
            for r in per_reader:
                stats.merge(r)
        if finished:
            for code, errors in zip(codes, [list_errors, *batch_errors], strict=True):
                if code != 0:
                    errors.seek(0)
                    raise git.GitError(git.first_line(errors.read(65536)) or f"git failed (exit {code})")


def _read(out: IO[bytes], paths: deque[bytes], max_size: int, stats: Stats, wanted: Wanted,
          found: queue.Queue[Blob | None], failures: list[BaseException]) -> None:
    """One cat-file's answers -> the blobs ``wanted`` accepts, into ``found``; None at the end."""
    try:
        for blob in _blobs(out, paths, max_size, stats, wanted):
            found.put(blob)
    except Exception as exc:  # reported by the consumer
        failures.append(exc)
        # nobody reads this cat-file any more: closing its output ends it, so the feeder stops too
        # (instead of waiting on a full pipe) and the other readers reach their end
        with contextlib.suppress(OSError):
            out.close()
    finally:
        found.put(None)


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
