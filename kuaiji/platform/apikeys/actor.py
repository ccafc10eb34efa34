"""The actor an API key acts as: its owner, narrowed to the key's permission codes.

`kuaiji.platform.access` decides everything from four things on the actor: `is_authenticated`,
`is_superuser`, `pk` and the list of grants it caches on the actor object. `KeyActor` answers
the first three for the owner (except `is_superuser`, always false) and carries its own grant
list in that cache: the owner's grants, each keeping only the codes the key lists. So
`authorize()`, `has_permission()` and `.visible_to()` need no change to be limited twice —
by the owner's data scope and by the key's codes — and the limit lives in this one place.

A superuser owner does not make a key unrestricted: the key gets its codes (and no others)
over the whole city, i.e. one grant per top-level region, and never the superuser bypass.

Only a few harmless attributes of the owner are readable through the actor; anything else
(saving, Django's model permissions, `is_staff`) is refused on purpose. Code that needs the
person itself, e.g. to store who did something, uses `actor.user`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from kuaiji.platform.access import scoping
from kuaiji.platform.access.models import Role, RoleGrant
from kuaiji.platform.access.scoping import actor_grants, forget_grants
from kuaiji.platform.directory.models import Region

if TYPE_CHECKING:
    from kuaiji.platform.apikeys.models import ApiKey
    from kuaiji.platform.identity.models import User

# Owner attributes that are safe to read through the key.
_READABLE: Final = frozenset(
    {
        "username",
        "display_name",
        "email",
        "first_name",
        "last_name",
        "last_login",
        "date_joined",
        "get_username",
        "get_full_name",
        "get_short_name",
    }
)


def key_grants(owner: User, codes: list[str]) -> list[RoleGrant]:
    """The owner's grants, each reduced to the codes in `codes` (grants left with none are
    dropped); for a superuser owner, `codes` over every top-level region."""
    wanted = set(codes)
    if owner.is_superuser:
        role = Role(code="api-key", name="API key", permissions=sorted(wanted))
        tops = Region.objects.filter(parent__isnull=True).defer("boundary")
        return [RoleGrant(user_id=owner.pk, role=role, region=region) for region in tops]
    narrowed = []
    for grant in actor_grants(owner):
        kept = [code for code in grant.role.permissions if code in wanted]
        if not kept:
            continue
        role = Role(pk=grant.role.pk, code=grant.role.code, name=grant.role.name, permissions=kept)
        narrowed.append(
            RoleGrant(
                pk=grant.pk,
                user_id=grant.user_id,
                role=role,
                region=grant.region,
                department=grant.department,
                grid=grant.grid,
            )
        )
    return narrowed


class KeyActor:
    """The owner of an API key as seen through that key (see the module's doc)."""

    is_authenticated: Final = True
    is_anonymous: Final = False
    is_superuser: Final = False
    is_staff: Final = False

    def __init__(self, owner: User, key: ApiKey) -> None:
        self.user = owner
        self.api_key = key
        self.pk = owner.pk
        self.id = owner.pk
        self.is_active = owner.is_active

    @property
    def _kuaiji_access_grants(self) -> list[RoleGrant]:
        """The grants `kuaiji.platform.access.scoping` reads: computed once, narrowed."""
        cached: list[RoleGrant] | None = self.__dict__.get("_narrowed_grants")
        if cached is None:
            cached = key_grants(self.user, list(self.api_key.permissions))
            self.__dict__["_narrowed_grants"] = cached
        return cached

    @_kuaiji_access_grants.setter
    def _kuaiji_access_grants(self, value: list[RoleGrant]) -> None:
        raise AttributeError("the grants of an API key are derived, not set")

    @_kuaiji_access_grants.deleter
    def _kuaiji_access_grants(self) -> None:
        # `forget_grants` after a change of roles: narrow the owner's new grants next time.
        self.__dict__.pop("_narrowed_grants", None)
        forget_grants(self.user)

    def __getattr__(self, name: str) -> Any:
        if name in _READABLE:
            return getattr(self.user, name)
        raise AttributeError(
            f"{name!r} is not available through an API key; use `.user` for the owner"
        )

    def has_perm(self, perm: str, obj: object = None) -> bool:
        """Django's model permissions never pass through a key (the admin is not for keys)."""
        return False

    def has_module_perms(self, app_label: str) -> bool:
        return False

    def is_verified(self) -> bool:
        """A key proves no second factor."""
        return False

    def __str__(self) -> str:
        return f"{self.user} ({self.api_key.label})"

    def __repr__(self) -> str:
        return f"<KeyActor {self.user.get_username()} via {self.api_key.label}>"


# The property above must sit exactly where `actor_grants` looks for cached grants; were the
# name to change there, a key would silently fall back to the owner's unnarrowed grants.
if not isinstance(getattr(KeyActor, scoping._CACHE_ATTRIBUTE, None), property):  # pragma: no cover
    raise ImportError("KeyActor no longer matches kuaiji.platform.access.scoping's grant cache")
