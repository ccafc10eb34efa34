"""The task-list screens: the list and "my tasks", drawing up with a formset, the whole chain
on one page (origin, tasks, reports with evidence, acceptance) in Chinese and English, the
actions and their refusals, evidence downloads only for those who see the task."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kuaiji.apps.command.checklists import acceptance, progress
from kuaiji.apps.command.models import Directive, TaskList
from kuaiji.platform.directory.models import Region
from tests.command.checklists.story import Story, as_user, days, first_task, pdf

pytestmark = pytest.mark.django_db


def detail(number: str) -> str:
    return reverse("workbench:checklists:detail", kwargs={"number": number})


def chain(story: Story) -> TaskList:
    """A published list from a directive: one task reported with evidence, returned once,
    then accepted; a second one late."""
    city = Region.objects.get(code="330600")
    directive = Directive.objects.create(
        number="ZL20260007",
        submission_key="d7",
        title="关于推进数字化改革重点任务的通知",
        body="各单位抓好落实",
        issuer=story.leader,
        region=city,
        region_path=city.path,
    )
    from kuaiji.apps.command.checklists import drawing

    made = drawing.draw_up(
        actor=story.leader,
        submission_key="chain",
        title="2026年数字化改革重点任务清单",
        origin="directive",
        directive=directive,
        tasks=[
            story.draft(),
            story.draft(
                title="上线企业码应用", starts_on=days(-40), deadline=days(-3), milestones=[]
            ),
        ],
    )
    drawing.publish(actor=story.leader, task_list=made)
    task = first_task(made)
    progress.report(
        actor=story.lead_user,
        task=task,
        progress=80,
        achieved_value="4000",
        summary="已归集4000户市场主体",
        files=[pdf()],
    )
    acceptance.submit(actor=story.lead_user, task=task)
    acceptance.decide(actor=story.leader, task=task, accept=False, comment="请补充数据质量报告")
    progress.report(actor=story.lead_user, task=task, progress=100, summary="补充质量报告")
    acceptance.submit(actor=story.lead_user, task=task)
    acceptance.decide(actor=story.leader, task=task, accept=True, comment="同意验收")
    return made


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_whole_chain_on_one_page(story: Story, language: str) -> None:
    made = chain(story)
    page = as_user(story.leader, language).get(detail(made.number))
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        'href="/work/directives/ZL20260007/"' in html and "关于推进数字化改革重点任务的通知" in html
    )
    assert "已归集4000户市场主体" in html and "验收材料.pdf" in html
    assert "请补充数据质量报告" in html and "同意验收" in html
    assert 'data-sequence="1" data-status="accepted" data-light="green"' in html
    assert 'data-sequence="2" data-status="not_started" data-light="red"' in html
    assert 'data-testid="decision-form"' not in html
    if language == "en":
        assert '<html lang="en"' in html
        assert "Progress reports" in html and "returned for more work" in html
        assert "3 days late" in html
    else:
        assert '<html lang="zh-CN"' in html


def test_lists_and_my_tasks(story: Story) -> None:
    made = chain(story)
    page = as_user(story.helper, "en").get(reverse("workbench:checklists:list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert f'data-task="{made.number}-1"' not in html  # accepted: no longer open
    assert f'data-task="{made.number}-2" data-light="red"' in html
    assert f'data-list="{made.number}"' in html
    assert 'data-testid="new-list"' not in html
    leader = as_user(story.leader, "en").get(reverse("workbench:checklists:list")).content.decode()
    assert 'data-testid="new-list"' in leader and "Task lists" in leader


def test_strangers_get_404_and_evidence_is_guarded(story: Story) -> None:
    made = chain(story)
    evidence = first_task(made).reports.first().evidence.get()  # type: ignore[union-attr]
    url = reverse(
        "workbench:checklists:evidence", kwargs={"number": made.number, "pk": evidence.pk}
    )
    stranger = as_user(story.stranger)
    assert stranger.get(detail(made.number)).status_code == 404
    assert stranger.get(url).status_code == 404
    download = as_user(story.helper).get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    report = reverse("workbench:checklists:report", kwargs={"number": made.number, "sequence": 2})
    assert stranger.post(report, {"progress": "1", "summary": "x"}).status_code == 404


def test_draw_up_on_the_screen(story: Story) -> None:
    client = as_user(story.leader, "en")
    page = client.get(reverse("workbench:checklists:new"))
    assert page.status_code == 200
    key = page.context["form"].initial["submission_key"]
    data = {
        "submission_key": key,
        "title": "防汛防台安全隐患排查整治任务清单",
        "origin": "plan",
        "origin_reference": "《绍兴市防汛防台应急预案》",
        "tasks-TOTAL_FORMS": "3",
        "tasks-INITIAL_FORMS": "0",
        "tasks-0-title": "排查山塘水库隐患",
        "tasks-0-target_value": "45",
        "tasks-0-unit": "座",
        "tasks-0-lead": str(story.lead.pk),
        "tasks-0-cooperating": [str(story.helper_unit.pk)],
        "tasks-0-starts_on": days(0).isoformat(),
        "tasks-0-deadline": days(30).isoformat(),
        "tasks-0-milestones": f"{days(10).isoformat()} 完成首轮排查",
    }
    bad = client.post(
        reverse("workbench:checklists:new"), {**data, "tasks-0-deadline": days(-1).isoformat()}
    )
    assert (
        bad.status_code == 400
        and "The deadline must not be before the start." in bad.content.decode()
    )
    made = client.post(reverse("workbench:checklists:new"), data)
    assert made.status_code == 302
    again = client.post(reverse("workbench:checklists:new"), data)
    assert again.status_code == 302 and again["Location"] == made["Location"]
    found = TaskList.objects.get()
    assert found.status == "draft" and first_task(found).milestones.count() == 1
    published = client.post(
        reverse("workbench:checklists:publish", kwargs={"number": found.number})
    )
    assert published.status_code == 302
    twice = client.post(reverse("workbench:checklists:publish", kwargs={"number": found.number}))
    assert twice.status_code == 409 and "already published" in twice.content.decode()


def test_report_submit_and_decide_on_the_screen(story: Story) -> None:
    made = story.draw()
    unit = as_user(story.lead_user, "en")
    kwargs = {"number": made.number, "sequence": 1}
    page = unit.get(detail(made.number)).content.decode()
    assert 'data-testid="report-form"' in page and 'data-testid="decision-form"' not in page
    refused = unit.post(
        reverse("workbench:checklists:report", kwargs=kwargs), {"progress": "120", "summary": "x"}
    )
    assert refused.status_code == 400
    sent = unit.post(
        reverse("workbench:checklists:report", kwargs=kwargs),
        {
            "progress": "50",
            "summary": "过半",
            "achieved_value": "2500",
            "revision": "0",
            "files": [pdf()],
        },
    )
    assert sent.status_code == 302 and sent["Location"].endswith("#task-1")
    stale = unit.post(reverse("workbench:checklists:submit", kwargs=kwargs), {"revision": "0"})
    assert stale.status_code == 409 and "changed meanwhile" in stale.content.decode()
    assert (
        unit.post(
            reverse("workbench:checklists:submit", kwargs=kwargs), {"revision": "1"}
        ).status_code
        == 302
    )
    office = as_user(story.leader, "en")
    assert 'data-testid="decision-form"' in office.get(detail(made.number)).content.decode()
    no_comment = office.post(
        reverse("workbench:checklists:decide", kwargs=kwargs), {"decision": "returned"}
    )
    assert no_comment.status_code == 400
    returned = office.post(
        reverse("workbench:checklists:decide", kwargs=kwargs),
        {"decision": "returned", "comment": "缺照片"},
    )
    assert returned.status_code == 302
    assert first_task(made).status == "returned"
    moved = office.post(
        reverse("workbench:checklists:deadline", kwargs=kwargs),
        {"deadline": days(40).isoformat(), "reason": "工程量增加", "revision": "3"},
    )
    assert moved.status_code == 302 and first_task(made).deadline == days(40)
