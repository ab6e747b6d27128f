"""Which files to scan: arguments, .gitignore (through git), default and configured excludes."""

from __future__ import annotations

import errno
import functools
import os
import stat
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from oai_lint import gitcmd
from oai_lint.findings import Note

if TYPE_CHECKING:
    import subprocess

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


UNKNOWN_SIZE = -1  # not looked at yet: see examine()


@dataclass(slots=True)
class FileEntry:
    """A file to scan, as discovery found it."""
    abspath: str
    relpath: str  # relative to the scan root, forward slashes
    size: int  # UNKNOWN_SIZE: the scan examines the name when it reads it
    explicit: bool = False
    scan_root: str = ""  # the directory that was listed (symbolic links never lead out of it)
    content: bytes | None = None  # the bytes to scan instead of the file's (standard input)


@dataclass
class Discovery:
    """The files to scan, with the notes and counts of what was left out."""
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


def data_path(path: str) -> str:
    """A path as machine-readable reports (JSON) write it: the real name, whatever characters it holds (JSON
    escapes control characters itself, and a zero-width joiner in an emoji file name must stay one character,
    not the six of ``\\u200d``); only bytes that are not UTF-8 (surrogate escapes, which no JSON text can
    hold) are written as ``\\xff`` escapes."""
    if not any(0xDC80 <= ord(ch) <= 0xDCFF for ch in path):
        return path
    return "".join(f"\\x{ord(ch) - 0xDC00:02x}" if 0xDC80 <= ord(ch) <= 0xDCFF else ch for ch in path)


_DEFAULT_DIRS_FREE: set[str] = set()  # directory names already known not to be default excludes


def rel(path: str, root: str) -> str:
    """``path`` relative to ``root`` with forward slashes. Undecodable bytes of a name stay surrogate
    escapes (SARIF turns them back into the bytes); reporters show text with ``display_path``."""
    prefix = root.rstrip(os.sep) + os.sep
    if path.startswith(prefix) and os.sep + ".." + os.sep not in path and os.sep + "." + os.sep not in path:
        r = path[len(prefix):]  # the common case, without relpath's normalisation cost
        return r.replace(os.sep, "/") if os.sep != "/" else r
    from pathlib import Path  # (not imported at start-up: the common case above needs none of it)

    try:
        r = os.path.relpath(path, root)
    except ValueError:  # another drive on Windows
        return Path(path).as_posix()
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


_GLOB_CHARS = frozenset("*?[\\!#")


def _clean(pattern: str) -> str:
    """A pattern as written in the configuration or on the command line, ready for gitignore matching
    (surrounding whitespace dropped; ``./`` at the start means the base directory, as users write it)."""
    pat = pattern.strip()
    while pat.startswith("./"):
        pat = pat[2:]
    return pat


class _Literal:
    """A gitignore pattern without wildcards, matched without pathspec (whose import costs a run 10-25
    ms): ``name`` matches that name at any depth, ``dir/`` only directories, ``a/b`` and ``/a`` the path
    from the base. Matching a directory matches everything below it. Same answers as pathspec's
    GitIgnoreSpec (tests/unit/test_excludes.py checks it)."""

    __slots__ = ("anchored", "dir_only", "text")

    def __init__(self, pat: str) -> None:
        self.dir_only = pat.endswith("/")
        core = pat.strip("/")
        self.anchored = "/" in core or pat.startswith("/")
        self.text = core

    def match(self, relpath: str) -> bool:
        text = self.text
        if self.anchored:
            if relpath.startswith(text):
                rest = relpath[len(text):]
                return rest.startswith("/") or (not rest and not self.dir_only)
            return False
        parts = relpath.split("/")
        return text in (parts[:-1] if self.dir_only else parts)


