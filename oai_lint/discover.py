"""Which files to scan: arguments, .gitignore (through git), default and configured excludes."""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field

from oai_lint.findings import Note

DEFAULT_EXCLUDE_DIRS = frozenset({
    ".git", ".hg", ".svn", "node_modules", ".venv", "venv", "site-packages", "__pycache__", "dist", "build",
    ".tox", ".nox", ".cache", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis", ".eggs",
    "bower_components", ".direnv", ".terraform",
})
BINARY_EXT = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".ico", ".webp", ".tif", ".tiff", ".psd", ".pdf", ".zip",
    ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".jar", ".war", ".whl", ".egg", ".so", ".dylib", ".dll",
    ".exe", ".o", ".a", ".pyc", ".pyo", ".class", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".mp3",
    ".mp4", ".mov", ".avi", ".wav", ".flac", ".ogg", ".webm", ".sqlite", ".db", ".parquet", ".npy",
    ".npz", ".pkl", ".pt", ".onnx", ".h5", ".bin", ".dat", ".mo", ".wasm", ".icns", ".heic",
})


@dataclass
class FileEntry:
    abspath: str
    relpath: str  # relative to the scan root, forward slashes
    size: int
    explicit: bool = False


@dataclass
class Discovery:
    files: list[FileEntry] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    skipped_binary: int = 0
    in_git: bool = False
    git_root: str | None = None


def display_path(path: str) -> str:
    """A path as reports show it: printable text that is valid UTF-8.

    File names are bytes on Linux; a name that is not UTF-8 arrives with surrogate escapes, which cannot
    be written as UTF-8. Those bytes, control characters and other unprintable characters (e.g. a
    right-to-left override) are shown as ``\\xff``/``\\u202e`` escapes, as ``git`` quotes them.
    """
    if path.isprintable():
        return path
    out: list[str] = []
    for ch in path:
        code = ord(ch)
        if ch.isprintable():
            out.append(ch)
        elif 0xDC80 <= code <= 0xDCFF:  # an undecodable byte (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return "".join(out)


_DEFAULT_DIRS_FREE: set[str] = set()  # directory names already known not to be default excludes


def rel(path: str, root: str) -> str:
    """``path`` relative to ``root`` with forward slashes. Undecodable bytes of a name stay surrogate
    escapes (SARIF turns them back into the bytes); reporters show text with ``display_path``."""
    prefix = root.rstrip(os.sep) + os.sep
    if path.startswith(prefix) and os.sep + ".." + os.sep not in path and os.sep + "." + os.sep not in path:
        r = path[len(prefix):]  # the common case, without relpath's normalisation cost
        return r.replace(os.sep, "/") if os.sep != "/" else r
    try:
        r = os.path.relpath(path, root)
    except ValueError:  # another drive on Windows
        from pathlib import Path

        return Path(path).as_posix()
    from pathlib import Path

    if r.startswith(".."):
        return Path(os.path.abspath(path)).as_posix()
    return Path(r).as_posix()


def file_type(mode: int) -> str:
    """What a file that is not a regular file is, for notes: "FIFO", "directory"…"""
    for test, name in ((stat.S_ISDIR, "directory"), (stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"),
                       (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"),
                       (stat.S_ISLNK, "symbolic link")):
        if test(mode):
            return name
    return "special file"


def _match_one(relpath: str, pattern: str) -> bool:
    pat = pattern.strip()
    if not pat:
        return False
    anchored = pat.startswith("/")
    pat = pat.lstrip("/")
    if pat.startswith("./"):
        pat = pat[2:]
    dir_only = pat.endswith("/")
    pat = pat.rstrip("/")
    parts = relpath.split("/")
    if "/" not in pat and not anchored:
        names = parts[:-1] if dir_only else parts
        return any(fnmatch.fnmatchcase(p, pat) for p in names)
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts) - (1 if dir_only else 0))]
    return any(fnmatch.fnmatchcase(p, pat) for p in prefixes)


def excluded(relpath: str, patterns: Iterable[str]) -> bool:
    return any(_match_one(relpath, p) for p in patterns)


def _git_root(directory: str) -> str | None:
    import subprocess

    try:
        proc = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=directory, capture_output=True, text=True,
            timeout=30, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    return proc.stdout.strip() or None


