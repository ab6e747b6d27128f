"""``oai-lint history``: OpenAI keys that any commit added, still present or long deleted.

- :mod:`.git` runs git so that nothing the scanned repository controls can execute or reach the network;
- :mod:`.revisions` turns the command line (``--all``, ``--since REV``, ``A..B``, ``--pre-push``) into
  revision arguments;
- :mod:`.blobs` streams each distinct file version (blob) those commits added, once, through
  ``git cat-file --batch``, with the key marker looked for in the bytes before anything is decoded;
- :mod:`.scanblob` runs OAI101 (the work-tree rule, with its suppressions) on the blobs that hold a marker;
- :mod:`.attribute` finds, for those few blobs only, the commits and paths that added them;
- :mod:`.command` puts it together and :mod:`.report` renders the findings with their commits.
"""
