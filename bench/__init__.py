"""Benchmarks: each module's `main()` prints its figures and their ratio to a baseline measured in
the same run. Run them all with `make bench` (`python -m bench.run`, which also writes the
results as JSON and Markdown), one with `python -m bench.<name>`; see docs/reliability.md."""