def _git_files(directory: str) -> list[str] | None:
    """Files git does not ignore below ``directory`` (tracked and untracked), relative to it."""
    import subprocess

    try:
        proc = subprocess.run(
            ["git", "-c", "core.quotepath=off", "ls-files", "-z", "--cached", "--others", "--exclude-standard",
             "--deduplicate", "--", "."],
            cwd=directory, capture_output=True, timeout=120, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    return [os.fsdecode(p) for p in proc.stdout.split(b"\0") if p]


class Discoverer:
    def __init__(self, root: str, excludes: list[str], max_size: int, use_gitignore: bool = True,
                 force_exclude: bool = False) -> None:
        self.root = os.path.abspath(root)
        self.excludes = excludes
        self.max_size = max_size
        self.use_gitignore = use_gitignore
        self.force_exclude = force_exclude
        self.result = Discovery()
        self._seen: set[str] = set()

    def _note(self, path: str, message: str, kind: str = "note") -> None:
        self.result.notes.append(Note(rel(path, self.root), message, kind))

    def _add(self, abspath: str, explicit: bool, scan_root: str) -> None:
        relpath = rel(abspath, self.root)
        if abspath in self._seen:
            return
        if (not explicit or self.force_exclude) and self.excludes and excluded(relpath, self.excludes):
            return
        if (not explicit or self.force_exclude) and "/" in relpath:
            parts = relpath.split("/")[:-1]
            if not _DEFAULT_DIRS_FREE.issuperset(parts) and any(
                p in DEFAULT_EXCLUDE_DIRS or p.endswith(".egg-info") for p in parts
            ):
                return
            _DEFAULT_DIRS_FREE.update(parts)
        try:
            st = os.lstat(abspath)
        except FileNotFoundError:
            if not explicit:
                return  # listed by git's index but deleted in the work tree
            self._note(abspath, "no such file", "error")
            return
        except OSError as exc:
            self._note(abspath, f"cannot stat: {exc.strerror}", "error")
            return
        if stat.S_ISLNK(st.st_mode):
            target = os.path.realpath(abspath)
            if not _within(target, scan_root):
                self._note(abspath, "symbolic link to outside the scanned directory; not followed")
                return
            if os.path.isdir(target):
                return  # a link to a directory inside the root: its files are scanned there
            try:
                st = os.stat(target)
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    self._note(abspath, "symbolic link loop; skipped")
                else:
                    self._note(abspath, f"broken symbolic link ({exc.strerror}); skipped")
                return
            # a link to a file inside the root: the file itself is scanned under its own name
            if not explicit:
                return
        if not stat.S_ISREG(st.st_mode):
            # directories listed here are submodules (git) or links to directories: nothing to say.
            # A FIFO must never be opened (it blocks), nor a device read; say why they were left out.
            if not stat.S_ISDIR(st.st_mode):
                self._note(abspath, f"not a regular file ({file_type(st.st_mode)}); skipped")
            return
        dot = relpath.rfind(".")
        if dot > relpath.rfind("/") and relpath[dot:].lower() in BINARY_EXT:
            self.result.skipped_binary += 1
            return
        if st.st_size > self.max_size:
            self._note(
                abspath,
                f"skipped: {st.st_size / 1e6:.1f} MB is above the size cap of {self.max_size / 1e6:.1f} MB "
                "(max-file-size in the configuration)",
            )
            return
        self._seen.add(abspath)
        self.result.files.append(FileEntry(abspath, relpath, st.st_size, explicit))

    def add_path(self, path: str) -> None:
        abspath = os.path.abspath(path)
        if not os.path.lexists(abspath):
            self._note(abspath, "no such file or directory", "error")
            return
        if not os.path.isdir(abspath):
            self._add(abspath, True, os.path.dirname(abspath))
            return
        if not os.access(abspath, os.R_OK | os.X_OK):
            self._note(abspath, "directory is not readable; skipped", "error")
            return
        if self.use_gitignore:
            git_root = _git_root(abspath)
            if git_root is not None:
                files = _git_files(abspath)
                if files is not None:
                    self.result.in_git = True
                    self.result.git_root = git_root
                    for name in files:
                        self._add(os.path.join(abspath, name), False, abspath)
                    return
        self._walk(abspath)

    def _walk(self, top: str) -> None:
        stack = [top]
        while stack:
            directory = stack.pop()
            try:
                with os.scandir(directory) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                self._note(directory, f"cannot read directory: {exc.strerror}", "error")
                continue
            subdirs = []
            for entry in entries:
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    is_dir = False
                if is_dir:
                    if entry.name in DEFAULT_EXCLUDE_DIRS or entry.name.endswith(".egg-info"):
                        continue
                    relpath = rel(entry.path, self.root)
                    if self.excludes and excluded(relpath + "/x", self.excludes):
                        continue
                    subdirs.append(entry.path)
                else:
                    self._add(entry.path, False, top)
            stack.extend(reversed(subdirs))


def _within(path: str, root: str) -> bool:
    root = os.path.realpath(root)
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def discover(paths: list[str], root: str, excludes: list[str], max_size: int, use_gitignore: bool = True,
             force_exclude: bool = False) -> Discovery:
    d = Discoverer(root, excludes, max_size, use_gitignore, force_exclude)
    for p in paths:
        d.add_path(p)
    d.result.files.sort(key=lambda f: f.relpath)
    return d.result
