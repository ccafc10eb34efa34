"""Every screen opens in zh-hans, switches to English on request, and the catalog is complete."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.test import Client

CATALOG = Path(__file__).resolve().parents[1] / "kuaiji/locale/zh_Hans/LC_MESSAGES/django.po"


@pytest.mark.django_db
def test_default_language_is_simplified_chinese_even_for_english_browsers(client: Client) -> None:
    response = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-CN"' in response.content.decode()
    assert "欢迎使用绍兴办事" in response.content.decode()


@pytest.mark.django_db
def test_language_switch_sets_english_and_back(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    page = client.get("/").content.decode()
    assert "Welcome to Shaoxing Services" in page
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "欢迎使用绍兴办事" in client.get("/").content.decode()


@pytest.mark.django_db
def test_unknown_language_cookie_falls_back_to_default(client: Client) -> None:
    client.cookies["kuaiji_language"] = "fr"
    assert client.get("/")["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_switch_refuses_foreign_redirects(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_responses_vary_by_cookie(client: Client) -> None:
    assert "Cookie" in client.get("/")["Vary"]


def test_catalog_translates_every_string() -> None:
    catalog = polib.pofile(str(CATALOG))
    assert not catalog.metadata_is_fuzzy
    assert [e.msgid for e in catalog.untranslated_entries()] == []
    assert [e.msgid for e in catalog.fuzzy_entries()] == []
    assert len(catalog.translated_entries()) > 50


def test_compiled_catalog_is_present_and_current() -> None:
    compiled = CATALOG.with_suffix(".mo")
    assert compiled.exists(), "run: kuaiji manage compilemessages"
    translations = {entry.msgid: entry.msgstr for entry in polib.mofile(str(compiled))}
    for entry in polib.pofile(str(CATALOG)).translated_entries():
        assert translations.get(entry.msgid) == entry.msgstr, entry.msgid
