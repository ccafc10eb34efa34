"""Demo data of this scene."""

from __future__ import annotations

from kuaiji.platform.core.demo_loader import DemoStep

STEPS: list[DemoStep] = []
