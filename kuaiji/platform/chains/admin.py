"""Chains in the admin console: models, instances and tasks to look up (superusers only; the
fronts are where chains are run)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import ModelAdmin

from kuaiji.platform.chains.models import ChainInstance, ChainVersion, OverdueRecord, WorkTask
from kuaiji.platform.core.console import ReadOnly


@admin.register(ChainVersion)
class ChainVersionAdmin(ReadOnly, ModelAdmin[ChainVersion]):
    list_display = ("definition", "number", "shipped", "uploaded_by", "uploaded_at")
    list_select_related = ("definition", "uploaded_by")
    list_filter = ("definition", "shipped")
    fields = readonly_fields = ("definition", "number", "digest", "shipped", "uploaded_by",
                                "uploaded_at", "lanes", "steps", "source")  # fmt: skip


@admin.register(ChainInstance)
class ChainInstanceAdmin(ReadOnly, ModelAdmin[ChainInstance]):
    list_display = ("id", "title", "version", "status", "region", "started_at", "ended_at")
    list_select_related = ("version__definition", "region")
    list_filter = ("status", "version__definition")
    search_fields = ("=id", "title", "=business_id")
    fields = readonly_fields = ("version", "title", "business_type", "business_id", "region",
                                "grid", "department", "starter", "status", "revision",
                                "touched", "wakes_at", "started_at", "ended_at")  # fmt: skip


@admin.register(WorkTask)
class WorkTaskAdmin(ReadOnly, ModelAdmin[WorkTask]):
    list_display = ("id", "title", "step_name", "unit_label", "assignee", "status", "due_at")
    list_select_related = ("assignee",)
    list_filter = ("status",)
    search_fields = ("=id", "=instance__id", "title")
    fields = readonly_fields = ("instance", "step", "step_name", "lane", "candidate_key",
                                "unit_label", "assignee", "status", "time_limit", "due_at",
                                "yellow_at", "due_pending", "form", "created_at", "claimed_at",
                                "completed_at", "completed_by", "reminded_at", "escalated_at",
                                "urge_count")  # fmt: skip


@admin.register(OverdueRecord)
class OverdueRecordAdmin(ReadOnly, ModelAdmin[OverdueRecord]):
    list_display = ("task", "unit_label", "due_at", "recorded_at", "escalated_to")
    list_select_related = ("task",)
    fields = readonly_fields = ("task", "unit_label", "due_at", "recorded_at", "escalated_to")
