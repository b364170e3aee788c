"""Benchmarks (`make bench`): figures a reader can compare, not timed assertions."""
