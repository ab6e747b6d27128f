"""The benchmark runner (``bench/run.py``): timed processes, trees, the report."""
