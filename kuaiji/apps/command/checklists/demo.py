"""Demo task lists of the city government: the year's key digital-reform tasks (from a plenary
meeting of the leading group for digital reform) and the flood and typhoon hazard clean-up
(from the contingency plan), each with quantified targets, lead and cooperating units, milestones
and eight weeks of progress reports — some tasks accepted, some waiting for acceptance, some
late (red).

Everything goes through the checklist services as the people concerned: the mayor draws up,
publishes and decides; the head of each lead or cooperating unit reports. Dates are relative
to the day the demo is loaded. A list that exists already is left as it is (loading twice
changes nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from kuaiji.apps.command.checklists import acceptance, drawing, progress
from kuaiji.apps.command.checklists.drawing import MilestoneDraft, TaskDraft
from kuaiji.apps.command.directives.issuing import issue
from kuaiji.apps.command.models import Directive, DirectivePriority, Task, TaskList
from kuaiji.platform.core.demo_loader import DemoSize, DemoStep
from kuaiji.platform.directory.models import Department, Staff

CITY = "330600"
PUBLISHED = -56  # days before the demo day

# A step of a task's story: ("report", day, progress, achieved, summary, milestone index or
# None, with evidence), ("submit", day), ("accept", day, comment), ("return", day, comment).
Step = tuple[Any, ...]


@dataclass(frozen=True)
class DemoTask:
    title: str
    description: str
    target: str
    unit: str
    lead: str
    cooperating: tuple[str, ...]
    starts: int
    deadline: int
    milestones: tuple[tuple[int, str], ...]
    story: tuple[Step, ...]


@dataclass(frozen=True)
class DemoList:
    key: str
    title: str
    description: str
    origin: str
    reference: str
    tasks: tuple[DemoTask, ...]


REFORM = DemoList(
    "demo-checklist-reform",
    "2026年数字化改革重点任务清单",
    "贯彻市数字化改革领导小组全体会议部署，聚焦“1612”体系构架，明确年度重点任务、责任单位和完成时限，"
    "实行清单化管理、闭环式推进，跑表计时、到点验收。",
    "meeting",
    "绍兴市数字化改革领导小组第一次全体会议（2026年）",
    (
        DemoTask(
            "完成公共数据平台数据目录编制和归集",
            "按照“一本账”要求完成全市公共数据目录编制，推动高频数据按需归集、应归尽归。",
            "1200",
            "项",
            "330600-DSJ",
            ("330600-JXJ", "330600-SCJ"),
            -56,
            -12,
            ((-40, "完成数据目录编制"), (-20, "完成高频数据归集")),
            (
                ("report", -42, 30, "380", "完成数据目录梳理380项", None, False),
                ("report", -35, 55, "660", "数据目录编制完成，进入归集阶段", 0, True),
                ("report", -21, 85, "1030", "高频数据归集完成1030项", 1, False),
                ("report", -14, 100, "1236", "全部完成，归集数据1236项", None, True),
                ("submit", -13),
                ("accept", -10, "数据目录完整，归集质量达标，同意验收。"),
            ),
        ),
        DemoTask(
            "深化企业开办“一件事”集成改革",
            "企业开办全流程“一次不跑”，新增联办事项并实现一网通办。",
            "20",
            "项",
            "330600-SCJ",
            ("330602-SCJ", "330600-DSJ"),
            -56,
            20,
            ((-28, "完成流程再造方案"), (10, "上线联办事项")),
            (
                ("report", -45, 20, "4", "完成企业开办流程梳理", None, False),
                ("report", -28, 45, "9", "流程再造方案印发", 0, True),
                ("report", -7, 55, "11", "越城区试点上线11项联办事项", None, False),
            ),
        ),
        DemoTask(
            "越城区基层治理“141”体系贯通运行",
            "县级社会治理中心、乡镇（街道）“四平台”、网格三级贯通，事件闭环处置。",
            "95",
            "%",
            "330602-GOV",
            ("330602-SHZL",),
            -56,
            4,
            ((-21, "完成四平台整合"),),
            (
                ("report", -42, 35, "82", "事件闭环处置率82%", None, False),
                ("report", -21, 70, "90", "四平台整合完成", 0, True),
                ("report", -3, 100, "96.2", "闭环处置率达到96.2%", None, True),
                ("submit", -2),
            ),
        ),
        DemoTask(
            "推广“企业码”应用覆盖市场主体",
            "依托“企业码”归集涉企服务，实现惠企政策直达快享。",
            "30000",
            "户",
            "330602-SCJ",
            ("330602-JXJ",),
            -56,
            -5,
            ((-30, "完成系统部署"),),
            (
                ("report", -40, 25, "6800", "系统部署调试中", None, False),
                ("report", -30, 50, "14500", "系统部署完成，进入推广阶段", 0, False),
                ("report", -9, 70, "21300", "已覆盖21300户，个体工商户推广偏慢", None, False),
            ),
        ),
        DemoTask(
            "建设未来社区",
            "按照“三化九场景”建设要求推进未来社区创建。",
            "12",
            "个",
            "330600-ZJJ",
            ("330600-MZJ", "330602-GOV"),
            -50,
            30,
            ((-10, "完成创建方案评审"),),
            (
                ("report", -30, 10, "1", "完成创建名单遴选", None, False),
                ("report", -8, 15, "2", "两个社区通过方案评审", 0, False),
            ),
        ),
        DemoTask(
            "建设纺织印染产业大脑",
            "建设纺织印染细分行业产业大脑，形成行业数据仓和共性应用。",
            "5",
            "个",
            "330600-JXJ",
            ("330600-FGW", "330600-DSJ"),
            -56,
            -20,
            ((-35, "完成行业数据仓建设"),),
            (
                ("report", -40, 40, "2", "行业数据仓建设中", None, False),
                ("report", -30, 70, "3", "行业数据仓上线", 0, False),
                ("report", -17, 100, "5", "5个共性应用全部上线", None, True),
                ("submit", -16),
                ("accept", -15, "应用已上线，验收通过；提交晚于期限。"),
            ),
        ),
        DemoTask(
            "推进政法一体化办案",
            "刑事案件全流程网上流转，公检法司协同办案。",
            "100",
            "%",
            "330600-SFJ",
            ("330600-GAJ",),
            -56,
            10,
            ((-20, "完成单轨制试点"),),
            (
                ("report", -35, 50, "60", "网上流转率60%", None, False),
                ("report", -22, 90, "92", "单轨制试点完成", 0, True),
                ("submit", -21),
                ("return", -19, "网上流转率未达到100%，请补充全量数据后再提交。"),
                ("report", -6, 95, "97", "全量数据补录中，流转率97%", None, False),
            ),
        ),
        DemoTask(
            "打造柯桥区数字化改革多跨场景",
            "围绕群众企业需求打造跨部门、跨层级应用场景。",
            "40",
            "个",
            "330603-GOV",
            ("330603-DSJ",),
            -14,
            60,
            ((20, "完成场景谋划"),),
            (),
        ),
    ),
)

FLOOD = DemoList(
    "demo-checklist-flood",
    "防汛防台安全隐患排查整治任务清单",
    "坚持人民至上、生命至上，全面排查整治山塘水库、地质灾害、城市内涝、危旧房屋和在建工地等"
    "安全隐患，做到隐患不清零不放过、整改不到位不销号。",
    "directive",
    "关于印发防汛防台安全隐患排查整治工作方案的通知",  # the mayor's directive it follows from
    (
        DemoTask(
            "山塘水库安全隐患排查",
            "对全市小型水库和山塘逐座开展安全鉴定和隐患排查。",
            "320",
            "座",
            "330600-SLJ",
            ("330602-GOV", "330683-GOV"),
            -42,
            2,
            ((-14, "完成小型水库排查"),),
            (
                ("report", -35, 20, "60", "完成小型水库排查60座", None, False),
                ("report", -14, 45, "150", "小型水库排查完成", 0, True),
                ("report", -4, 60, "196", "山塘排查进行中", None, False),
            ),
        ),
        DemoTask(
            "地质灾害隐患点巡查",
            "对在册地质灾害隐患点开展汛前巡查，落实监测责任人。",
            "156",
            "处",
            "330600-ZRZY",
            ("330683-GOV", "330624-GOV"),
            -42,
            -7,
            ((-21, "完成汛前首轮巡查"),),
            (
                ("report", -30, 40, "64", "首轮巡查过半", None, False),
                ("report", -21, 80, "128", "首轮巡查完成", 0, True),
                ("report", -10, 100, "156", "全部完成，落实监测责任人156名", None, True),
                ("submit", -9),
                ("accept", -8, "巡查记录完整，同意验收。"),
            ),
        ),
        DemoTask(
            "城市易涝点整治",
            "对城区易涝积水点实施排水管网改造和应急排涝设施配置。",
            "48",
            "处",
            "330600-ZJJ",
            ("330602-ZJJ", "330600-ZHZF"),
            -42,
            -3,
            ((-20, "完成整治方案"),),
            (
                ("report", -30, 20, "8", "完成整治方案编制", 0, False),
                ("report", -12, 45, "21", "已完成21处整治", None, False),
            ),
        ),
        DemoTask(
            "危旧房屋排查",
            "对城镇和农村危旧房屋开展拉网式排查，落实人员转移预案。",
            "860",
            "幢",
            "330602-GOV",
            ("330602-ZJJ", "330602-SCJ"),
            -42,
            1,
            ((-18, "完成城镇危房排查"),),
            (
                ("report", -30, 40, "330", "城镇危房排查过半", None, False),
                ("report", -18, 75, "640", "城镇危房排查完成", 0, True),
                ("report", -2, 100, "872", "排查872幢，全部落实转移预案", None, True),
                ("submit", -1),
            ),
        ),
        DemoTask(
            "在建工地防汛安全检查",
            "对全市在建工地基坑、塔吊和临时设施开展防汛安全检查。",
            "210",
            "个",
            "330600-ZJJ",
            ("330600-YJJ",),
            -28,
            25,
            ((5, "完成首轮检查"),),
            (
                ("report", -20, 15, "32", "检查在建工地32个", None, False),
                ("report", -6, 45, "95", "检查在建工地95个，整改隐患41处", None, True),
            ),
        ),
        DemoTask(
            "防汛物资价格监测",
            "监测雨具、食品等防汛物资价格，防止哄抬物价。",
            "60",
            "家",
            "330602-SCJ",
            ("330602-SWJ",),
            -35,
            -14,
            ((-25, "确定监测点"),),
            (
                ("report", -25, 50, "30", "确定价格监测点30家", 0, False),
                ("report", -16, 100, "60", "监测点60家全部运行", None, True),
                ("submit", -15),
                ("accept", -12, "监测点运行正常，同意验收。"),
            ),
        ),
    ),
)

LISTS = (REFORM, FLOOD)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _at(today: date, offset: int, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(today + timedelta(days=offset), time(hour)))


def _person(department_code: str) -> Any:
    """The account of the head of a unit."""
    staff = Staff.objects.select_related("user").filter(employee_no=f"{department_code}-01").first()
    return staff.user if staff is not None else None


def _draft(spec: DemoTask, units: dict[str, Department], today: date) -> TaskDraft:
    return TaskDraft(
        title=spec.title,
        description=spec.description,
        target_value=Decimal(spec.target),
        unit=spec.unit,
        lead=units[spec.lead],
        cooperating=[units[code] for code in spec.cooperating if code in units],
        starts_on=today + timedelta(days=spec.starts),
        deadline=today + timedelta(days=spec.deadline),
        milestones=[
            MilestoneDraft(title, today + timedelta(days=offset))
            for offset, title in spec.milestones
        ],
    )


def _play(task: Task, spec: DemoTask, mayor: Any, today: date) -> None:
    """The task's story, step by step, each at its day."""
    reporter = _person(spec.lead)
    milestones = list(task.milestones.order_by("due_on", "pk"))
    for step in spec.story:
        kind, offset = step[0], step[1]
        task.refresh_from_db()
        if kind == "report":
            _kind, _day, done, achieved, summary, milestone, evidence = step
            files = (
                [SimpleUploadedFile("进展佐证材料.pdf", PDF, "application/pdf")] if evidence else []
            )
            progress.report(
                actor=reporter,
                task=task,
                progress=done,
                achieved_value=achieved,
                summary=summary,
                milestone=milestones[milestone] if milestone is not None else None,
                files=files,
                at=_at(today, offset, 10),
            )
        elif kind == "submit":
            acceptance.submit(actor=reporter, task=task, at=_at(today, offset, 11))
        else:
            acceptance.decide(
                actor=mayor,
                task=task,
                accept=kind == "accept",
                comment=step[2],
                at=_at(today, offset, 16),
            )


