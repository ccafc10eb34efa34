"""Indicators of holistic governance: directives and task lists, for the cockpit."""

from kuaiji.apps.command.checklists.indicators import INDICATORS as CHECKLIST_INDICATORS
from kuaiji.apps.command.directives.indicators import INDICATORS as DIRECTIVE_INDICATORS

INDICATORS = [*DIRECTIVE_INDICATORS, *CHECKLIST_INDICATORS]
