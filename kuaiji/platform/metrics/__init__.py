"""Indicator definitions and values: what the cockpit and the assessment read."""