class Excludes:
    """A list of exclude patterns with gitignore semantics (``*`` never crosses ``/``, ``**`` does, a
    pattern with a slash is relative to the base, ``!`` re-includes, a trailing ``/`` means directories).
    Patterns with wildcards go through pathspec's GitIgnoreSpec, imported only then."""

    __slots__ = ("_literals", "_spec")

    def __init__(self, patterns: Iterable[str]) -> None:
        pats = [p for p in (_clean(x) for x in patterns) if p]
        self._literals: list[_Literal] = []
        self._spec = None
        if any(p[0] == "!" or not _GLOB_CHARS.isdisjoint(p) for p in pats):
            import pathspec  # a seam: ~15 ms, only for patterns with wildcards

            self._spec = pathspec.GitIgnoreSpec.from_lines(pats)
        else:
            self._literals = [_Literal(p) for p in pats]

    def match(self, relpath: str) -> bool:
        """Whether the file at ``relpath`` (relative to the base, forward slashes) is excluded."""
        if self._spec is not None:
            return bool(self._spec.match_file(relpath))
        return any(lit.match(relpath) for lit in self._literals)


@functools.lru_cache(maxsize=256)
def compile_excludes(patterns: tuple[str, ...]) -> Excludes:
    return Excludes(patterns)


def excluded(relpath: str, patterns: Iterable[str]) -> bool:
    """Whether ``relpath`` matches the gitignore-style ``patterns`` (compiled once per list)."""
    return compile_excludes(tuple(patterns)).match(relpath)


def _git_root(directory: str) -> str | None:
    """The top of the git work tree that holds ``directory`` (None outside one, or when git cannot say)."""
    return gitcmd.toplevel(directory)[0]


_UNREADABLE = "could not open directory '"


def examine(abspath: str, explicit: bool, scan_root: str, max_size: int) -> tuple[int | None, str, str]:
    """What a listed name is: (its size when it is a regular file to scan, else None; a note to give,
    or ""; the note's kind). Symbolic links are never followed out of ``scan_root``, and a link to a
    file inside it is scanned under the file's own name unless it was named on the command line."""
    try:
        st = os.lstat(abspath)
    except FileNotFoundError:
        # listed by git's index but deleted in the work tree
        return None, ("" if not explicit else "no such file"), "error"
    except OSError as exc:
        return None, f"cannot stat: {exc.strerror}", "error"
    if stat.S_ISLNK(st.st_mode):
        target = os.path.realpath(abspath)
        if not _within(target, scan_root):
            return None, "symbolic link to outside the scanned directory; not followed", "note"
        if os.path.isdir(target):
            return None, "", "note"  # a link to a directory inside the root: its files are scanned there
        try:
            st = os.stat(target)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return None, "symbolic link loop; skipped", "note"
            return None, f"broken symbolic link ({exc.strerror}); skipped", "note"
        # a link to a file inside the root: the file itself is scanned under its own name
        if not explicit:
            return None, "", "note"
    if not stat.S_ISREG(st.st_mode):
        # directories listed here are submodules (git) or links to directories: nothing to say.
        # A FIFO must never be opened (it blocks), nor a device read; say why they were left out.
        if stat.S_ISDIR(st.st_mode):
            return None, "", "note"
        return None, f"not a regular file ({file_type(st.st_mode)}); skipped", "note"
    if st.st_size > max_size:
        return None, size_cap_note(st.st_size, max_size), "note"
    return st.st_size, "", "note"


def size_cap_note(size: int, max_size: int) -> str:
    return (f"skipped: {_size(size)} is above the size cap of {_size(max_size)} "
            "(max-file-size in the configuration)")


def _size(n: int) -> str:
    """5.0 MB, 2.4 KB, 12 bytes: as the size cap is written (SI units)."""
    if n >= 1_000_000:
        return f"{n / 1e6:.1f} MB"
    return f"{n / 1e3:.1f} KB" if n >= 1000 else f"{n} byte{'s' if n != 1 else ''}"


