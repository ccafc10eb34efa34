"""The chain models that ship with Kuaiji (in `bpmn/`), installed after every migrate.

A shipped model is installed as a new version when its file differs from every version of its
chain, so upgrades bring new models while an administrator's own later upload stays current.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kuaiji.platform.chains.models import ChainVersion
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.crypto import sm3

SHIPPED_DIR = Path(__file__).parent / "bpmn"


def shipped_files() -> list[Path]:
    """The shipped model files, by name."""
    return sorted(SHIPPED_DIR.glob("*.bpmn"))


def install_shipped_models() -> list[ChainVersion]:
    """Install each shipped model whose exact file no version holds yet."""
    from kuaiji.platform.chains.versions import upload_model

    known = set(ChainVersion.objects.values_list("digest", flat=True))
    installed = []
    for path in shipped_files():
        source = path.read_bytes()
        if sm3(source) not in known:
            installed.append(upload_model(actor=SYSTEM, source=source, shipped=True))
    return installed


def install_after_migrate(**kwargs: Any) -> None:
    """post_migrate receiver: bring the shipped models in."""
    install_shipped_models()
