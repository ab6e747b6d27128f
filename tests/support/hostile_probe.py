"""Runs the oai-lint command line with optional instrumentation, for tests that need a real process.

    python tests/support/hostile_probe.py [--views] [--audit FILE] [--calls FILE] -- ARGS...

``--views``  registers one more check that runs on every file (so the engine's byte prefilter lets
             every file through) and touches every parsed view of it: Python AST, tree-sitter tree,
             YAML, JSON, TOML, .env, Dockerfile, notebook, settings. Every parser then meets every
             hostile input, whichever rules exist.
``--audit``  installs an audit hook (PEP 578): any socket event (creation, connect, name lookup…)
             writes ``NETWORK <event>`` on stderr and ends the process with exit code 97, which no
             code can catch; every program started is appended to FILE.
``--calls``  appends the name of every check each time a process first runs it, to FILE.

Worker processes are forked, so they inherit the hook and the instrumentation.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any

NETWORK_EXIT = 97


def _install_audit_hook(spawn_log: str) -> None:
    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event.startswith("socket.") or event in {
            "urllib.Request",
            "http.client.connect",
            "ftplib.connect",
            "smtplib.connect",
            "webbrowser.open",
        }:
            os.write(2, f"NETWORK {event} {args!r}\n".encode(errors="replace"))
            os._exit(NETWORK_EXIT)
        if event in {"subprocess.Popen", "os.posix_spawn", "os.exec", "os.system", "os.startfile"}:
            import json

            with open(spawn_log, "a", encoding="utf-8") as fh:  # one JSON line: event, program, arguments
                fh.write(
                    json.dumps(
                        [
                            event,
                            os.fsdecode(args[0]),
                            [os.fsdecode(a) for a in args[1] or ()]
                            if len(args) > 1 and isinstance(args[1], (list, tuple))
                            else [],
                        ]
                    )
                    + "\n"
                )

    sys.addaudithook(hook)


def _touch_views(source: Any, ctx: Any) -> Iterator[Any]:
    """Parse the file every way the sources offer; report nothing."""
    source.python  # noqa: B018
    tree = source.js
    if tree is not None:
        for node in tree.walk():
            tree.start(node)
    for doc in source.yaml_docs:
        from oai_lint.sources.yamlsrc import walk

        for _ in walk(doc.root):
            pass
    source.json_data  # noqa: B018
    source.toml_data  # noqa: B018
    source.env_entries  # noqa: B018
    source.docker_instructions  # noqa: B018
    source.notebook  # noqa: B018
    source.settings  # noqa: B018
    return iter(())


def _record_calls(path: str) -> None:
    from oai_lint import checks

    checks.full_registry()
    seen: set[str] = set()

    def wrap(chk: checks.Check) -> checks.Check:
        def func(source: Any, ctx: checks.Context) -> Iterable[Any]:
            if chk.name not in seen:
                seen.add(chk.name)
                with open(path, "a", encoding="utf-8") as fh:
                    fh.write(chk.name + "\n")
            return chk.func(source, ctx)

        return chk._replace(func=func)

    checks._REGISTRY[:] = [wrap(c) for c in checks._REGISTRY]


def main(argv: list[str]) -> None:
    sep = argv.index("--")
    opts, args = argv[:sep], argv[sep + 1 :]
    if "--audit" in opts:
        _install_audit_hook(opts[opts.index("--audit") + 1])
    from oai_lint import checks

    checks.full_registry()
    if "--views" in opts:
        checks.check("OAI101")(_touch_views)  # no triggers: runs on every file, of every kind
    if "--calls" in opts:
        _record_calls(opts[opts.index("--calls") + 1])
    from oai_lint.cli.commands import main as cli_main

    cli_main(args, prog_name="oai-lint")


if __name__ == "__main__":
    main(sys.argv[1:])
