"""Demo data of holistic governance: a month of directives, then the task lists."""

from kuaiji.apps.command.checklists import demo as checklists_demo
from kuaiji.apps.command.directives import demo as directives_demo

STEPS = [*directives_demo.STEPS, *checklists_demo.STEPS]
