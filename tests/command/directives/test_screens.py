"""The directive screens of the work front and the cockpit's office screen, in Chinese and
English: issue once per submission key, the read receipt on opening, feedback, remind, close
(then feedback is a conflict), statistics, and who is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kuaiji.apps.command.models import Directive, Feedback
from tests.command.directives.conftest import Office, as_user, pdf

pytestmark = pytest.mark.django_db


def form_data(office: Office, key: str = "screen-1", **changes: object) -> dict[str, object]:
    return {
        "submission_key": key,
        "title": "关于开展夏季高温防范工作的通知",
        "body": "请各单位落实防暑降温措施。",
        "priority": "critical",
        "departments": [str(office.dept("330602-SCJ").pk)],
        "regions": [str(office.region("330602").pk)],
        "deadline": (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "feedback_required": "on",
        **changes,
    }


def assert_language(text: str, language: str) -> None:
    """The page is in the language asked for (its strings are translated afterwards)."""
    assert ('<html lang="en"' in text) == (language == "en")


def test_the_urls() -> None:
    assert reverse("workbench:directives:list") == "/work/directives/"
    assert reverse("workbench:directives:new") == "/work/directives/new/"
    assert reverse("workbench:directives:statistics") == "/work/directives/statistics/"
    assert reverse("workbench:directives:detail", args=["ZL1"]) == "/work/directives/ZL1/"
    assert reverse("cockpit:office:home") == "/cockpit/office/"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_issue_through_the_form_once(office: Office, language: str) -> None:
    leader = as_user(office.leader, language)
    page = leader.get(reverse("workbench:directives:new"))
    assert page.status_code == 200
    text = page.content.decode()
    assert_language(text, language)
    assert "Issue the directive" in text or "下达" in text
    assert "西区市场监管局" in text and 'name="submission_key"' in text
    data = {**form_data(office), "attachments": pdf()}
    sent = leader.post(reverse("workbench:directives:new"), data)
    assert sent.status_code == 302
    directive = Directive.objects.get()
    assert sent["Location"] == reverse("workbench:directives:detail", args=[directive.number])
    assert directive.attachments.count() == 1
    again = leader.post(reverse("workbench:directives:new"), form_data(office))
    assert again.status_code == 302 and Directive.objects.count() == 1
    listed = leader.get(reverse("workbench:directives:list") + "?tab=issued").content.decode()
    assert directive.number in listed and 'data-testid="read-bar"' in listed


def test_the_form_shows_refusals_beside_the_inputs(office: Office) -> None:
    township = as_user(office.township, "en")
    outside = form_data(office, departments=[str(office.dept("330603-SCJ").pk)], regions=[])
    refused = township.post(reverse("workbench:directives:new"), outside)
    assert refused.status_code == 400  # not offered: the form refuses the choice itself
    assert 'data-testid="error-departments"' in refused.content.decode()
    empty = township.post(
        reverse("workbench:directives:new"), form_data(office, regions=[], departments=[])
    )
    assert empty.status_code == 400 and "Choose at least one" in empty.content.decode()
    assert not Directive.objects.exists()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_target_reads_and_reports_back(office: Office, language: str) -> None:
    directive = office.issue()
    url = reverse("workbench:directives:detail", args=[directive.number])
    clerk = as_user(office.clerk, language)
    inbox = clerk.get(reverse("workbench:directives:list")).content.decode()
    assert 'data-read="no"' in inbox and directive.number in inbox
    page = clerk.get(url)
    assert page.status_code == 200
    assert 'data-testid="feedback-form"' in page.content.decode()
    assert 'data-testid="targets"' not in page.content.decode()  # only one's own
    assert directive.targets.get(recipient=office.clerk).read_at is not None
    sent = clerk.post(
        reverse("workbench:directives:feedback", args=[directive.number]),
        {"state": "in_progress", "body": "正在排查", "attachment": pdf("现场.pdf")},
    )
    assert sent.status_code == 302
    report = Feedback.objects.get()
    assert report.attachment_name == "现场.pdf"
    assert (
        clerk.get(
            reverse("workbench:directives:feedback_file", args=[directive.number, report.pk])
        ).status_code
        == 200
    )
    assert (
        as_user(office.department)
        .get(reverse("workbench:directives:feedback_file", args=[directive.number, report.pk]))
        .status_code
        == 404
    )
    bad = clerk.post(
        reverse("workbench:directives:feedback", args=[directive.number]),
        {"state": "done", "body": ""},
    )
    assert bad.status_code == 400


def test_the_issuer_consolidates_reminds_and_closes(office: Office) -> None:
    directive = office.issue()
    office_url = reverse("workbench:directives:detail", args=[directive.number])
    as_user(office.clerk).post(
        reverse("workbench:directives:feedback", args=[directive.number]),
        {"state": "done", "body": "已完成排查"},
    )
    leader = as_user(office.leader, "en")
    page = leader.get(office_url).content.decode()
    assert 'data-testid="consolidation"' in page and "已完成排查" in page
    assert 'data-recipient="clerk" data-read="yes"' in page
    assert 'data-recipient="u_department_officer" data-read="no"' in page
    assert "Task lists from this directive" in page
    reminded = leader.post(reverse("workbench:directives:remind", args=[directive.number]))
    assert reminded.status_code == 302
    assert directive.targets.get(recipient=office.department).reminders == 1
    assert (
        leader.post(
            reverse("workbench:directives:close", args=[directive.number]), {"summary": ""}
        ).status_code
        == 400
    )
    closed = leader.post(
        reverse("workbench:directives:close", args=[directive.number]), {"summary": "均已落实"}
    )
    assert closed.status_code == 302
    late = as_user(office.department).post(
        reverse("workbench:directives:feedback", args=[directive.number]),
        {"state": "done", "body": "迟到的反馈"},
    )
    assert late.status_code == 409
    assert (
        leader.post(
            reverse("workbench:directives:close", args=[directive.number]), {"summary": "again"}
        ).status_code
        == 409
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_statistics_screen(office: Office, language: str) -> None:
    office.issue()
    leader = as_user(office.leader, language)
    page = leader.get(reverse("workbench:directives:statistics"))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="issued">1<' in text and "西区市场监管局" in text
    wrong = leader.get(
        reverse("workbench:directives:statistics"), {"start": "2025-03-01", "end": "2025-01-01"}
    )
    assert wrong.status_code == 200 and 'data-testid="period-error"' in wrong.content.decode()
    assert as_user(office.clerk).get(reverse("workbench:directives:statistics")).status_code == 403


def test_refusals(office: Office) -> None:
    directive = office.issue()
    url = reverse("workbench:directives:detail", args=[directive.number])
    assert as_user(office.east).get(url).status_code == 404
    assert as_user(office.department).get(reverse("workbench:directives:new")).status_code == 403
    assert (
        as_user(office.clerk)
        .post(reverse("workbench:directives:remind", args=[directive.number]))
        .status_code
        == 403
    )
    assert (
        as_user(office.clerk)
        .post(reverse("workbench:directives:close", args=[directive.number]), {"summary": "x"})
        .status_code
        == 403
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_office_screen(office: Office, language: str) -> None:
    directive = office.issue()
    leader = as_user(office.leader, language)
    page = leader.get(reverse("cockpit:office:home"))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="issue-form"' in text and directive.number in text
    assert reverse("workbench:directives:detail", args=[directive.number]) in text
    assert_language(text, language)
    issued = leader.post(reverse("cockpit:office:home"), form_data(office, key="office-1"))
    assert issued.status_code == 302 and Directive.objects.count() == 2
    # viewers follow without the form; others are refused
    viewer = as_user(office.department).get(reverse("cockpit:office:home"))
    assert viewer.status_code == 200 and 'data-testid="issue-form"' not in viewer.content.decode()
    assert (
        as_user(office.department)
        .post(reverse("cockpit:office:home"), form_data(office, key="office-2"))
        .status_code
        == 403
    )
    assert as_user(office.clerk).get(reverse("cockpit:office:home")).status_code == 403
    assert as_user(office.gridworker).get(reverse("cockpit:office:home")).status_code == 403