class _GitListing:
    """The files git does not ignore below a directory, relative to it: the tracked files (read from the
    index, fast) and the untracked ones (git walks the work tree for those, which takes as long as
    listing the index many times over). Both commands start at once; the tracked files are handled
    while git still looks for untracked ones."""

    def __init__(self, directory: str) -> None:

        self.procs: list[subprocess.Popen[bytes]] = []
        self.error = ""  # why git could not list the files (its first line of error)
        self.warnings: list[str] = []  # what git said while it listed them anyway
        try:
            for args in (["--cached", "--deduplicate"], ["--others", "--exclude-standard"]):
                self.procs.append(gitcmd.start(["ls-files", "-z", *args, "--", "."], directory))
        except OSError:
            self.close()
            self.procs = []

    def _names(self, proc: subprocess.Popen[bytes]) -> list[str] | None:
        done = gitcmd.finish(proc, 120)
        if done is None:
            self.error = self.error or "timed out"
            return None
        out, err = done
        lines = [line for line in err.decode("utf-8", "replace").splitlines() if line.strip()]
        if proc.returncode != 0:
            self.error = self.error or (lines[0] if lines else f"exit status {proc.returncode}")
            return None
        self.warnings += lines
        # one decode for the whole listing (as os.fsdecode would decode each name)
        names = out.decode(sys.getfilesystemencoding(), sys.getfilesystemencodeerrors()).split("\0")
        return [n for n in names if n]

    def tracked(self) -> list[str] | None:
        return self._names(self.procs[0]) if len(self.procs) == 2 else None

    def untracked(self) -> list[str] | None:
        return self._names(self.procs[1]) if len(self.procs) == 2 else None

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            proc.communicate()


