"""Repository-level facts for the organization/project rules (OAI2xx).

Some questions cannot be answered from one file: does any code read ``OPENAI_ORGANIZATION``? Does the
repository use LangChain? Does it pin an organization or project somewhere? Pre-commit passes only the
staged files (in parallel batches), so the answers are computed over the *whole* repository, whatever
is on the command line: the git work tree that holds the file, listed as a scan of it would list it
(``oai_lint.repository``), or the scan root outside git.

It is cheap: files of kinds that cannot contribute (Markdown, most JSON) are never opened, the others
are read once and skipped unless a few byte strings occur (``provider``), and only the rest is decoded
and looked at through the same ``Source`` views the checks use (``reads``, ``deploy``). The result is
cached per process in ``Context`` (the engine computes it in the parent before worker processes
start, or gathers it while a scan of the whole repository reads the files).

A scan of a few named files that neither has nor gathers the whole facts answers a narrow question (does
any code read these env names?) from the files that can change the answer only (``questions``, which
checks call; ``oai_lint.repository.part_for``).

``provider`` is what the engine reads before anything else is imported (the rules the facts serve, which
files can contribute, the parts of the facts); ``facts`` is what checks call (``for_source``);
``questions`` the narrow questions; ``model`` the facts themselves.
This package's ``__init__`` imports nothing, so that importing ``provider`` stays cheap.
"""
