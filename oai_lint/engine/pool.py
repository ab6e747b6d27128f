"""The worker processes of a large scan: our own pool (pipes, never sockets), fed chunk after chunk as
workers finish, large chunks first; a worker that dies does not end the run (what it held is scanned
again in this process)."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterable
from multiprocessing.connection import wait
from typing import TYPE_CHECKING, Any

from oai_lint.checks import Context
from oai_lint.discover import UNKNOWN_SIZE, FileEntry
from oai_lint.engine.facts import publish
from oai_lint.engine.results import CLEAN, FileResult
from oai_lint.engine.scanner import Scanner
from oai_lint.engine.settings import Settings
from oai_lint.findings import Note

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

ENTRIES_PER_MESSAGE = 48
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
# gc thresholds during a scan (see oai_lint.engine.relax_gc)
GC_THRESHOLDS = (50_000, 20, 100)


def _chunks(files: list[FileEntry], start: int, jobs: int) -> list[range]:
    """Index ranges of ``files[start:]`` for the workers: roughly equal bytes where the sizes are known,
    else equal numbers of files, smaller towards the end so that the workers finish together."""
    chunks: list[range] = []
    n = len(files)
    known = all(f.size != UNKNOWN_SIZE for f in files[start:])
    if known:
        target = max(1, sum(f.size for f in files[start:]) // (jobs * 16))
        first = start
        acc = 0
        for i in range(start, n):
            acc += files[i].size
            if acc >= target or i + 1 - first >= 2000:
                chunks.append(range(first, i + 1))
                first, acc = i + 1, 0
        if first < n:
            chunks.append(range(first, n))
        return chunks
    i = start
    while i < n:
        size = max(16, min(1000, (n - i) // (jobs * 6)))
        chunks.append(range(i, min(n, i + size)))
        i += size
    return chunks


def _sparse(chunk: range, results: list[FileResult]) -> dict[int, FileResult]:
    """The results worth sending back: most files are scanned and clean (the parent fills those in)."""
    return {i: r for i, r in zip(chunk, results, strict=True)
            if r.findings or r.notes or not r.scanned or r.pending or r.facts is not None}


def _die_with_parent(parent: int) -> None:
    """Let the kernel end this worker when its parent dies (Linux: PR_SET_PDEATHSIG), so that a busy
    worker does not go on scanning for a scan that was killed (a CI timeout); elsewhere the worker looks
    between files (:func:`_orphaned`)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if _orphaned(parent):  # the parent died before the request took effect
        os._exit(0)


def _orphaned(parent: int) -> bool:
    return os.getppid() != parent


def _scan_entries(scanner: Scanner, entries: Iterable[tuple[int, FileEntry]], parent: int) -> list[FileResult]:
    out = []
    for i, entry in entries:
        if _orphaned(parent):
            os._exit(0)
        out.append(scanner.scan_file(entry, i))
    return out


def _worker_main(orders: Connection, answers: Connection, settings: Settings, context: Context,
                 files: list[FileEntry], gather: str | None, inherited: Iterable[Connection] = (),
                 parent: int = 0) -> None:
    """A worker: scans the chunks the parent sends; then, given the repository's facts, finishes the
    files whose checks waited for them. ``inherited``: the parent's pipe ends, copied by fork, to close;
    ``parent``: the scanning process, whose death ends this one."""
    parent = parent or os.getppid()
    _die_with_parent(parent)
    for conn in inherited:
        with contextlib.suppress(OSError):
            conn.close()
    scanner = Scanner(settings, context, gather)
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        while True:
            msg = orders.recv()
            if msg is None:
                return
            if msg[0] == "chunk":  # files this worker knows (it was forked with them)
                chunk: range = msg[1]
                answers.send(("chunk", chunk, _sparse(chunk, _scan_entries(scanner, ((i, files[i]) for i in chunk),
                                                                           parent))))
            elif msg[0] == "entries":  # files listed after the worker started
                chunk, entries = msg[1], msg[2]
                out = _scan_entries(scanner, zip(chunk, entries, strict=True), parent)
                answers.send(("chunk", chunk, _sparse(chunk, out)))
            else:  # ("facts", {key: facts})
                context.facts.update(msg[1])
                answers.send(("pending", scanner.finish_pending()))
    except (EOFError, KeyboardInterrupt, BrokenPipeError):
        return


