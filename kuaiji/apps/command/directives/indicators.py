"""Indicators of this scene for the metrics layer."""

from __future__ import annotations

from kuaiji.platform.metrics.registry import IndicatorSpec

INDICATORS: list[IndicatorSpec] = []
