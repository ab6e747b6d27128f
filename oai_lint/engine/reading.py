"""Reading a file to scan: its bytes, read once, never blocking on a FIFO or device, never following a
link that git listed."""

from __future__ import annotations

import errno
import os
import stat

from oai_lint.discover import examine, file_type, size_cap_note

EXCLUDE_HINT = "Make it readable, or exclude it (--exclude, or exclude in the configuration)"
# O_NONBLOCK: a file replaced by a FIFO after discovery must not block the scan forever on open()
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(
    os, "O_BINARY", 0)


class NotRegularFile(OSError):
    """The path no longer names a regular file (a directory, FIFO, socket or device took its place)."""


class Skipped(Exception):
    """A name git listed that is not a file to scan: a link, a FIFO, a directory, too large… (the
    message says why; empty when there is nothing to say, e.g. a file deleted but still in the index)."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.message, self.kind = message, kind


def read_file(path: str, limit: int, listed_in: str | None = None, follow: bool = True) -> bytes:
    """Up to ``limit`` bytes of a regular file. Never blocks on a FIFO or device.

    ``listed_in``: the name was listed (by git) in that directory and nobody looked at it yet: a
    symbolic link, a special file or a file above ``limit - 1`` bytes raises :class:`Skipped` with
    the note discovery gives for it (see ``discover.examine``), at the cost of no extra system call.
    ``follow=False``: discovery saw a regular file; a symbolic link in its place now (swapped during the
    scan, perhaps to a file outside the tree) is not followed (:class:`NotRegularFile`)."""
    try:
        fd = os.open(path, _OPEN_FLAGS if listed_in is None and follow else _OPEN_FLAGS | _NOFOLLOW)
    except OSError as exc:
        if listed_in is None:
            if not follow and exc.errno in (errno.ELOOP, errno.EMLINK) and os.path.islink(path):
                raise NotRegularFile("became a symbolic link during the scan (not followed)") from None
            raise
        size, message, kind = examine(path, False, listed_in, limit - 1)  # a link, gone, unreadable…
        if size is None:
            raise Skipped(message, kind) from None
        return read_file(path, limit, follow=False)  # a regular file after all: read it (or say why not)
    try:
        st = os.fstat(fd)
    except OSError:
        os.close(fd)
        raise
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        if listed_in is not None:
            raise Skipped("" if stat.S_ISDIR(st.st_mode)
                          else f"not a regular file ({file_type(st.st_mode)}); skipped", "note")
        raise NotRegularFile(f"no longer a regular file ({file_type(st.st_mode)})")
    if listed_in is not None and st.st_size > limit - 1:
        os.close(fd)
        raise Skipped(size_cap_note(st.st_size, limit - 1), "note")
    try:
        # read what the size says (plus one byte to notice growth), not ``limit``: reading ``limit``
        # bytes reserves that much memory for every small file
        want = min(limit, st.st_size + 1)
        data = os.read(fd, want)
        if len(data) == want < limit or 0 < len(data) < min(want, st.st_size):
            # it grew, the size was not known (/proc and the like), or a short read: read to the end
            parts = [data]
            got = len(data)
            while got < limit:
                more = os.read(fd, min(limit - got, 1 << 20))
                if not more:
                    break
                parts.append(more)
                got += len(more)
            data = b"".join(parts)
        return data
    finally:
        os.close(fd)

