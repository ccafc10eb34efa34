"""The admin console shows chains to superusers, read-only."""

from __future__ import annotations

import pytest
from django.test import Client

from kuaiji.platform.chains.models import ChainVersion
from kuaiji.platform.identity.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["chainversion", "chaininstance", "worktask", "overduerecord"])
def test_superusers_look_chains_up_and_change_nothing(
    admin_user: User, three_step: ChainVersion, model: str
) -> None:
    client = Client()
    client.force_login(admin_user)
    assert client.get(f"/admin/chains/{model}/").status_code == 200
    assert client.get(f"/admin/chains/{model}/add/").status_code == 403
    version = client.get(f"/admin/chains/chainversion/{three_step.pk}/change/")
    assert version.status_code == 200 and b"three_step" in version.content
