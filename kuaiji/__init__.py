"""Kuaiji: an open-source city digital-governance platform (the "1612" system)."""

__version__ = "0.1.0"
