"""What oai-lint knows about code, independent of any rule: the vocabulary of OpenAI hosts, SDKs and
wrappers (``vocab``), key and id formats (``keys``, ``ids``), names and values (``names``), the retired
models (``models``), Python and JS data flow (``pyflow``, ``jsflow``), OpenAI API usage (``usage``) and
retry handling (``retries``). Checks (``oai_lint.checks``) turn these into findings; nothing here
imports a check."""
