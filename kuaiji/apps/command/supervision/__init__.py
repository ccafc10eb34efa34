"""Supervision across the apps (监督 "一览无余"): overdue and nearly overdue work with its
light by region and unit, urging, and the supervision report."""
