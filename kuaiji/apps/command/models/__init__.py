"""Models of holistic governance, one module a scene: directives with their targets, receipts
and feedback; task lists with tasks, milestones, progress reports and acceptance."""

from kuaiji.apps.command.models.checklists import (
    Acceptance,
    AcceptanceDecision,
    Evidence,
    Milestone,
    ProgressReport,
    Task,
    TaskList,
    TaskListOrigin,
    TaskListStatus,
    TaskStatus,
)
from kuaiji.apps.command.models.directives import (
    Directive,
    DirectiveAttachment,
    DirectivePriority,
    DirectiveStatus,
    DirectiveTarget,
    Feedback,
    FeedbackState,
)

__all__ = [
    "Acceptance",
    "AcceptanceDecision",
    "Directive",
    "DirectiveAttachment",
    "DirectivePriority",
    "DirectiveStatus",
    "DirectiveTarget",
    "Evidence",
    "Feedback",
    "FeedbackState",
    "Milestone",
    "ProgressReport",
    "Task",
    "TaskList",
    "TaskListOrigin",
    "TaskListStatus",
    "TaskStatus",
]
