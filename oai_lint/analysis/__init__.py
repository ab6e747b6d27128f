"""What oai-lint knows about code, independent of any rule: the vocabulary of OpenAI hosts, SDKs and
wrappers (``vocab``), key and id formats (``keys``, ``ids``), names and values (``names``), version
constraints (``versions``), the retired models (``models``), Python and JS data flow (``pyflow``,
``jsflow``, sharing ``flow``), OpenAI API usage (``usage``), retry handling (``retries``) and the
repository's facts (``repofacts``). Checks (``oai_lint.checks``) turn these into findings; nothing here
imports a check."""
