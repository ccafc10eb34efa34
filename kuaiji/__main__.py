"""`python -m kuaiji` is the `kuaiji` command."""

from kuaiji.cli import main

main()
