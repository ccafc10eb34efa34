"""Benchmarks: each module's `main()` prints its figure and the ratio to a baseline measured in
the same run. Run them all with `make bench`, one with `python -m bench.<name>`."""
