"""The bench tree generator (``bench/generate.py``), one module per file kind."""
