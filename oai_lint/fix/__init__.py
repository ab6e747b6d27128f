"""``--fix``, ``--unsafe-fixes`` and ``--diff``: fixes for what the rules report, in ruff's model.

``model`` (the edit model), ``python_fix``/``python_v0`` (libcst), ``js_fix`` (tree-sitter byte ranges),
``config_fix`` (env names and models in configuration), ``apply`` (checks and writes), ``command`` (the CLI
side, reports). Imported only by runs that fix or show fixes: a plain scan never loads libcst.
"""
