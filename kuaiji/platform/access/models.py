"""Roles (named bundles of permission codes) and their grants to people, each with a scope."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.access.registry import unknown_codes


class Role(models.Model):
    """A named bundle of permission codes, editable by administrators."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    permissions = models.JSONField(_("permission codes"), default=list, blank=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not isinstance(self.permissions, list):
            raise ValidationError({"permissions": _("A list of permission codes is expected.")})
        unknown = unknown_codes(self.permissions)
        if unknown:
            raise ValidationError(
                {
                    "permissions": _("Unknown permission codes: %(codes)s")
                    % {"codes": ", ".join(unknown)}
                }
            )


class RoleGrant(models.Model):
    """A role given to a person within exactly one scope: a region subtree, a department
    subtree, or one grid."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="grants",
        verbose_name=_("user"),
    )
    role = models.ForeignKey(
        Role, on_delete=models.CASCADE, related_name="grants", verbose_name=_("role")
    )
    region = models.ForeignKey(
        "directory.Region",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("region scope"),
    )
    department = models.ForeignKey(
        "directory.Department",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("department scope"),
    )
    grid = models.ForeignKey(
        "directory.Grid",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("grid scope"),
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.CheckConstraint(
                name="grant_has_exactly_one_scope",
                condition=(
                    Q(region__isnull=False, department__isnull=True, grid__isnull=True)
                    | Q(region__isnull=True, department__isnull=False, grid__isnull=True)
                    | Q(region__isnull=True, department__isnull=True, grid__isnull=False)
                ),
            ),
            *(
                models.UniqueConstraint(
                    fields=["user", "role", scope],
                    condition=Q(**{f"{scope}__isnull": False}),
                    name=f"grant_once_per_{scope}",
                )
                for scope in ("region", "department", "grid")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.role} · {self.scope}"

    @property
    def scope(self) -> object:
        """The region, department or grid the grant applies to."""
        return self.region or self.department or self.grid