def _origin_directive(
    spec: DemoList, mayor: Any, units: dict[str, Department], today: date
) -> Directive | None:
    """For a list that follows from a directive: the mayor's directive (its title is the
    list's `reference`) to the lead units, issued two days before the list is drawn up."""
    if spec.origin != "directive":
        return None
    leads = [units[task.lead] for task in spec.tasks if task.lead in units]
    return issue(
        actor=mayor,
        title=spec.reference,
        body=spec.description,
        priority=DirectivePriority.URGENT,
        departments=list(dict.fromkeys(leads)),
        feedback_required=False,
        submission_key=f"{spec.key}-directive",
        now=_at(today, PUBLISHED - 3, 9),
    )


def _load(spec: DemoList, mayor: Any, units: dict[str, Department], today: date) -> bool:
    if TaskList.objects.filter(title=spec.title, created_by=mayor).exists():
        return False
    drafts = [_draft(task, units, today) for task in spec.tasks if task.lead in units]
    with transaction.atomic():
        directive = _origin_directive(spec, mayor, units, today)
        made = drawing.draw_up(
            actor=mayor,
            submission_key=spec.key,
            title=spec.title,
            description=spec.description,
            origin=spec.origin,
            directive=directive,
            origin_reference="" if directive else spec.reference,
            tasks=drafts,
            at=_at(today, PUBLISHED - 1, 9),
        )
        drawing.publish(actor=mayor, task_list=made, at=_at(today, PUBLISHED, 9))
        tasks = {task.title: task for task in made.tasks.select_related("task_list")}
        for task_spec in spec.tasks:
            if task_spec.title in tasks:
                _play(tasks[task_spec.title], task_spec, mayor, today)
    return True


def load_task_lists(size: DemoSize) -> str:
    """The two task lists and their eight weeks of work."""
    mayor = _person("330600-GOV")
    if mayor is None:
        return "skipped: the demo city has no mayor's account"
    codes = {
        code for spec in LISTS for task in spec.tasks for code in (task.lead, *task.cooperating)
    }
    units = {
        unit.code: unit
        for unit in Department.objects.select_related("region").filter(code__in=codes)
    }
    today = timezone.localdate()
    created = sum(_load(spec, mayor, units, today) for spec in LISTS)
    return f"{created} created, {len(LISTS) - created} unchanged"


STEPS = [DemoStep("task lists", load_task_lists)]
