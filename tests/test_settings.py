"""Settings come from the environment, each declared once, and the docs page matches."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from pydantic import ValidationError

from kuaiji.config import env

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.startswith("KUAIJI_") or name in env.KuaijiEnv.model_fields:
            monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_defaults_are_the_embedded_demo(clean_environ: pytest.MonkeyPatch) -> None:
    loaded = env.load()
    assert loaded.DATABASE_URL == ""
    assert loaded.REDIS_URL == ""
    assert loaded.TIME_ZONE == "Asia/Shanghai"
    assert loaded.LANGUAGE_CODE == "zh-hans"
    assert loaded.KUAIJI_CITY.name == "绍兴市"
    assert loaded.KUAIJI_PRODUCTION is False


def test_lists_are_comma_separated(clean_environ: pytest.MonkeyPatch) -> None:
    clean_environ.setenv("ALLOWED_HOSTS", "gov.example.cn, 10.0.0.5 ,")
    assert env.load().ALLOWED_HOSTS == ["gov.example.cn", "10.0.0.5"]


def test_city_branding_by_part_or_as_json(clean_environ: pytest.MonkeyPatch) -> None:
    clean_environ.setenv("KUAIJI_CITY__NAME", "杭州市")
    clean_environ.setenv("KUAIJI_CITY__WORK_FRONT", "杭州政务")
    loaded = env.load()
    assert (loaded.KUAIJI_CITY.name, loaded.KUAIJI_CITY.work_front) == ("杭州市", "杭州政务")
    assert loaded.KUAIJI_CITY.name_en == "Shaoxing"
    clean_environ.delenv("KUAIJI_CITY__NAME")
    clean_environ.delenv("KUAIJI_CITY__WORK_FRONT")
    clean_environ.setenv("KUAIJI_CITY", '{"name": "宁波市", "name_en": "Ningbo"}')
    assert env.load().KUAIJI_CITY.name_en == "Ningbo"


@pytest.mark.parametrize(
    ("name", "value"),
    [("KUAIJI_PRODUCTION", "maybe"), ("LANGUAGE_CODE", "fr"), ("KUAIJI_LOG_LEVEL", "LOUD")],
)
def test_malformed_values_are_refused(
    clean_environ: pytest.MonkeyPatch, name: str, value: str
) -> None:
    clean_environ.setenv(name, value)
    with pytest.raises(ValidationError) as caught:
        env.load()
    assert name in str(caught.value)


def test_secret_key_is_generated_once_and_kept_private(
    clean_environ: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clean_environ.setenv("KUAIJI_DATA_DIR", str(tmp_path))
    first = env.secret_key(env.load())
    assert len(first) >= 50
    assert env.secret_key(env.load()) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_requires_a_secret_key(
    clean_environ: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clean_environ.setenv("KUAIJI_DATA_DIR", str(tmp_path))
    clean_environ.setenv("KUAIJI_PRODUCTION", "true")
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        env.secret_key(env.load())
    assert not (tmp_path / "secret_key").exists()


def _django_check(extra_env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KUAIJI_")}
    environ.pop("DATABASE_URL", None)
    environ.update({"KUAIJI_DATA_DIR": str(tmp_path), **extra_env})
    return subprocess.run(
        [sys.executable, "-m", "kuaiji", "manage", "check"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_mode_refuses_to_start_without_hosts(tmp_path: Path) -> None:
    result = _django_check({"KUAIJI_PRODUCTION": "1", "SECRET_KEY": "x" * 60}, tmp_path)
    assert result.returncode == 1
    assert "ALLOWED_HOSTS must be set in production mode" in result.stderr


def test_production_mode_starts_when_configured(tmp_path: Path) -> None:
    result = _django_check(
        {"KUAIJI_PRODUCTION": "1", "SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "gov.example.cn"},
        tmp_path,
    )
    assert result.returncode == 0, result.stderr


def test_hide_password() -> None:
    assert env.hide_password("postgresql://u:s3cret@db:5432/k") == "postgresql://u:***@db:5432/k"
    assert env.hide_password("postgresql://u@db/k") == "postgresql://u@db/k"


def test_configuration_doc_is_generated_from_the_declarations() -> None:
    documented = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert documented == env.markdown(), "regenerate: kuaiji config --doc > docs/configuration.md"
    for name in env.KuaijiEnv.model_fields:
        assert f"`{name}`" in documented
