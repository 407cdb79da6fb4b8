"""Benchmark commands: python -m bench.<name> (see bench/README.md)."""