class Discoverer:
    def __init__(self, root: str, excludes: list[str], max_size: int, use_gitignore: bool = True,
                 force_exclude: bool = False, defer_stat: bool = False,
                 on_tracked: Callable[[Discovery], None] | None = None) -> None:
        """``defer_stat``: names git lists are not looked at here (their size is UNKNOWN_SIZE; the scan
        calls :func:`examine`). ``on_tracked``: called with the files so far once git has listed the
        tracked files, while it still looks for untracked ones (a large scan starts its workers)."""
        self.defer_stat = defer_stat
        self.on_tracked = on_tracked
        self.while_git_lists: Callable[[str], None] | None = None
        self.root = os.path.abspath(root)
        self.excludes = excludes
        self._excluded = compile_excludes(tuple(excludes)).match if excludes else None
        self.max_size = max_size
        self.use_gitignore = use_gitignore
        self.force_exclude = force_exclude
        self.result = Discovery()
        self._seen: set[str] = set()

    def _note(self, path: str, message: str, kind: str = "note") -> None:
        self.result.notes.append(Note(rel(path, self.root), message, kind))

    def _add(self, abspath: str, explicit: bool, scan_root: str, listed: bool = False) -> None:
        """``listed``: git listed the name (a name in its index may be gone from the work tree)."""
        relpath = rel(abspath, self.root)
        if abspath in self._seen:
            return
        if (not explicit or self.force_exclude) and self._excluded is not None and self._excluded(relpath):
            return
        if (not explicit or self.force_exclude) and "/" in relpath:
            parts = relpath.split("/")[:-1]
            if not _DEFAULT_DIRS_FREE.issuperset(parts) and any(
                p in DEFAULT_EXCLUDE_DIRS or p.endswith(".egg-info") for p in parts
            ):
                return
            _DEFAULT_DIRS_FREE.update(parts)
        dot = relpath.rfind(".")
        binary = dot > relpath.rfind("/") and relpath[dot:].lower() in BINARY_EXT
        if self.defer_stat and listed:
            # the scan looks at what the name is (link, FIFO, too large…) when it reads the file
            if binary:
                self.result.skipped_binary += 1
                return
            self._seen.add(abspath)
            self.result.files.append(FileEntry(abspath, relpath, UNKNOWN_SIZE, False, scan_root))
            return
        size, message, kind = examine(abspath, explicit, scan_root, self.max_size)
        if message:
            self._note(abspath, message, kind)
        if size is None:
            return
        if binary:
            self.result.skipped_binary += 1
            return
        self._seen.add(abspath)
        self.result.files.append(FileEntry(abspath, relpath, size, explicit))

    def add_found(self, abspath: str, scan_root: str) -> None:
        """Add a file found by other means (``git grep``), as a scan of ``scan_root`` would list it: or not
        (the scan's excludes, size cap and binary extensions decide)."""
        self._add(abspath, False, scan_root)

    def _add_listed(self, directory: str, names: list[str]) -> None:
        """Add the names git listed below ``directory`` (relative to it): what ``_add`` does, with the
        checks on directories made once per directory (tens of thousands of names take a moment)."""
        if not self.defer_stat:
            for name in names:
                self._add(os.path.join(directory, name), False, directory, True)
            return
        base = rel(directory, self.root)
        base = "" if base == "." else base + "/"
        dir_prefix = directory.rstrip(os.sep) + os.sep
        dir_ok: dict[str, bool] = {}
        files = self.result.files
        seen = self._seen
        is_excluded = self._excluded
        for name in names:
            relpath = base + name
            if is_excluded is not None and is_excluded(relpath):
                continue
            folder, _, leaf = relpath.rpartition("/")
            if folder:
                ok = dir_ok.get(folder)
                if ok is None:
                    ok = dir_ok[folder] = not any(
                        p in DEFAULT_EXCLUDE_DIRS or p.endswith(".egg-info") for p in folder.split("/"))
                if not ok:
                    continue
            dot = leaf.rfind(".")
            if dot >= 0 and leaf[dot:].lower() in BINARY_EXT:
                self.result.skipped_binary += 1
                continue
            abspath = dir_prefix + (name if os.sep == "/" else name.replace("/", os.sep))
            if abspath in seen:
                continue
            seen.add(abspath)
            files.append(FileEntry(abspath, relpath, UNKNOWN_SIZE, False, directory))

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
            git_root, git_error = gitcmd.toplevel(abspath)
            if git_root is None and git_error and gitcmd.inside_repository(abspath):
                self._git_failed(abspath, git_error)
            if git_root is not None:
                listing = _GitListing(abspath)
                if self.while_git_lists is not None:
                    self.while_git_lists(abspath)  # git works meanwhile
                try:
                    tracked = listing.tracked()
                    if tracked is not None:
                        # untracked files are added after the tracked ones (the list is sorted at the end)
                        self.result.in_git = True
                        self.result.git_root = git_root
                        self._add_listed(abspath, tracked)
                        if self.on_tracked is not None:
                            self.on_tracked(self.result)
                        untracked = listing.untracked()
                        if untracked is not None:
                            self._add_listed(abspath, untracked)
                            self._unreadable(abspath, listing.warnings)
                            return
                        # git answered for the index but not for the work tree: walk it (the files
                        # already added are not added twice)
                    self._git_failed(abspath, listing.error or "git ls-files failed")
                finally:
                    listing.close()
        self._walk(abspath)

    def _git_failed(self, directory: str, why: str) -> None:
        self._note(directory, f"git could not list the files ({why}); the directory was walked instead, "
                              "so .gitignore is not honoured here")

    def _unreadable(self, directory: str, warnings: list[str]) -> None:
        """git lists no file of a directory it cannot open, and says so only in a warning: an error, as
        the walk gives (the scan is incomplete)."""
        for line in warnings:
            at = line.find(_UNREADABLE)
            if at < 0:
                continue
            name, _, why = line[at + len(_UNREADABLE):].rpartition("'")
            self._note(os.path.join(directory, name.rstrip("/")),
                       f"cannot read directory: {why.lstrip(': ') or 'permission denied'}", "error")

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
                    if self._excluded is not None and self._excluded(relpath + "/x"):
                        continue
                    subdirs.append(entry.path)
                else:
                    self._add(entry.path, False, top)
            stack.extend(reversed(subdirs))


def _within(path: str, root: str) -> bool:
    root = os.path.realpath(root)
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def discover(paths: list[str], root: str, excludes: list[str], max_size: int, use_gitignore: bool = True,
             force_exclude: bool = False, defer_stat: bool = False,
             on_tracked: Callable[[Discovery], None] | None = None,
             while_git_lists: Callable[[str], None] | None = None) -> Discovery:
    d = Discoverer(root, excludes, max_size, use_gitignore, force_exclude, defer_stat, on_tracked)
    d.while_git_lists = while_git_lists
    for p in paths:
        d.add_path(p)
    d.result.files.sort(key=lambda f: f.relpath)
    return d.result