class Workers:
    """Worker processes that each scan chunk after chunk, sent by this process as they finish; a worker
    that dies does not end the run (what it held is scanned again here)."""

    def __init__(self, jobs: int, scanner: Scanner, files: list[FileEntry]) -> None:
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        mp: Any = multiprocessing.get_context(method)
        self.scanner, self.files = scanner, list(files)
        self.forked = len(files)  # the workers know files[:forked]; later ones are sent to them
        self.jobs = jobs
        self.results: list[FileResult | None] = [None] * len(files)
        self.todo = _chunks(self.files, 0, jobs)
        self.todo.reverse()  # popped from the end: in order
        self.conns: list[Connection | None] = []  # answers from each worker
        self.orders: list[Connection] = []  # to each worker (pipes, not sockets: no socket is ever opened)
        self.procs: list[BaseProcess] = []
        self.held: list[list[range]] = []  # chunks sent to each worker and not yet returned
        self.pending: list[list[int]] = []  # files each worker keeps for the second pass
        self.lost = 0
        for _ in range(jobs):
            orders_in, orders_out = mp.Pipe(duplex=False)
            answers_in, answers_out = mp.Pipe(duplex=False)
            # a forked worker inherits this process's ends of its own pipes and of the earlier workers'
            # pipes: it closes them, or it never sees the end of a pipe when this process dies (killed
            # by a CI timeout, say) and waits for ever, blocked on a write or a read
            inherited = [*(c for c in self.conns if c is not None), *self.orders, answers_in, orders_out] \
                if method == "fork" else []
            proc = mp.Process(target=_worker_main, daemon=True, args=(
                orders_in, answers_out, scanner.settings, scanner.context, self.files, scanner.gather,
                inherited, os.getpid()))
            proc.start()
            orders_in.close()
            answers_out.close()
            self.conns.append(answers_in)
            self.orders.append(orders_out)
            self.procs.append(proc)
            self.held.append([])
            self.pending.append([])
        self._feed()

    def _feed(self) -> None:
        for w in range(len(self.conns)):
            while len(self.held[w]) < 2 and self.todo and self.conns[w] is not None:
                # one being scanned, one waiting: the worker never idles on the pipe
                if not self._send_chunk(w):
                    break

    def extend(self, files: list[FileEntry]) -> None:
        """More files to scan (listed after the workers started)."""
        start = len(self.files)
        self.files.extend(files)
        self.results.extend([None] * len(files))
        # sent through the pipe, each to a worker that holds nothing else (see _send_chunk)
        chunks = [range(i, min(c.stop, i + ENTRIES_PER_MESSAGE))
                  for c in _chunks(self.files, start, self.jobs) for i in c[::ENTRIES_PER_MESSAGE]]
        self.todo = [*reversed(chunks), *self.todo]
        self._feed()

    def _send_chunk(self, w: int) -> bool:
        """Send the next chunk to worker ``w``; False when nothing was sent."""
        if not self.todo or self.conns[w] is None:
            return False
        entries = self.todo[-1].stop > self.forked
        if entries and self.held[w]:
            # An 'entries' message (file names) can be larger than the pipe holds (long paths; 16 KB
            # pipes on macOS): this process then waits until the worker reads it, while a worker busy
            # with an earlier chunk may wait for this process to read its answer, a deadlock. Such a
            # message goes only to a worker that holds nothing (it is waiting for orders).
            return False
        chunk = self.todo.pop()
        try:
            if not entries:
                self.orders[w].send(("chunk", chunk))
            else:
                self.orders[w].send(("entries", chunk, self.files[chunk.start:chunk.stop]))
        except OSError:  # the worker is gone; its chunks are redone when its pipe reports the end
            self.todo.append(chunk)
            return False
        self.held[w].append(chunk)
        return True

    def _dead(self, w: int) -> None:
        """A worker died (killed for lack of memory, a crash in native code): scan here what it held."""
        conn = self.conns[w]
        if conn is not None:
            conn.close()
            self.orders[w].close()
        redo = [i for chunk in self.held[w] for i in chunk] + self.pending[w]
        self.held[w], self.pending[w] = [], []
        self.conns[w] = None
        self.lost += len(redo)
        for i in sorted(redo):
            self.results[i] = self.scanner.scan_file(self.files[i], i)

    def _alive(self) -> list[int]:
        return [w for w, c in enumerate(self.conns) if c is not None]

    def _wait(self, workers: list[int]) -> list[tuple[int, Any]]:
        """(worker, message) for each of the workers that answered; message None when it died."""
        conns = {id(c): (w, c) for w in workers if (c := self.conns[w]) is not None}
        out: list[tuple[int, Any]] = []
        for ready in wait([c for _, c in conns.values()]):
            w, conn = conns[id(ready)]
            try:
                out.append((w, conn.recv()))
            except (EOFError, OSError):
                out.append((w, None))
        return out

    def first_pass(self) -> None:
        while busy := [w for w in self._alive() if self.held[w]]:
            for w, msg in self._wait(busy):
                if msg is None:
                    self._dead(w)
                    continue
                _, chunk, out = msg
                self.held[w].remove(chunk)
                self._send_chunk(w)
                # most files were scanned and had nothing to say: one shared result stands for them
                self.results[chunk.start:chunk.stop] = [CLEAN] * len(chunk)
                for i, r in out.items():
                    if r.pending:
                        self.pending[w].append(i)
                    self.results[i] = r
        while self.todo:  # every worker died: the rest is scanned here
            for i in self.todo.pop():
                self.results[i] = self.scanner.scan_file(self.files[i], i)

    def second_pass(self, facts: dict[str, Any]) -> None:
        asked = []
        for w in self._alive():
            if not self.pending[w]:
                continue
            try:
                self.orders[w].send(("facts", facts))
                asked.append(w)
            except OSError:
                self._dead(w)
        while asked:
            for w, msg in self._wait(asked):
                asked.remove(w)
                if msg is None:
                    self._dead(w)  # kept in this process's scanner, finished with its own pending files
                    continue
                self.pending[w] = []
                for i, r in msg[1].items():
                    self.results[i] = r

    def close(self) -> None:
        for w, conn in enumerate(self.conns):
            if conn is not None:
                with contextlib.suppress(OSError):
                    self.orders[w].send(None)
                self.orders[w].close()
                conn.close()
        for proc in self.procs:
            proc.join(timeout=5)
            if proc.is_alive():  # pragma: no cover - a worker stuck in native code
                proc.kill()

    def run(self) -> list[FileResult]:
        """Run the pool to the end: every file scanned, then (when the scan gathers the repository's facts)
        the files whose checks waited for them finished; the results in the order of the files."""
        scanner = self.scanner
        try:
            self.first_pass()
            if scanner.gather is not None and (any(self.pending) or scanner.pending):
                self.second_pass(publish(scanner, self.files, self.results))
                for i, r in scanner.finish_pending().items():
                    self.results[i] = r
        finally:
            self.close()
        results = [r if r is not None else FileResult() for r in self.results]
        if self.lost:
            first = next(i for i, r in enumerate(self.results) if r is not None)
            if results[first] is CLEAN:
                results[first] = FileResult(scanned=True)
            results[first].notes.append(Note(self.files[first].relpath, (
                f"a worker process died (killed for lack of memory?); the {self.lost} files it held were "
                "scanned again in the main process")))
        return results
