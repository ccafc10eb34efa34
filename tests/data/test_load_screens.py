"""Loading rows through the work front, the API and the console: the upload form (CSRF, errors
on the page), a load's problems and quarantined rows, the API's loads and sources, and
`kuaiji load-data`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kuaiji.cli import main
from kuaiji.platform.data.ingest.loading import load_file
from kuaiji.platform.data.models import DataResource, DataRow, Load, LoadStatus
from tests.data.test_ingest import HEADER, csv_bytes, entity_rows
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def signed_in(city: TinyCity, who: str = "department_officer", csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.cookies["kuaiji_language"] = "en"
    client.force_login(city.users[who])
    return client


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_the_upload_form_loads_a_file(city: TinyCity, entities: DataResource) -> None:
    client = signed_in(city, csrf=True)
    url = reverse("workbench:data_loads:list", kwargs={"code": entities.code})
    page = client.get(url)
    assert page.status_code == 200 and b"No file has been loaded yet." in page.content
    assert b"csrfmiddlewaretoken" in page.content
    token = page.cookies["csrftoken"].value
    refused = client.post(url, {"on_bad_rows": "reject", "file": upload("a.csv", b"x")})
    assert refused.status_code == 403  # no CSRF token
    content = csv_bytes([HEADER, *entity_rows(2), ["", "bad", "", "", "", ""]])
    done = client.post(
        url,
        {
            "csrfmiddlewaretoken": token,
            "on_bad_rows": "quarantine",
            "file": upload("entities.csv", content),
        },
        follow=True,
    )
    load = Load.objects.get()
    assert done.redirect_chain[-1][0] == reverse("workbench:data_loads:detail", args=[load.pk])
    assert load.status == LoadStatus.APPLIED and load.rows_inserted == 2
    text = done.content.decode()
    assert "entities.csv loaded: 2 new" in text
    assert 'data-testid="load-quarantined"' in text and "A value is needed." in text
    listed = client.get(url).content.decode()
    assert 'data-testid="loads"' in listed and "entities.csv" in listed


def test_a_load_shows_the_rows_it_changed_field_by_field(
    city: TinyCity, entities: DataResource
) -> None:
    officer = city.users["department_officer"]

    def renamed(name: str) -> bytes:
        row = ["91330602MA00000001", name, "330602001", "500", "2015-03-01", "13800000001"]
        return csv_bytes([HEADER, row])

    first = load_file(
        actor=officer,
        resource=entities,
        content=renamed("越城黄酒集团"),
        file_name="first.csv",
        on_bad_rows="reject",
    )
    load_file(
        actor=officer,
        resource=entities,
        content=renamed("越城黄酒股份"),
        file_name="second.csv",
        on_bad_rows="reject",
    )
    page = signed_in(city).get(reverse("workbench:data_loads:detail", args=[first.pk]))
    text = page.content.decode()
    assert 'data-testid="load-changes"' in text
    changed = text[text.index('data-testid="load-changes"') :]
    # the first load's own change: before it, and what it wrote (not what the second wrote)
    assert "越城绍兴黄酒有限公司" in changed and "越城黄酒集团" in changed
    assert "越城黄酒股份" not in changed and "<code>capital</code>" not in changed
    body = signed_in(city).get(f"/api/v1/data/loads/{first.pk}").json()
    assert body["changes"] == [
        {
            "key": '["91330602MA00000001"]',
            "fields": [{"name": "name", "before": "越城绍兴黄酒有限公司", "after": "越城黄酒集团"}],
        }
    ]


def test_a_rejected_file_shows_its_problems(city: TinyCity, entities: DataResource) -> None:
    client = signed_in(city)
    url = reverse("workbench:data_loads:list", kwargs={"code": entities.code})
    content = csv_bytes([HEADER, ["91330602MB00000001", "x", "", "many", "", ""]])
    done = client.post(
        url, {"on_bad_rows": "reject", "file": upload("bad.csv", content)}, follow=True
    )
    text = done.content.decode()
    assert done.status_code == 200 and "bad.csv was not loaded." in text
    assert 'data-testid="load-problems"' in text and "not a number" in text
    header = client.post(
        url, {"on_bad_rows": "reject", "file": upload("h.csv", b"who\r\n1\r\n")}, follow=True
    )
    assert "does not fit" in header.content.decode()
    assert DataRow.objects.filter(resource=entities).count() == 3


def test_form_errors_are_shown_on_the_page(city: TinyCity, entities: DataResource) -> None:
    client = signed_in(city)
    url = reverse("workbench:data_loads:list", kwargs={"code": entities.code})
    missing = client.post(url, {"on_bad_rows": "maybe"})
    assert missing.status_code == 400
    text = missing.content.decode()
    assert 'data-testid="error-file"' in text and 'data-testid="error-on_bad_rows"' in text
    assert not Load.objects.exists()


def test_the_screens_are_for_the_owning_department(city: TinyCity, entities: DataResource) -> None:
    url = reverse("workbench:data_loads:list", kwargs={"code": entities.code})
    assert signed_in(city, "township_officer").get(url).status_code == 403
    assert signed_in(city, "platform_admin").get(url).status_code == 200
    missing = reverse("workbench:data_loads:list", kwargs={"code": "no-such"})
    assert signed_in(city).get(missing).status_code == 404
    detail = reverse("workbench:data_loads:detail", args=[999999])
    assert signed_in(city).get(detail).status_code == 404


def test_loads_over_the_api(city: TinyCity, entities: DataResource) -> None:
    client = signed_in(city)
    content = csv_bytes([HEADER, *entity_rows(3), *entity_rows(1)])
    created = client.post(
        f"/api/v1/data/resources/{entities.code}/loads",
        {"file": upload("e.csv", content), "on_bad_rows": "quarantine"},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["rows_inserted"], body["rows_bad"]) == ("applied", 3, 1)
    assert body["quarantined_count"] == 1 and body["quarantined"][0]["line"] == 5
    assert body["problems"] == [
        {"line": 5, "field": "credit_code", "reason": "Same key as line 2."}
    ]
    listed = client.get(f"/api/v1/data/resources/{entities.code}/loads").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]
    assert client.get(f"/api/v1/data/loads/{body['id']}").json()["rows_read"] == 4
    other = signed_in(city, "county_officer")
    assert other.get(f"/api/v1/data/loads/{body['id']}").status_code == 403
    bad = client.post(
        f"/api/v1/data/resources/{entities.code}/loads",
        {"file": upload("e.csv", content), "on_bad_rows": "ignore"},
    )
    assert bad.status_code in {400, 422}


def test_sources_over_the_api(city: TinyCity, entities: DataResource) -> None:
    client = signed_in(city)
    url = f"/api/v1/data/resources/{entities.code}/sources"
    created = client.post(
        url,
        {"url": "https://data.example.org/e.csv", "format": "csv", "every_minutes": 30},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["on_bad_rows"] == "reject"
    assert [item["url"] for item in client.get(url).json()] == ["https://data.example.org/e.csv"]
    refused = client.post(
        url, {"url": "file:///etc/passwd", "format": "csv"}, content_type="application/json"
    )
    assert refused.status_code == 400 and "url" in refused.json()["error"]["fields"]


def test_load_data_from_the_console(city: TinyCity, entities: DataResource, tmp_path: Path) -> None:
    good = tmp_path / "entities.csv"
    good.write_bytes(csv_bytes([HEADER, *entity_rows(2)]))
    result = CliRunner().invoke(main, ["load-data", entities.code, str(good)])
    assert result.exit_code == 0, result.output
    assert "applied: 2 read, 2 new" in result.output and "s writing" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([HEADER, ["", "x", "", "", "", ""]]))
    refused = CliRunner().invoke(
        main, ["load-data", entities.code, str(bad), "--user", "u_department_officer"]
    )
    assert refused.exit_code == 1 and "line 2 credit_code" in refused.output
    assert Load.objects.filter(actor=city.users["department_officer"]).count() == 1
    quarantined = CliRunner().invoke(
        main, ["load-data", entities.code, str(bad), "--on-bad-rows", "quarantine"]
    )
    assert quarantined.exit_code == 0 and "1 bad" in quarantined.output
    unknown = CliRunner().invoke(main, ["load-data", "nope", str(good)])
    assert unknown.exit_code == 1 and "No data resource" in unknown.output
    outsider = CliRunner().invoke(
        main, ["load-data", entities.code, str(good), "--user", "u_grid_worker"]
    )
    assert outsider.exit_code == 1
