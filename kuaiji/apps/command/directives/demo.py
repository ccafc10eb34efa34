"""Demo directives: a month of them, issued through the service by the mayor (demo account
"leader") and the county heads, backdated over the last 30 days — flood prevention, work
safety, the civilised-city campaign, data sharing, the heat wave, forest fire prevention,
enterprise services... Most targets have read them, many reported back (a few after the
deadline), some owe feedback past it, and the older ones are closed with a summary.

The key accounts "county", "township" and "department" each receive some. Running the step
again changes nothing: every directive has a fixed submission key and is skipped once issued.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from kuaiji.apps.command.directives.feedback import close, submit_feedback
from kuaiji.apps.command.directives.issuing import issue
from kuaiji.apps.command.directives.reading import mark_read
from kuaiji.apps.command.models import Directive, DirectiveStatus
from kuaiji.platform.access.models import Role
from kuaiji.platform.core.demo_loader import DemoSize, DemoStep
from kuaiji.platform.directory.demo_city.departments import government_code, line_code
from kuaiji.platform.directory.demo_city.reference import CITY_CODE
from kuaiji.platform.directory.demo_city.seed import stream
from kuaiji.platform.directory.models import Department, Region, RegionLevel, Staff

KEY = "demo-directive-{:02d}"
YUECHENG, TASHAN = "330602", "330602001"


@dataclass(frozen=True)
class Theme:
    """What a directive says; the departments (line department keys) it goes to."""

    title: str
    body: str
    priority: str
    lines: tuple[str, ...]
    feedback: str  # what a target typically reports
    hours: int  # time given to report back


THEMES = (
    Theme("关于切实做好当前防汛防台工作的紧急通知",
          "据气象部门预报，近期我市将出现持续强降雨过程。请各地各部门立即启动防汛应急响应，"
          "全面排查山塘水库、地质灾害隐患点和低洼易涝区域，落实人员转移预案，"
          "24小时值班值守，重大险情第一时间上报。",
          "critical", ("SLJ", "YJJ", "ZRZY", "ZJJ"), "已完成隐患点排查，转移预案已落实到人。", 48),
    Theme("关于开展安全生产大检查的通知",
          "为坚决遏制重特大事故发生，决定在全市范围内开展安全生产大检查。重点检查危化品、"
          "建筑施工、道路交通、消防、燃气等领域，检查情况请于截止时间前反馈。",
          "urgent", ("YJJ", "ZJJ", "JTJ", "SCJ"), "已组织专项检查，发现隐患均已整改。", 120),
    Theme("关于深化全国文明城市创建工作的通知",
          "请各单位对照测评体系，集中开展背街小巷环境整治、公益广告设置和志愿服务活动，"
          "做到问题即查即改，每周报送整改进度。",
          "routine", ("ZHZF", "ZJJ", "WGL"), "已完成责任区块环境整治，志愿服务常态开展。", 168),
    Theme("关于报送公共数据共享需求清单的通知",
          "为推进一体化智能化公共数据平台建设，请各单位梳理本单位业务所需的共享数据，"
          "按模板填报数据共享需求清单，并明确数据使用场景和安全责任人。",
          "routine", ("DSJ", "GAJ", "MZJ", "RSJ", "SCJ"), "需求清单已按模板填报并上传。", 168),
    Theme("关于做好高温天气防范应对工作的通知",
          "近期我市持续高温，请各地各部门落实防暑降温措施，合理调整户外作业时间，"
          "做好电力保供和困难群众帮扶，严防高温引发的安全事故。",
          "urgent", ("RSJ", "WJW", "MZJ", "YJJ"), "已调整户外作业时间，防暑物资发放到位。", 72),
    Theme("关于加强森林防灭火工作的通知",
          "当前正值森林防火关键期，请各地严格落实野外火源管控，加强林区巡查和重点时段值守，"
          "确保发现早、处置小、灭得了。",
          "urgent", ("ZRZY", "YJJ", "NYNC"), "林区巡查已加密，重点时段专人值守。", 96),
    Theme("关于开展助企服务专项行动的通知",
          "为稳住经济基本盘，请各单位组织干部深入企业走访，收集企业在用工、融资、用地、"
          "审批等方面的困难诉求，建立问题清单，实行闭环销号。",
          "routine", ("JXJ", "SWJ", "FGW", "SCJ"), "已走访重点企业并建立问题清单。", 240),
    Theme("关于做好重要节假日期间信访稳定工作的通知",
          "请各地各部门全面排查化解矛盾纠纷，落实领导干部接访下访制度，"
          "重大情况及时报告，确保节日期间社会大局稳定。",
          "urgent", ("XFJ", "GAJ", "SFJ"), "已完成矛盾纠纷排查，专人值守接访。", 72),
    Theme("关于开展食品安全专项整治的通知",
          "请市场监管等部门联合开展校园周边、农贸市场和网络订餐食品安全专项整治，"
          "依法查处违法违规行为，整治情况按时反馈。",
          "routine", ("SCJ", "JYJ", "WJW"), "已开展联合检查，问题商户已责令整改。", 168),
    Theme("关于做好基层减负工作的通知",
          "请各单位全面清理面向基层的报表和考核事项，严控督查检查频次，"
          "切实为基层松绑减负。",
          "routine", ("FGW", "TJJ", "CZJ"), "已清理报表事项，精简比例达三成。", 240),
)  # fmt: skip


@dataclass(frozen=True)
class Plan:
    """One directive of the month: which theme, from whom, to which regions, when."""

    theme: int
    issuer: str  # "city" or a county code
    days_ago: float
    regions: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    lines: int = 3  # how many of the theme's departments
    feedback: bool = True


def _plans(counties: list[str], townships: dict[str, list[str]]) -> list[Plan]:
    """Twenty-six directives over the last 30 days."""
    plans: list[Plan] = []
    for n in range(26):
        theme = n % len(THEMES)
        days_ago = 29.5 - n * 1.1
        if n % 3 == 0:
            # the mayor, to the county governments and the city's departments
            plans.append(Plan(theme, "city", days_ago, regions=tuple(counties[: 2 + n % 4])))
        elif n % 3 == 1:
            # Yuecheng's head, to its streets and its departments
            streets = townships.get(YUECHENG, [])[: 2 + n % 3]
            roles = ("township_officer",) if n % 4 == 1 else ()
            plans.append(Plan(theme, YUECHENG, days_ago, regions=tuple(streets), roles=roles))
        else:
            county = counties[(n // 3) % len(counties)]
            plans.append(
                Plan(
                    theme,
                    county,
                    days_ago,
                    regions=tuple(townships.get(county, [])[:3]),
                    feedback=n % 5 != 2,
                )
            )
    return plans


def _issuer(code: str) -> Any:
    region = CITY_CODE if code == "city" else code
    staff = Staff.objects.filter(employee_no=f"{government_code(region)}-01").first()
    return staff.user if staff is not None else None


def _departments(plan: Plan, theme: Theme) -> list[Department]:
    region = CITY_CODE if plan.issuer == "city" else plan.issuer
    codes = [line_code(region, key) for key in theme.lines[: plan.lines]]
    if plan.issuer == YUECHENG and "SCJ" not in theme.lines[: plan.lines]:
        codes.append(line_code(YUECHENG, "SCJ"))  # the "department" account hears of it too
    return list(Department.objects.filter(code__in=codes))


def _follow_up(directive: Directive, theme: Theme, n: int, now: datetime) -> None:
    """Reading, feedback (some late, some never) and, for older directives, the closing."""
    rng = stream("directives", directive.submission_key)
    issued_at = directive.issued_at
    last = issued_at
    for target in directive.targets.select_related("recipient").order_by("pk"):
        if rng.random() < 0.06:
            continue  # never opened
        read_at = issued_at + timedelta(hours=rng.uniform(0.2, 18))
        if read_at >= now:
            continue
        mark_read(actor=target.recipient, directive=directive, now=read_at)
        if not directive.feedback_required or rng.random() < 0.1:
            continue  # owes feedback
        answer = read_at + timedelta(hours=rng.uniform(1, theme.hours * 1.3))
        if answer >= now:
            continue
        if rng.random() < 0.3:
            first = read_at + (answer - read_at) / 2
            submit_feedback(
                actor=target.recipient,
                directive=directive,
                state="in_progress",
                body="已部署落实，正在推进中。",
                now=first,
            )
        state = "difficulty" if rng.random() < 0.08 else "done"
        body = "人手和物资不足，请求协调支持。" if state == "difficulty" else theme.feedback
        submit_feedback(
            actor=target.recipient, directive=directive, state=state, body=body, now=answer
        )
        last = max(last, answer)
    if (now - issued_at).days >= 12 and n % 4 != 3:
        close(
            actor=directive.issuer,
            directive=directive,
            summary="各单位均已按要求部署落实，反馈情况已汇总，本件办结。",
            now=min(now, last + timedelta(hours=4)),
        )


def load_directives(size: DemoSize) -> str:
    """Issue the month of directives (skipping those already issued)."""
    counties = list(
        Region.objects.filter(level=RegionLevel.COUNTY, path__startswith=f"{CITY_CODE}/")
        .order_by("code")
        .values_list("code", flat=True)
    )
    townships: dict[str, list[str]] = {}
    for code, parent in (
        Region.objects.filter(level=RegionLevel.TOWNSHIP)
        .order_by("code")
        .values_list("code", "parent__code")
    ):
        townships.setdefault(parent, []).append(code)
    if YUECHENG in townships and TASHAN in townships[YUECHENG]:
        townships[YUECHENG].remove(TASHAN)
        townships[YUECHENG].insert(0, TASHAN)  # the "township" account's street comes first
    now = timezone.now()
    issued = skipped = 0
    for n, plan in enumerate(_plans(counties, townships)):
        key = KEY.format(n + 1)
        if Directive.objects.filter(submission_key=key).exists():
            skipped += 1
            continue
        issuer = _issuer(plan.issuer)
        if issuer is None:
            continue
        theme = THEMES[plan.theme]
        at = now - timedelta(days=plan.days_ago)
        with transaction.atomic():
            directive = issue(
                actor=issuer,
                title=theme.title,
                body=theme.body,
                priority=theme.priority,
                departments=_departments(plan, theme),
                regions=list(Region.objects.filter(code__in=plan.regions)),
                roles=list(Role.objects.filter(code__in=plan.roles)),
                deadline=at + timedelta(hours=theme.hours) if plan.feedback else None,
                feedback_required=plan.feedback,
                submission_key=key,
                now=at,
            )
            _follow_up(directive, theme, n, now)
        issued += 1
    closed = Directive.objects.filter(
        submission_key__startswith="demo-directive-", status=DirectiveStatus.CLOSED
    ).count()
    return f"{issued} directives issued ({skipped} already there), {closed} closed"


STEPS = [DemoStep("directives", load_directives)]
